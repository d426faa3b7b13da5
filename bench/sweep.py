"""Every page of a territory, for the benchmark: each GET route whose address takes the
territory, with ids taken from the generated data (so the page holds the scale's data).

For each id argument of a route, ``ARG_TABLES`` names its table; the object is the first
row of the table (a demo object: the copies and duplicates come after it), and the other
ids of the same address follow from its foreign keys (an action's plan, a review's project),
so that the address is consistent. A route whose data ids do not answer 200 is tried once
more with the ids that ``tests/route_ids.py`` makes, in a territory of their own: the objects
they add must not change the pages already swept (a partnership plan added to the first
territory would turn « Nouveau plan » into a redirect). The pages are counted again after
these additions: only what still answers 200 is measured.
Downloads and exports are left out (their cost is measured apart), and so is a page that
still does not answer 200: both are listed in ``skipped`` with the reason.
"""
from __future__ import annotations

import re

from sqlalchemy import event, func, select

ADMIN = "admin@demo.territoires.fr"
PASSWORD = "Partenariats-demo-2026"

# The ten main pages (issue 21): a tighter floor budget.
MAIN_PAGES = {
    "territory.home", "actors.organisations", "experiments.workspace",
    "sessions.live.board_fragment", "action_plans.plan", "raci.grid", "timelines.show",
    "charters.charter", "conventions.show", "conventions.portfolio",
}
# An id argument → its table, where the name alone does not say it (``x_id`` → ``x``).
ARG_TABLES = {
    "plan_id": "action_plan", "axis_id": "action_plan_axis", "grid_id": "raci_grid",
    "timeline_id": "partner_timeline", "frise_entry_id": "timeline_entry",
    "frise_level_id": "timeline_level", "frise_contact_id": "contact_event",
    "card_id": "contribution", "card_cluster_id": "contribution_cluster",
    "project_review_id": "review", "batch_id": "import_batch",
    "convention_priority_id": "priority", "convention_indicator_id": "indicator",
    "convention_value_id": "indicator_value", "instance_member_id": "instance_member",
}
FIXED_VALUES = {"version_number": 1, "charter_section": "preamble"}
# Addresses that are files, not pages.
DOWNLOAD = re.compile(r"(\.<[^>]*fmt>|\.(xlsx|csv|ics|svg|docx|odt|pdf))$")
DOWNLOAD_ENDPOINTS = {"reviews.photo": "a photo (image bytes)"}
ARGUMENT = re.compile(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>")


def _table_of(argument: str) -> str:
    return ARG_TABLES.get(argument, argument.removesuffix("_id"))


def _first_row(connection, table, where=()):
    statement = select(table).where(*where).order_by(*table.primary_key.columns)
    if table.name == "session" and "contribution" in connection.info.get("_bench_tables", {}):
        contribution = connection.info["_bench_tables"]["contribution"]
        statement = statement.where(table.c.id == select(
            func.min(contribution.c.session_id)).scalar_subquery())
    if table.name == "indicator" and "owner_type" in table.c:
        statement = statement.where(table.c.owner_type == "convention")
    return connection.execute(statement).mappings().first()


def _parent_column(table, parent_table_name: str):
    for column in table.columns:
        for key in column.foreign_keys:
            if key.column.table.name == parent_table_name:
                return column.name
    return None


def data_ids(connection, tables: dict, arguments: list[str]) -> tuple[dict | None, str, str]:
    """Consistent ids for the arguments of one address, the territory's slug, and why not."""
    wanted = [a for a in arguments if a not in FIXED_VALUES]
    for argument in wanted:
        if _table_of(argument) not in tables:
            return None, "", f"no table for <{argument}>"
    # the child first: the argument whose table points at the most other arguments' tables
    wanted.sort(key=lambda a: -sum(
        _parent_column(tables[_table_of(a)], _table_of(b)) is not None for b in wanted if b != a))
    ids, rows = {}, {}
    for argument in wanted:
        table = tables[_table_of(argument)]
        for child, row in rows.items():
            column = _parent_column(tables[_table_of(child)], table.name)
            if column and row[column] is not None:
                ids[argument] = row[column]
                rows[argument] = connection.execute(
                    select(table).where(table.primary_key.columns[0] == row[column])).mappings().first()
                break
        else:
            territory_ids = {r["territory_id"] for r in rows.values() if "territory_id" in r}
            where = [table.c.territory_id == min(territory_ids)] if territory_ids and \
                "territory_id" in table.c else []
            row = _first_row(connection, table, where)
            if row is None:
                return None, "", f"table {table.name} is empty"
            ids[argument], rows[argument] = row[table.primary_key.columns[0].name], row
    territory = tables["territory"]
    territory_id = next((r["territory_id"] for r in rows.values() if r.get("territory_id")), None)
    slug = connection.scalar(select(territory.c.slug).where(territory.c.id == territory_id)
                             if territory_id else select(territory.c.slug).order_by(territory.c.id))
    return ids | {a: FIXED_VALUES[a] for a in arguments if a in FIXED_VALUES}, slug, ""


def _address(rule, slug: str, ids: dict) -> str:
    return ARGUMENT.sub(lambda m: slug if m.group(1) == "territory" else str(ids[m.group(1)]),
                        rule.rule)


def candidate_urls(app) -> tuple[dict[str, str], dict[str, str]]:
    """endpoint → address with ids from the data; endpoint → why it is left out."""
    from extensions import db
    from territorial.backup import backup_tables

    urls, skipped = {}, {}
    with app.app_context(), db.engine.connect() as connection:
        tables = {t.name: t for t in backup_tables(connection)}
        connection.info["_bench_tables"] = tables
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or "territory" not in rule.arguments:
                continue
            if DOWNLOAD.search(rule.rule) or rule.endpoint in DOWNLOAD_ENDPOINTS:
                skipped[rule.endpoint] = DOWNLOAD_ENDPOINTS.get(
                    rule.endpoint, "a download (a file, not a page)")
                continue
            arguments = [a for a in ARGUMENT.findall(rule.rule) if a != "territory"]
            ids, slug, reason = data_ids(connection, tables, arguments)
            if ids is None:
                skipped[rule.endpoint] = reason
                continue
            urls[rule.endpoint] = _address(rule, slug, ids)
    return urls, skipped


def factory_urls(app, endpoints) -> dict[str, str]:
    """Addresses made with tests/route_ids.py's id makers, in a territory made for them."""
    from extensions import db
    from territorial.accounts.models import User
    from territorial.territories.models import Territory
    from tests.factories import Factory
    from tests.route_ids import ID_MAKERS

    rules = {r.endpoint: r for r in app.url_map.iter_rules() if r.endpoint in endpoints}
    with app.test_request_context():
        number = db.session.scalar(select(func.count()).select_from(Territory)) + 1
        factory, ids = Factory(db.session), {}
        territory = factory.territory(name=f"Bench : objets des pages {number}",
                                      slug=f"bench-pages-{number}")
        user = db.session.scalar(select(User).where(User.email == ADMIN))
        for rule in rules.values():
            for argument in ARGUMENT.findall(rule.rule):
                if argument != "territory" and argument not in ids and argument in ID_MAKERS:
                    ids[argument] = ID_MAKERS[argument](factory, territory, user)
        db.session.commit()
        return {endpoint: _address(rule, territory.slug, ids) for endpoint, rule in rules.items()
                if all(a == "territory" or a in ids for a in ARGUMENT.findall(rule.rule))}


def signed_in_client(app):
    client = app.test_client()
    response = client.post("/login", data={"email": ADMIN, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError("bench: the admin could not sign in")
    return client


def query_counts(app, urls: dict[str, str], client=None) -> dict[str, int | str]:
    """SQL statements per page, counted in-process (after one warm-up request); a page that
    does not answer 200 gets ``"HTTP <status>"``."""
    from extensions import db

    client = client or signed_in_client(app)
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    counts: dict[str, int | str] = {}
    for name, url in urls.items():
        client.get(url)
        statements.clear()
        event.listen(engine, "before_cursor_execute", record)
        try:
            status = client.get(url).status_code
        finally:
            event.remove(engine, "before_cursor_execute", record)
        counts[name] = len(statements) if status == 200 else f"HTTP {status}"
    return counts


def sweep(app) -> tuple[dict[str, str], dict[str, int], dict[str, str]]:
    """Every page that answers 200: its address, its query count; and what was skipped."""
    urls, skipped = candidate_urls(app)
    client = signed_in_client(app)
    counts = query_counts(app, urls, client)
    failed = [name for name, count in counts.items() if not isinstance(count, int)]
    for name, reason in list(skipped.items()):
        if reason.startswith(("table ", "no table")):  # no object in the data: make one
            failed.append(name)
            counts[name], urls[name] = reason, ""
    if failed:
        retry = factory_urls(app, failed)
        retried = query_counts(app, retry, client)
        for name in failed:
            if isinstance(retried.get(name), int):
                urls[name], counts[name] = retry[name], retried[name]
                skipped.pop(name, None)
            else:
                skipped[name] = (f"{counts[name]} with ids from the data, "
                                 f"{retried.get(name, 'no id maker')} with tests/route_ids.py's ids"
                                 " (needs query parameters or a state the data lacks)")
                del urls[name], counts[name]
        _drop_changed(app, urls, counts, skipped, client)
    return urls, counts, skipped


def _drop_changed(app, urls: dict, counts: dict, skipped: dict, client) -> None:
    """Leave out a page that no longer answers 200 after the id makers' additions."""
    for name, count in query_counts(app, urls, client).items():
        if not isinstance(count, int):
            skipped[name] = f"{count} after the objects of tests/route_ids.py were added"
            del urls[name], counts[name]
