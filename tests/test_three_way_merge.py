"""A refused save is merged three ways (territorial.common.versions.merge): the form carries
the values it was opened with; after the conflict, a field only the colleague changed takes
their value, a field only the user changed keeps the user's, a field both changed is shown
side by side and kept as the user typed, so that nothing is lost and nothing reverted."""
import pytest

from extensions import db
from facilitation.action_plans.models import Action
from tests.conflict_support import colleagues, page_form, text, told_who
from territorial.timelines import operations as timelines
from territorial.timelines import queries as timeline_queries


@pytest.fixture
def two(app, factory):
    return colleagues(app, factory)


def _both_open(two, url, form_class=None):
    return (page_form(two.first.get(url), form_class=form_class),
            page_form(two.second.get(url), form_class=form_class))


def _action(action_id) -> Action:
    db.session.expire_all()
    return db.session.get(Action, action_id)


@pytest.fixture
def action(two, factory):
    plan = factory.action_plan(two.territory)
    action = factory.action(plan, title="Forum emploi", progress=20, status="retenue")
    factory.session.commit()
    return action, two.url(f"/action-plans/actions/{action.id}/edit")


def test_a_field_only_the_colleague_changed_takes_their_value(two, action):
    action, url = action
    theirs, mine = _both_open(two, url, "action-form")
    theirs["status"], theirs["progress"] = "en_cours", "60"
    assert two.first.post(url, data=theirs).status_code == 302

    mine["title"] = "Forum emploi des jeunes"
    refused = two.second.post(url, data=mine)
    html = text(refused)
    assert refused.status_code == 409 and told_who(html)
    again = page_form(refused, form_class="action-form")
    assert (again["status"], again["progress"]) == ("en_cours", "60")   # the colleague's
    assert again["title"] == "Forum emploi des jeunes"                    # mine
    assert "Ce que vous n'aviez pas modifié reprend la version enregistrée" in html

    assert two.second.post(url, data=again).status_code == 302
    saved = _action(action.id)
    assert (saved.title, saved.status, saved.progress) == \
        ("Forum emploi des jeunes", "en_cours", 60)


def test_a_field_both_changed_is_shown_side_by_side_and_nothing_is_lost(two, action):
    action, url = action
    theirs, mine = _both_open(two, url, "action-form")
    theirs["title"], theirs["progress"] = "Forum emploi et entreprises", "40"
    assert two.first.post(url, data=theirs).status_code == 302

    mine["title"], mine["status"] = "Forum emploi des jeunes", "en_cours"
    refused = two.second.post(url, data=mine)
    html = text(refused)
    assert refused.status_code == 409
    table = html.split('class="conflict-compare"')[1].split("</table>")[0]
    assert "Forum emploi et entreprises" in table and "Forum emploi des jeunes" in table
    again = page_form(refused, form_class="action-form")
    assert again["title"] == "Forum emploi des jeunes"     # both changed: mine, theirs beside
    assert again["status"] == "en_cours"                   # only mine changed: kept
    assert again["progress"] == "40"                       # only theirs changed: taken
    assert _action(action.id).title == "Forum emploi et entreprises"   # nothing overwritten

    again["title"] = "Forum emploi et entreprises, pour les jeunes"   # the user chooses
    assert two.second.post(url, data=again).status_code == 302
    saved = _action(action.id)
    assert (saved.title, saved.status, saved.progress) == \
        ("Forum emploi et entreprises, pour les jeunes", "en_cours", 40)


def test_a_page_without_its_base_merges_nothing(two, action):
    """A page opened before the base existed: every difference shown, the user's kept."""
    action, url = action
    theirs, mine = _both_open(two, url, "action-form")
    theirs["status"] = "en_cours"
    assert two.first.post(url, data=theirs).status_code == 302
    del mine["edit_base"]
    mine["title"] = "Forum emploi des jeunes"
    again = page_form(two.second.post(url, data=mine), form_class="action-form")
    assert again["status"] == "retenue" and again["title"] == "Forum emploi des jeunes"


def test_the_pas_de_cote_form_merges_too(two, factory):
    timeline = factory.frise(factory.project(two.territory))
    mairie = factory.organisation(two.territory, name="Mairie d'Aramits")
    entry = timelines.add_entry(timeline, level_id=timeline.levels[1].id, organisation=mairie,
                                term="moyen")
    note = factory.step_aside_note(two.territory, entry)
    factory.session.commit()
    url = two.url(f"/frises/{timeline.id}/pas-de-cote/{note.id}/edit")
    theirs, mine = page_form(two.first.get(url)), page_form(two.second.get(url))
    theirs["note-answer"] = "Présenter le projet en conseil municipal"
    assert two.first.post(url, data=theirs).status_code == 302

    mine["note-text"] = "Peur de perdre la main sur le marché"
    again = page_form(two.second.post(url, data=mine))
    assert again["note-answer"] == "Présenter le projet en conseil municipal"
    assert two.second.post(url, data=again).status_code == 302
    saved = timeline_queries.note_of(timeline, note.id)
    assert (saved.text, saved.answer) == ("Peur de perdre la main sur le marché",
                                          "Présenter le projet en conseil municipal")
