"""Pagination of list pages. A page number is read once (``page_number``): anything but a
positive number is the first page, a number beyond the last page is the last page."""
from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination

from extensions import db

MAX_PAGE = 10**9


def page_number(arg: str = "page") -> int:
    """The page asked for in the query argument ``arg``: at least 1, at most ``MAX_PAGE``
    (the list then shows its last page)."""
    text = request.args.get(arg, "").strip()
    if not text.isascii() or not text.isdigit():
        return 1
    return max(1, min(int(text[:12]), MAX_PAGE))


def paginate(statement, page: int | None = None, per_page: int | None = None,
             total: int | None = None):
    """``db.paginate`` of ``statement`` at the page asked for, or at the last page when
    the number is beyond it. A page that already knows how many rows ``statement`` holds
    gives it as ``total``: no count query (``db.paginate``'s ``count=False``)."""
    return _paginate(lambda **options: db.paginate(statement, **options), page, per_page, total)


def paginate_built(items, count, parameters: dict, page: int | None = None,
                   per_page: int | None = None, total: int | None = None):
    """``paginate`` of statements built once: ``items`` selects the rows with the bound
    parameters ``limit`` and ``offset``, ``count`` counts them (unless ``total`` is
    known), both with the values ``parameters`` of their other bound parameters."""
    return _paginate(lambda **options: BuiltPagination(
        items=items, count_statement=count, parameters=parameters, **options),
        page, per_page, total)


def _paginate(make, page, per_page, total):
    per_page = per_page or current_app.config["PER_PAGE"]
    options = {"per_page": per_page, "max_per_page": 100, "error_out": False}
    page = page or page_number()
    if total is not None:
        page = min(page, max(1, -(-total // per_page)))
        result = make(page=page, count=False, **options)
        result.total = total
        return result
    result = make(page=page, **options)
    if result.pages and result.page > result.pages:
        result = make(page=result.pages, **options)
    return result


class BuiltPagination(Pagination):
    """``db.paginate``'s result for ``paginate_built``."""

    def _query_items(self) -> list:
        parameters = self._query_args["parameters"] | {
            "limit": self.per_page, "offset": self._query_offset}
        return list(db.session.scalars(self._query_args["items"], parameters))

    def _query_count(self) -> int:
        return db.session.scalar(self._query_args["count_statement"],
                                 self._query_args["parameters"])


class ListPage:
    """A page of a list already in memory, with the interface of ``db.paginate``'s
    result that the ``pagination`` macro uses (for lists computed in Python)."""

    def __init__(self, items: list, page: int, per_page: int) -> None:
        self.total = len(items)
        self.per_page = per_page
        self.pages = max(1, -(-self.total // per_page))
        self.page = min(max(page, 1), self.pages)
        start = (self.page - 1) * per_page
        self.items = items[start:start + per_page]
        self.has_prev, self.has_next = self.page > 1, self.page < self.pages
        self.prev_num, self.next_num = self.page - 1, self.page + 1

    def iter_pages(self, left_edge=2, left_current=2, right_current=4, right_edge=2):
        last = 0
        for number in range(1, self.pages + 1):
            if (number <= left_edge or self.pages - right_edge < number
                    or self.page - left_current <= number <= self.page + right_current):
                if last + 1 != number:
                    yield None
                yield number
                last = number


def paginate_list(items: list, arg: str = "page") -> ListPage:
    """The page of ``items`` whose number is in the query argument ``arg`` (a page listing
    two things pages them with two arguments)."""
    return ListPage(items, page_number(arg), current_app.config["PER_PAGE"])
