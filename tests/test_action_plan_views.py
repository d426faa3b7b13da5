"""Plan pages: forms with bad input, inline updates (JSON and plain POST), bulk actions,
reordering, history, filters, the partnership plan on the charter's axes."""
import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import select

from extensions import db
from facilitation.action_plans import operations
from facilitation.action_plans import queries as ap_queries
from facilitation.action_plans.models import Action, ActionPlanAxis


@pytest.fixture
def setup(factory):
    territory = factory.territory()
    coordinator = factory.user(territory, role="coordinator")
    plan = factory.action_plan(territory, axes=("Communication", "Financement"))
    return territory, coordinator, plan


def _form(**overrides):
    data = {"title": "Forum emploi", "horizon": "court", "scope": "territoire",
            "status": "proposee", "progress": "0", "axis_id": "0",
            "owner_organisation_id": "0", "contact_person_id": "0"}
    return data | overrides


def test_bad_input_is_explained_and_kept(client, login, setup):
    territory, coordinator, plan = setup
    login(coordinator)
    url = f"/t/{territory.slug}/action-plans/{plan.id}/actions/new"
    response = client.post(url, data=_form(start_date="2026-06-01", due_date="2026-05-01",
                                           progress="150", status="abandonnee",
                                           budget_amount="1 250,50", funders="CAF du Doubs"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "chéance est antérieure au début" in page
    assert "entre 0 et 100" in page
    assert "le motif est obligatoire" in page
    assert 'value="CAF du Doubs"' in page and 'value="1 250,50"' in page  # nothing lost
    assert db.session.scalar(select(Action.id).where(Action.plan_id == plan.id)) is None


def test_owner_of_another_territory_is_refused_by_the_form(client, login, factory, setup):
    territory, coordinator, plan = setup
    foreign = factory.organisation(factory.territory())
    login(coordinator)
    response = client.post(f"/t/{territory.slug}/action-plans/{plan.id}/actions/new",
                           data=_form(owner_organisation_id=str(foreign.id)))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ('<p id="owner_organisation_id-error" class="field-error">'
            "Cette organisation n&#39;appartient pas à ce territoire") in page


def test_create_edit_and_history(client, login, factory, setup):
    territory, coordinator, plan = setup
    organisation = factory.organisation(territory, name="MJC de Palente")
    axis = db.session.scalar(select(ActionPlanAxis).where(ActionPlanAxis.plan_id == plan.id))
    login(coordinator)
    response = client.post(f"/t/{territory.slug}/action-plans/{plan.id}/actions/new",
                           data=_form(axis_id=str(axis.id), owner_organisation_id=str(organisation.id),
                                      budget_amount="1 250"))
    assert response.status_code == 302
    action = db.session.scalar(select(Action).where(Action.plan_id == plan.id))
    assert action.budget_amount == 1250 and action.axis_id == axis.id
    client.post(f"/t/{territory.slug}/action-plans/actions/{action.id}/edit",
                data=_form(title="Forum emploi de printemps", axis_id=str(axis.id),
                           owner_organisation_id=str(organisation.id), status="retenue"))
    page = client.get(f"/t/{territory.slug}/action-plans/actions/{action.id}").get_data(as_text=True)
    assert "Historique" in page
    assert "Forum emploi → Forum emploi de printemps" in page
    assert "Proposée → Retenue" in page
    assert "1\u202f250\u00a0€" in page
    # a porteur and a progress in words, as the journal says them (not their numbers)
    other = factory.organisation(territory, name="Régie des Clairs-Soleils")
    client.post(f"/t/{territory.slug}/action-plans/actions/{action.id}/edit",
                data=_form(title="Forum emploi de printemps", axis_id=str(axis.id),
                           owner_organisation_id=str(other.id), status="retenue",
                           progress="40"))
    page = unescape(client.get(f"/t/{territory.slug}/action-plans/actions/{action.id}")
                    .get_data(as_text=True))
    assert "Structure porteuse : MJC de Palente → Régie des Clairs-Soleils" in page
    assert "Avancement : 0\u00a0% → 40\u00a0%" in page  # French: a no-break space before %


def test_inline_status_and_progress(client, login, setup):
    """The answer to the page's script redraws the row (the « En retard » badge too) and
    the plan's figures by status."""
    territory, coordinator, plan = setup
    action = operations.create_action(plan, title="Forum", due_date=date(2020, 1, 1))
    operations.create_action(plan, title="Autre")
    db.session.commit()
    login(coordinator)
    url = f"/t/{territory.slug}/action-plans/actions/{action.id}"
    response = client.post(f"{url}/status", data={"status": "retenue"},
                           headers={"Accept": "application/json"})
    assert response.json["ok"] and response.json["status_label"] == "Retenue"
    assert ["en_cours", "En cours"] in response.json["allowed"]
    assert response.json["overdue"] is True
    assert "history" not in response.json  # only the action's page asks for it
    assert response.json["totals"] == [[2, "actions"], [1, "proposée"], [1, "retenue"]]
    response = client.post(f"{url}/status", data={"status": "realisee"},
                           headers={"Accept": "application/json"})
    assert response.json["ok"] and response.json["progress"] == 100
    assert response.json["overdue"] is False
    assert response.json["totals"] == [[2, "actions"], [1, "proposée"], [1, "réalisée"]]
    response = client.post(f"{url}/status", data={"status": "abandonnee"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert "ne peut pas passer directement" in response.json["error"]
    response = client.post(f"{url}/progress", data={"progress": "140"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 422 and "entre 0 et 100" in response.json["error"]
    response = client.post(f"{url}/progress", data={"progress": "80", "next": "//evil/"})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)


def test_an_inline_save_from_the_actions_page_answers_with_its_history(client, login, setup):
    """The action's page sends ``redraw=history``: the answer carries its « Historique »
    with the change just saved, and whether the action is late."""
    territory, coordinator, plan = setup
    action = operations.create_action(plan, title="Forum", status="en_cours",
                                      due_date=date(2020, 1, 1))
    db.session.commit()
    login(coordinator)
    url = f"/t/{territory.slug}/action-plans/actions/{action.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="redraw" value="history"' in page
    assert re.search(r"<span data-overdue>.*En retard", page)       # late, shown
    response = client.post(f"{url}/status", data={"status": "realisee", "redraw": "history"},
                           headers={"Accept": "application/json"})
    assert response.json["overdue"] is False
    history = unescape(response.json["history"])
    assert "data-history" in history and "En cours → Réalisée" in history
    assert "Avancement : 0\u00a0% → 100\u00a0%" in history
    page = client.get(url).get_data(as_text=True)
    assert re.search(r"<span data-overdue hidden>.*En retard", page)  # done: hidden


def test_reopening_a_done_action_says_the_progress_it_gets_back(client, login, setup):
    """Back from « Réalisée », the action is at the progress it had before, and the page
    says so: in the answer to the page's script, in the flash without it, in the form."""
    territory, coordinator, plan = setup
    action = operations.create_action(plan, title="Forum", status="en_cours", progress=40)
    operations.change_status(action, "realisee")
    db.session.commit()
    login(coordinator)
    url = f"/t/{territory.slug}/action-plans/actions/{action.id}"
    response = client.post(f"{url}/status", data={"status": "en_cours"},
                           headers={"Accept": "application/json"})
    assert response.json["progress"] == 40
    assert response.json["message"] == ("Statut de « Forum » : En cours. Avancement revenu "
                                        "à 40 %, celui d'avant « Réalisée ».")
    client.post(f"{url}/status", data={"status": "realisee"})
    page = unescape(client.post(f"{url}/status", data={"status": "en_cours"},
                                follow_redirects=True).get_data(as_text=True))
    assert "Avancement revenu à 40 %, celui d'avant « Réalisée »." in page
    assert '<span class="progress-text">40 %</span>' in page
    client.post(f"{url}/status", data={"status": "realisee"})
    page = unescape(client.post(f"{url}/edit", data=_form(title="Forum", status="en_cours",
                                                           progress="100"),
                                follow_redirects=True).get_data(as_text=True))
    assert "Action enregistrée. Avancement revenu à 40 %" in page
    assert '<span class="progress-text">40 %</span>' in page


def test_bulk_and_reorder(client, login, factory, setup):
    territory, coordinator, plan = setup
    organisation = factory.organisation(territory)
    a, b, c = (operations.create_action(plan, title=t) for t in "ABC")
    db.session.commit()
    login(coordinator)
    base = f"/t/{territory.slug}/action-plans/{plan.id}"
    client.post(f"{base}/bulk", data={"operation": "owner", "organisation_id": str(organisation.id),
                                      "action_ids": [str(a.id), str(b.id)]})
    client.post(f"{base}/bulk", data={"operation": "status", "status": "retenue",
                                      "action_ids": [str(a.id), str(c.id)]})
    assert "Statut changé pour 2 actions." in client.get(base).get_data(as_text=True)
    client.post(f"{base}/bulk", data={"operation": "status", "status": "realisee",
                                      "action_ids": [str(b.id)]})
    page = client.get(base).get_data(as_text=True)  # refused: no success announced
    assert "Statut changé" not in page and "« B » : " in page
    rows = {x.title: x for x in db.session.scalars(select(Action).where(Action.plan_id == plan.id))}
    assert rows["A"].owner_organisation_id == organisation.id == rows["B"].owner_organisation_id
    assert rows["C"].owner_organisation_id is None
    assert (rows["A"].status, rows["B"].status, rows["C"].status) == ("retenue", "proposee", "retenue")
    response = client.post(f"{base}/reorder", json={"order": [c.id, b.id, a.id]},
                           headers={"Accept": "application/json"})
    assert response.json["ok"]
    ordered = db.session.scalars(select(Action.title).where(Action.plan_id == plan.id)
                                 .order_by(Action.position)).all()
    assert ordered == ["C", "B", "A"]


def test_the_bulk_porteur_is_searched_in_the_directory(client, login, factory, setup):
    """The bulk « Structure porteuse » is the directory's picker: without JavaScript it
    lists no name before one is searched (the plan's page is read far more often than this
    form is used) and says to search; « Chercher » shows the plan again (its filters kept)
    with the names found and the same actions checked; the one chosen is then given to
    them, an organisation of another territory refused; « Retirer » takes it back."""
    territory, coordinator, plan = setup
    for n in range(55):
        factory.organisation(territory, name=f"Collectif {n:02d}")
    target = factory.organisation(territory, name="Zèbre solidaire")
    stranger = factory.organisation(factory.territory(), name="Ailleurs")
    referent = factory.person(territory, factory.organisation(territory, name="Régie de quartier"))
    a, b, c = (operations.create_action(plan, title=t) for t in "ABC")
    a.contact_person_id = referent.id  # the old porteur's referent
    db.session.commit()
    login(coordinator)
    base = f"/t/{territory.slug}/action-plans/{plan.id}"
    page = client.get(base).get_data(as_text=True)
    choices = page.split('id="bulk-organisation-choice"', 1)[1].split("</select>", 1)[0]
    assert choices.count("<option") == 1 and "Collectif" not in page
    assert "Tapez une partie du nom puis « Chercher » pour choisir." in page
    response = client.post(f"{base}/bulk", data={
        "operation": "owner", "organisation_id-q": "zebre", "organisation_id-search": "1",
        "action_ids": [str(a.id), str(c.id)], "next": f"{base}?horizon=court"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    choices = page.split('id="bulk-organisation-choice"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{target.id}">Zèbre solidaire (Association)</option>' in choices
    assert "Collectif" not in choices and 'value="zebre"' in page
    assert 'id="select-%d" aria-label="Sélectionner « A »" checked>' % a.id in page
    assert 'id="select-%d" aria-label="Sélectionner « B »">' % b.id in page
    assert '<option value="court" selected>' in page  # the filter kept
    for organisation, shown in ((stranger, "appartient pas à ce territoire"),
                                (None, "Choisissez la structure")):
        client.post(f"{base}/bulk", data={"operation": "owner", "action_ids": [str(a.id)],
                                          "organisation_id": organisation.id if organisation else ""})
        assert shown in client.get(base).get_data(as_text=True)
    searched = f"{base}?horizon=court&organisation_id-q=zebre&action_ids={a.id}"
    response = client.post(f"{base}/bulk", data={
        "operation": "owner", "organisation_id": str(target.id),
        "action_ids": [str(a.id), str(c.id)], "next": searched})
    # Done: the plan comes back with its filters and nothing checked for the next operation.
    assert response.headers["Location"] == f"{base}?horizon=court"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Structure porteuse changée pour 2 actions." in page
    assert "1 contact retiré : il travaille pour une autre structure" in page
    assert db.session.get(Action, a.id).contact_person_id is None
    client.post(f"{base}/bulk", data={"operation": "no_owner", "action_ids": [str(c.id)]})
    assert "Structure porteuse changée pour 1 action." in client.get(base).get_data(as_text=True)
    owners = dict(db.session.execute(select(Action.title, Action.owner_organisation_id)
                                     .where(Action.plan_id == plan.id)).all())
    assert owners == {"A": target.id, "B": None, "C": None}


def test_filters(client, login, factory, setup):
    territory, coordinator, plan = setup
    organisation = factory.organisation(territory)
    operations.create_action(plan, title="Engagement court", horizon="court")
    operations.create_action(plan, title="Proposition longue", horizon="long", scope="territoire",
                             owner_organisation_id=organisation.id)
    login(coordinator)
    base = f"/t/{territory.slug}/action-plans/{plan.id}"
    page = client.get(f"{base}?horizon=long").get_data(as_text=True)
    assert "Proposition longue" in page and "Engagement court" not in page
    page = client.get(f"{base}?owner=0").get_data(as_text=True)
    assert "Engagement court" in page and "Proposition longue" not in page
    page = client.get(f"{base}?scope=territoire").get_data(as_text=True)
    assert "Proposition longue" in page and "Engagement court" not in page


def test_partnership_plan_starts_on_the_charter_axes(client, login, setup):
    territory, coordinator, plan = setup
    login(coordinator)
    db.session.delete(plan)
    db.session.commit()
    page = client.get(f"/t/{territory.slug}/action-plans/new").get_data(as_text=True)
    assert "Financement des projets communs" in page and "Partenariat externe" in page
    response = client.post(f"/t/{territory.slug}/action-plans/new",
                           data={"title": "Plan à 3 ans", "start_year": "2026", "horizon_years": "3",
                                 "axes": "Financement des projets communs\nCommunication\n"
                                         "Activités partagées\nMoyens humains et logistiques\n"
                                         "Partenariat externe"})
    assert response.status_code == 302
    new_plan = ap_queries.plan_for("partnership", territory.id)
    keys = db.session.scalars(select(ActionPlanAxis.key).where(ActionPlanAxis.plan_id == new_plan.id)
                              .order_by(ActionPlanAxis.position)).all()
    assert keys == ["financement", "communication", "activites", "moyens", "partenariat_externe"]
    assert new_plan.period_label == "2026–2028"


def test_participant_reads_but_cannot_edit(client, login, factory, setup):
    territory, coordinator, plan = setup
    action = operations.create_action(plan, title="Forum")
    participant = factory.user(territory, role="participant")
    login(participant)
    page = client.get(f"/t/{territory.slug}/action-plans/{plan.id}").get_data(as_text=True)
    assert "Forum" in page and "Nouvelle action" not in page and 'data-inline="status"' not in page
    response = client.post(f"/t/{territory.slug}/action-plans/actions/{action.id}/status",
                           data={"status": "retenue"})
    assert response.status_code == 403


def test_the_plans_list_names_their_owners_without_a_query_per_plan(
        signed_in, factory, territory, count_queries):
    """Plans of groups and of experiments: each plan says whose it is and links to it, and
    the list reads its owners by kind, not plan by plan."""
    experiment = factory.experiment(territory, title="Expérimentation du Val")

    def add_plans(count):
        for n in range(count):
            group = factory.working_group(territory, experiment, title=f"Groupe {n} du Val")
            factory.action_plan(territory, owner_type="working_group", owner_id=group.id)
            other = factory.experiment(territory, title=f"Autre expérimentation {n}")
            factory.action_plan(territory, owner_type="experiment", owner_id=other.id)

    add_plans(1)
    address = f"/t/{territory.slug}/action-plans"
    with count_queries() as few:
        page = signed_in.get(address).get_data(as_text=True)
    assert "Groupe 0 du Val" in page and "Autre expérimentation 0" in page
    assert f"/experiments/{experiment.id}/action-plan" in page  # a group's plan: its experiment's
    add_plans(3)
    with count_queries() as many:
        page = signed_in.get(address).get_data(as_text=True)
    assert "Groupe 2 du Val" in page and "Autre expérimentation 2" in page
    assert len(many) == len(few)


def test_a_group_plan_names_its_group_and_links_to_its_experiment_in_one_query(
        ctx, factory, count_queries):
    """A working group's plan shows the group's name and links to the experiment's
    consolidated plan, reading the group once (``OwnerKind.name_and_url``), or with the
    plan on its page (``get_with_owner_or_404``)."""
    from flask import g
    from sqlalchemy.orm import joinedload

    from facilitation.action_plans.models import ActionPlan
    from facilitation.action_plans.views import owner_info
    from territorial.access import get_with_owner_or_404
    from territorial.common.owners import plan_owners

    territory = factory.territory()
    experiment = factory.experiment(territory, title="Expérimentation du Val")
    group = factory.working_group(territory, experiment, title="GT Mobilité")
    plan = factory.action_plan(territory, owner_type="working_group", owner_id=group.id)
    stranger = factory.working_group(factory.territory(), factory.experiment(
        factory.territory()), title="Ailleurs")
    other = factory.action_plan(territory, owner_type="working_group", owner_id=stranger.id)
    g.territory = territory
    db.session.flush()
    db.session.expunge(group)  # read from the database, as on a page
    with count_queries() as queries:
        label, name, url = owner_info(plan)
    assert (name, len(queries)) == ("GT Mobilité", 1)
    assert url.endswith(f"/experiments/{experiment.id}/action-plan")
    assert owner_info(other)[1] == ""  # another territory's group is not named

    # The plan's page reads the plan, its axes and its owner in one query.
    db.session.expunge_all()
    with count_queries() as queries:
        plan, owner = get_with_owner_or_404(ActionPlan, plan.id, plan_owners,
                                            joinedload(ActionPlan.axes))
        label, name, url = owner_info(plan, owner)
    assert (label, name, len(queries)) == ("Groupe de travail", "GT Mobilité", 1)
    assert url.endswith(f"/experiments/{experiment.id}/action-plan")
    other, stranger = get_with_owner_or_404(ActionPlan, other.id, plan_owners)
    assert stranger.title == "Ailleurs" and owner_info(other, stranger)[1] == ""


def test_a_plan_summary_counts_and_names_its_porteurs_and_contacts_in_one_query(
        ctx, factory, count_queries):
    """The plan page's totals by status, its « Porteur » filter (French order, with the one
    chosen even when it carries nothing) and its rows' names: one query."""
    territory = factory.territory()
    plan = factory.action_plan(territory)
    epicerie, batir = (factory.organisation(territory, name=name) for name in ("Épicerie", "Bâtir"))
    idle = factory.organisation(territory, name="Atelier sans action")
    marie = factory.person(territory, first_name="Marie", last_name="Curie")
    for owner, contact, status in ((epicerie, marie, "proposee"), (epicerie, None, "proposee"),
                                   (batir, marie, "realisee"), (None, None, "proposee")):
        factory.action(plan, status=status, contact_person_id=contact and contact.id,
                       owner_organisation_id=owner and owner.id)
    db.session.flush()
    with count_queries() as queries:
        summary = ap_queries.plan_summary(plan, None)
    assert len(queries) == 1
    assert summary.totals == {"proposee": 3, "realisee": 1}
    assert [name for _id, name in summary.porteurs] == ["Bâtir", "Épicerie"]
    assert summary.names.people == {marie.id: "Marie Curie"}
    assert summary.names.organisations == {batir.id: "Bâtir", epicerie.id: "Épicerie"}
    chosen = ap_queries.plan_summary(plan, idle.id)
    assert [name for _id, name in chosen.porteurs] == ["Atelier sans action", "Bâtir", "Épicerie"]


def test_a_page_beyond_the_last_shows_the_last_with_or_without_a_status_filter(
        client, login, factory, setup):
    """The plan's page counts its actions from its totals by status: the pages and the
    last page still follow the filter."""
    territory, coordinator, plan = setup
    for n in range(52):
        factory.action(plan, title=f"Étape {n:02d}", status="proposee")
    factory.action(plan, title="Étape réalisée", status="realisee")
    login(coordinator)
    base = f"/t/{territory.slug}/action-plans/{plan.id}"
    page = client.get(f"{base}?page=9").get_data(as_text=True)
    assert "Étape 51" in page and "Étape réalisée" in page and "Étape 00" not in page
    assert "Page 2 sur 2 · 53 résultats" in page
    page = client.get(f"{base}?status=realisee&page=9").get_data(as_text=True)
    assert "Étape réalisée" in page and "Étape 51" not in page
    page = client.get(f"{base}?status=proposee&page=2").get_data(as_text=True)
    assert "Étape 51" in page and "Étape 49" not in page and "Étape réalisée" not in page
    assert "Page 2 sur 2 · 52 résultats" in page


def test_an_axis_and_a_horizon_filter_page_and_count_their_actions(
        client, login, factory, setup):
    """Filters the totals by status cannot count (an axis, a horizon) still give the right
    number of pages and results, and a page beyond the last shows the last."""
    territory, coordinator, plan = setup
    axis = ap_queries.axes_of(plan)[0]
    for n in range(51):
        factory.action(plan, title=f"Étape {n:02d}", axis_id=axis.id, horizon="court")
    factory.action(plan, title="Étape longue", axis_id=axis.id, horizon="long")
    factory.action(plan, title="Étape sans axe", horizon="court")
    login(coordinator)
    base = f"/t/{territory.slug}/action-plans/{plan.id}"
    page = client.get(f"{base}?group=axis:{axis.id}&horizon=court&page=9").get_data(as_text=True)
    assert "Page 2 sur 2 · 51 résultats" in page
    assert "Étape 50" in page and "Étape 49" not in page and "Étape longue" not in page
    page = client.get(f"{base}?group=axis:0").get_data(as_text=True)
    assert "Étape sans axe" in page and "Étape 00" not in page and "1 résultat" in page
    # another plan's axis, or none such: no filter (« Tous » and all 53 actions)
    other = ap_queries.axes_of(factory.action_plan(territory))[0]
    for group in (f"axis:{other.id}", "axis:abc", "theme:1"):
        page = client.get(f"{base}?group={group}").get_data(as_text=True)
        assert "Page 1 sur 2 · 53 résultats" in page, group


def test_the_porteur_filter_lists_the_porteurs_of_the_plan(client, login, factory, setup):
    """« Porteur » offers « Sans porteur » and the organisations that carry an action of
    the plan (and the one chosen), not every organisation of the territory; the bulk
    designation still searches them all."""
    territory, coordinator, plan = setup
    carrier = factory.organisation(territory, name="Régie de quartier")
    idle = factory.organisation(territory, name="Amicale sans action")
    operations.create_action(plan, title="Chantier d'insertion", owner_organisation_id=carrier.id)
    operations.create_action(plan, title="Action orpheline")
    login(coordinator)
    base = f"/t/{territory.slug}/action-plans/{plan.id}"
    page = client.get(base).get_data(as_text=True)
    owner_filter = page.split('id="f-owner"', 1)[1].split("</select>", 1)[0]
    assert ">Sans porteur<" in owner_filter and f'value="{carrier.id}">Régie de quartier' in owner_filter
    assert "Amicale sans action" not in owner_filter
    searched = client.get(f"{base}?organisation_id-q=amicale").get_data(as_text=True)
    bulk = searched.split('id="bulk-organisation-choice"', 1)[1].split("</select>", 1)[0]
    assert "Amicale sans action" in bulk
    assert "Monter « Chantier" in page and "effacez les filtres" not in page
    page = client.get(f"{base}?owner={carrier.id}").get_data(as_text=True)
    assert "Chantier d&#39;insertion" in page and "Action orpheline" not in page
    # filtered, ↑ ↓ would swap with a hidden action: not offered, and said why
    assert "Monter « Chantier" not in page and ">Ordre</th>" not in page
    assert "effacez les filtres : une action se déplace parmi toutes celles du plan" in page
    assert "<td>Régie de quartier</td>" in page  # the row names its porteur
    assert f'<option value="{carrier.id}" selected>Régie de quartier' in page
    page = client.get(f"{base}?owner={idle.id}").get_data(as_text=True)
    assert f'<option value="{idle.id}" selected>Amicale sans action' in page
    assert "Aucune action ne correspond" in page
    # another territory's organisation, an unknown id: not a filter the page can show, so
    # none (« Tous » and every action), rather than an empty list under « Tous »
    stranger = factory.organisation(factory.territory(), name="Ailleurs")
    for owner in (stranger.id, 999_999):
        page = client.get(f"{base}?owner={owner}").get_data(as_text=True)
        assert "Chantier d&#39;insertion" in page and "Action orpheline" in page
        assert "Ailleurs" not in page and " selected>" not in page.split(
            'id="f-owner"', 1)[1].split("</select>", 1)[0]


def test_a_row_shows_its_names_as_typed(client, login, factory, setup):
    """What users typed (a title, a porteur, a contact, a motive) shows as typed in the
    plan's rows and their controls' accessible names, never as markup."""
    territory, coordinator, plan = setup
    porteur = factory.organisation(territory, name="Tom & Jerry <SARL>")
    contact = factory.person(territory, first_name='Zoé "Zozo"', last_name="O'Brien")
    title = 'Atelier <b>« vélo »</b> & "réparation"'
    operations.create_action(plan, title=title, owner_organisation_id=porteur.id,
                             contact_person_id=contact.id, status="abandonnee",
                             abandon_reason="Faute <de> budget")
    db.session.commit()
    login(coordinator)
    page = client.get(f"/t/{territory.slug}/action-plans/{plan.id}").get_data(as_text=True)
    shown = 'Atelier &lt;b&gt;« vélo »&lt;/b&gt; &amp; &#34;réparation&#34;'
    assert f">{shown}</a>" in page and "<b>« vélo »</b>" not in page
    assert f'aria-label="Sélectionner « {shown} »"' in page
    assert f"Motif de l&#39;abandon de « {shown} »</label>" in page
    assert f"Descendre « {shown} »</span>" in page
    assert ("<td>Tom &amp; Jerry &lt;SARL&gt;<br><small>Zoé &#34;Zozo&#34; O&#39;Brien</small></td>"
            in page)
    assert 'value="Faute &lt;de&gt; budget"' in page


def test_the_porteurs_are_named_once_for_the_filter_and_the_rows(
        client, login, factory, setup, count_queries):
    """The « Porteur » filter lists the plan's porteurs (and the one chosen, even if it
    carries nothing); the rows name theirs from the same query."""
    territory, coordinator, plan = setup
    carrying = factory.organisation(territory, name="Maison de l'emploi")
    idle = factory.organisation(territory, name="Foyer rural")
    factory.organisation(territory, name="Comité des fêtes")
    factory.action(plan, title="Forum", owner_organisation_id=carrying.id)
    login(coordinator)
    address = f"/t/{territory.slug}/action-plans/{plan.id}"
    with count_queries() as queries:
        page = client.get(address).get_data(as_text=True)
    porteur_filter = page.split('id="f-owner"')[1].split("</select>")[0]
    assert "Maison de l&#39;emploi" in porteur_filter and "Foyer rural" not in porteur_filter
    assert "Comité des fêtes" not in porteur_filter
    assert '<td>Maison de l&#39;emploi</td>' in page
    names_read = [q for q in queries if "organisation.name" in q and "organisation.commune" not in q]
    assert len(names_read) == 1, names_read  # the picker's search reads the commune too
    page = client.get(f"{address}?owner={idle.id}").get_data(as_text=True)
    porteur_filter = page.split('id="f-owner"')[1].split("</select>")[0]
    assert f'<option value="{idle.id}" selected>Foyer rural</option>' in porteur_filter
    assert "Aucune action ne correspond à ces critères." in page


def test_the_plan_shows_its_raci_grid_read_only_letter_by_letter(client, login, factory, setup):
    """Under the actions, the plan's RACI grid as a table: each activity's row holds the
    letter of each actor, « — » where the actor has none; labels are escaped."""
    from territorial.raci import operations as raci

    territory, coordinator, plan = setup
    grid = raci.load_grid(factory.raci_grid(
        territory, owner_type="action_plan", owner_id=plan.id, title="Rôles du plan",
        activities=["Repérer <les> familles", "Animer"], actors=["Centre social", "Mairie"]))
    (spot, lead), (centre, town) = grid.activities, grid.actors
    raci.set_cell(grid, spot.id, centre.id, "R")
    raci.set_cell(grid, lead.id, town.id, "A")
    login(coordinator)
    page = client.get(f"/t/{territory.slug}/action-plans/{plan.id}").get_data(as_text=True)
    table = page.split('class="raci-table raci-readonly"')[1].split("</table>")[0]
    rows = [re.findall(r'<t[hd][^>]*>([^<]*)</t[hd]>', row)
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    assert rows == [["Activité", "Centre social", "Mairie"],
                    ["Repérer &lt;les&gt; familles", "R", "—"],
                    ["Animer", "—", "A"]]
    assert 'data-letter="R">R</td>' in table and 'data-letter="">—</td>' in table
