"""Demo action plans: Charenton's GT3 plans (one per working group of the « Agir ensemble »
experiment, plus the transversal actions), with indicators and a year of progress for the
follow-up; Quartier Libre Besançon's 3-year plan on the charter's five axes.

Idempotent: plans are looked up by owner, actions by title within their plan. The
Charenton plans are made only if the experiments demo made the experiment and its
groups (found by title); Besançon's plan is owned by the territory (owner_type
"partnership", owner_id = the territory's id) until the charter capability provides a
partnership object.
"""
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from extensions import db
from facilitation.action_plans import consolidation, operations
from facilitation.action_plans import queries as ap_queries
from facilitation.action_plans.models import (
    CHARTER_AXES,
    Action,
    ActionPlan,
    ActionPlanAxis,
    ActionProgressSnapshot,
)
from territorial.actors.models import Organisation, Person
from territorial.indicators import operations as indicators
from territorial.territories.models import Territory

CHARENTON = "charenton-saint-maurice"
BESANCON = "besancon"

# Theme of the group → actions: (title, scope, horizon, porteur, status, progress,
# start offset in days, due offset in days, budget, funders, description)
GT3_ACTIONS = {
    "Insertion des jeunes": [
        ("Parrainer 20 jeunes de la Mission locale par des salariés volontaires",
         "participants", "court", "Banque Populaire – agence de Charenton", "en_cours", 45,
         -60, 120, "3000", "Banque Populaire", "Un binôme jeune – salarié, une rencontre par mois pendant six mois."),
        ("Ouvrir 15 stages de découverte dans les entreprises du GT",
         "participants", "court", "Hôtel Les Terrasses de Marne", "en_cours", 60, -45, -5, None, "",
         "Stages d'observation de trois jours pour les jeunes suivis par le club de prévention."),
        ("Créer un forum « métiers qui recrutent » au printemps",
         "territoire", "moyen", "Mission locale des Bords de Marne", "retenue", 10, 30, 200, "1250",
         "Communauté de communes, Fondation Entreprendre Solidaire", ""),
        ("Proposer à la communauté de communes un guichet unique des stages",
         "territoire", "long", None, "proposee", 0, None, None, None, "", ""),
    ],
    "Emploi": [
        ("Organiser 4 job datings associations – entreprises d'ici six mois",
         "participants", "court", "Association Tremplin Emploi", "en_cours", 50, -90, 150, "2400",
         "Communauté de communes", "Un job dating par trimestre, dans les locaux d'une entreprise du GT."),
        ("Former 10 bénévoles au numérique pour l'accompagnement des demandeurs d'emploi",
         "participants", "court", "Coup de Pouce Numérique", "realisee", 100, -120, -20, "800", "", ""),
        ("Mutualiser une offre de mécénat de compétences (RH, juridique)",
         "participants", "moyen", "Cabinet Conseil Val Expertise", "retenue", 15, 0, 240, None, "", ""),
        ("Proposer une clause d'insertion dans les marchés publics intercommunaux",
         "territoire", "moyen", "Communauté de communes de Charenton-Saint-Maurice", "proposee", 0,
         None, 300, None, "", ""),
    ],
    "Handicap": [
        ("Sensibiliser 40 recruteurs du territoire à l'emploi des personnes handicapées",
         "participants", "court", "Handi'Cap Val-de-Marne", "en_cours", 30, -75, -10, "1500",
         "Fondation Entreprendre Solidaire", "Deux demi-journées animées par Handi'Cap Val-de-Marne."),
        ("Aménager 5 postes de travail avec l'appui d'un ergonome",
         "participants", "moyen", "Bâtir Ensemble BTP", "retenue", 5, 15, 270, "6000", "Agefiph", ""),
        ("Créer un label « commerce accueillant » avec les commerçants",
         "territoire", "long", "Pharmacie de la Mairie", "proposee", 0, None, None, None, "", ""),
        ("Ateliers de découverte des métiers pour les jeunes en situation de handicap",
         "participants", "court", None, "abandonnee", 0, None, None, None, "",
         "Faute d'intervenant disponible au premier semestre."),
    ],
}
TRANSVERSAL_ACTIONS = [
    ("Réunir un comité de suivi des plans d'action tous les six mois",
     "territoire", "moyen", "Communauté de communes de Charenton-Saint-Maurice", "en_cours", 25,
     -30, 330, None, "", "Le copil élargi aux porteurs d'actions fait le point sur le plan consolidé."),
    ("Publier l'annuaire des partenariats associations – entreprises du territoire",
     "territoire", "court", "Le RAMEAU", "retenue", 20, 0, 90, "900", "Communauté de communes", ""),
]

# axis key → actions of Quartier Libre's 3-year plan (title, porteur, status, progress,
# start (year offset, month), due (year offset, month), budget, funders)
CHARTER_ACTIONS = {
    "financement": [
        ("Monter un dossier commun de financement des voyages culturels", "MJC de Palente",
         "en_cours", 40, (0, 1), (0, 9), "4500", "Ville de Besançon, CAF du Doubs"),
        ("Établir le budget prévisionnel et le suivi des comptes de chaque projet commun",
         "MJC Clairs-Soleils", "realisee", 100, (0, 1), (0, 4), None, ""),
    ],
    "communication": [
        ("Mettre à jour le site internet commun chaque mois", "Comité de quartier Rosemont Saint-Ferjeux",
         "en_cours", 60, (0, 2), (2, 12), "1200", ""),
        ("Publier le programme annuel des activités partagées dans le Bilboquet", "MJC de Palente",
         "retenue", 10, (0, 6), (0, 9), "600", ""),
    ],
    "activites": [
        ("Proposer un voyage culturel mensuel ouvert aux habitants des trois quartiers",
         "MJC Clairs-Soleils", "en_cours", 35, (0, 1), (1, 6), "9000", "Participation des familles au quotient"),
        ("Organiser un bal folk commun par saison", "Comité de quartier Rosemont Saint-Ferjeux",
         "proposee", 0, (1, 1), (1, 12), None, ""),
        ("Harmoniser les ateliers sociolinguistiques (ASL) des trois maisons", "MJC de Palente",
         "retenue", 5, (1, 1), (2, 6), None, ""),
    ],
    "moyens": [
        ("Mutualiser un minibus pour les sorties famille", "MJC Clairs-Soleils", "proposee", 0,
         (1, 3), (1, 9), "2500", ""),
        ("Former les chefs de projet à la conduite de projet", None, "retenue", 0, (0, 9), (1, 3),
         "1800", "Uniformation"),
    ],
    "partenariat_externe": [
        ("Présenter le partenariat à la direction vie des quartiers de la Ville",
         "Comité de quartier Rosemont Saint-Ferjeux", "realisee", 100, (0, 2), (0, 3), None, ""),
        ("Rechercher une fondation partenaire pour les séjours", "MJC de Palente", "proposee", 0,
         (1, 1), (2, 12), None, ""),
    ],
}


def seed_action_plans_demo() -> None:
    _seed_charenton()
    _seed_besancon()
    db.session.flush()


def _organisations(territory_id: int) -> dict[str, Organisation]:
    return {o.name: o for o in db.session.scalars(
        select(Organisation).where(Organisation.territory_id == territory_id))}


def _first_contacts(territory_id: int) -> dict[int, int]:
    contacts = {}
    for person_id, organisation_id in db.session.execute(
        select(Person.id, Person.organisation_id).where(Person.territory_id == territory_id)
        .order_by(Person.id)
    ):
        if organisation_id is not None:
            contacts.setdefault(organisation_id, person_id)
    return contacts


def _existing_titles(plan: ActionPlan) -> set[str]:
    return set(db.session.scalars(select(Action.title).where(Action.plan_id == plan.id)))


def _history(action: Action, start: date, today: date) -> None:
    """Backdated progress snapshots, so that the follow-up shows progress over time."""
    if action.progress <= 0 or action.status == "abandonnee":
        return
    months = max(1, min(6, (today - start).days // 30))
    for step in range(1, months + 1):
        day = today - timedelta(days=30 * (months - step + 1))
        progress = round(action.progress * step / (months + 1) / 5) * 5
        if db.session.scalar(select(ActionProgressSnapshot.id).where(
                ActionProgressSnapshot.action_id == action.id,
                ActionProgressSnapshot.recorded_on == day)) is None:
            db.session.add(ActionProgressSnapshot(
                territory_id=action.territory_id, plan_id=action.plan_id, action_id=action.id,
                recorded_on=day, progress=progress,
                status="en_cours" if action.status in ("en_cours", "realisee") else action.status,
            ))


def _add_actions(plan: ActionPlan, specs, organisations, contacts, today: date,
                 axis_id: int | None = None) -> dict[str, Action]:
    existing = _existing_titles(plan)
    created = {}
    for (title, scope, horizon, porteur, status, progress, start, due, budget, funders,
         description) in specs:
        if title in existing:
            continue
        organisation = organisations.get(porteur) if porteur else None
        action = operations.create_action(
            plan, title=title, scope=scope, horizon=horizon, axis_id=axis_id,
            owner_organisation_id=organisation.id if organisation else None,
            contact_person_id=contacts.get(organisation.id) if organisation else None,
            start_date=today + timedelta(days=start) if start is not None else None,
            due_date=today + timedelta(days=due) if due is not None else None,
            budget_amount=Decimal(budget) if budget else None, funders=funders,
            description=description if status != "abandonnee" else "",
            status=status, progress=progress,
            abandon_reason=description if status == "abandonnee" else "",
        )
        created[title] = action
        if start is not None:
            _history(action, today + timedelta(days=start), today)
    return created


def _seed_charenton() -> None:
    from facilitation.experiments.demo import TITLE
    from facilitation.experiments.models import Experiment

    territory = db.session.scalar(select(Territory).where(Territory.slug == CHARENTON))
    if territory is None:
        return
    experiment = db.session.scalar(select(Experiment).where(
        Experiment.territory_id == territory.id, Experiment.title == TITLE))
    if experiment is None:
        return
    themes, groups = consolidation.experiment_parts(experiment)
    if not groups:
        return
    consolidation.set_up_plans(experiment)
    organisations = _organisations(territory.id)
    contacts = _first_contacts(territory.id)
    today = date.today()
    theme_title = {theme.id: theme.title for theme in themes}
    created = {}
    for group in groups:
        specs = GT3_ACTIONS.get(theme_title.get(group.theme_id, ""))
        plan = ap_queries.plan_for("working_group", group.id, territory.id)
        if specs and plan is not None:
            axis_id = db.session.scalar(select(ActionPlanAxis.id).where(
                ActionPlanAxis.plan_id == plan.id).order_by(ActionPlanAxis.position).limit(1))
            created |= _add_actions(plan, specs, organisations, contacts, today, axis_id)
        if plan is not None and theme_title.get(group.theme_id) == "Emploi":
            _raci(plan, organisations)
    own = ap_queries.plan_for("experiment", experiment.id, territory.id)
    if own is not None:
        created |= _add_actions(own, TRANSVERSAL_ACTIONS, organisations, contacts, today)
    _charenton_indicators(territory, created, today)


def _raci(plan: ActionPlan, organisations: dict[str, Organisation]) -> None:
    """The GT Emploi's distribution of roles: the porteur realises, the communauté de
    communes approves, the GT's other structures are consulted or informed."""
    from territorial.raci import operations as raci

    grid = raci.get_or_create_grid(plan.territory_id, "action_plan", plan.id,
                                   f"Rôles — {plan.title}")
    raci.sync_activities(grid, ap_queries.raci_rows(plan))
    grid = raci.load_grid(grid)
    if grid.actors:
        return
    names = ["Communauté de communes de Charenton-Saint-Maurice", "Association Tremplin Emploi",
             "Coup de Pouce Numérique", "Cabinet Conseil Val Expertise", "Le RAMEAU"]
    actors = {name: raci.add_actor(grid, organisation=organisations[name])
              for name in names if name in organisations}
    owners = dict(db.session.execute(
        select(Action.id, Action.owner_organisation_id).where(Action.plan_id == plan.id)).all())
    by_org = {actor.organisation_id: actor for actor in actors.values()}
    community = actors.get(names[0])
    for activity in raci.load_grid(grid).activities:
        action_id = int(activity.source_key.split(":")[1])
        porteur = by_org.get(owners.get(action_id))
        if porteur is not None and porteur is not community:
            raci.set_cell(grid, activity.id, porteur.id, "R")
        elif porteur is community:
            raci.set_cell(grid, activity.id, community.id, "R")
        if community is not None and porteur is not community:
            raci.set_cell(grid, activity.id, community.id, "A")
        rameau = actors.get("Le RAMEAU")
        if rameau is not None:
            raci.set_cell(grid, activity.id, rameau.id, "I")


def _charenton_indicators(territory: Territory, created: dict[str, Action], today: date) -> None:
    year = today.year
    specs = [
        ("Sensibiliser 40 recruteurs du territoire à l'emploi des personnes handicapées",
         "Recruteurs sensibilisés", "recruteurs", 40, 14),
        ("Organiser 4 job datings associations – entreprises d'ici six mois",
         "Job datings organisés", "job datings", 4, 2),
        ("Parrainer 20 jeunes de la Mission locale par des salariés volontaires",
         "Jeunes parrainés", "jeunes", 20, 19),
    ]
    for action_title, title, unit, target, measure in specs:
        action = created.get(action_title)
        if action is None:
            continue
        indicator = indicators.create_indicator(territory.id, "action", action.id, title=title,
                                                unit=unit, baseline=0, baseline_year=year - 1)
        indicators.set_target(indicator, year, target)
        indicators.record_value(indicator, year, measure, measured_on=today - timedelta(days=7),
                                source="Tableau de suivi du GT")
    action = created.get("Proposer une clause d'insertion dans les marchés publics intercommunaux")
    if action is not None:
        indicator = indicators.create_indicator(
            territory.id, "action", action.id, title="Position des élus sur la clause",
            kind="qualitative", scale="Non abordée\nPrésentée en bureau\nInscrite au conseil\nAdoptée",
            target_statement="La clause est adoptée par le conseil communautaire.",
        )
        indicators.set_target(indicator, year, statement="Inscrite au conseil")
        indicators.record_value(indicator, year, text_value="Présentée en bureau")


def _seed_besancon() -> None:
    territory = db.session.scalar(select(Territory).where(Territory.slug == BESANCON))
    if territory is None:
        return
    today = date.today()
    start_year = today.year - 1 if today.month < 4 else today.year
    plan = ap_queries.plan_for("partnership", territory.id, territory.id)
    if plan is None:
        plan = operations.create_plan(
            territory.id, "partnership", territory.id,
            f"Plan d'action à 3 ans de Quartier Libre Besançon ({start_year}–{start_year + 2})",
            [(key, str(title)) for key, title in CHARTER_AXES], horizon_years=3,
            start_year=start_year,
            description=("Feuille de route du partenariat, organisée autour des cinq grands sujets "
                         "de la charte ; définie par le comité de pilotage."),
        )
    axes = {axis.key: axis.id for axis in db.session.scalars(
        select(ActionPlanAxis).where(ActionPlanAxis.plan_id == plan.id))}
    organisations = _organisations(territory.id)
    contacts = _first_contacts(territory.id)
    created = {}
    for key, specs in CHARTER_ACTIONS.items():
        rows = []
        for title, porteur, status, progress, (sy, sm), (dy, dm), budget, funders in specs:
            start = date(start_year + sy, sm, 1)
            due = date(start_year + dy, dm, 28)
            horizon = "court" if dy == 0 else "moyen" if dy == 1 else "long"
            rows.append((title, "participants", horizon, porteur, status, progress,
                         (start - today).days, (due - today).days, budget, funders, ""))
        created |= _add_actions(plan, rows, organisations, contacts, today, axes.get(key))
    voyage = created.get("Proposer un voyage culturel mensuel ouvert aux habitants des trois quartiers")
    if voyage is not None:
        indicator = indicators.create_indicator(
            territory.id, "action", voyage.id, title="Inscriptions aux voyages, par maison",
            unit="inscrits", baseline=60, baseline_year=start_year - 1,
            description="Nombre d'inscriptions par maison : la participation du plus grand nombre "
                        "et l'équité entre les maisons.",
        )
        for offset, target in enumerate((90, 110, 130)):
            indicators.set_target(indicator, start_year + offset, target)
        indicators.record_value(indicator, start_year, 84, source="Fichiers d'inscription")
        if start_year < today.year:
            indicators.record_value(indicator, today.year, 70, source="Fichiers d'inscription")
