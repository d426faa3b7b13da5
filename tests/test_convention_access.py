"""The association's limited access to its conventions (every route against every role:
tests/test_routes_by_role.py)."""
import html
import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from extensions import db
from territorial.access import is_open_to_partners
from territorial.conventions.models import ConventionObjective
from territorial.indicators.models import IndicatorValue


def test_the_association_reaches_its_pages_and_no_other(app):
    """The pages a partner (an association's account) reaches: its conventions, their
    dashboard, dialogue and values; what else it meets is refused by tests/test_routes_by_role.py."""
    with app.app_context():
        open_ = {rule.endpoint for rule in app.url_map.iter_rules()
                 if rule.endpoint.startswith("conventions.") and is_open_to_partners(rule.endpoint)}
    assert open_ == {
        "conventions.index", "conventions.show", "conventions.trajectories",
        "conventions.dialogue", "conventions.details", "conventions.enter_value",
        "conventions.validate_value", "conventions.add_note", "conventions.delete_note",
        "conventions.edit_note", "conventions.export_document", "conventions.export_xlsx"}


@pytest.fixture
def partner_setup(factory):
    """A convention 2024–2026 whose indicator targets 120 people a year, an association
    account with access to it, and a coordinator."""
    territory = factory.territory()
    coordinator = factory.user(territory)
    partner = factory.user(territory, role="partner")
    convention = factory.convention(territory, title="Convention insertion")
    objective = factory.convention_objective(territory, convention)
    indicator = factory.convention_indicator(territory, objective, title="Personnes accompagnées",
                                             targets={2024: 100, 2025: 120, 2026: 140})
    factory.convention_member(territory, convention, partner)
    other = factory.convention(territory, title="Convention d'une autre association")
    return {"territory": territory, "coordinator": coordinator, "partner": partner,
            "convention": convention, "indicator": indicator, "other": other,
            "base": f"/t/{territory.slug}/conventions"}


def values_of(indicator_id):
    db.session.expire_all()
    return db.session.scalars(select(IndicatorValue).where(
        IndicatorValue.indicator_id == indicator_id)).all()


def test_the_partner_lands_on_its_conventions_after_login(client, login, partner_setup):
    login(partner_setup["partner"])
    response = client.get("/territories")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(partner_setup["base"])
    page = client.get(partner_setup["base"]).get_data(as_text=True)
    assert "Convention insertion" in page
    assert "Convention d&#39;une autre association" not in page
    assert client.get(f"{partner_setup['base']}/{partner_setup['other'].id}").status_code == 404
    assert client.get(f"{partner_setup['base']}/portfolio").status_code == 404


def test_a_partner_opening_the_territory_home_lands_on_its_conventions(client, login,
                                                                     partner_setup):
    """From a bookmark, the logo or « Mon compte »: its conventions, not a 404."""
    login(partner_setup["partner"])
    response = client.get(f"/t/{partner_setup['territory'].slug}/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(partner_setup["base"])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mes conventions" in page and "Convention insertion" in page
    # The other pages of the territory stay refused, on the error page that leads back.
    refused = client.get(f"/t/{partner_setup['territory'].slug}/agenda")
    assert refused.status_code == 404
    assert "Retour à l'accueil" in refused.get_data(as_text=True)


def test_the_association_enters_a_value_and_the_authority_validates_it(client, login, partner_setup):
    s = partner_setup
    login(s["partner"])
    response = client.post(f"{s['base']}/indicators/{s['indicator'].id}/value",
                           data={"year": 2025, "value": "1 10", "source": "Logiciel de suivi",
                                 "comment": "Deux départs de conseillers"})
    assert response.status_code == 302
    [value] = values_of(s["indicator"].id)
    assert value.value == 110 and value.validated_at is None
    assert value.entered_by_id == s["partner"].id
    page = client.get(f"{s['base']}/{s['convention'].id}").get_data(as_text=True)
    assert "Valeurs à valider" in page and "à valider" in page

    # The association may not validate its own value: 403, a French message, nothing lost.
    response = client.post(f"{s['base']}/values/{value.id}/validate")
    assert response.status_code == 403
    assert "vous ne pouvez pas valider vos propres valeurs" in response.get_data(as_text=True)
    [value] = values_of(s["indicator"].id)
    assert value.validated_at is None and value.value == 110

    client.post("/logout")
    login(s["coordinator"])
    assert client.post(f"{s['base']}/values/{value.id}/validate").status_code == 302
    [value] = values_of(s["indicator"].id)
    assert value.validated_at is not None and value.validated_by_id == s["coordinator"].id


def test_a_value_entered_from_the_dialogue_comes_back_to_the_next_value_to_enter(
        client, login, factory, partner_setup):
    s = partner_setup
    objective = s["indicator"].owner_id
    _filled, last = (factory.convention_indicator(
        s["territory"], db.session.get(ConventionObjective, objective), title=title,
        targets={2026: 10}, values=values) for title, values in (
            ("Bénévoles", {2026: 12}), ("Ateliers", None)))
    login(s["partner"])
    dialogue = f"{s['base']}/{s['convention'].id}/dialogue?year=2026"
    page = html.unescape(client.get(dialogue).get_data(as_text=True))
    link = re.search(rf'href="([^"]*/indicators/{s["indicator"].id}/value[^"]*)"', page)[1]
    form = client.get(link).get_data(as_text=True)
    main = form.split("<main", 1)[1]  # the header's language switch has its own « next »
    back = html.unescape(re.search(r'name="next" value="([^"]*)"', main)[1])
    assert back == f"{dialogue}#indicateur-{last.id}"  # « Bénévoles » has its value already
    response = client.post(link, data={"year": 2026, "value": "130", "next": back})
    assert response.headers["Location"] == back


def test_entering_again_replaces_the_pending_value(client, login, partner_setup):
    s = partner_setup
    login(s["partner"])
    for number in ("100", "104"):
        client.post(f"{s['base']}/indicators/{s['indicator'].id}/value",
                    data={"year": 2025, "value": number})
    assert [v.value for v in values_of(s["indicator"].id)] == [104]


def test_correcting_a_validated_value_starts_from_it(client, login, partner_setup):
    """The association's form to correct a validated value shows that value, its source and
    its comment; the correction waits for validation beside it."""
    s = partner_setup
    login(s["partner"])
    form_url = f"{s['base']}/indicators/{s['indicator'].id}/value?year=2025"
    client.post(form_url, data={"year": 2025, "value": "110", "source": "Logiciel de suivi",
                                "comment": "Deux départs de conseillers"})
    client.post("/logout")
    login(s["coordinator"])
    [value] = values_of(s["indicator"].id)
    client.post(f"{s['base']}/values/{value.id}/validate")
    client.post("/logout")

    login(s["partner"])
    page = client.get(form_url).get_data(as_text=True)
    assert 'value="110"' in page
    assert 'value="Logiciel de suivi"' in page
    assert "Deux départs de conseillers</textarea>" in page
    assert "Vous proposez une correction de la valeur validée" in page
    response = client.post(form_url, data={"year": 2025, "value": "112",
                                           "source": "Logiciel de suivi",
                                           "comment": "Un dossier oublié"})
    assert response.status_code == 302
    assert [(v.value, v.validated_at is not None) for v in values_of(s["indicator"].id)] == [
        (110, True), (112, False)]


def test_a_value_outside_the_period_is_refused_in_french(client, login, partner_setup):
    s = partner_setup
    login(s["partner"])
    response = client.post(f"{s['base']}/indicators/{s['indicator'].id}/value",
                           data={"year": 2028, "value": "150", "comment": "à garder"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "L&#39;année 2028 est en dehors de la période de la convention (2024–2026)" in page
    assert "à garder" in page  # the form keeps what was typed
    assert values_of(s["indicator"].id) == []


def test_a_non_numeric_value_is_refused_in_french(client, login, partner_setup):
    s = partner_setup
    login(s["partner"])
    response = client.post(f"{s['base']}/indicators/{s['indicator'].id}/value",
                           data={"year": 2025, "value": "beaucoup"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Saisissez un nombre" in page and 'value="beaucoup"' in page
    assert values_of(s["indicator"].id) == []


def test_a_value_entered_by_the_authority_is_validated_at_once(client, login, partner_setup):
    s = partner_setup
    login(s["coordinator"])
    client.post(f"{s['base']}/indicators/{s['indicator'].id}/value",
                data={"year": 2024, "value": "98,5"})
    [value] = values_of(s["indicator"].id)
    assert value.value == pytest.approx(98.5) and value.validated_at is not None


def test_both_parties_write_dialogue_notes(client, login, partner_setup):
    s = partner_setup
    login(s["partner"])
    # A partner cannot speak for the authority: the party is forced.
    client.post(f"{s['base']}/indicators/{s['indicator'].id}/notes",
                data={"year": 2025, "party": "authority", "text": "Les recrutements ont tardé."})
    empty = client.post(f"{s['base']}/indicators/{s['indicator'].id}/notes",
                        data={"year": 2025, "text": "  "})
    assert empty.status_code == 422 and "Écrivez la note" in empty.get_data(as_text=True)
    client.post("/logout")
    login(s["coordinator"])
    client.post(f"{s['base']}/indicators/{s['indicator'].id}/notes",
                data={"year": 2025, "party": "authority", "text": "Point d'étape en juin."})
    page = client.get(f"{s['base']}/{s['convention'].id}/dialogue?year=2025").get_data(as_text=True)
    association_note = page.index("Les recrutements ont tardé.")
    authority_note = page.index("Point d&#39;étape en juin.")
    assert association_note < authority_note
    assert page.rfind("Association", 0, association_note) > page.rfind("Collectivité", 0,
                                                                      association_note)


def test_a_note_for_a_year_outside_the_period_is_refused(client, login, partner_setup):
    s = partner_setup
    login(s["coordinator"])
    response = client.post(f"{s['base']}/indicators/{s['indicator'].id}/notes",
                           data={"year": 2030, "party": "authority", "text": "Trop tard"})
    assert response.status_code == 422
    assert "en dehors de la période" in response.get_data(as_text=True)


def test_a_partner_deletes_only_its_own_notes(client, login, factory, partner_setup):
    s = partner_setup
    theirs = factory.dialogue_note(s["territory"], s["indicator"], author_id=s["coordinator"].id)
    login(s["partner"])
    response = client.post(f"{s['base']}/notes/{theirs.id}/delete")
    assert response.status_code == 403
    assert "Seul l&#39;auteur" in response.get_data(as_text=True)


def test_a_partners_correction_of_a_validated_value_is_said_on_the_form_the_dashboard_and_to_validate(
        client, login, factory, partner_setup):
    """Correcting a validated 545,5 to 565: the form does not claim the value may still be
    corrected before validation, the dashboard says a correction waits, and the authority's
    « Valeurs à valider » says what it replaces."""
    s = partner_setup
    objective = factory.convention_objective(s["territory"], s["convention"])
    indicator = factory.convention_indicator(s["territory"], objective, title="Tonnes réemployées",
                                             unit="tonnes", targets={2026: 600},
                                             values={2026: "545.5"})
    indicator_id, base, convention_id = indicator.id, s["base"], s["convention"].id
    coordinator = SimpleNamespace(email=s["coordinator"].email)
    [validated] = values_of(indicator_id)
    validated.validated_at = datetime(2026, 2, 3, 10, tzinfo=UTC)
    db.session.flush()
    login(s["partner"])
    form_url = f"{base}/indicators/{indicator_id}/value?year=2026"
    page = client.get(form_url).get_data(as_text=True)
    assert "tant qu&#39;elle n&#39;est pas validée, vous pouvez la corriger" not in page
    assert ("Vous proposez une correction de la valeur validée le 3 févr. 2026 "
            "(545,5 tonnes)") in page
    assert client.post(form_url, data={"year": 2026, "value": "565",
                                       "source": "Pesées mensuelles"}).status_code == 302

    dashboard = client.get(f"{base}/{convention_id}").get_data(as_text=True)
    cell = dashboard.split(f'id="indicateur-{indicator_id}"', 1)[1].split("</tr>", 1)[0]
    assert "Atteint : 545,5 tonnes" in cell
    assert "correction en attente : 565 tonnes" in cell
    again = client.get(form_url).get_data(as_text=True)
    assert "Votre correction, reprise ci-dessous, attend la validation" in again
    assert "remplacera alors la valeur validée le 3 févr. 2026 (545,5 tonnes)" in again

    client.post("/logout")
    login(coordinator)
    page = client.get(f"{base}/{convention_id}").get_data(as_text=True)
    to_validate = page.split('id="a-valider"', 1)[1].split("</section>", 1)[0]
    assert "565 tonnes" in to_validate
    assert "remplace 545,5 tonnes validée le 3 févr. 2026" in to_validate
