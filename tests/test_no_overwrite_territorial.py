"""No silent overwrite on indicators, conventions and charters: two colleagues, one stale save;
the second is told who changed it and when, sees both versions, keeps what they typed."""
import pytest
from sqlalchemy import select

from extensions import db
from territorial.charters.models import Charter
from territorial.conventions.models import Convention, ConventionObjective, DialogueNote
from territorial.indicators.models import Indicator, IndicatorTarget, IndicatorValue
from tests.conflict_support import (
    colleagues, fill, hidden, page_form, signed_in, stale_save, text, told_who,
)


@pytest.fixture
def two(app, factory):
    return colleagues(app, factory)


def _targets(indicator_id):
    db.session.expire_all()
    return {t.year: t.value for t in db.session.scalars(
        select(IndicatorTarget).where(IndicatorTarget.indicator_id == indicator_id))}


# Indicators -----------------------------------------------------------------------------

def test_stale_indicator_edit_keeps_both_versions(two, factory):
    indicator = factory.indicator(two.territory, title="Jeunes accompagnés")
    stale_save(two, two.url(f"/indicators/{indicator.id}/edit"), "source",
               "Fichier de la Mission locale", "Bilan annuel")
    db.session.expire_all()
    assert db.session.get(Indicator, indicator.id).source == "Fichier de la Mission locale"


def test_stale_target_of_the_same_year_is_refused(two, factory):
    indicator = factory.indicator(two.territory, unit="jeunes")
    page = two.url(f"/indicators/{indicator.id}")
    save = two.url(f"/indicators/{indicator.id}/targets")
    mine, theirs = page_form(two.second.get(page), save), \
        page_form(two.first.get(page), save)
    fill(theirs, {"target-year": "2026", "target-value": "120"})
    assert two.first.post(save, data=theirs).status_code == 302
    fill(mine, {"target-year": "2026", "target-value": "150"})
    refused = two.second.post(save, data=mine)
    html = text(refused)
    assert refused.status_code == 409 and told_who(html)
    assert "120 jeunes" in html and 'value="150"' in html
    assert _targets(indicator.id) == {2026: 120}
    again = page_form(refused, save)                       # the re-displayed form, now current
    assert two.second.post(save, data=again).status_code == 302
    assert _targets(indicator.id) == {2026: 150}


# Conventions ------------------------------------------------------------------------------

@pytest.fixture
def convention_indicator(two, factory):
    convention = factory.convention(two.territory, start_year=2024, end_year=2026)
    objective = factory.convention_objective(two.territory, convention)
    return factory.convention_indicator(two.territory, objective, unit="tonnes",
                                        targets={2024: 10, 2025: 12, 2026: 14})


def test_convention_targets_keep_a_colleagues_years(two, convention_indicator):
    indicator = convention_indicator
    url = two.url(f"/conventions/indicators/{indicator.id}/targets")
    mine, theirs = page_form(two.second.get(url)), page_form(two.first.get(url))
    fill(theirs, {"target_2025": "13", "target_2026": "16"})
    assert two.first.post(url, data=theirs).status_code == 302

    fill(mine, {"target_2024": "11", "target_2026": "15"})   # 2025 left as the page showed
    response = two.second.post(url, data=mine)
    html = text(response)
    assert response.status_code == 200 and told_who(html)
    assert "Cible 2026" in html and "16 tonnes" in html and "15 tonnes" in html
    assert _targets(indicator.id) == {2024: 11, 2025: 13, 2026: 16}
    again = page_form(response)
    assert (again["target_2025"], again["target_2026"]) == ("13", "15")
    assert two.second.post(url, data=again).status_code == 302
    assert _targets(indicator.id) == {2024: 11, 2025: 13, 2026: 15}


@pytest.fixture
def association(app, two, factory, convention_indicator):
    """The association's account, signed in its own browser."""
    user = factory.user(two.territory, role="partner", display_name="Camille Roux")
    factory.convention_member(two.territory, factory.session.get(
        Convention, _convention_id(factory, convention_indicator)), user)
    return signed_in(app, user)


def _convention_id(factory, indicator):
    return factory.session.get(ConventionObjective, indicator.owner_id).convention_id


def _values(indicator_id):
    db.session.expire_all()
    return db.session.scalars(select(IndicatorValue).where(
        IndicatorValue.indicator_id == indicator_id, IndicatorValue.year == 2025)).all()


def test_a_value_waiting_for_validation_is_not_replaced_unseen(two, association,
                                                               convention_indicator):
    url = two.url(f"/conventions/indicators/{convention_indicator.id}/value?year=2025")
    mine, theirs = page_form(two.second.get(url)), page_form(association.get(url))
    fill(theirs, {"value": "9", "source": "Pesées de juin"})
    assert association.post(url, data=theirs).status_code == 302

    fill(mine, {"value": "11", "source": "Registre"})
    refused = two.second.post(url, data=mine)
    html = text(refused)
    assert refused.status_code == 409 and told_who(html, "Camille Roux")
    assert "Pesées de juin" in html and 'value="Registre"' in html
    assert [(v.source, v.validated_at) for v in _values(convention_indicator.id)] == [
        ("Pesées de juin", None)]


def test_a_value_corrected_since_the_page_was_loaded_is_not_validated(
        two, factory, association, convention_indicator):
    entry = two.url(f"/conventions/indicators/{convention_indicator.id}/value?year=2025")
    association.post(entry, data=fill(page_form(association.get(entry)), {"value": "9"}))
    page = two.url(f"/conventions/{_convention_id(factory, convention_indicator)}")
    seen = hidden(text(two.second.get(page)), "edit_version")
    association.post(entry, data=fill(page_form(association.get(entry)), {"value": "19"}))

    [measure] = _values(convention_indicator.id)
    refused = two.second.post(two.url(f"/conventions/values/{measure.id}/validate"),
                              data={"edit_version": seen}, follow_redirects=True)
    html = text(refused)
    assert "non validée : elle a été corrigée" in html and told_who(html, "Camille Roux")
    [measure] = _values(convention_indicator.id)
    assert (measure.value, measure.validated_at) == (19, None)


def test_stale_dialogue_note_keeps_both_texts(two, factory, convention_indicator):
    note = factory.dialogue_note(two.territory, convention_indicator, year=2025,
                                 text="Les pesées ont repris.")
    stale_save(two, two.url(f"/conventions/notes/{note.id}/edit"), "text",
               "Les pesées ont repris en mars.", "Les pesées ont repris, sauf à Sedan.")
    db.session.expire_all()
    assert db.session.get(DialogueNote, note.id).text == "Les pesées ont repris en mars."


# Charters ---------------------------------------------------------------------------------

@pytest.fixture
def charter(two, factory):
    return factory.charter(two.territory)


def _charter(charter_id):
    db.session.expire_all()
    return db.session.get(Charter, charter_id)


def test_stale_charter_section_in_text_mode_keeps_both_texts(two, charter):
    base = two.url(f"/partnerships/charters/{charter.id}/sections")
    mine = page_form(two.second.get(base + "/preamble"))
    theirs = page_form(two.first.get(base + "/preamble"))
    other = page_form(two.first.get(base + "/values_statement"))
    other["content"] += "\n\nNos valeurs sont relues chaque année."
    assert two.first.post(base + "/values_statement", data=other).status_code == 302
    # A colleague's change of another section does not stop a save.
    theirs["content"] += "\n\nLa charte est relue en plénière."
    assert two.first.post(base + "/preamble", data=theirs).status_code == 302

    mine["content"] += "\n\nLa charte est relue par les trois conseils d'administration."
    refused = two.second.post(base + "/preamble", data=mine)
    html = text(refused)
    assert refused.status_code == 409 and told_who(html)
    assert "La charte est relue en plénière." in html
    assert "La charte est relue par les trois conseils d'administration.</textarea>" in html
    assert _charter(charter.id).current_version == 3

    again = page_form(refused)
    assert two.second.post(base + "/preamble", data=again).status_code == 302
    saved = _charter(charter.id)
    assert saved.current_version == 4
    assert saved.content["preamble"].endswith("trois conseils d'administration.")
    assert saved.content["values_statement"].endswith("relues chaque année.")


def test_stale_charter_section_in_the_form_editor(two, charter):
    stale_save(two, two.url(f"/partnerships/charters/{charter.id}/sections/values"),
               "f-values-0-title", "L'ouverture", "L'ouverture aux autres",
               form_class="section-editor", extra={"_action": "save"})
    assert _charter(charter.id).content["values"][0]["title"] == "L'ouverture"
