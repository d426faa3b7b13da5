"""Demo of the Champagne-Ardenne region: three associations under 3-year conventions
(2024–2026) with the region's ESS department, two years of values and dialogue notes,
one convention (Ardennes Insertion Solidaire) behind its targets.

Idempotent: every object is looked up by its natural key before being created.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from extensions import db
from territorial.accounts import operations as accounts
from territorial.actors.models import Organisation, Person
from territorial.common.models import utcnow
from territorial.conventions import follow_up, operations
from territorial.conventions.models import (
    OWNER_TYPE,
    Convention,
    ConventionFunder,
    ConventionMember,
    ConventionObjective,
    DialogueNote,
    Priority,
)
from territorial.demo import DEMO_PASSWORD
from territorial.indicators import operations as indicators
from territorial.indicators.models import Indicator, IndicatorValue
from territorial.territories.models import Territory

SLUG = "champagne-ardenne"
REGION = "Conseil régional Champagne-Ardenne – pôle ESS"
DEPARTMENT = ("Conseil départemental des Ardennes", "collectivite", "Insertion et RSA",
              "Charleville-Mézières", ("Sylvie", "Gérardin", "Cheffe du service insertion"))
COORDINATOR = "ess@champagne-ardenne.demo"

PRIORITIES = {
    REGION: [
        ("consolider", "Reconnaître les associations pour ce qu'elles sont et consolider leur "
                       "modèle économique",
         "Priorité de la charte d'utilité sociale : reconnaître les associations non seulement "
         "pour ce qu'elles font, mais pour ce qu'elles sont."),
        ("emploi", "Développer l'emploi et l'insertion professionnelle sur les territoires", ""),
        ("transition", "Accélérer la transition écologique et l'économie circulaire", ""),
        ("culture", "Garantir l'accès à la culture dans les territoires ruraux", ""),
    ],
    DEPARTMENT[0]: [
        ("rsa", "Accompagner vers l'emploi les bénéficiaires du RSA", ""),
    ],
}

Q, L = "quantitative", "qualitative"
SCALE = "Insuffisante\nEn progrès\nSatisfaisante\nTrès satisfaisante"

# Each convention: reference, title, association, account (email, name), funders and
# amounts per year, objectives (priority key, title, indicators). An indicator:
# (title, kind, unit, baseline, scale, targets {year: value}, values {year: value},
#  source, notes {year: [(party, text)]}).
CONVENTIONS = [
    {
        "reference": "CA-ESS-2024-01",
        "title": "Convention pluriannuelle d'objectifs – réemploi et économie circulaire",
        "association": "Réseau des Ressourceries de Champagne",
        "account": ("association@ressourceries.demo", "Aline Thiébaut"),
        "signed_on": date(2024, 3, 14),
        "description": "Le réseau et la Région s'engagent sur une trajectoire de trois ans : plus "
                       "de réemploi, plus d'emplois d'insertion, un modèle économique consolidé.",
        "amounts": {REGION: {2024: 60000, 2025: 60000, 2026: 62000}},
        "objectives": [
            ("transition", "Augmenter le réemploi des objets collectés dans les ressourceries", [
                ("Tonnes d'objets réemployés", Q, "tonnes", (420, 2023), "",
                 {2024: 480, 2025: 540, 2026: 600}, {2024: 492, 2025: 551},
                 "Pesées des ressourceries, bilan annuel du réseau", {
                     2024: [("association", "Les pesées sont désormais faites dans les 9 "
                                            "ressourceries avec la même méthode."),
                            ("authority", "La Région salue la fiabilisation des données ; "
                                          "l'objectif 2024 est dépassé.")],
                     2025: [("association", "L'ouverture de la boutique de Reims a porté le "
                                            "réemploi du textile."),
                            ("authority", "Trajectoire tenue : garder la cible 2026 à 600 "
                                          "tonnes.")]}),
                ("Points de collecte ouverts", Q, "points de collecte", (14, 2023), "",
                 {2024: 16, 2025: 18, 2026: 20}, {2024: 16, 2025: 18},
                 "Registre des points de collecte", {}),
            ]),
            ("emploi", "Créer des emplois d'insertion dans les ressourceries", [
                ("Salariés en parcours d'insertion", Q, "ETP", (18, 2023), "",
                 {2024: 20, 2025: 22, 2026: 25}, {2024: Decimal("20.5"), 2025: Decimal("21.6")},
                 "Déclarations sociales des structures", {
                     2025: [("association", "Deux recrutements ont glissé sur janvier 2026 faute "
                                            "d'encadrant technique."),
                            ("authority", "En bonne voie ; la Région peut relayer l'offre "
                                          "d'encadrant auprès de Pôle emploi.")]}),
            ]),
            ("consolider", "Consolider le modèle économique du réseau", [
                ("Diversification des ressources", L, "", None, SCALE,
                 {2024: "En progrès", 2025: "Satisfaisante", 2026: "Satisfaisante"},
                 {2024: "En progrès", 2025: "Satisfaisante"},
                 "Comptes annuels et budget prévisionnel", {
                     2025: [("association", "Les ventes couvrent désormais 58 % du budget."),
                            ("authority", "Objectif atteint : la subvention devient un appui au "
                                          "projet plus qu'un équilibre.")]}),
            ]),
        ],
    },
    {
        "reference": "CA-ESS-2024-02",
        "title": "Convention pluriannuelle d'objectifs – insertion par l'activité économique",
        "association": "Ardennes Insertion Solidaire",
        "account": ("association@ardennes-insertion.demo", "Marc Husson"),
        "signed_on": date(2024, 4, 2),
        "description": "Accompagner davantage de personnes vers un emploi durable, avec les "
                       "entreprises du territoire ; le Département cofinance le volet RSA.",
        "funders": [DEPARTMENT[0]],
        "amounts": {REGION: {2024: 45000, 2025: 45000, 2026: 45000},
                    DEPARTMENT[0]: {2024: 15000, 2025: 15000, 2026: 15000}},
        "objectives": [
            ("emploi", "Accompagner vers l'emploi durable les personnes éloignées de l'emploi", [
                ("Personnes accompagnées", Q, "personnes", (95, 2023), "",
                 {2024: 120, 2025: 140, 2026: 160}, {2024: 104, 2025: 112},
                 "Logiciel de suivi des parcours", {
                     2024: [("association", "Le départ de deux conseillers a réduit les "
                                            "entrées en accompagnement au second semestre."),
                            ("authority", "Écart important avec la cible : la Région propose "
                                          "un point d'étape en juin.")],
                     2025: [("association", "Les postes sont pourvus depuis mars ; la montée en "
                                            "charge est plus lente que prévu."),
                            ("authority", "Deuxième année en retard : revoir ensemble la "
                                          "trajectoire 2026 et les moyens d'accompagnement.")]}),
                ("Taux de sorties dynamiques", Q, "%", (41, 2023), "",
                 {2024: 45, 2025: 50, 2026: 55}, {2024: 39, 2025: 40},
                 "Bilan annuel transmis à la DREETS", {
                     2025: [("association", "Le marché du travail local s'est tendu dans "
                                            "l'industrie."),
                            ("authority", "La cible de 55 % en 2026 paraît hors d'atteinte : "
                                          "à rediscuter à la revue.")]}),
            ]),
            ("rsa", "Mobiliser les entreprises du territoire pour les bénéficiaires du RSA", [
                ("Entreprises accueillant des salariés en parcours", Q, "entreprises", (12, 2023), "",
                 {2024: 15, 2025: 18, 2026: 21}, {2024: 13, 2025: 14},
                 "Conventions de mise en situation signées", {}),
                ("Implication des entreprises dans le comité de suivi", L, "", None, SCALE,
                 {2024: "En progrès", 2025: "Satisfaisante", 2026: "Très satisfaisante"},
                 {2024: "Insuffisante", 2025: "Insuffisante"},
                 "Comptes rendus du comité de suivi", {
                     2025: [("association", "Deux entreprises seulement sont venues au comité."),
                            ("authority", "Le Département et la Région peuvent inviter le club "
                                          "d'entreprises de Charleville.")]}),
            ]),
            ("consolider", "Renouveler le bureau et former les administrateurs", [
                ("Administrateurs formés", Q, "administrateurs", None, "", {}, {},
                 "Feuilles d'émargement des formations", {}),
            ]),
        ],
    },
    {
        "reference": "CA-ESS-2024-03",
        "title": "Convention pluriannuelle d'objectifs – culture en milieu rural",
        "association": "Culture en Campagne",
        "account": ("association@culture-en-campagne.demo", "Émilie Poirot"),
        "signed_on": date(2024, 2, 20),
        "description": "Faire vivre le spectacle vivant dans les communes rurales de l'Aube, avec "
                       "les habitants bénévoles.",
        "amounts": {REGION: {2024: 30000, 2025: 30000, 2026: 32000}},
        "objectives": [
            ("culture", "Diffuser des spectacles vivants dans les communes rurales", [
                ("Communes rurales accueillant au moins un spectacle", Q, "communes", (26, 2023), "",
                 {2024: 30, 2025: 34, 2026: 38}, {2024: 31, 2025: 34},
                 "Programme de la saison et bilans de tournée", {
                     2024: [("association", "Quatre nouvelles communes du Pays d'Othe."),
                            ("authority", "Cible dépassée.")],
                     2025: [("association", "Cible atteinte malgré l'annulation de deux dates."),
                            ("authority", "Bonne dynamique ; penser aux communes du "
                                          "Barséquanais.")]}),
                ("Spectateurs", Q, "spectateurs", (3600, 2023), "",
                 {2024: 4000, 2025: 4400, 2026: 4800}, {2024: 4120, 2025: 4380},
                 "Billetterie et comptages à l'entrée", {}),
            ]),
            ("consolider", "Associer les habitants bénévoles à la gouvernance", [
                ("Place des bénévoles dans les décisions", L, "", None,
                 "Consultés ponctuellement\nAssociés aux choix de programmation\n"
                 "Membres du conseil d'administration",
                 {2024: "Associés aux choix de programmation",
                  2025: "Associés aux choix de programmation",
                  2026: "Membres du conseil d'administration"},
                 {2024: "Associés aux choix de programmation",
                  2025: "Associés aux choix de programmation"},
                 "Comptes rendus du comité de programmation", {
                     2025: [("association", "Trois bénévoles se présenteront au conseil "
                                            "d'administration en 2026."),
                            ("authority", "La Région soutient ce passage à la gouvernance.")]}),
            ]),
        ],
        # The 2025 audience figure waits for the region's validation.
        "pending": {("Spectateurs", 2025)},
    },
]


def seed_conventions_demo() -> None:
    """French messages and labels need a request context (Flask-Babel's locale)."""
    with current_app.test_request_context():
        _seed()


def _seed() -> None:
    territory = db.session.scalar(select(Territory).where(Territory.slug == SLUG))
    if territory is None:
        return
    organisations = {o.name: o for o in db.session.scalars(
        select(Organisation).where(Organisation.territory_id == territory.id))}
    if REGION not in organisations:
        return
    organisations[DEPARTMENT[0]] = _department(territory, organisations.get(DEPARTMENT[0]))
    coordinator = accounts.find_user(COORDINATOR)
    priorities = {}
    for authority, rows in PRIORITIES.items():
        for key, title, description in rows:
            priorities[key] = _priority(territory, organisations[authority], title, description)
    for spec in CONVENTIONS:
        _convention(territory, organisations, priorities, coordinator, spec)
    db.session.flush()


def _department(territory, organisation):
    if organisation is not None:
        return organisation
    name, kind, sector, commune, (first, last, function) = DEPARTMENT
    organisation = Organisation(territory_id=territory.id, name=name, kind=kind, sector=sector,
                                commune=commune)
    db.session.add(organisation)
    db.session.flush()
    db.session.add(Person(territory_id=territory.id, organisation_id=organisation.id,
                          first_name=first, last_name=last, function=function))
    db.session.flush()
    return organisation


def _priority(territory, authority, title, description) -> Priority:
    priority = db.session.scalar(select(Priority).where(
        Priority.territory_id == territory.id, Priority.authority_id == authority.id,
        Priority.title == title))
    return priority or operations.create_priority(territory.id, authority.id, title, description)


def _convention(territory, organisations, priorities, coordinator, spec) -> None:
    convention = db.session.scalar(select(Convention).where(
        Convention.territory_id == territory.id, Convention.reference == spec["reference"]))
    if convention is None:
        convention = operations.create_convention(
            territory.id, reference=spec["reference"], title=spec["title"],
            authority_id=organisations[REGION].id,
            association_id=organisations[spec["association"]].id,
            start_year=2024, end_year=2026, status="en_cours", signed_on=spec["signed_on"],
            description=spec["description"])
        operations.add_document(convention, "Convention pluriannuelle signée", "convention",
                                spec["signed_on"], f"Délibération CP-{spec['reference'][-2:]}-2024")
        operations.add_document(convention, "Annexe 1 – tableau de bord pluriannuel", "annexe",
                                spec["signed_on"], "")
        operations.add_document(convention, "Bilan d'activité 2024", "bilan", date(2025, 1, 20), "")
    for name in spec.get("funders", []):
        exists = db.session.scalar(select(ConventionFunder.id).where(
            ConventionFunder.convention_id == convention.id,
            ConventionFunder.organisation_id == organisations[name].id))
        if not exists:
            operations.add_funder(convention, organisations[name].id)
    for funder, years in spec["amounts"].items():
        for year, amount in years.items():
            operations.set_amount(convention, year, Decimal(amount), organisations[funder].id)
    association_user = _partner(territory, convention, *spec["account"])
    for position, (priority_key, title, indicator_specs) in enumerate(spec["objectives"], 1):
        objective = db.session.scalar(select(ConventionObjective).where(
            ConventionObjective.convention_id == convention.id, ConventionObjective.title == title))
        if objective is None:
            objective = operations.create_objective(convention, priorities[priority_key].id, title)
        for indicator_spec in indicator_specs:
            _indicator(convention, objective, indicator_spec, association_user, coordinator,
                       spec.get("pending", set()))


def _partner(territory, convention, email, name):
    user = accounts.find_user(email) or accounts.create_user(email, name, DEMO_PASSWORD)
    accounts.set_membership(user, territory.id, "partner")
    exists = db.session.scalar(select(ConventionMember.id).where(
        ConventionMember.convention_id == convention.id, ConventionMember.user_id == user.id))
    if not exists:
        operations.add_member(convention, user.id)
    return user


def _indicator(convention, objective, spec, association_user, coordinator, pending) -> None:
    title, kind, unit, baseline, scale, targets, values, source, notes = spec
    indicator = db.session.scalar(select(Indicator).where(
        Indicator.owner_type == OWNER_TYPE, Indicator.owner_id == objective.id,
        Indicator.title == title))
    if indicator is None:
        indicator = indicators.create_indicator(
            convention.territory_id, OWNER_TYPE, objective.id, title=title, kind=kind, unit=unit,
            baseline=Decimal(baseline[0]) if baseline else None,
            baseline_year=baseline[1] if baseline else None, scale=scale, source=source,
            target_statement="" if kind == "quantitative" else
            "Progresser d'un niveau de l'échelle sur la durée de la convention.")
        for year, target in targets.items():
            if kind == "quantitative":
                indicators.set_target(indicator, year, Decimal(target))
            else:
                indicators.set_target(indicator, year, statement=target)
    for year, value in values.items():
        exists = db.session.scalar(select(IndicatorValue.id).where(
            IndicatorValue.indicator_id == indicator.id, IndicatorValue.year == year))
        if exists:
            continue
        measure = indicators.record_value(
            indicator, year, Decimal(value) if kind == "quantitative" else None,
            text_value="" if kind == "quantitative" else value, source=source,
            measured_on=date(year, 12, 31), entered_by=association_user)
        if (title, year) not in pending:
            measure.validated_by_id = coordinator.id if coordinator else None
            measure.validated_at = utcnow()
    for year, lines in notes.items():
        for party, text in lines:
            exists = db.session.scalar(select(DialogueNote.id).where(
                DialogueNote.indicator_id == indicator.id, DialogueNote.year == year,
                DialogueNote.text == text))
            if not exists:
                author = association_user if party == "association" else coordinator
                note = follow_up.add_note(convention, indicator, year, party, text, author)
                # Written at that year's review, early the next year.
                note.created_at = datetime(year + 1, 2, 4, 11, 0, tzinfo=UTC)
