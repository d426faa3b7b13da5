"""The journal in words (issue 20, item 5): every audited model and field has a name, and
a page of entries says what changed as people say it, in French or in English."""
import html
import re

import pytest

from extensions import db
from territorial.audit.words import HIDDEN_FIELDS, _target, audited_models, link_columns


def test_every_audited_model_and_recorded_field_has_a_label(app):
    missing = []
    for name, model in sorted(audited_models().items()):
        if not model.__dict__.get("__audit_name__"):
            missing.append(f"{name} (__audit_name__)")
        for key, column in model.__mapper__.columns.items():
            if key in HIDDEN_FIELDS or column.info.get("hidden"):
                continue
            if not column.info.get("label"):
                missing.append(f"{name}.{key}")
            choices = column.info.get("choices")
            if choices is not None and not all(str(label) for label in choices.values()):
                missing.append(f"{name}.{key} (choices)")
    assert missing == [], "no label in the journal for: " + ", ".join(missing)
    assert len(audited_models()) > 60


def test_every_audited_model_says_which_page_shows_it(app):
    """A new model fails here until it names its page (``__audit_link__``), or says that no
    page shows it (``__audit_link__ = None``)."""
    unsaid = sorted(name for name, model in audited_models().items()
                    if "__audit_link__" not in model.__dict__)
    assert unsaid == [], "no page named for the journal: " + ", ".join(unsaid)
    assert all(model.__dict__["__audit_link__"] for model in audited_models().values())


def test_every_audited_page_link_and_title_is_made_of_routes_and_columns(app):
    endpoints = {rule.endpoint: rule.arguments for rule in app.url_map.iter_rules()}
    for name, model in audited_models().items():
        link = model.__dict__.get("__audit_link__")
        if link is None:
            continue
        endpoint, arguments = link
        assert endpoint in endpoints, name
        assert set(arguments) == endpoints[endpoint] - {"territory"}, name
        for path in link_columns(model).values():
            assert path[0] in model.__mapper__.columns, name
            if len(path) == 2:  # through a foreign key, to a column of what it points to
                target = _target(model, path[0])
                assert target is not None and path[1] in target.__mapper__.columns, name
    for name, model in audited_models().items():
        title = model.__dict__.get("__audit_title__", ())
        assert all(key in model.__mapper__.columns for key in title), name


@pytest.fixture
def raci(factory, territory):
    from sqlalchemy import select

    from territorial.raci.models import RaciActivity, RaciActor, RaciCell

    grid = factory.raci_grid(territory, title="Grille du forum", activities=["Accueil"],
                             actors=["Centre social X"])
    activity = db.session.scalar(select(RaciActivity).where(RaciActivity.grid_id == grid.id))
    actor = db.session.scalar(select(RaciActor).where(RaciActor.grid_id == grid.id))
    cell = factory._add(RaciCell(territory_id=territory.id, grid_id=grid.id,
                                 activity_id=activity.id, actor_id=actor.id, letter="C"))
    cell.letter = "R"
    factory._add(cell)
    return grid


@pytest.fixture
def action(factory, territory):
    plan = factory.action_plan(territory)
    action = factory.action(plan, title="Forum des associations", horizon="court")
    first = factory.organisation(territory, name="Centre social X")
    second = factory.organisation(territory, name="Maison des jeunes")
    action.horizon = "moyen"
    action.owner_organisation_id = first.id
    factory._add(action)
    action.owner_organisation_id = second.id
    factory._add(action)
    db.session.delete(first)
    db.session.commit()
    return action


def journal(client, territory, language="fr"):
    client.post("/language", data={"language": language, "next": "/account"})
    page = client.get(f"/t/{territory.slug}/journal")
    assert page.status_code == 200
    return html.unescape(page.get_data(as_text=True))


def test_a_raci_letter_change_in_words(signed_in, territory, raci):
    page = journal(signed_in, territory)
    assert "Case de la grille RACI" in page and "Lettre : C → R" in page
    assert f'href="/t/{territory.slug}/raci/{raci.id}">Accueil · Centre social X · R</a>' in page
    shown = re.sub(r"<[^>]*>", " ", page)  # what people read, not the form's values
    assert "RaciCell" not in shown and "letter" not in shown


def test_an_action_s_horizon_and_owner_in_words(signed_in, territory, action):
    page = journal(signed_in, territory)
    assert "Horizon : Court terme → Moyen terme" in page
    assert "Structure porteuse : — → Centre social X" not in page  # that one is deleted
    assert "Structure porteuse : — → (supprimé)" in page
    assert "Structure porteuse : (supprimé) → Maison des jeunes" in page
    assert f'href="/t/{territory.slug}/action-plans/actions/{action.id}"' in page
    shown = re.sub(r"<[^>]*>", " ", page)
    assert "owner_organisation_id" not in shown and "horizon :" not in shown


def test_a_deleted_object_is_named_without_a_link(signed_in, territory, action):
    page = journal(signed_in, territory)
    assert "Centre social X (supprimé)" in page
    assert 'Centre social X</a>' not in page
    assert "Maison des jeunes</a>" in page  # still there: its page is linked


def test_the_journal_in_english(signed_in, territory, raci, action):
    page = journal(signed_in, territory, language="en")
    assert "RACI grid cell" in page and "Letter : C → R" in page
    assert "Timeframe : Short term → Medium term" in page
    assert "Lead organisation : (deleted) → Maison des jeunes" in page


def test_what_a_grid_belongs_to_in_words_and_the_screens_vocabulary(signed_in, factory,
                                                                   territory):
    from territorial.timelines.models import PartnerTimeline

    project = factory.project(territory, title="Jardins partagés")
    factory.raci_grid(territory, owner_type="project", owner_id=project.id, title="Grille")
    factory._add(PartnerTimeline(territory_id=territory.id, title="Frise du jardin",
                                 owner_type="project", owner_id=project.id))
    factory.organisation(territory, name="Régie de quartier", kind="association")
    page = journal(signed_in, territory)
    shown = re.sub(r"<[^>]*>", " ", page)
    assert "Rattaché à : Projet « Jardins partagés »" in " ".join(shown.split())
    assert "Rattaché à (type)" not in shown and "project" not in shown
    assert "Frise des partenariats" in shown and "Frise des partenaires" not in shown
    assert "Type d'acteur" in shown and "Type de structure" not in shown
    assert re.search(r"\bStructure\b", shown) is None

    english = journal(signed_in, territory, language="en")
    assert re.search(r"\d+/\d+/\d\d, ", english) is None  # « 12/5/26, 4:50 AM »
    assert re.search(r"[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d", english)


def test_the_journal_reads_names_in_a_fixed_number_of_queries(signed_in, factory, territory,
                                                             count_queries):
    plan = factory.action_plan(territory)

    def grow(n):
        for _ in range(n):
            organisation = factory.organisation(territory)
            action = factory.action(plan)
            action.owner_organisation_id = organisation.id
            factory._add(action)

    def queries():
        with count_queries() as statements:
            assert signed_in.get(f"/t/{territory.slug}/journal?type=Action").status_code == 200
        return len(statements)

    grow(2)  # the changes of actions, each naming its lead organisation
    small = queries()
    grow(8)
    assert queries() == small


def test_members_are_titled_by_who_and_where_in_a_fixed_number_of_queries(
        signed_in, factory, territory, count_queries):
    """A working group's member is named by the person and the group, read per model."""
    def queries():
        with count_queries() as statements:
            page = signed_in.get(f"/t/{territory.slug}/journal?type=WorkingGroupMember")
        return len(statements), html.unescape(page.get_data(as_text=True))

    factory.working_group(territory, title="Groupe mobilité",
                          members=[factory.person(territory, first_name="Inès",
                                                  last_name="Moreau")])
    small, page = queries()
    assert "Membre d'un groupe de travail · " in page
    assert ">Inès Moreau · Groupe mobilité</a>" in page
    factory.working_group(territory, members=[factory.person(territory) for _ in range(6)])
    assert queries()[0] == small


def test_the_journal_is_filtered_by_kind_named_in_words(signed_in, territory, raci, action):
    page = journal(signed_in, territory)
    assert '<option value="RaciCell">Case de la grille RACI</option>' in page
    only_cells = html.unescape(signed_in.get(
        f"/t/{territory.slug}/journal?type=RaciCell").get_data(as_text=True))
    assert "Lettre : C → R" in only_cells and "Horizon :" not in only_cells


def test_created_and_deleted_objects_show_their_values_in_words(signed_in, factory,
                                                                territory):
    from datetime import date
    from decimal import Decimal

    plan = factory.action_plan(territory)
    action = factory.action(plan, title="Forum des associations", horizon="court",
                            due_date=date(2026, 3, 14), budget_amount=Decimal("1500.50"),
                            owner_organisation_id=factory.organisation(
                                territory, name="Maison des jeunes").id)
    contact = factory.frise_contact(territory)
    db.session.delete(contact)
    db.session.commit()
    page = journal(signed_in, territory)
    created = page[page.index("Forum des associations</a>"):]
    created = created[:created.index("</tr>")]
    assert "Horizon : Court terme" in created
    assert "Échéance : 14 mars 2026" in created
    assert "Budget : 1 500,50 €" in created or "Budget : 1 500,50 €" in created
    assert "Structure porteuse : Maison des jeunes" in created
    shown = re.sub(r"<[^>]*>", " ", created)
    assert "territory_id" not in shown and "plan_id" not in shown and "Territoire" not in shown
    deleted = page[page.index("Suppression"):]
    deleted = deleted[:deleted.index("</tr>")]
    assert "Type de contact : Rencontré" in deleted and "Date : 1er mars 2026" in deleted
    assert action.id


def test_the_objects_seen_through_their_parent_link_to_the_parent_s_page(
        signed_in, factory, territory):
    """A contact, a note of the pas de côté, a deliverable, a review's photo and guest have
    no page of their own: the journal links to the page that shows them."""
    contact = factory.frise_contact(territory)
    note = factory.step_aside_note(territory)
    review = factory.project_review(territory)
    factory.review_photo(territory, review)
    factory.review_guest(territory, review)
    experiment = factory.experiment(territory)
    from facilitation.experiments.models import Deliverable, Part
    from sqlalchemy import select

    part = db.session.scalar(select(Part).where(Part.experiment_id == experiment.id))
    factory._add(Deliverable(territory_id=territory.id, part_id=part.id, title="Note de cadrage"))
    db.session.commit()
    from territorial.timelines.models import TimelineEntry

    timeline_of = {entry.id: entry.timeline_id for entry in db.session.scalars(
        select(TimelineEntry).where(TimelineEntry.id.in_([contact.entry_id, note.entry_id])))}
    slug = territory.slug
    review_page = f"/t/{slug}/projects/{review.project_id}/reviews/{review.id}"
    for model, kind, url in [
            ("ContactEvent", "Contact avec un partenaire",
             f"/t/{slug}/frises/{timeline_of[contact.entry_id]}"),
            ("StepAsideNote", "Note de pas de côté",
             f"/t/{slug}/frises/{timeline_of[note.entry_id]}/pas-de-cote"),
            ("ReviewPhoto", "Photo d'une revue", review_page),
            ("ReviewGuest", "Invité d'une revue", review_page),
            ("Deliverable", "Livrable", f"/t/{slug}/experiments/{experiment.id}/parts")]:
        page = html.unescape(signed_in.get(f"/t/{slug}/journal?type={model}").get_data(
            as_text=True))
        assert re.search(rf'<td>{re.escape(kind)} · <a href="{re.escape(url)}">', page), kind


def test_a_moment_stored_with_its_time_zone_reads_as_a_date(app):
    """« Point commencé à » (a column of its own type, UTC-aware): a date in words, not
    its ISO text; an action's progress with its percent sign."""
    from facilitation.action_plans.models import Action
    from facilitation.sessions.live.models import LiveState
    from territorial.audit.words import _Formatter, _Names

    with app.test_request_context():
        said = _Formatter(_Names())
        started = said(LiveState, LiveState.__table__.c.step_started_at,
                       "2026-12-06T03:33:08.444695+00:00")
        assert "décembre 2026" in started and "T03" not in started
        assert said(Action, Action.__table__.c.progress, 40) == "40\u00a0%"


def test_a_joint_project_s_steps_are_said_by_their_titles_not_their_keys(client, login, app,
                                                                         factory):
    """The journal says a step of a joint project's lifecycle, its outcome and who acted as
    the charter names them, never by the keys the rules use (« validation_nomination »)."""
    from territorial.charters import rules
    from tests.charter_support import Partnership

    with app.test_request_context():
        partnership = Partnership(factory)
        project = partnership.new_project()
        partnership.walk_to(project, "validation_nomination")
        steps = rules.lifecycle(partnership.charter.governing)
        walked = steps[1:[step["key"] for step in steps].index("validation_nomination")]
        db.session.commit()
    login(partnership.coordinator)
    page = journal(client, partnership.territory)
    assert "Étape franchie du projet" in page
    assert all(step["title"] in page for step in walked[-2:])
    said = [f"Étape : {step['key']}" for step in walked] + ["Qui agit (type)",
                                                             "Instance qui agit"]
    assert [words for words in said if words in page] == []
