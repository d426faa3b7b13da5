"""The territory's menu and the breadcrumbs tell where the user is, on every page.

Every page of a territory (each GET route, with the ids of tests/route_ids.py) marks exactly
one section of the menu with aria-current="page" (the current link is told to assistive
technologies, not by its style alone), and its breadcrumbs start from that section, with
the menu's words and link. Then the trails that used to skip a level."""
from html import unescape
from html.parser import HTMLParser

import pytest
from werkzeug.exceptions import NotFound

from tests.route_walk import make_ids, page_urls

# Pages whose menu marks no section, with why.
NO_SECTION = {
    "territory.settings": "the territory's settings: its administration, not a part of its work",
    "territory.members": "the territory's members and invitations: its administration too",
}
# Pages that show no menu at all, with why.
WITHOUT_MENU = {
    "sessions.live.board_fragment": "the part of the live board that its page polls",
    "sessions.live.join_code": "the join code projected full screen to the room",
    "sessions.live.join_code_fragment": "the part of the projected code that its page polls",
    "sessions.live.minutes_print": "the minutes laid out for printing",
    "sessions.live.vote_projection": "a vote projected full screen to the room",
    "sessions.live.vote_projection_fragment": "the part of the projected vote that its page polls",
    "sessions.live.vote_results": "the results the live board inserts into its page",
}


class Navigation(HTMLParser):
    """The links of the territory's menu (text, address, marked current) and the
    breadcrumbs (text, address or None for the current page) of a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.menu: list[tuple[str, str, bool]] | None = None
        self.crumbs: list[tuple[str, str | None]] | None = None
        self._in = None  # "menu" or "crumbs"
        self._item = None  # [text, href, current] of the link or item being read
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "territory-nav" in (attrs.get("class") or "").split():
            self._in, self.menu = "menu", []
        elif tag == "nav" and "breadcrumbs" in (attrs.get("class") or "").split():
            self._in, self.crumbs = "crumbs", []
        elif self._in == "menu" and tag == "a":
            self._item = ["", attrs.get("href"), attrs.get("aria-current") == "page"]
        elif self._in == "crumbs" and tag == "li":
            self._item = ["", None, attrs.get("aria-current") == "page"]
        elif self._in == "crumbs" and tag == "a" and self._item is not None:
            self._item[1] = attrs.get("href")

    def handle_data(self, data):
        if self._item is not None:
            self._item[0] += data

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in = None
        elif self._in == "menu" and tag == "a" and self._item is not None:
            self.menu.append((" ".join(self._item[0].split()), self._item[1], self._item[2]))
            self._item = None
        elif self._in == "crumbs" and tag == "li" and self._item is not None:
            text, href, _current = self._item
            self.crumbs.append((" ".join(unescape(text).split()), href))
            self._item = None


def _endpoint(app, url: str) -> str:
    try:
        return app.url_map.bind("localhost").match(url.split("?")[0])[0]
    except NotFound:
        return ""


def _problems(app, url: str, html: str, territory) -> list[str]:
    """What is wrong with the page's marks: the menu's and the trail's."""
    endpoint, found = _endpoint(app, url), Navigation(html)
    if endpoint in WITHOUT_MENU:
        return [f"{url}: a menu on a page without one"] if found.menu is not None else []
    if found.menu is None:
        return [f"{url}: no territory menu"]
    marked = [(text, href) for text, href, current in found.menu if current]
    if endpoint in NO_SECTION:
        return [f"{url}: marks {marked}, belongs to no section"] if marked else []
    if len(marked) != 1:
        return [f"{url}: marks {len(marked)} sections of the menu: {marked}"]
    section, section_url = marked[0]
    if found.crumbs is None:  # the section's page itself says where it is by its title
        return [] if section_url == url else [f"{url}: no breadcrumbs under « {section} »"]
    if found.crumbs[0] != (territory.name, f"/t/{territory.slug}/"):
        return [f"{url}: the trail starts at {found.crumbs[0]}, not at the territory"]
    first = found.crumbs[1] if len(found.crumbs) > 1 else None
    wanted = (section, None if section_url == url else section_url)
    return [] if first == wanted else [f"{url}: the trail goes on with {first}, the menu marks {wanted}"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_marks_one_section_where_its_trail_starts(app, client, factory, login,
                                                             language):
    territory = factory.territory(name="Charenton")
    user = factory.user(territory, role="coordinator", is_admin=True)
    urls = [url for url in page_urls(app, territory, make_ids(factory, territory, user))
            if url.startswith("/t/")]
    login(user)
    client.post("/language", data={"language": language})
    problems, pages, seen = [], 0, set()
    for url in urls:
        with client.get(url) as response:
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            html = response.get_data(as_text=True)
        pages += 1
        seen.add(_endpoint(app, url))
        problems += _problems(app, url, html, territory)
    assert not problems, "\n".join(problems)
    assert pages > 100
    assert set(NO_SECTION) | set(WITHOUT_MENU) <= seen  # each exception is still a page


# Trails that used to skip a level: each case makes its object and says the page's address,
# the section its menu marks and its breadcrumbs' words, in order.

def _frise(factory, territory, user):
    project = factory.project(territory, title="Aller vers les habitants")
    timeline = factory.frise(project)
    return (f"/frises/{timeline.id}", "Projets",
            ["Projets", "Aller vers les habitants", "Frise des partenariats"])


def _group(factory, territory):
    from facilitation.working_groups.models import WorkingGroup

    experiment = factory.experiment(territory, themes=["Emploi"], title="Agir ensemble 2026")
    return factory.session.query(WorkingGroup).filter_by(experiment_id=experiment.id).one()


def _group_edit(factory, territory, user):
    group = _group(factory, territory)
    return (f"/groups/{group.id}/edit", "Expérimentations",
            ["Expérimentations", "Agir ensemble 2026", "Groupes de travail", group.title,
             "Modifier"])


def _group_import_preview(factory, territory, user):
    from territorial.actors.models import ImportBatch

    group = _group(factory, territory)
    batch = factory._add(ImportBatch(territory_id=territory.id, user_id=user.id,
                                     filename="membres.csv", target="working_group",
                                     owner_id=group.id, rows=[]))
    return (f"/organisations/import/{batch.id}", "Expérimentations",
            ["Expérimentations", "Agir ensemble 2026", "Groupes de travail", group.title,
             "Importer", "Aperçu"])


def _objective_indicator(factory, territory, user):
    convention = factory.convention(territory, reference="CONV-ESS-7")
    objective = factory.convention_objective(territory, convention, title="Accès aux droits")
    indicator = factory.convention_indicator(territory, objective, title="Personnes accompagnées")
    return (f"/indicators/{indicator.id}", "Conventions",
            ["Conventions", "CONV-ESS-7", "Objectif de convention « Accès aux droits »",
             "Personnes accompagnées"])


def _joint_project_indicator(factory, territory, user):
    project = factory.charter_objects(territory)["project"]
    indicator = factory.indicator(territory, owner_type="joint_project", owner_id=project.id,
                                  title="Jeunes accueillis")
    return (f"/indicators/{indicator.id}/edit", "Partenariats",
            ["Partenariats", "Projets communs", "Projet commun « Projet commun »",
             "Modifier l'indicateur"])


def _joint_project_grid(factory, territory, user):
    project = factory.charter_objects(territory)["project"]
    grid = factory.raci_grid(territory, owner_type="joint_project", owner_id=project.id)
    return (f"/raci/{grid.id}", "Partenariats",
            ["Partenariats", "Projets communs", "Projet commun", "Grille RACI"])


def _experiment_grid(factory, territory, user):
    from facilitation.experiments.roles import find_grid

    experiment = factory.experiment(territory, title="Agir ensemble 2026")
    return (f"/raci/{find_grid(experiment).id}", "Expérimentations",
            ["Expérimentations", "Agir ensemble 2026", "Grille RACI"])


def _meeting_of_no_experiment(factory, territory, user):
    meeting = factory.meeting_session(territory, title="Réunion publique")
    return (f"/sessions/{meeting.id}/attendance", "Agenda",
            ["Agenda", "Réunion publique", "Présences"])


def _organisations_import(factory, territory, user):
    return "/organisations/import", "Acteurs", ["Acteurs", "Importer"]


def _people_import(factory, territory, user):
    return "/people/import", "Acteurs", ["Acteurs", "Personnes", "Importer"]


def _person(factory, territory, user):
    person = factory.person(territory, first_name="Camille", last_name="Haddad")
    return f"/people/{person.id}/edit", "Acteurs", [
        "Acteurs", "Personnes", "Camille Haddad", "Modifier le contact"]


TRAILS = {
    "frise": _frise,
    "working group edit": _group_edit,
    "working group import preview": _group_import_preview,
    "indicator of a convention objective": _objective_indicator,
    "indicator of a joint project": _joint_project_indicator,
    "RACI grid of a joint project": _joint_project_grid,
    "RACI grid of an experiment": _experiment_grid,
    "meeting of no experiment": _meeting_of_no_experiment,
    "organisations import": _organisations_import,
    "people import": _people_import,
    "person": _person,
}


@pytest.mark.parametrize("case", TRAILS)
def test_the_trail_goes_from_the_section_down_to_the_page(client, factory, login, case):
    territory = factory.territory(name="Charenton")
    user = factory.user(territory, role="coordinator")
    path, section, trail = TRAILS[case](factory, territory, user)
    factory.session.commit()
    login(user)
    with client.get(f"/t/{territory.slug}{path}") as response:
        assert response.status_code == 200, response.get_data(as_text=True)[:2000]
        found = Navigation(response.get_data(as_text=True))
    assert [text for text, href, current in found.menu if current] == [section]
    assert [text for text, _href in found.crumbs] == ["Charenton", *trail]
    assert all(href for _text, href in found.crumbs[:-1]) and found.crumbs[-1][1] is None
