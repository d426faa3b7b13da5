"""Demo of the Charenton-Saint-Maurice experiment, as in Le RAMEAU's cadre méthodologique:
one year, GTs in the first semester, three mixed GTs of 8 to 12 participants, preparatory
interviews, pilots and their operational roles. Idempotent: looked up by title."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from extensions import db
from facilitation.experiments import operations, queries, roles
from facilitation.experiments.methods import get_method
from facilitation.experiments.models import (
    CadreSection,
    Deliverable,
    Experiment,
    Interview,
    Part,
    Stakeholder,
)
from facilitation.experiments.planning import add_months
from facilitation.sessions.models import Meeting
from facilitation.working_groups import operations as group_operations
from facilitation.working_groups.models import WorkingGroup
from territorial.accounts.models import User
from territorial.actors.models import Organisation, Person
from territorial.common.models import utcnow
from territorial.raci import operations as raci
from territorial.territories.models import Territory

SLUG = "charenton-saint-maurice"
TITLE = "Agir ensemble sur le territoire de Charenton-Saint-Maurice"
PERIMETER = "Communauté de communes de Charenton-Saint-Maurice"
CC = "Communauté de communes de Charenton-Saint-Maurice"
RAMEAU = "Le RAMEAU"

# Extra participants so that each GT has 8 to 12 members: (organisation, first, last,
# function, demo account e-mail or None).
EXTRA_PEOPLE = [
    (CC, "Karim", "Benali", "Chargé d'animation territoriale", "animation@charenton.demo"),
    ("Association Tremplin Emploi", "Sophie", "Lambert", "Chargée de projets",
     "participant@charenton.demo"),
    ("Banque Populaire – agence de Charenton", "Claire", "Dubois", "Chargée RSE", None),
    ("Handi'Cap Val-de-Marne", "Romain", "Girard", "Chargé d'insertion professionnelle", None),
    ("Bâtir Ensemble BTP", "Laura", "Michel", "Chargée d'insertion", None),
    ("Transports Marne Logistique", "Éric", "Fontaine", "Responsable d'exploitation", None),
    ("Supermarché des Quais", "Yasmine", "Amrani", "Responsable des ressources humaines", None),
]

# theme → (facilitator, members) by « First Last »
GROUPS = {
    "Insertion des jeunes": ("Karim Benali", [
        "Nadia Haddad", "Thomas Roux", "Yanis Belkacem", "Léa Gauthier", "François Mercier",
        "Olivier Garnier", "Sébastien Faure", "Karine Lefèvre", "Nicolas Chevalier",
        "Agnès Colin"]),
    "Emploi": ("Élodie Charpentier", [
        "Louis Perrin", "Fatou Diallo", "Sophie Lambert", "Léa Gauthier", "Ahmed Kaci",
        "Isabelle Renaud", "Bruno Masson", "Denis Robin", "Nicolas Chevalier", "Claire Dubois"]),
    "Handicap": ("Karim Benali", [
        "Julie Marchand", "Romain Girard", "Monique Fabre", "Chantal Bernard", "Aurélie Blanc",
        "Isabelle Renaud", "Laura Michel", "Éric Fontaine", "Yasmine Amrani"]),
}

SECTIONS = {
    ("expose_des_motifs", None): (
        "Les partenariats, une dynamique en marche : si 46 % des associations et 21 % des "
        "entreprises ont déjà noué des partenariats, la dynamique tend à se consolider avec "
        "33 % des entreprises et 25 % des associations souhaitant initier des partenariats au "
        "cours des 24 prochains mois."),
    ("expose_des_motifs", "associations"): (
        "Face aux enjeux de transformation du secteur associatif, les partenariats avec les "
        "entreprises apparaissent de plus en plus comme un levier pertinent pour répondre à des "
        "problématiques structurantes de l'association. L'entreprise est reconnue comme un "
        "partenaire légitime pour mettre à disposition des compétences, favoriser l'ancrage "
        "territorial, transférer une expertise, avoir un effet de levier sur des financements "
        "et innover."),
    ("expose_des_motifs", "entreprises"): (
        "Les entreprises s'appuient de plus en plus sur les associations pour résoudre au mieux "
        "les problématiques auxquelles elles sont confrontées. Mise en œuvre d'une démarche "
        "RSE, gestion de clientèles fragiles, performance environnementale, insertion de "
        "salariés en fragilité… autant de thématiques pour lesquelles les associations ont des "
        "réponses à offrir, tant en termes de dialogue avec les parties prenantes que "
        "d'expertise ou d'innovation."),
    ("expose_des_motifs", "collectivites"): (
        "Une récente étude sur le point de vue des collectivités révèle que celles-ci ont "
        "conscience de l'enjeu que représentent les partenariats associations – entreprises "
        "pour ces acteurs et leurs territoires. Mais si les collectivités souhaitent aujourd'hui "
        "travailler dans le sens d'un rapprochement entre entreprises et associations, la "
        "question du « comment faire ? » reste posée."),
    ("objectifs", None): (
        "Inventer collectivement des solutions de partenariat pour répondre :\n"
        "- aux enjeux du territoire ;\n"
        "- aux enjeux particuliers des associations, des entreprises et des collectivités de "
        "ce territoire."),
    ("elements_descriptifs", None): (
        "À l'invitation de la collectivité, des associations et des entreprises échangent sur "
        "des thématiques qui impactent le territoire et qui concernent ces deux acteurs : "
        "insertion des jeunes, emploi, handicap.\n\n"
        "Pour réfléchir à ces thématiques, des groupes de travail mixtes, associations et "
        "entreprises, sont constitués (environ 8 à 12 participants par groupe de travail)."),
    ("principes", None): (
        "Un objectif : faire travailler ensemble les associations et les entreprises du "
        "territoire autour d'enjeux partagés pour ces acteurs et pour les collectivités "
        "concernées.\n\n"
        "Quelques principes de l'expérimentation :\n"
        "- capitaliser les travaux effectués ;\n"
        "- être concret dans le travail effectué ;\n"
        "- rendre des pistes d'actions simples mais sans simplisme ;\n"
        "- aboutir à des résultats opérationnels adossés à une réflexion structurée ;\n"
        "- aider concrètement à la mise en œuvre des actions identifiées comme pertinentes et "
        "réalisables.\n\n"
        "La finalité des groupes de travail : proposer des solutions opérationnelles à la "
        "collectivité sur les thèmes identifiés."),
    ("positionnements", None): (
        "La Communauté de communes invite et mobilise les acteurs du territoire ; Le RAMEAU "
        "apporte la méthode, l'état des lieux national et l'animation. Leurs apports sont "
        "complémentaires : ancrage territorial d'un côté, expertise des partenariats de "
        "l'autre."),
    ("deroule_global", None): (
        "La préparation : cadrage, choix des thématiques, mobilisation des participants et "
        "entretiens préparatoires.\n\n"
        "L'expérimentation : réunion collective de lancement, GT1 diagnostic partagé, GT2 "
        "pistes de solution, GT3 plan d'action, puis réunion collective de restitution.\n\n"
        "L'évaluation / le suivi post-expérimentation : bilan et suivi des actions engagées."),
    ("planning", None): (
        "1 an d'expérimentation avec une concentration des GT sur le premier semestre. Un "
        "copil au lancement, puis tous les trois mois, et un copil de clôture."),
}

STAKEHOLDERS = [
    (CC, "pilote",
     "À l'initiative de l'expérimentation, la collectivité invite les associations et les "
     "entreprises de son territoire à travailler ensemble.",
     "Connaissance des enjeux du territoire, légitimité pour mobiliser les acteurs, "
     "logistique des réunions.", ""),
    (RAMEAU, "pilote",
     "Laboratoire de recherche sur les partenariats, il accompagne la collectivité dans le "
     "cadre de son programme « Modèles territoriaux ».",
     "La méthode, l'état des lieux national sur chaque thématique, des témoignages, "
     "l'animation partagée des GT.", ""),
    ("Mission locale des Bords de Marne", "partie_prenante",
     "Acteur de référence de l'insertion des jeunes sur le territoire.",
     "Connaissance fine des parcours des jeunes et des besoins des employeurs.",
     "Relayer l'invitation auprès des associations de jeunesse et apporter des témoignages "
     "au GT « Insertion des jeunes »."),
    ("Fondation Entreprendre Solidaire", "partie_prenante",
     "Fondation attentive aux projets collectifs associations – entreprises.",
     "Effet de levier sur les financements.",
     "Étudier le soutien aux actions retenues dans les plans d'action."),
]

# (person, interviewer, days after start, theme or None, individual, territorial)
INTERVIEWS = [
    ("Jean-Pierre Vasseur", "Hélène Moreau", 20, None,
     "Faire de la Communauté de communes un facilitateur des coopérations locales.",
     "Des associations nombreuses mais peu connues des entreprises ; un tissu de PME "
     "attaché au territoire."),
    ("Nadia Haddad", "Élodie Charpentier", 26, "Insertion des jeunes",
     "Trouver des lieux de stage et d'alternance pour les jeunes suivis.",
     "Un chômage des jeunes supérieur à la moyenne départementale ; peu de liens avec les "
     "entreprises de logistique et du BTP."),
    ("François Mercier", "Hélène Moreau", 30, "Insertion des jeunes",
     "Engager les collaborateurs de l'agence dans du parrainage.",
     "Les jeunes du territoire connaissent mal les métiers de la banque et des services."),
    ("Louis Perrin", "Élodie Charpentier", 33, "Emploi",
     "Diversifier les financements de l'association au-delà des subventions.",
     "Des métiers en tension (logistique, commerce) et des demandeurs d'emploi éloignés du "
     "numérique."),
    ("Isabelle Renaud", "Hélène Moreau", 36, "Emploi",
     "Donner du contenu concret à la démarche RSE de l'entreprise.",
     "Des besoins de recrutement que les associations d'insertion pourraient aider à "
     "couvrir."),
    ("Julie Marchand", "Élodie Charpentier", 40, "Handicap",
     "Ouvrir de nouvelles entreprises d'accueil pour les personnes accompagnées.",
     "Un taux d'emploi des travailleurs handicapés en dessous de l'obligation légale dans "
     "les PME locales."),
]


def seed_experiments_demo() -> Experiment | None:
    territory = db.session.scalar(select(Territory).where(Territory.slug == SLUG))
    if territory is None:
        return None
    existing = db.session.scalar(select(Experiment).where(
        Experiment.territory_id == territory.id, Experiment.title == TITLE))
    if existing is not None:
        return existing
    people = _people(territory)
    organisations = {o.name: o for o in db.session.scalars(
        select(Organisation).where(Organisation.territory_id == territory.id))}
    method = get_method("agir_ensemble")
    today = date.today()
    start = add_months(today.replace(day=1), -3)
    experiment = operations.create_experiment(
        territory.id, method, title=TITLE, perimeter=PERIMETER, start_date=start,
        themes=list(GROUPS))
    experiment.status = "en_cours"
    _fill_sections(experiment)
    for name, role, positioning, contribution, reason in STAKEHOLDERS:
        operations.save_stakeholder(Stakeholder(), experiment, {
            "organisation_id": organisations[name].id, "role": role,
            "positioning": positioning, "contribution": contribution, "reason": reason})
    _compose_groups(experiment, people)
    _interviews(experiment, people, start)
    _deliverables(experiment, organisations, today)
    _sessions(experiment)
    _roles(experiment, method)
    db.session.flush()
    return experiment


def _people(territory: Territory) -> dict[str, Person]:
    organisations = {o.name: o for o in db.session.scalars(
        select(Organisation).where(Organisation.territory_id == territory.id))}
    for organisation_name, first, last, function, email in EXTRA_PEOPLE:
        organisation = organisations.get(organisation_name)
        if organisation is None:
            continue
        person = db.session.scalar(select(Person).where(
            Person.organisation_id == organisation.id, Person.first_name == first,
            Person.last_name == last))
        if person is None:
            user_id = None
            if email:
                user_id = db.session.scalar(select(User.id).where(User.email == email))
            person = Person(territory_id=territory.id, organisation_id=organisation.id,
                            first_name=first, last_name=last, function=function,
                            user_id=user_id)
            db.session.add(person)
    db.session.flush()
    return {p.full_name: p for p in db.session.scalars(
        select(Person).where(Person.territory_id == territory.id))}


def _fill_sections(experiment: Experiment) -> None:
    for section in db.session.scalars(select(CadreSection).where(
            CadreSection.experiment_id == experiment.id)):
        text = SECTIONS.get((section.key, section.actor_kind))
        if text:
            section.content = text


def _compose_groups(experiment: Experiment, people: dict[str, Person]) -> None:
    groups = db.session.scalars(select(WorkingGroup).where(
        WorkingGroup.experiment_id == experiment.id)).all()
    for group in groups:
        theme_title = group.title.removeprefix("GT ")
        facilitator, members = GROUPS[theme_title]
        group.facilitator_person_id = people[facilitator].id
        group.description = (f"Groupe de travail mixte associations – entreprises sur la "
                             f"thématique « {theme_title.lower()} ».")
        for name in members:
            group_operations.add_member(group, people[name].id)


def _interviews(experiment: Experiment, people: dict[str, Person], start: date) -> None:
    themes = {t.title: t.id for t in queries.themes(experiment.id)}
    for person, interviewer, days, theme, individual, territorial in INTERVIEWS:
        operations.save_interview(Interview(), experiment, {
            "person_id": people[person].id, "interviewer_person_id": people[interviewer].id,
            "held_on": start + timedelta(days=days), "theme_id": themes.get(theme),
            "individual_stakes": individual, "territorial_stakes": territorial, "notes": ""})


def _deliverables(experiment: Experiment, organisations: dict[str, Organisation],
                  today: date) -> None:
    rows = db.session.execute(
        select(Deliverable, Part.key).join(Part, Part.id == Deliverable.part_id)
        .where(Part.experiment_id == experiment.id)).all()
    for deliverable, part_key in rows:
        owner = RAMEAU if deliverable.key in {"comptes_rendus_gt", "diagnostics",
                                              "comptes_rendus_entretiens",
                                              "supports_lancement"} else CC
        deliverable.owner_organisation_id = organisations[owner].id
        if part_key == "preparation":
            deliverable.status = "livre"
        elif part_key == "experimentation" and deliverable.key in {"supports_lancement",
                                                                     "comptes_rendus_gt"}:
            deliverable.status = "en_cours" if deliverable.key == "comptes_rendus_gt" else "livre"


def _sessions(experiment: Experiment) -> None:
    now = utcnow()
    for session in db.session.scalars(select(Meeting).where(
            Meeting.experiment_id == experiment.id)):
        if session.kind in ("lancement", "restitution"):
            session.place = "Hôtel de ville de Charenton-le-Pont, salle du conseil"
        elif session.kind == "copil":
            session.place = "Siège de la Communauté de communes, salle Marne"
        else:
            session.place = "Maison des associations de Saint-Maurice"
        if session.ends_at < now:
            session.status = "cloturee"


def _roles(experiment: Experiment, method) -> None:
    grid = roles.ensure_grid(experiment, method)
    actors = {a.label: a.id for a in grid.actors}
    cc, rameau = actors.get(CC), actors.get(RAMEAU)
    if cc is None or rameau is None:
        return
    lead_rameau = {"task:cadrage", "task:animation_gt", "task:apport_contenu",
                   "task:comptes_rendus", "task:synthese_plans", "task:entretiens"}
    values = {}
    for activity in grid.activities:
        if activity.source_key in lead_rameau:
            values[(activity.id, rameau)], values[(activity.id, cc)] = "R", "A"
        else:
            values[(activity.id, cc)], values[(activity.id, rameau)] = "R", "A"
    raci.set_cells(grid, values)
