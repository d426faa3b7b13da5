"""Bad input answers 4xx with a French message, never 500, and is never stored: web
addresses other than http(s), control characters, ids and page numbers out of range,
redirect targets that leave the platform."""
import pytest
from sqlalchemy import func, select

from extensions import db
from territorial.actors.models import Organisation
from territorial.common.errors import DomainError
from territorial.common.validation import web_address
from tests.conftest import TEST_PASSWORD


# Web addresses ------------------------------------------------------------------------

@pytest.mark.parametrize("text, stored", [
    ("https://www.mission-locale.fr", "https://www.mission-locale.fr"),
    ("http://exemple.fr/page?x=1#haut", "http://exemple.fr/page?x=1#haut"),
    ("www.centre-social.fr", "https://www.centre-social.fr"),
    ("https://bénévoles.fr/", "https://bénévoles.fr/"),
])
def test_web_addresses_accepted(text, stored):
    assert web_address(text) == stored


@pytest.mark.parametrize("text", [
    "javascript://%0aalert(document.cookie)", "javascript:alert(1)", "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox", "ftp://exemple.fr",
    "https://", "https://exemple .fr", "https://exemple.fr/\x00", "//evil.example",
    "https://exemple.fr\nx", "mailto:x@exemple.fr",
])
def test_web_addresses_refused(text):
    with pytest.raises(DomainError):
        web_address(text)


def test_a_javascript_website_is_refused_by_the_form(signed_in, territory):
    response = signed_in.post(f"/t/{territory.slug}/organisations/new", data={
        "name": "Mission locale", "kind": "association",
        "website": "javascript://%0aalert(document.cookie)"})
    assert response.status_code == 200  # the form again, with its message
    page = response.get_data(as_text=True)
    assert "Adresse web invalide" in page and 'value="Mission locale"' in page
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def _upload(client, territory, content: str):
    return client.post(f"/t/{territory.slug}/organisations/import",
                       data={"file": (__import__("io").BytesIO(content.encode()), "a.csv")},
                       content_type="multipart/form-data", follow_redirects=True)


def test_a_javascript_website_is_refused_by_the_import(signed_in, territory):
    page = _upload(signed_in, territory, "Organisation;Site web\n"
                   "Mission locale;javascript://%0aalert(document.cookie)\n"
                   "Centre social;www.centre-social.fr\n").get_data(as_text=True)
    assert "Ligne 2, colonne « Site web » : Adresse web invalide" in page
    assert "Ligne 3" not in page
    assert "Confirmer l'import" not in page


def test_a_stored_unsafe_website_is_not_rendered_as_a_link(signed_in, factory, territory):
    """Rows written before the validator (or restored from a backup) stay inert."""
    organisation = factory.organisation(territory, website="javascript:alert(1)")
    page = signed_in.get(f"/t/{territory.slug}/organisations/{organisation.id}")
    assert page.status_code == 200
    assert 'href="javascript' not in page.get_data(as_text=True)


# Control characters ---------------------------------------------------------------------

@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f"])
def test_control_characters_are_refused_next_to_the_field(signed_in, territory, character):
    response = signed_in.post(f"/t/{territory.slug}/organisations/new", data={
        "name": f"Mission{character}locale", "kind": "association",
        "description": "Une description\navec deux lignes\tet une tabulation"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "caractère de contrôle" in page
    assert "Une description\navec deux lignes\tet une tabulation" in page  # nothing lost
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_line_breaks_and_tabs_are_welcome_in_text(signed_in, territory):
    response = signed_in.post(f"/t/{territory.slug}/organisations/new", data={
        "name": "Mission locale", "kind": "association",
        "description": "Deux lignes\r\net\tune tabulation"})
    assert response.status_code == 302


def test_a_nul_in_a_select_of_a_form_is_refused(signed_in, territory):
    response = signed_in.post(f"/t/{territory.slug}/organisations/new", data={
        "name": "Mission locale", "kind": "association\x00"})
    assert response.status_code == 422


@pytest.mark.parametrize("query", [
    "q=Mission%00locale", "q=%1b%5b31m", "commune=x%00", "kind=%00", "organisation=1%00",
    "page=1%00", "q%00=x",
])
def test_control_characters_in_query_parameters_answer_400(signed_in, territory, query):
    for path in ("organisations", "people"):
        response = signed_in.get(f"/t/{territory.slug}/{path}?{query}")
        assert response.status_code == 400, (path, query)
        assert "caractère de contrôle" in response.get_data(as_text=True)


def test_control_characters_in_the_address_answer_404(signed_in, territory):
    assert signed_in.get(f"/t/{territory.slug}%00/organisations").status_code == 404
    assert signed_in.get("/t/x%00y/").status_code == 404


# Ids and page numbers ------------------------------------------------------------------------

@pytest.mark.parametrize("number", ["2147483648", "9223372036854775808",
                                    "99999999999999999999999999"])
def test_ids_beyond_the_database_range_answer_404(signed_in, territory, number):
    for path in (f"organisations/{number}", f"organisations/{number}/edit",
                 f"people/{number}", f"projects/{number}"):
        assert signed_in.get(f"/t/{territory.slug}/{path}").status_code == 404, path
    response = signed_in.post(f"/t/{territory.slug}/organisations/{number}/archive")
    assert response.status_code == 404


def test_the_largest_database_id_is_still_an_id(signed_in, territory):
    assert signed_in.get(f"/t/{territory.slug}/organisations/2147483647").status_code == 404


@pytest.mark.parametrize("number", ["2147483648", "99999999999999999999"])
def test_numbers_beyond_the_range_in_query_parameters_count_as_absent(
        signed_in, factory, territory, number):
    factory.person(territory, last_name="Haddad")
    response = signed_in.get(f"/t/{territory.slug}/people?organisation={number}")
    assert response.status_code == 200
    assert "Haddad" in response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["99999999999999999999", "2147483648", "4000"])
def test_a_page_beyond_the_last_shows_the_last_page(signed_in, factory, territory, page):
    for number in range(30):
        factory.organisation(territory, name=f"Structure {number:02d}")
    response = signed_in.get(f"/t/{territory.slug}/organisations?page={page}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Structure 29" in text and "Structure 00" not in text  # the second (last) page


@pytest.mark.parametrize("page", ["0", "-3", "abc", ""])
def test_a_page_number_that_is_not_one_shows_the_first_page(signed_in, factory, territory, page):
    factory.organisation(territory, name="Structure seule")
    response = signed_in.get(f"/t/{territory.slug}/organisations?page={page}")
    assert response.status_code == 200 and "Structure seule" in response.get_data(as_text=True)


# Redirect targets ---------------------------------------------------------------------

# As the view reads them (decoded): « next=/%09/evil.example » arrives as « /<tab>/evil.example ».
UNSAFE_TARGETS = ["/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example",
                  "/\r\nSet-Cookie: x=1", "https://evil.example/", "/\x0b/evil.example"]


def _refused(target: str) -> bool:
    """A control character other than a tab or a line break is refused (400 in the
    address, 422 in a form); any other unsafe target is answered with a local redirect."""
    return any(ord(char) < 32 and char not in "\t\n\r" for char in target)


@pytest.mark.parametrize("query", ["next=/%09/evil.example", "next=/%0d%0aSet-Cookie:%20x=1",
                                   "next=/%5Cevil.example", "next=/%00/evil.example"])
def test_login_with_a_raw_control_character_in_next(client, factory, query):
    user = factory.user()
    response = client.post(f"/login?{query}", data={"email": user.email,
                                                    "password": TEST_PASSWORD})
    # %00 is refused; a tab, a line break or a backslash is a local path made harmless.
    assert response.status_code == (400 if "%00" in query else 302)
    assert "evil.example" not in response.headers.get("Location", "")


@pytest.mark.parametrize("target", UNSAFE_TARGETS)
def test_login_never_redirects_outside(client, factory, target):
    user = factory.user()
    response = client.post("/login", query_string={"next": target},
                           data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == (400 if _refused(target) else 302)
    location = response.headers.get("Location", "/")
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "evil.example" not in location and "\n" not in location


@pytest.mark.parametrize("target", UNSAFE_TARGETS)
def test_language_form_never_redirects_outside(client, target):
    response = client.post("/language", data={"language": "en", "next": target})
    assert response.status_code == (422 if _refused(target) else 302)
    assert response.headers.get("Location", "/") == "/"


def test_a_local_target_is_kept(client, factory):
    user = factory.user()
    response = client.post("/login", query_string={"next": "/account?onglet=1"},
                           data={"email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/account?onglet=1"


@pytest.mark.parametrize("target", UNSAFE_TARGETS)
def test_progress_and_step_forms_never_redirect_outside(signed_in, factory, territory, target):
    plan = factory.action_plan(territory)
    action = factory.action(plan)
    response = signed_in.post(f"/t/{territory.slug}/action-plans/actions/{action.id}/progress",
                              data={"progress": "50", "next": target})
    assert response.status_code == (422 if _refused(target) else 302)
    assert "evil.example" not in response.headers.get("Location", "")
    session = factory.meeting_session(territory)
    response = signed_in.post(f"/t/{territory.slug}/sessions/{session.id}/step",
                              data={"step": "next", "next": target})
    assert response.status_code == (422 if _refused(target) else 302)
    assert "evil.example" not in response.headers.get("Location", "")


def test_a_huge_id_typed_into_a_choice_answers_4xx(signed_in, factory, territory):
    """Choices read as « kind:id » by the view: the database refuses the number (PostgreSQL)
    and the answer is a 4xx page, never a 500."""
    review = factory.project_review(territory)
    response = signed_in.post(
        f"/t/{territory.slug}/projects/{review.project_id}/reviews/{review.id}/guests",
        data={"guest-guest": "organisation:99999999999", "guest-kind": "invited"})
    assert 400 <= response.status_code < 500


def test_an_api_id_beyond_the_range_answers_a_json_404(client):
    response = client.get("/api/v1/territories/x/organisations/99999999999")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


def test_the_api_says_why_in_json(client):
    response = client.get("/api/v1/territories?page=1%00")
    assert response.status_code == 400
    assert "caractère de contrôle" in response.get_json()["error"]["message"]
