"""A version is adopted as the charter says (Quartier Libre: « avec l'accord des trois maisons »,
each by its board; the example collective: by its assembly), never by one member alone; a
version adopted for a date to come is in force from that date and blocks no later adoption."""
from datetime import date, timedelta
from html import unescape

import pytest

from extensions import db
from territorial.charters import adoption, operations
from territorial.charters import queries as charter_queries
from territorial.common.errors import DomainError
from tests.charter_support import Partnership


@pytest.fixture
def ql(factory, ctx):
    return Partnership(factory)


def revise(charter, user, words=" Révisée."):
    operations.update_section(charter, "preamble", charter.content["preamble"] + words, user)


def house_key(house):
    return f"structure-{house.id}"


def test_a_version_needs_the_agreement_of_each_house(ql):
    charter = ql.charter
    revise(charter, ql.coordinator)
    assert [p.name for p in adoption.parties(charter)] == [h.name for h in ql.houses]
    assert adoption.rule_in_words(charter) == (
        "l'accord de chaque maison (Conseil d'administration)")
    _agreement, adopted = adoption.record_agreement(
        charter, house_key(ql.houses[0]), date(2025, 3, 1), ql.coordinator,
        body="Conseil d'administration")
    assert adopted is None and not charter.is_adopted and charter.in_force_version == 1
    with pytest.raises(DomainError) as error:
        adoption.record_agreement(charter, house_key(ql.houses[0]), date(2025, 3, 2),
                                  ql.coordinator)
    assert error.value.errors == {"party": "Cet accord est déjà enregistré."}
    adoption.record_agreement(charter, house_key(ql.houses[1]), date(2025, 3, 10), ql.coordinator)
    _agreement, adopted = adoption.record_agreement(
        charter, house_key(ql.houses[2]), date(2025, 3, 5), ql.coordinator)
    assert adopted.number == 2 and adopted.adopted_on == date(2025, 3, 10)  # the last agreement
    assert adopted.adopting_instance == "l'accord de chaque maison (Conseil d'administration)"
    assert charter.is_adopted and charter.in_force_version == 2


def test_one_invited_member_cannot_adopt_alone(client, login, factory):
    with client.application.test_request_context():
        ql = Partnership(factory)
        revise(ql.charter, ql.coordinator)
        member = ql.user_for(ql.people[ql.houses[0].id]["administrateur"])  # sits in the copil
        outsider = factory.user(ql.territory, role="participant")
        db.session.commit()
    url = f"/t/{ql.territory.slug}/partnerships/charters/{ql.charter.id}"
    login(outsider)
    assert client.get(url + "/adopt").status_code == 403
    client.post("/logout")
    login(member)
    page = unescape(client.get(url + "/adopt").get_data(as_text=True))
    assert f'value="{house_key(ql.houses[0])}"' in page
    assert f'value="{house_key(ql.houses[1])}"' not in page  # only their own house
    response = client.post(url + "/adopt", data={"party": house_key(ql.houses[1]),
                                                 "agreed_on": "2025-03-01"})
    assert response.status_code == 422
    response = client.post(url + "/adopt", data={"party": house_key(ql.houses[0]),
                                                 "agreed_on": "2025-03-01"}, follow_redirects=True)
    page = unescape(response.get_data(as_text=True))
    assert f"il manque : {ql.houses[1].name}, {ql.houses[2].name}" in page
    assert "Version 2 en projet" in page
    version = charter_queries.get_version(ql.charter, 2)
    assert version.adopted_on is None and ql.charter.in_force_version == 1


def test_the_collective_adopts_by_its_assembly(factory, ctx):
    charter = factory.charter(factory.territory(), "collectif_solidaire_val", adopted_on=None)
    assert [p.name for p in adoption.parties(charter)] == ["Assemblée du collectif"]
    user = factory.user(None)
    _agreement, adopted = adoption.record_agreement(charter, "instance-assemblee",
                                                    date(2024, 1, 10), user)
    assert adopted.number == 1 and charter.in_force


def test_a_version_adopted_for_a_date_to_come_is_in_force_from_that_date(ql):
    charter = ql.charter
    revise(charter, ql.coordinator, " Révision de 2030.")
    later = date.today() + timedelta(days=30)
    adoption.adopt_on_behalf(charter, ql.coordinator, later)
    assert charter.is_adopted and charter.awaits_entry_into_force
    assert charter.in_force_version == 1
    assert "Révision de 2030" not in charter.governing["preamble"]
    charter.scheduled_on = date.today()  # the day has come
    assert charter.in_force_version == 2 and "Révision de 2030" in charter.governing["preamble"]


def test_a_later_adoption_is_not_blocked_by_one_dated_in_the_future(ql):
    charter = ql.charter
    revise(charter, ql.coordinator, " Par erreur en 2099.")
    adoption.adopt_on_behalf(charter, ql.coordinator, date(2099, 1, 1))
    revise(charter, ql.coordinator, " Corrigée.")
    adopted = adoption.adopt_on_behalf(charter, ql.coordinator, date.today())
    assert adopted.number == 3 and charter.in_force_version == 3
    assert not charter.awaits_entry_into_force
    assert charter.governing["preamble"].endswith("Corrigée.")
