"""Who reaches what among the conventions' pages: every route against another
territory, the roles of the territory, and the association's limited access."""
import re

import pytest
from sqlalchemy import select

from extensions import db
from territorial.access import _views_open_to_partners
from territorial.accounts.models import User
from territorial.indicators.models import IndicatorValue
from tests.route_ids import ID_MAKERS

ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")  # <int:id>, <any(docx, pdf):fmt>
BLUEPRINTS = ("conventions.", "convention_reviews.")


def convention_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(BLUEPRINTS)]


def url(rule, slug, ids):
    return ARGUMENT.sub(lambda m: slug if m.group(2) == "territory" else str(ids[m.group(2)]),
                        rule.rule)


def methods(rule):
    return sorted(rule.methods & {"GET", "POST"})


def make_ids(factory, territory, user):
    return {name: ID_MAKERS[name](factory, territory, user)
            for name in ID_MAKERS if name.startswith(("convention_", "dialogue_note_", "fmt"))}


def is_open_to_partners(app, rule) -> bool:
    view = app.view_functions[rule.endpoint]
    return getattr(view, "__wrapped__", view) in _views_open_to_partners


def test_every_route_has_an_id_maker(app):
    rules = convention_rules(app)
    assert len(rules) > 25
    for rule in rules:
        for name in rule.arguments - {"territory"}:
            assert name in ID_MAKERS, rule.rule


def test_another_territory_gets_404_everywhere(app, client, login, factory):
    territory_a, territory_b = factory.territory(), factory.territory()
    user_a = factory.user(territory_a)
    ids_b = make_ids(factory, territory_b, factory.user(territory_b))
    login(user_a)
    for rule in convention_rules(app):
        for slug in (territory_b.slug, territory_a.slug):
            if slug == territory_a.slug and not rule.arguments - {"territory", "fmt"}:
                continue  # no id of the other territory in this URL
            for method in methods(rule):
                response = client.open(url(rule, slug, ids_b), method=method)
                assert response.status_code == 404, f"{method} {rule.rule} ({slug})"


def test_the_coordinator_reaches_every_page(app, client, login, factory):
    territory = factory.territory()
    user = factory.user(territory)
    ids = make_ids(factory, territory, user)
    login(user)
    for rule in convention_rules(app):
        if "GET" in rule.methods:
            response = client.get(url(rule, territory.slug, ids))
            assert response.status_code in (200, 302), f"GET {rule.rule} → {response.status_code}"


def test_an_observer_reads_but_changes_nothing(app, client, login, factory):
    territory = factory.territory()
    coordinator = factory.user(territory)
    ids = make_ids(factory, territory, coordinator)
    login(factory.user(territory, role="observer"))
    base = f"/t/{territory.slug}/conventions"
    assert client.get(f"{base}/{ids['convention_id']}").status_code == 200
    assert client.get(f"{base}/portfolio").status_code == 200
    assert client.get(f"{base}/new").status_code == 403
    assert client.post(f"{base}/{ids['convention_id']}/delete").status_code == 403
    assert client.post(f"{base}/values/{ids['convention_value_id']}/validate").status_code == 403
    assert client.get(f"{base}/indicators/{ids['convention_indicator_id']}/value").status_code == 403


def test_a_partner_reaches_only_the_views_open_to_it(app, client, login, factory):
    territory = factory.territory()
    ids = make_ids(factory, territory, factory.user(territory))
    login(factory.user(territory, role="partner"))
    for rule in convention_rules(app):
        if is_open_to_partners(app, rule):
            continue
        for method in methods(rule):
            response = client.open(url(rule, territory.slug, ids), method=method)
            assert response.status_code == 404, f"{method} {rule.rule}"


def test_a_partner_gets_404_for_another_associations_convention(app, client, login, factory):
    """Every view open to partners checks that the convention is the partner's own."""
    territory = factory.territory()
    ids = make_ids(factory, territory, factory.user(territory))  # objects of other conventions
    member = factory.convention_member(territory)  # the partner's own convention
    login(db.session.get(User, member.user_id))
    open_rules = [rule for rule in convention_rules(app) if is_open_to_partners(app, rule)]
    assert {rule.endpoint for rule in open_rules} >= {
        "conventions.index", "conventions.show", "conventions.enter_value",
        "conventions.validate_value", "conventions.add_note", "conventions.dialogue"}
    for rule in open_rules:
        if rule.arguments == {"territory"}:
            continue
        for method in methods(rule):
            response = client.open(url(rule, territory.slug, ids), method=method)
            assert response.status_code == 404, f"{method} {rule.rule}"


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


def test_entering_again_replaces_the_pending_value(client, login, partner_setup):
    s = partner_setup
    login(s["partner"])
    for number in ("100", "104"):
        client.post(f"{s['base']}/indicators/{s['indicator'].id}/value",
                    data={"year": 2025, "value": number})
    assert [v.value for v in values_of(s["indicator"].id)] == [104]


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
