"""Users are people: a person is invited from their page and the account it creates is linked to
them, an existing account is linked by the coordination, an invitation sent to a person's address
links the account on acceptance; the person then acts under their own name where they sit."""
import re
from html import unescape

import pytest
from sqlalchemy import func, select

from extensions import db
from facilitation.joint_projects.models import ProjectTransition
from territorial.accounts.models import Invitation
from territorial.actors.models import Person

from tests.charter_support import RECORDS, Partnership
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def ql(app, factory):
    with app.test_request_context():
        partnership = Partnership(factory)
        db.session.commit()
    return partnership


def invitation_link(page: str) -> str:
    return re.search(r'id="invitation-link" type="text" readonly value="([^"]+)"', page).group(1)


def test_a_person_invited_from_their_page_acts_under_their_own_account(app, client, login, ql):
    director = ql.people[ql.houses[1].id]["directeur"]
    login(ql.coordinator)
    page_url = f"/t/{ql.territory.slug}/people/{director.id}"
    page = unescape(client.get(page_url).get_data(as_text=True))
    assert "Codir — Directeur" in page and "Coprédir — Directeur" in page  # where she sits
    assert "n'a pas encore de compte lié" in page
    response = client.post(page_url + "/invite", data={"email": "", "role": "participant"})
    assert response.status_code == 422
    response = client.post(page_url + "/invite", data={"email": "directrice@clairs.fr",
                                                        "role": "participant"})
    assert response.status_code == 200
    link = invitation_link(response.get_data(as_text=True))
    invitation = db.session.scalar(select(Invitation).where(Invitation.person_id == director.id))
    assert invitation.email == "directrice@clairs.fr"
    assert db.session.get(Person, director.id).email == "directrice@clairs.fr"
    client.post("/logout")

    path = link.split("localhost", 1)[1]
    page = unescape(client.get(path).get_data(as_text=True))
    assert f"Votre compte sera celui de {director.full_name} ({ql.houses[1].name})" in page
    response = client.post(path, data={"display_name": director.full_name,
                                       "password": TEST_PASSWORD, "confirm": TEST_PASSWORD})
    assert response.status_code == 302
    person = db.session.get(Person, director.id)
    assert person.user_id is not None

    with app.test_request_context():
        project = ql.new_project()
        ql.walk_to(project, "chef_projet")
        db.session.commit()
    url = f"/t/{ql.territory.slug}/partnerships/projects/{project.id}"
    page = unescape(client.get(url).get_data(as_text=True))
    assert "Vous agissez sous votre nom, comme membre de l'instance que désigne la charte." in page
    lead = ql.people[ql.houses[0].id]["salarie"]
    response = client.post(url + "/advance", data={
        "step_key": "chef_projet", "acting": "instance:codir", "appointee_id": lead.id,
        **{f"record_{key}": value for key, value in RECORDS.items()}})
    assert response.status_code == 302, unescape(response.get_data(as_text=True))[-3000:]
    transition = db.session.scalar(select(ProjectTransition).where(
        ProjectTransition.project_id == project.id, ProjectTransition.step_key == "chef_projet"))
    assert transition.person_id == director.id and not transition.on_behalf
    # The next step is the Coprédir's: she sits there too; the copil's salariée does not.
    page = unescape(client.get(url).get_data(as_text=True))
    assert "Vous agissez sous votre nom" in page


def test_the_coordination_links_an_existing_account_and_unlinks_it(app, client, login, ql,
                                                                   factory):
    president = ql.people[ql.houses[2].id]["president"]
    member = factory.user(ql.territory, role="participant", display_name="Josiane Faivre")
    stranger = factory.user(factory.territory(), role="participant")
    login(ql.coordinator)
    url = f"/t/{ql.territory.slug}/people/{president.id}"
    page = client.get(url).get_data(as_text=True)
    assert f'<option value="{member.id}">Josiane Faivre' in page
    assert f'value="{stranger.id}"' not in page
    response = client.post(url + "/account", data={"user_id": stranger.id})
    assert response.status_code == 422
    assert "Ce compte n&#39;est pas membre du territoire" in response.get_data(as_text=True)
    assert client.post(url + "/account", data={"user_id": member.id}).status_code == 302
    assert db.session.get(Person, president.id).user_id == member.id
    other = ql.people[ql.houses[2].id]["directeur"]
    response = client.post(f"/t/{ql.territory.slug}/people/{other.id}/account",
                           data={"user_id": member.id})
    assert "Ce compte est déjà celui de" in unescape(response.get_data(as_text=True))
    members = unescape(client.get(f"/t/{ql.territory.slug}/members").get_data(as_text=True))
    assert president.full_name in members
    assert client.post(url + "/account/unlink").status_code == 302
    assert db.session.get(Person, president.id).user_id is None


def test_an_invitation_sent_to_a_persons_address_links_the_account(app, client, login, ql,
                                                                   factory):
    person = db.session.get(Person, ql.people[ql.houses[0].id]["administrateur"].id)
    person.email = "herve.cuenot@palente.fr"
    db.session.commit()
    login(ql.coordinator)
    response = client.post(f"/t/{ql.territory.slug}/members", data={
        "email": "Herve.Cuenot@palente.fr", "role": "participant"})
    link = invitation_link(response.get_data(as_text=True))
    client.post("/logout")
    response = client.post(link.split("localhost", 1)[1], data={
        "display_name": "Hervé Cuenot", "password": TEST_PASSWORD, "confirm": TEST_PASSWORD})
    assert response.status_code == 302
    assert db.session.get(Person, person.id).user_id is not None


def test_only_the_coordination_gives_a_person_an_account(client, login, ql, factory):
    person = ql.people[ql.houses[0].id]["salarie"]
    login(factory.user(ql.territory, role="participant"))
    url = f"/t/{ql.territory.slug}/people/{person.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Compte sur la plateforme" not in page
    for action in ("/invite", "/account", "/account/unlink"):
        assert client.post(url + action, data={}).status_code == 403


def test_the_decision_page_names_who_sits_to_someone_who_does_not(app, client, login, ql):
    from facilitation.decisions import operations as decisions
    from territorial.charters import queries as charter_queries

    with app.test_request_context():
        decision = decisions.create_decision(
            ql.charter, charter_queries.instance_row(ql.charter, "codir"), level="operationnelle",
            statement="Nommer le chef de projet.", user=ql.coordinator)
        staff = ql.user_for(ql.people[ql.houses[0].id]["salarie"])  # copil only
        db.session.commit()
    login(staff)
    page = unescape(client.get(
        f"/t/{ql.territory.slug}/partnerships/decisions/{decision.id}").get_data(as_text=True))
    directors = ", ".join(ql.people[h.id]["directeur"].full_name for h in ql.houses)
    assert (f"Vous ne siégez pas à l'instance « Codir » : seuls ses membres ({directors}), ou "
            "l'animation ou la coordination pour leur compte, peuvent enregistrer les positions "
            "et conclure.") in page
    assert client.post(f"/t/{ql.territory.slug}/partnerships/decisions/{decision.id}/conclude"
                       ).status_code == 403


def test_inviting_a_person_again_renews_the_pending_invitation(app, client, login, ql):
    """A second invitation to the same address replaces the first (one pending invitation,
    shown once; the first link no longer works)."""
    director = ql.people[ql.houses[1].id]["directeur"]
    login(ql.coordinator)
    page_url = f"/t/{ql.territory.slug}/people/{director.id}"
    data = {"email": "directrice@clairs.fr", "role": "participant"}
    first = invitation_link(client.post(page_url + "/invite", data=data).get_data(as_text=True))
    second = invitation_link(client.post(page_url + "/invite", data=data).get_data(as_text=True))
    assert first != second
    page = unescape(client.get(page_url).get_data(as_text=True))
    assert "Invitation en attente : directrice@clairs.fr." in page
    assert db.session.scalar(select(func.count()).select_from(Invitation).where(
        Invitation.person_id == director.id)) == 1
    client.post("/logout")
    assert client.get(first.split("localhost", 1)[1]).status_code != 200
