"""Pagination of list pages."""
from flask import current_app, request

from extensions import db


def paginate(statement):
    return db.paginate(
        statement,
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PER_PAGE"],
        max_per_page=100,
        error_out=False,
    )


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
    return ListPage(items, request.args.get(arg, 1, type=int), current_app.config["PER_PAGE"])
