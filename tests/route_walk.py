"""Walk every page a user can open: the GET routes of a territory (with the ids that
``tests/route_ids.py`` makes) and the routes without arguments."""
from tests.route_ids import ID_MAKERS, route_url


def make_ids(factory, territory, user) -> dict[str, int]:
    return {name: maker(factory, territory, user) for name, maker in ID_MAKERS.items()}


def page_urls(app, territory, ids) -> list[str]:
    """Every GET address: the territory's (with ``ids``) and those taking no argument."""
    urls = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        if "territory" in rule.arguments:
            urls.add(route_url(rule, territory.slug, ids))
        elif not rule.arguments:
            urls.add(rule.rule)
    return sorted(urls)
