"""Partners onboarded (issue 17, item 5): the region invites a person of the association
from the convention's page; on accepting, the partner follows that convention and lands on
it (not on « Bienvenue ! » then a 404), and the partner's home says what is expected of them
this year: the values to enter, with their targets, and the next review."""
import re
from datetime import date, time, timedelta

from facilitation.convention_reviews.operations import schedule_review
from facilitation.sessions import operations as sessions
from territorial.accounts.models import Invitation
from territorial.conventions.models import ConventionMember
from territorial.conventions.queries import load_convention
from extensions import db
from sqlalchemy import select

PASSWORD = "Une-phrase-bien-longue-9"


def _convention(factory, territory, **years):
    convention = factory.convention(territory, title="Convention Solidarités actives", **years)
    objective = factory.convention_objective(territory, convention)
    year = date.today().year
    factory.convention_indicator(territory, objective, title="Nombre de bénévoles",
                                 targets={year: 40})
    factory.convention_indicator(territory, objective, title="Familles accompagnées",
                                 targets={year: 25}, values={year: 22})
    return convention


def _invite(client, territory, convention, email="presidente@asso.fr"):
    response = client.post(f"/t/{territory.slug}/conventions/{convention.id}/invitations",
                           data={"email": email}, follow_redirects=True)
    assert response.status_code == 200
    return re.search(r"(/invitations/[^\s<\"]+)", response.get_data(as_text=True)).group(1)


def test_a_partner_invited_with_their_convention_lands_on_it(client, login, factory):
    year = date.today().year
    territory = factory.territory()
    coordinator = factory.user(territory)
    convention = _convention(factory, territory, start_year=year, end_year=year + 2)
    starts = sessions.local_datetime(date(year, 12, 1) + timedelta(days=1), time(9, 30))
    if starts.date() <= date.today():
        starts = sessions.local_datetime(date.today() + timedelta(days=2), time(9, 30))
    schedule_review(load_convention(territory.id, convention.id), year, starts,
                    starts + timedelta(hours=3), "Hôtel de Région")
    factory.session.commit()
    login(coordinator)
    link = _invite(client, territory, convention)
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.email == "presidente@asso.fr"))
    assert invitation.role == "partner"
    client.post("/logout")

    accepted = client.post(link, data={"display_name": "Nathalie Grosjean",
                                       "password": PASSWORD, "confirm": PASSWORD})
    assert accepted.headers["Location"].endswith(
        f"/t/{territory.slug}/conventions/{convention.id}")
    landing = client.get(accepted.headers["Location"])
    assert landing.status_code == 200 and "Bienvenue" in landing.get_data(as_text=True)
    assert "Convention Solidarités actives" in landing.get_data(as_text=True)
    assert db.session.scalar(select(ConventionMember.id).where(
        ConventionMember.convention_id == convention.id)) is not None

    home = client.get(f"/t/{territory.slug}/conventions").get_data(as_text=True)
    assert f"Ce qui est attendu de vous en {year}" in home
    assert "1 valeur à saisir" in home and "Nombre de bénévoles" in home
    assert f"cible {year} : 40" in home
    assert "Familles accompagnées" not in home.split("expected-values")[1].split("</ul>")[0]
    assert "Prochaine revue :" in home and "Hôtel de Région" in home


def test_a_partner_invited_without_convention_lands_on_their_own_pages(client, login, factory):
    territory = factory.territory()
    coordinator = factory.user(territory)
    factory.session.commit()
    login(coordinator)
    page = client.post(f"/t/{territory.slug}/members",
                       data={"email": "tresorier@asso.fr", "role": "partner"})
    link = re.search(r'value="http://localhost(/invitations/[^"]+)"',
                     page.get_data(as_text=True)).group(1)
    client.post("/logout")
    accepted = client.post(link, data={"display_name": "Paul Trésorier", "password": PASSWORD,
                                       "confirm": PASSWORD})
    landing = client.get(accepted.headers["Location"])
    assert landing.status_code == 200
    assert "Aucune convention n'est encore ouverte à votre compte" in \
        landing.get_data(as_text=True)


def test_a_convention_that_starts_next_year_says_so(client, login, factory):
    year = date.today().year
    territory = factory.territory()
    convention = _convention(factory, territory, start_year=year + 1, end_year=year + 3)
    partner = factory.user(territory, role="partner")
    factory.convention_member(territory, convention, partner)
    factory.session.commit()
    login(partner)
    home = client.get(f"/t/{territory.slug}/conventions").get_data(as_text=True)
    assert f"La convention commence en {year + 1}" in home
    assert "Prochaine revue :" in home and "pas encore planifiée" in home


def test_an_invitation_with_a_bad_address_is_refused_next_to_the_field(client, login, factory):
    territory = factory.territory()
    coordinator = factory.user(territory)
    convention = factory.convention(territory)
    factory.session.commit()
    login(coordinator)
    response = client.post(f"/t/{territory.slug}/conventions/{convention.id}/invitations",
                           data={"email": "pas-une-adresse"})
    assert response.status_code == 422
    assert 'value="pas-une-adresse"' in response.get_data(as_text=True)


def test_the_members_page_invites_a_partner_with_several_conventions(client, login, factory):
    territory = factory.territory()
    coordinator = factory.user(territory)
    first = factory.convention(territory, reference="CA-01", title="Convention Réemploi")
    second = factory.convention(territory, reference="CA-02", title="Convention Insertion")
    factory.session.commit()
    login(coordinator)
    page = client.post(f"/t/{territory.slug}/members", data={
        "email": "direction@asso.fr", "role": "partner",
        "convention_ids": [first.id, second.id]}).get_data(as_text=True)
    link = re.search(r'value="http://localhost(/invitations/[^"]+)"', page).group(1)
    client.post("/logout")
    accepted = client.post(link, data={"display_name": "Inès Moulin", "password": PASSWORD,
                                       "confirm": PASSWORD})
    assert accepted.headers["Location"].endswith(f"/conventions/{first.id}")
    home = client.get(f"/t/{territory.slug}/conventions").get_data(as_text=True)
    assert "Convention Réemploi" in home and "Convention Insertion" in home


def test_conventions_are_for_partners_only(client, login, factory):
    territory = factory.territory()
    coordinator = factory.user(territory)
    convention = factory.convention(territory)
    factory.session.commit()
    login(coordinator)
    page = client.post(f"/t/{territory.slug}/members", data={
        "email": "elu@mairie.fr", "role": "observer", "convention_ids": [convention.id]})
    html = page.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    assert "Seul un compte « Partenaire » suit des conventions" in html
    assert db.session.scalar(select(Invitation).where(Invitation.email == "elu@mairie.fr")) \
        is None
