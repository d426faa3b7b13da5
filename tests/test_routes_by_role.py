"""Every URL of a territory, by GET and by POST, for every role: the server does what the
view declares (``territorial.access``), and nothing leaks to another territory.

Each role is one user with no standing of their own (they sit in no instance, wrote no
note, belong to no convention) walking every route over objects of one territory
(``tests/route_ids.py``):

- anonymous: sent to the login page;
- a coordinator of another territory: 404, for the territory's URLs and for its ids under
  their own territory's URLs;
- a partner: 404, except on the pages open to partners that name no object (their list)
  and on the pages that send partners to their own (the territory's home: a redirect);
- observer, participant, facilitator, coordinator: 403 when their role does not give what
  the view needs (for a need that depends on the object, what acts without a standing);
  otherwise the page answers (GET 200; POST neither 403, nor 404, nor a server error —
  each POST is rolled back so that the walk always finds its objects). An
  observer changes nothing, whatever the views declare.
"""
import pytest

from territorial.access import OBJECT_NEEDS, PERMISSIONS, declared_need, is_open_to_partners
from tests.route_ids import ID_MAKERS, UNSCOPED_ROUTES, route_url, territory_rules

MEMBERS = ("observer", "participant", "facilitator", "coordinator")
ROLES = (*MEMBERS, "partner", "another territory", "anonymous")

# For the needs that depend on the object, what a user without a standing needs when the
# need does not say it: the indicators of tests/route_ids.py measure an action plan, whose
# indicators its coordination changes (facilitation.action_plans: EDIT_PLAN).
WITHOUT_STANDING = {"change_indicator": "edit"}


# Pages that send elsewhere when opened without the query they expect.
REDIRECTING_PAGES = {
    "indicators.new": "an indicator is added from the page of what it measures (?owner_type=…)",
    "action_plans.new_plan": "the owner of tests/route_ids.py already has its plan: it opens",
}

# Pages that only the member who made the object opens (404 to the others).
OWNER_ONLY_PAGES = {
    "actors.import_mapping": "an import awaiting confirmation is its uploader's only",
}

# POSTs that answer 404 to a member allowed to make them, because an id they name is posted
# (an empty POST names none) or is not one the URL's object may take.
NOT_FOUND_WHEN_POSTED_EMPTY = {
    "raci.set_cell": "the cell's activity and actor are posted",
    "actors.import_mapping": "an import awaiting confirmation is its uploader's only",
    "decisions.draft_note": "the meeting of tests/route_ids.py is a working group's, not an "
                               "instance's: it has no information note",
}


def required(need: str) -> str | None:
    """The permission a member without standing needs (None: no role is enough)."""
    found = OBJECT_NEEDS.get(need)
    if found is None:
        return need
    return WITHOUT_STANDING.get(need) or found.on_behalf


def methods(rule) -> list[str]:
    return sorted(rule.methods & {"GET", "POST"})


def test_every_route_with_an_argument_is_scoped_or_explained(app):
    for rule in app.url_map.iter_rules():
        if rule.arguments and "territory" not in rule.arguments:
            assert rule.rule in UNSCOPED_ROUTES, (
                f"{rule.rule} takes an argument outside /t/<territory>/: scope it or explain "
                "why it is safe in tests/route_ids.py")


def test_every_id_argument_has_a_maker(app):
    for rule in territory_rules(app):
        for name in rule.arguments - {"territory"}:
            assert name in ID_MAKERS, f"{rule.rule}: add a maker for <{name}> in tests/route_ids.py"


def test_every_view_of_a_territory_declares_what_it_needs(app):
    for rule in territory_rules(app):
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "needs", None), f"{rule.endpoint}: declare @needs(…)"
        for method in methods(rule):
            need = declared_need(view, method)
            assert need in OBJECT_NEEDS or need in PERMISSIONS["coordinator"], rule.endpoint


@pytest.fixture
def walk(app, client, factory, login, transaction):
    """``walk(role)`` → the failures of that role's walk over every route of a territory."""
    territory = factory.territory()
    coordinator = factory.user(territory, role="coordinator")
    ids = {name: maker(factory, territory, coordinator) for name, maker in ID_MAKERS.items()}

    def request(method, url):
        if method == "GET":
            return client.get(url)
        changes = transaction.begin_nested()  # what an allowed POST does is undone
        try:
            return client.post(url, data={})
        finally:
            changes.rollback()

    def _walk(role):
        failures = []

        def expect(ok, method, url, status, wanted):
            if not ok:
                failures.append(f"{role}: {method} {url} → {status} (expected {wanted})")

        if role == "another territory":
            other = factory.territory()
            login(factory.user(other, role="coordinator"))
            for rule in territory_rules(app):
                for slug in (territory.slug, other.slug):
                    if slug == other.slug and not rule.arguments - {"territory", "fmt"}:
                        continue  # no id of the territory in this URL
                    url = route_url(rule, slug, ids)
                    for method in methods(rule):
                        status = request(method, url).status_code
                        expect(status == 404, method, url, status, 404)
            return failures
        if role != "anonymous":
            login(factory.user(territory, role=role))
        for rule in territory_rules(app):
            url = route_url(rule, territory.slug, ids)
            view = app.view_functions[rule.endpoint]
            for method in methods(rule):
                response = request(method, url)
                status = response.status_code
                if role == "anonymous":
                    expect(status == 302 and "/login" in response.location, method, url, status,
                           "302 to the login page")
                elif role == "partner":
                    with app.test_request_context():
                        open_ = is_open_to_partners(rule.endpoint)
                    if getattr(view, "sends_partners_away", False):
                        expect(status == 302 and "/conventions" in response.location, method,
                               url, status, "302 to the partner's conventions")
                    elif open_ and not rule.arguments - {"territory", "fmt"}:
                        expect(status < 400, method, url, status, "< 400")
                    else:
                        expect(status == 404, method, url, status, 404)
                else:
                    permission = required(declared_need(view, method))
                    if role == "observer" and method == "POST":
                        expect(status == 403, method, url, status, 403)
                    elif permission is None or permission not in PERMISSIONS[role]:
                        expect(status == 403, method, url, status, 403)
                    elif method == "GET":
                        wanted = 302 if rule.endpoint in REDIRECTING_PAGES else \
                            404 if rule.endpoint in OWNER_ONLY_PAGES else 200
                        expect(status == wanted, method, url, status, wanted)
                    else:
                        refused = (403,) if rule.endpoint in NOT_FOUND_WHEN_POSTED_EMPTY \
                            else (403, 404)
                        expect(status not in refused and status < 500, method, url, status,
                               "an answer")
        return failures

    return _walk


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_its_view_declares(walk, role):
    failures = walk(role)
    assert not failures, "\n".join(failures)
