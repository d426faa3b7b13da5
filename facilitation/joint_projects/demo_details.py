"""Details of the Quartier Libre demo: the cultural trips conducted by their working group
(finalités, SMART objectives, means, budget, indicators, evaluation), the interconnaissance
sheets of the three houses and a delegation."""
from __future__ import annotations

from datetime import date, timedelta

from facilitation.joint_projects import operations
from facilitation.joint_projects.models import JointProject
from territorial.charters import records
from territorial.charters.models import Charter
from territorial.indicators import operations as indicators


def voyages_conduct(project: JointProject, houses, today: date) -> None:
    palente, clairs, rosemont = houses
    operations.update_conduct(
        project,
        diagnostic="Les accueils des trois maisons relèvent une forte demande de sorties "
                   "culturelles, surtout chez les familles qui partent peu. Les voyages "
                   "organisés jusqu'ici par une seule maison étaient complets en une semaine.",
        initial_situation="Deux voyages par an, organisés par la MJC Clairs-Soleils seule, "
                          "réservés à ses adhérents.",
        desired_situation="Un voyage culturel par mois, ouvert aux habitants des trois "
                          "quartiers, accessible quelles que soient les ressources.",
        finalites=["L'ouverture à d'autres cultures", "La participation du plus grand nombre",
                   "La mixité sociale", "L'autofinancement"],
        modalities="Le groupe de travail se réunit une fois par mois ; le chef de projet établit "
                   "l'ordre du jour, un référent rédige le compte rendu. Les inscriptions sont "
                   "ouvertes un mois avant chaque voyage dans les trois maisons.")
    year = today.year
    operations.add_objective(
        project, text=f"Proposer 10 voyages culturels mensuels de septembre {year} à juin "
                      f"{year + 1}, sur des thèmes variés et des durées adaptées.",
        finalite="L'ouverture à d'autres cultures", measure="Nombre de voyages réalisés",
        due_on=date(year + 1, 6, 30), owner_organisation_id=clairs.id)
    operations.add_objective(
        project, text=f"Annoncer le programme de l'année dans les trois maisons avant le "
                      f"15 septembre {year}.",
        finalite="La participation du plus grand nombre", measure="Programme diffusé",
        due_on=date(year, 9, 15), owner_organisation_id=palente.id)
    operations.add_objective(
        project, text="Demander une participation au prorata du quotient familial et réserver "
                      "2 places gratuites par voyage aux plus démunis, en couvrant les coûts.",
        finalite="L'autofinancement", measure="Taux d'autofinancement, places gratuites",
        due_on=date(year + 1, 6, 30), owner_organisation_id=rosemont.id)
    operations.add_means(project, kind="materiel", description="Minibus de 9 places",
                         organisation_id=clairs.id, informed_on=today - timedelta(days=90))
    operations.add_means(project, kind="salle", description="Salle de réunion du groupe de travail",
                         organisation_id=palente.id, informed_on=today - timedelta(days=90))
    operations.add_means(project, kind="benevole",
                         description="Deux bénévoles accompagnateurs pour chaque voyage",
                         organisation_id=rosemont.id)
    operations.add_means(project, kind="transport", description="Autocariste pour les voyages "
                                                                "de plus de 9 personnes")
    for category, label, planned, actual, organisation in (
        ("charge_externe", "Transport (autocar)", "6400", "3150", None),
        ("charge_externe", "Billetterie et visites guidées", "3800", "1720", None),
        ("charge_interne", "Temps du chef de projet (valorisé)", "2600", "1300", clairs),
        ("charge_interne", "Mise à disposition du minibus", "900", "450", clairs),
        ("recette_participants", "Participations des familles au quotient familial", "7900",
         "3600", None),
        ("recette_financement", "Subvention de la Ville (politique de la ville)", "2500",
         "2500", None),
        ("recette_structures", "Apports des maisons (temps et minibus valorisés)", "3500",
         "1750", None),
    ):
        operations.save_budget_line(project, category=category, label=label, planned=planned,
                                    actual=actual,
                                    organisation_id=organisation.id if organisation else None)
    territory_id = project.territory_id
    by_house = indicators.create_indicator(
        territory_id, "joint_project", project.id, title="Inscriptions par maison",
        unit="inscrits", baseline=24, baseline_year=year - 1, source="Fichiers d'inscription",
        description="La participation du plus grand nombre et l'équité entre les maisons.")
    for offset, target in enumerate((90, 110)):
        indicators.set_target(by_house, year + offset, target)
    indicators.record_value(by_house, year, 41, source="Fichiers d'inscription")
    free = indicators.create_indicator(
        territory_id, "joint_project", project.id, title="Places gratuites attribuées",
        unit="places", source="Groupe de travail",
        description="Deux places gratuites par voyage réservées aux plus démunis.")
    indicators.set_target(free, year, 20)
    indicators.record_value(free, year, 8)
    operations.evaluate(
        project, evaluated_on=today - timedelta(days=15), decision="reajuster",
        analysis="Après cinq voyages, 41 inscriptions dont 9 du Comité de quartier : la "
                 "participation progresse mais reste inégale entre les maisons.",
        emerging_needs="Des familles demandent des voyages pendant les vacances scolaires.",
        adjustments="Un départ depuis chaque quartier et une permanence d'inscription au "
                    "Comité de quartier.",
        reported_on=today - timedelta(days=10))


def interconnaissance(charter: Charter, houses, user) -> None:
    sheets = {
        "MJC de Palente": {
            "organisation_chart": "Un conseil d'administration de 15 membres, un bureau de 5 ; "
                                  "un directeur, une comptable, trois animateurs.",
            "staff": "6 salariés (4,5 ETP), 40 bénévoles réguliers.",
            "equipment": "Sonorisation, vidéoprojecteur, 20 tables pliantes.",
            "rooms": "Salle de spectacle (120 places), deux salles d'activité.",
            "accounting": "Comptabilité tenue en interne, expert-comptable pour le bilan.",
            "training_plan": "Plan de formation annuel voté en bureau en janvier.",
        },
        "MJC Clairs-Soleils": {
            "organisation_chart": "Conseil d'administration de 12 membres ; une directrice, "
                                  "un animateur culturel, une chargée d'accueil.",
            "staff": "5 salariés (4 ETP), 25 bénévoles.",
            "equipment": "Minibus 9 places, matériel de camping pour 20 personnes.",
            "rooms": "Grande salle (80 places), cuisine pédagogique.",
            "accounting": "Comptabilité confiée à un cabinet ; régie d'avances pour les sorties.",
        },
        "Comité de quartier Rosemont Saint-Ferjeux": {
            "organisation_chart": "Bureau de 7 bénévoles ; un directeur et un coordinateur.",
            "staff": "3 salariés, 60 bénévoles.",
            "rooms": "Salle polyvalente (60 places) disponible le week-end.",
            "management": "Inscriptions et encaissements à l'accueil du comité.",
            "decisions": "Le conseil d'administration se réunit chaque mois.",
        },
    }
    for house in houses:
        records.save_sheet(charter, house.id, sheets.get(house.name, {}), user)


def delegation(charter: Charter, people, user, today: date) -> None:
    house = list(people)[0]
    director, staff = people[house]["directeur"], people[house]["salarie"]
    records.record_delegation(
        charter, delegator_id=director.id, delegate_id=staff.id,
        subject="Suivi des inscriptions aux voyages culturels pour la MJC de Palente",
        scope="partie", details="Tenir la liste des inscrits et la transmettre au chef de projet.",
        criteria=records.delegation_criteria(charter), reference_group="Groupe de travail "
        "« Voyages culturels »", informed_on=today - timedelta(days=30),
        starts_on=today - timedelta(days=30), user=user)
