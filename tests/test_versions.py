"""The mechanism of « no silent overwrite » (territorial.common.versions): versions bumped by
the edited fields only, who and when recorded, the stale check and its French message, the
race between the check and the write, the decisions of a many-values form."""
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale
from flask_login import login_user
from sqlalchemy import select, update

from extensions import db
from facilitation.action_plans.models import Action
from territorial.audit.models import AuditEntry
from territorial.common import versions


@pytest.fixture
def action(factory):
    territory = factory.territory()
    plan = factory.action_plan(territory)
    return factory.action(plan, title="Forum emploi")


def test_an_edited_field_makes_a_new_version_with_who_and_when(ctx, factory, action):
    camille = factory.user(display_name="Camille Durand")
    login_user(camille)
    assert action.edit_version == 1
    action.position += 5                      # ordering is not content: no new version
    db.session.flush()
    assert action.edit_version == 1 and action.changed_by_id is None
    action.progress = 40
    db.session.flush()
    assert action.edit_version == 2 and action.changed_by_id == camille.id
    assert action.changed_at is not None
    changes = db.session.scalars(select(AuditEntry.changes).where(
        AuditEntry.object_type == "Action", AuditEntry.action == "update")).all()
    assert {"progress": [0, 40]} in changes          # the journal keeps content only
    assert not any(key in versions.COLUMNS for entry in changes for key in entry)


def test_a_stale_version_is_refused_with_who_and_when_in_french(ctx, factory, action):
    camille = factory.user(display_name="Camille Durand")
    now = datetime.now(UTC)
    conflict = versions.Conflict(camille.id, datetime(now.year, 12, 4, 13, 5, tzinfo=UTC), 3)
    assert conflict.message == ("Modifié par Camille Durand le 4 décembre à 14 h 05 pendant "
                                "que vous écriviez.")
    assert versions.Conflict(None, datetime(2024, 7, 1, 8, 0, tzinfo=UTC)).message == (
        "Modifié par une autre personne le 1er juillet 2024 à 10 h 00 pendant que vous écriviez.")
    with force_locale("en"):
        assert conflict.message == ("Changed by Camille Durand on 4 December at 14:05 while "
                                    "you were writing.")
    login_user(camille)
    assert conflict.by_name == "vous, dans une autre fenêtre"

    versions.check(action, 1)                 # the current version passes
    versions.check(action, None)              # a page that sent no version is not checked
    with pytest.raises(versions.Conflict) as refused:
        versions.check(action, 0)
    assert refused.value.version == 1


def test_a_save_racing_another_between_check_and_write_is_refused(ctx, factory, action):
    """The other save commits after this one's check: the UPDATE finds a newer version."""
    camille = factory.user(display_name="Camille Durand")
    versions.check(action, 1)
    db.session.execute(update(Action).where(Action.id == action.id).values(
        edit_version=2, progress=70, changed_by_id=camille.id, changed_at=datetime.now(UTC))
        .execution_options(synchronize_session=False))
    db.session.commit()                       # committed by the other request
    action.progress = 30
    with pytest.raises(versions.Conflict) as refused:
        versions.flush(action)
    assert refused.value.version == 2 and "Camille Durand" in refused.value.message
    assert db.session.get(Action, action.id).progress == 70     # theirs kept, nothing of mine


@pytest.mark.parametrize("posted, was, loaded, current, current_version, decision", [
    ("R", "", 0, None, 0, "write"),           # nobody touched it: my change is written
    ("", "", 0, None, 0, "skip"),             # unchanged
    ("", "", 0, "A", 1, "skip"),              # I left it, a colleague filled it: theirs stays
    ("C", "", 0, "A", 1, "conflict"),         # both changed it: refused, shown
    ("A", "", 0, "A", 1, "skip"),             # both chose the same: nothing to do
    ("C", "R", None, "A", 4, "write"),        # the page sent no version: as before
])
def test_decisions_of_a_form_saving_many_values(posted, was, loaded, current,
                                                current_version, decision):
    assert versions.cell_decision(posted or None, was or None, loaded, current,
                                  current_version) == decision


def test_seen_values_travel_in_one_hidden_field():
    seen = versions.seen({2025: (3, "120"), 2026: (1, "")})
    assert versions.parse_seen(seen) == {"2025": (3, "120"), "2026": (1, "")}
    assert versions.parse_seen("") is None and versions.parse_seen("[1") is None


def test_the_api_does_not_publish_versions(app):
    from territorial.api.registry import get

    for name in ("raci-cells", "timeline-entries", "indicator-targets"):
        assert "edit_version" not in {column.name for column in get(name).columns}
