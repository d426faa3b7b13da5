"""No silent overwrite in the facilitation's work: the cadre méthodologique, actions (their
form, and the inline status and progress), the minutes of a session. Two colleagues, one
stale save: the second is told who changed it and when, sees both versions, keeps their text."""
import pytest
from sqlalchemy import select

from extensions import db
from facilitation.action_plans.models import Action
from facilitation.experiments.models import CadreSection
from facilitation.sessions.models import Meeting
from tests.conflict_support import colleagues, hidden, page_form, stale_save, text, told_who

JSON = {"Accept": "application/json"}


@pytest.fixture
def two(app, factory):
    return colleagues(app, factory)


def test_stale_cadre_section_keeps_both_texts(two, factory):
    experiment = factory.experiment(two.territory)
    section = db.session.scalar(select(CadreSection).where(
        CadreSection.experiment_id == experiment.id, CadreSection.key == "objectifs"))
    factory.session.commit()
    page, save = two.url(f"/experiments/{experiment.id}"), \
        two.url(f"/experiments/{experiment.id}/cadre/{section.id}")
    refused = stale_save(two, page, "content", "Mobiliser les entreprises du territoire.",
                         "Inventer collectivement des solutions pour l'emploi des jeunes.",
                         save=save)
    db.session.expire_all()
    assert db.session.get(CadreSection, section.id).content == \
        "Mobiliser les entreprises du territoire."

    merged = page_form(refused, save)                           # now on the current version
    merged["content"] += " Mobiliser les entreprises du territoire."
    assert two.second.post(save, data=merged).status_code == 302


@pytest.fixture
def action(two, factory):
    plan = factory.action_plan(two.territory)
    return factory.action(plan, title="Forum emploi", progress=20)


def test_stale_action_form_keeps_both_versions(two, action, factory):
    stale_save(two, two.url(f"/action-plans/actions/{action.id}/edit"), "description",
               "Avec la Mission locale.", "Avec les clubs d'entreprises.", form_class="action-form")
    db.session.expire_all()
    assert db.session.get(Action, action.id).description == "Avec la Mission locale."


@pytest.mark.parametrize("what, data", [("progress", {"progress": "60"}),
                                        ("status", {"status": "retenue"})])
def test_stale_inline_update_answers_409_with_the_current_state(two, action, what, data):
    plan_page = two.url(f"/action-plans/{action.plan_id}")
    seen = hidden(text(two.second.get(plan_page)), "edit_version")
    done = two.first.post(two.url(f"/action-plans/actions/{action.id}/progress"),
                          data={"progress": "40", "edit_version": seen}, headers=JSON)
    assert done.status_code == 200 and done.get_json()["ok"]

    url = two.url(f"/action-plans/actions/{action.id}/{what}")
    stale = two.second.post(url, data={**data, "edit_version": seen}, headers=JSON)
    assert stale.status_code == 409
    answer = stale.get_json()
    assert answer["conflict"] and told_who(answer["error"])
    assert "Forum emploi" in answer["error"] and answer["progress"] == 40
    assert answer["edit_version"] == done.get_json()["edit_version"]
    db.session.expire_all()
    saved = db.session.get(Action, action.id)
    assert (saved.progress, saved.status) == (40, "proposee")

    retried = two.second.post(url, data={**data, "edit_version": answer["edit_version"]},
                              headers=JSON)
    assert retried.status_code == 200 and retried.get_json()["ok"]


def test_stale_minutes_keep_both_texts(two, factory):
    session = factory.meeting_session(two.territory, title="GT1 Emploi")
    factory.session.commit()
    url = two.url(f"/sessions/{session.id}/minutes")
    opened = page_form(two.second.get(url))["edit_version"]         # a page opened before
    stale_save(two, url, "minutes", "## Synthèse\nDeux pistes retenues.",
                         "## Synthèse\nTrois pistes retenues.")
    db.session.expire_all()
    assert db.session.get(Meeting, session.id).minutes == "## Synthèse\nDeux pistes retenues."

    redraft = two.second.post(url + "/draft", data={"edit_version": opened},
                              follow_redirects=True)
    assert "Le brouillon n'a pas remplacé le texte" in text(redraft) and told_who(text(redraft))
    db.session.expire_all()
    assert db.session.get(Meeting, session.id).minutes == "## Synthèse\nDeux pistes retenues."
