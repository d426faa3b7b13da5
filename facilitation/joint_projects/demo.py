"""Demo of Quartier Libre Besançon: the three houses govern their partnership by their charter.

The adopted charter (version 1 of 2013, version 2 re-adopted with the copil's rhythm), its
instances with their members, one joint project at each step of the charter's lifecycle, the
cultural trips project fully conducted (finalités, SMART objectives, means, budget, indicators,
evaluation), a copil decision blocked then arbitrated by the Coprédir, the information note of
that copil, interconnaissance sheets, a delegation, and the 3-year plan (seeded by the action
plans' demo, created here only if missing).

Idempotent: nothing is done when the territory already has its Quartier Libre charter.
"""
from __future__ import annotations

import copy
from datetime import UTC, date, datetime, time, timedelta

import yaml
from sqlalchemy import select

from extensions import db
from facilitation.action_plans import operations as plans
from facilitation.action_plans import queries as ap_queries
from facilitation.decisions import arbitration, meetings
from facilitation.decisions import operations as decisions
from facilitation.joint_projects import lifecycle
from facilitation.joint_projects.acting import Acting
from facilitation.joint_projects.demo_details import delegation, interconnaissance, voyages_conduct
from facilitation.joint_projects.models import JointProject, ProjectTransition
from facilitation.sessions import operations as sessions
from territorial.accounts import operations as accounts
from territorial.actors.models import Organisation, Person
from territorial.charters import adoption
from territorial.charters import operations as charters
from territorial.charters import queries as charter_queries
from territorial.charters import rules
from territorial.charters.models import Charter
from territorial.demo import DEMO_PASSWORD
from territorial.territories.models import Territory

SLUG = "besancon"
TEMPLATE = "quartier_libre"
COORDINATOR = "coordination@quartierlibre.demo"
# A director who sits in the copil, the Codir and the Coprédir, acting under her own account.
MEMBER = ("directrice@clairs-soleils.demo", "Nathalie Grosjean")
HOUSES = ["MJC de Palente", "MJC Clairs-Soleils", "Comité de quartier Rosemont Saint-Ferjeux"]

# Sample words for what the steps record (by record key of the charter).
RECORDS = {
    "constat": "Des habitants des trois quartiers demandent des activités qu'aucune maison ne peut "
               "proposer seule.",
    "analyse": "Les équipes ont recensé les demandes lors des accueils et des conseils de maison.",
    "propositions": "Une activité commune, ouverte aux adhérents des trois maisons, coordonnée "
                    "par un chef de projet.",
    "preconisations": "Associer dès le départ les personnels administratifs pour les inscriptions.",
    "points_de_vigilance": "Veiller à l'équité entre les maisons dans le nombre de places.",
    "mission": "Coordonner le groupe de travail, établir le budget prévisionnel et suivre les "
               "inscriptions avec les équipes des trois maisons.",
    "temps_imparti": "Quatre heures par semaine, de septembre à juin.",
    "besoins_formation": "Formation à la conduite de projet (deux jours).",
}

# (title, summary, porteurs (house indexes), acts after the idea, one référent only)
PROJECTS = [
    ("Écrivain public itinérant", "Un écrivain public qui tient une permanence dans chaque maison.",
     [0], 0, False),
    ("Bals folk inter-quartiers", "Un bal folk par saison, chaque fois dans une maison.", [2], 1, False),
    ("Ateliers sociolinguistiques communs", "Harmoniser les ASL des trois maisons.", [0, 1], 2, False),
    ("Site internet commun", "Un site présentant les activités partagées des trois maisons.",
     [1], 3, False),
    ("Camps d'été des ados", "Deux camps d'été communs pour les 12-16 ans.", [1, 2], 4, False),
    ("Sorties famille", "Des sorties à la journée pour les familles des trois quartiers.", [2], 5, True),
    ("Le Bilboquet, journal commun", "Un journal trimestriel des trois maisons.", [0], 6, False),
    ("Fête des trois quartiers", "Une fête commune au début de l'été.", [0, 1, 2], 7, False),
    ("Voyages culturels", "Des voyages culturels mensuels ouverts aux habitants des trois "
                          "quartiers.", [1], 8, False),
]


def seed_partnerships_demo() -> None:
    territory = db.session.scalar(select(Territory).where(Territory.slug == SLUG))
    if territory is None:
        return
    if db.session.scalar(select(Charter.id).where(Charter.territory_id == territory.id,
                                                  Charter.template_key == TEMPLATE)):
        return
    user = accounts.find_user(COORDINATOR)
    houses = [db.session.scalar(select(Organisation).where(
        Organisation.territory_id == territory.id, Organisation.name == name)) for name in HOUSES]
    if any(house is None for house in houses):
        return
    today = date.today()
    charter = _charter(territory, houses, user)
    people = _people(houses)
    _instances(charter, people, today)
    member = _member_account(territory, people[houses[1].id]["directeur"])
    projects = _projects(charter, houses, people, user, today, member)
    _decisions(charter, projects, people, user, today)
    voyages_conduct(projects["Voyages culturels"], houses, today)
    interconnaissance(charter, houses, user)
    delegation(charter, people, user, today)
    if ap_queries.plan_for("partnership", territory.id, territory.id) is None:
        content = charter.governing
        plans.create_plan(
            territory.id, "partnership", territory.id,
            f"Plan d'action à {content['action_plan_years']} ans de Quartier Libre Besançon",
            [(axis["key"], axis["title"]) for axis in content["action_plan_axes"]],
            horizon_years=content["action_plan_years"], start_year=today.year)
    db.session.flush()


def _at(day: date) -> datetime:
    return datetime.combine(day, time(18, 0), tzinfo=UTC)


def _charter(territory, houses, user) -> Charter:
    template = charter_queries.templates()[TEMPLATE]
    charter = charters.create_charter(
        territory.id, TEMPLATE, title="Charte de partenariat – Quartier Libre Besançon",
        signatory_organisations={s["key"]: house.id
                                 for s, house in zip(template["signatories"], houses)},
        user=user, adopted_on=date(2013, 6, 24))
    first = charter_queries.get_version(charter, 1)
    first.created_at = _at(date(2013, 6, 3))
    first.adoption_note = "Accord des conseils d'administration des trois maisons."
    # Version 2: the copil, about which the charter was silent, now meets four times a year.
    content = copy.deepcopy(charter.content)
    for instance in content["instances"]:
        if instance["key"] == "copil":
            instance["rhythm"] = {"text": "quatre fois par an", "meetings_per_year": 4}
    text = yaml.safe_dump(content["instances"], allow_unicode=True, sort_keys=False)
    second = charters.update_section(
        charter, "instances", text, user,
        "Le comité de pilotage se réunit quatre fois par an (la charte de 2013 ne fixait pas "
        "son rythme).")
    second.created_at = _at(date(2024, 5, 14))
    adoption.adopt_on_behalf(
        charter, user, date(2024, 6, 18),
        note="Accord des trois conseils d'administration, annoncé en assemblée plénière.")
    return charter


def _member_account(territory, person: Person):
    """Users are people: the Clairs-Soleils director's account is linked to her contact."""
    email, name = MEMBER
    user = accounts.find_user(email) or accounts.create_user(email, name, DEMO_PASSWORD)
    accounts.set_membership(user, territory.id, "participant")
    person.user_id = user.id
    return user


def _function(person: Person) -> str:
    word = (person.function or "").split(" ")[0].lower()
    if word.startswith("direct"):
        return "directeur"
    if word.startswith("présid"):
        return "president"
    if word.startswith("administrat"):
        return "administrateur"
    return "salarie"


def _people(houses) -> dict[int, dict[str, Person]]:
    """House id → function key → person."""
    result = {}
    for house in houses:
        people = db.session.scalars(select(Person).where(
            Person.organisation_id == house.id).order_by(Person.id)).all()
        result[house.id] = {_function(p): p for p in people}
    return result


def _instances(charter: Charter, people, today: date) -> None:
    mandate_ca = "Mandaté(e) par le conseil d'administration du 12 mars 2024"
    mandate_staff = "Mandaté(e) par l'instance salariée"
    seats = {
        "copil": ["president", "directeur", "administrateur", "salarie"],
        "codir": ["directeur"],
        "copredir": ["directeur", "president"],
    }
    for key, functions in seats.items():
        instance = charter_queries.instance_row(charter, key)
        for house_people in people.values():
            for function in functions:
                person = house_people.get(function)
                if person is None:
                    continue
                charters.add_instance_member(
                    charter, instance, person.id, function,
                    mandate=mandate_staff if function == "salarie" else mandate_ca,
                    started_on=date(2024, 3, 12), mandate_until=date(2027, 3, 11))
    # Meetings: a plénière last season, the copil of two months ago, the Coprédir that
    # arbitrated, and the next plénière.
    for key, days_ago, place in (("pleniere", 150, "MJC Clairs-Soleils, grande salle"),
                                 ("copil", 60, "MJC de Palente"),
                                 ("copredir", 40, "Comité de quartier Rosemont Saint-Ferjeux"),
                                 ("pleniere", -45, "MJC de Palente, salle de spectacle")):
        instance = charter_queries.instance_row(charter, key)
        meetings.schedule_meeting(charter, instance, day=today - timedelta(days=days_ago),
                                  place=place)


def _step_decision(project, charter, step, people, user):
    """Step 4: the copil's consensus decision, with each member's position, records the step."""
    instance = charter_queries.instance_row(charter, step["instance"])
    voyages = project.title == "Voyages culturels"
    meeting = _meeting(charter, step["instance"])[0] if voyages else None
    decision = decisions.create_decision(
        charter, instance, level=step["decision"]["level"],
        statement=(f"Valider le projet commun « {project.title} » et créer son groupe de travail."),
        joint_project=project, step_key=step["key"], step_outcome="valide", user=user,
        session=meeting,
        decided_on=sessions.to_local(meeting.starts_at).date() if meeting else None)
    rosemont = list(people.values())[2]
    reserve = (rosemont["president"], "Veiller à un départ depuis chaque quartier.") if voyages \
        else None
    decisions.record_positions(
        decision, _positions(decision, people, reserve=reserve),
        objections_heard=("La réserve sur les lieux de départ est retenue comme point de "
                          "vigilance.") if voyages else "",
        round_table="Accord de tous, avec une réserve." if voyages else "Accord de tous.",
        meaning=("Permettre aux habitants des trois quartiers de s'ouvrir à d'autres cultures."
                 if voyages else ""))
    decisions.conclude(decision, user=user)


def _act(project, charter, step, houses, people, user, member=None):
    if step.get("decision"):
        _step_decision(project, charter, step, people, user)
        return
    if member is not None and step.get("instance") == "codir":
        user = member  # the director names the project lead under her own name
    records = {r["key"]: RECORDS.get(r["key"], "Voir le compte rendu.") for r in step.get("records", [])}
    options = {name: choices[0]["key"] for name, choices in step.get("options", {}).items()}
    outcome = next((o["key"] for o in step.get("outcomes", []) if not o["ends_project"]), None)
    if step.get("actor") == "each_structure":
        for house in houses:
            # Clairs-Soleils names its administratrice: its animateur leads projects.
            appointee = people[house.id].get("administrateur" if house == houses[1] else "salarie")
            lifecycle.advance(project, step["key"], Acting(
                "structure", user, organisation_id=house.id, may_record_on_behalf=True),
                appointee_id=appointee.id if appointee else None, records=records)
        return
    acting = (Acting("instance", user, instance_key=step["instance"],
                               may_record_on_behalf=True)
              if "instance" in step else Acting("porteurs", user,
                                                          may_record_on_behalf=True))
    appointee = None
    if step.get("appoints"):
        appointee = people[houses[1].id].get("salarie")
    lifecycle.advance(project, step["key"], acting, outcome=outcome, records=records,
                      options=options, appointee_id=appointee.id if appointee else None,
                      notes=("Validé à l'unanimité après échanges." if outcome else ""))


def _projects(charter: Charter, houses, people, user, today: date, member=None
              ) -> dict[str, JointProject]:
    steps = rules.lifecycle(charter.governing)
    result = {}
    for index, (title, summary, porteurs, acts, partial) in enumerate(PROJECTS):
        first = steps[0]
        project = lifecycle.create_project(
            charter, title=title, summary=summary,
            porteur_organisation_ids=[houses[i].id for i in porteurs],
            porteur_person_id=people[houses[porteurs[0]].id].get("salarie").id,
            acting=Acting("porteurs", user, may_record_on_behalf=True),
            records={}, options={name: choices[index % len(choices)]["key"]
                                 for name, choices in first.get("options", {}).items()})
        for done, step in enumerate(steps[1:]):
            if done >= acts:
                if partial and step.get("actor") == "each_structure":
                    # Only one house has named its référent so far.
                    lifecycle.advance(project, step["key"], Acting(
                        "structure", user, organisation_id=houses[2].id,
                        may_record_on_behalf=True),
                        appointee_id=people[houses[2].id]["salarie"].id)
                break
            _act(project, charter, step, houses, people, user,
                 member if title == "Fête des trois quartiers" else None)
        _spread_dates(project, today - timedelta(days=400 - index * 25), today - timedelta(days=20))
        result[title] = project
    return result


def _spread_dates(project: JointProject, start: date, end: date) -> None:
    transitions = db.session.scalars(select(ProjectTransition).where(
        ProjectTransition.project_id == project.id).order_by(ProjectTransition.id)).all()
    project.created_at = _at(start)
    if not transitions:
        return
    span = max((end - start).days, 1)
    for number, transition in enumerate(transitions):
        transition.created_at = _at(start + timedelta(days=span * number // max(len(transitions), 1)))


def _meeting(charter, key):
    instance = charter_queries.instance_row(charter, key)
    return meetings.meetings(instance)


def _positions(decision, people_by_function, objection=None, reserve=None):
    members = decisions.body_members(decision)
    positions = {}
    for member in members:
        position, comment = "accord", ""
        if objection and member.person_id == objection[0].id:
            position, comment = "objection", objection[1]
        elif reserve and member.person_id == reserve[0].id:
            position, comment = "accord_reserve", reserve[1]
        positions[member.person_id] = (position, comment)
    return positions


def _decisions(charter: Charter, projects, people, user, today: date) -> None:
    copil = charter_queries.instance_row(charter, "copil")
    copil_meeting = next(m for m in _meeting(charter, "copil"))
    copredir_meeting = next(m for m in _meeting(charter, "copredir"))
    day = sessions.to_local(copil_meeting.starts_at).date()
    houses = list(people)
    palente, clairs, rosemont = (people[h] for h in houses)

    plan = decisions.create_decision(
        charter, copil, level="strategique",
        statement="Adopter le plan d'action à 3 ans du partenariat, organisé autour des cinq "
                  "grands sujets de la charte.",
        session=copil_meeting, decided_on=day, user=user,
        reflection="Préparé en sous-groupe par les trois directeurs à partir des bilans de "
                   "l'assemblée plénière.")
    decisions.record_positions(plan, _positions(plan, people), round_table="Accord de tous.",
                               meaning="Donner une feuille de route commune aux salariés et "
                                       "bénévoles des trois maisons.")
    decisions.conclude(plan, day)

    voyages = projects["Voyages culturels"]
    payment = decisions.create_decision(
        charter, copil, level="fonctionnelle",
        statement="Mode de paiement des voyages : participation au prorata du quotient familial, "
                  "deux places gratuites par voyage, encaissement centralisé par la MJC de "
                  "Palente.",
        joint_project=voyages, session=copil_meeting, decided_on=day, user=user,
        reflection="Proposé par le groupe de travail des voyages culturels.")
    decisions.record_positions(
        payment, _positions(payment, people,
                            objection=(rosemont["administrateur"],
                                       "Nos adhérents paient chez nous : un encaissement "
                                       "centralisé les éloigne de leur maison."),
                            reserve=(clairs["administrateur"], "Prévoir un bilan après six mois.")),
        objections_heard="L'objection du Comité de quartier a été écoutée ; deux tours "
                         "d'échanges n'ont pas permis de la lever.",
        round_table="Une objection demeure.")
    decisions.conclude(payment, day)
    result = arbitration.escalate(payment, charter, user, on=day)
    arbiter = result.decision
    arbiter.session_id = copredir_meeting.id
    arbiter.statement = ("Arbitrage du mode de paiement des voyages : participation au "
                             "quotient familial, deux places gratuites, chaque maison encaisse "
                             "pour ses adhérents et reverse à la MJC de Palente.")
    arbitration_day = sessions.to_local(copredir_meeting.starts_at).date()
    decisions.record_positions(
        arbiter, _positions(arbiter, people,
                                reserve=(palente["directeur"], "Un tableau de suivi commun des "
                                                               "encaissements est nécessaire.")),
        objections_heard="Le Coprédir a entendu l'objection du Comité de quartier et la "
                         "proposition du groupe de travail.",
        round_table="Accord des trois directeurs et des trois présidents.",
        meaning="Chaque maison reste le lieu d'inscription de ses adhérents ; le partenariat "
                "assure l'équité des tarifs.")
    decisions.conclude(arbiter, arbitration_day)

    site = decisions.create_decision(
        charter, copil, level="operationnelle",
        statement="Expérimenter pendant un an le site internet commun avant de choisir un "
                  "prestataire.",
        joint_project=projects["Site internet commun"], session=copil_meeting, decided_on=day,
        review_on=today + timedelta(days=20), user=user)
    decisions.record_positions(site, _positions(site, people), round_table="Accord de tous.",
                               meaning="Vérifier l'usage réel avant d'engager une dépense.")
    decisions.conclude(site, day)
    meetings.draft_note(charter, copil_meeting, user)
