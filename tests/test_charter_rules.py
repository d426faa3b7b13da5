"""The charter's rules read from its data only: the same functions serve Quartier Libre's charter
and a second, different charter (another file, no other code)."""
from pathlib import Path

import pytest

from territorial.charters import composition, load_charter_template, rules
from territorial.charters.composition import Seat

FOLDER = Path(__file__).resolve().parent.parent / "territorial" / "charters"
PALENTE, CLAIRS, ROSEMONT = 1, 2, 3
HOUSES = {PALENTE: "MJC de Palente", CLAIRS: "MJC Clairs-Soleils", ROSEMONT: "Rosemont"}


@pytest.fixture(scope="module")
def ql():
    return load_charter_template(FOLDER / "quartier_libre.yaml")


@pytest.fixture(scope="module")
def val():
    return load_charter_template(FOLDER / "exemple_collectif_solidaire.yaml")


def copil_of(counts):
    functions = ["president", "directeur", "administrateur", "salarie", "representant_personnel"]
    return [Seat(f"Personne {house}-{n}", house, functions[n % len(functions)])
            for house, count in counts.items() for n in range(count)]


# Composition ----------------------------------------------------------------------------------

def test_copil_of_four_per_house_is_as_the_charter_says(ql):
    assert composition.composition_problems(ql, "copil", copil_of({1: 4, 2: 4, 3: 4}), HOUSES) == []


def test_copil_with_five_members_of_one_house_is_refused_in_french(ql):
    problems = composition.composition_problems(ql, "copil", copil_of({1: 5, 2: 4, 3: 4}), HOUSES)
    assert problems == [
        "Comité de pilotage : MJC de Palente compte 5 membres, la charte en demande exactement "
        "4 par structure."
    ]


def test_copil_says_what_is_missing_for_each_house(ql):
    problems = composition.composition_problems(ql, "copil", copil_of({1: 4, 2: 2}), HOUSES)
    assert any("il manque 2 membres pour MJC Clairs-Soleils (2 sur 4" in p for p in problems)
    assert any("il manque 4 membres pour Rosemont (0 sur 4" in p for p in problems)


def test_a_function_the_instance_does_not_allow_is_named(ql):
    seats = copil_of({1: 3, 2: 4, 3: 4}) + [Seat("Jeanne Bénévole", 1, "benevole")]
    problems = composition.composition_problems(ql, "copil", seats, HOUSES)
    assert problems == [
        "Jeanne Bénévole siège comme « Bénévole », fonction que la charte ne prévoit pas pour "
        "l'instance « Comité de pilotage » (fonctions prévues : Président, Directeur, "
        "Administrateur, Salarié, Représentant du personnel)."
    ]


def test_a_person_of_a_structure_outside_the_partnership_is_named(ql):
    seats = copil_of({1: 4, 2: 4, 3: 4}) + [Seat("Paul Dehors", 99, "president")]
    problems = composition.composition_problems(ql, "copil", seats, HOUSES)
    assert "Paul Dehors ne représente aucune structure membre du partenariat." in problems


def test_codir_needs_the_director_of_each_house(ql):
    seats = [Seat("D1", PALENTE, "directeur"), Seat("D2", CLAIRS, "directeur")]
    assert composition.composition_problems(ql, "codir", seats, HOUSES) == [
        "Codir : il manque la personne « Directeur » de Rosemont."
    ]


def test_copredir_needs_directors_and_presidents(ql):
    seats = [Seat(f"D{h}", h, "directeur") for h in HOUSES] + [Seat("P1", PALENTE, "president")]
    problems = composition.composition_problems(ql, "copredir", seats, HOUSES)
    assert problems == [
        "Coprédir : il manque la personne « Président » de MJC Clairs-Soleils.",
        "Coprédir : il manque la personne « Président » de Rosemont.",
    ]


def test_working_group_needs_a_referent_per_house_and_a_project_lead(ql):
    seats = [Seat("R1", PALENTE, "referent"), Seat("R2", CLAIRS, "referent")]
    problems = composition.composition_problems(ql, "groupe_travail", seats, HOUSES)
    assert "Groupe de travail : il manque 1 × Référent pour Rosemont (0 sur 1 demandés par la " \
           "charte)." in problems
    assert "Groupe de travail : la charte demande un(e) « Chef de projet », personne n'est " \
           "nommé." in problems
    complete = seats + [Seat("R3", ROSEMONT, "referent"), Seat("C", CLAIRS, "chef_projet")]
    assert composition.composition_problems(ql, "groupe_travail", complete, HOUSES) == []


def test_one_project_lead_exactly(ql):
    two = [Seat("C1", PALENTE, "chef_projet"), Seat("C2", CLAIRS, "chef_projet")]
    assert composition.composition_problems(ql, "chef_projet", two, HOUSES) == [
        "Chef de projet : la charte demande exactement 1 membre, il y en a 2."
    ]


def test_an_open_instance_has_no_composition_problem(ql):
    assert composition.composition_problems(ql, "pleniere", [], HOUSES) == []


def test_second_charter_rules_come_from_its_own_file(val):
    associations = {1: "Épicerie", 2: "Relais", 3: "Jardins", 4: "Mobilité"}
    # The bureau: exactly one representative per association, president or administrator.
    bureau = [Seat(f"B{i}", i, "president") for i in associations]
    assert composition.composition_problems(val, "bureau", bureau, associations) == []
    bureau.append(Seat("B5", 1, "administrateur"))
    assert composition.composition_problems(val, "bureau", bureau, associations) == [
        "Bureau : Épicerie compte 2 membres, la charte en demande exactement 1 par structure."
    ]
    # A commission: from three to eight members, with a coordinator.
    commission = [Seat("C1", 1, "benevole"), Seat("C2", 2, "salarie")]
    assert composition.composition_problems(val, "commission", commission, associations) == [
        "Commission : la charte demande de 3 à 8 membres, il y en a 2.",
        "Commission : la charte demande un(e) « Coordinateur de commission », personne n'est "
        "nommé.",
    ]
    # Quartier Libre's instances do not exist in this charter.
    assert composition.composition_problems(val, "copil", [], associations) == [
        "« copil » n'est pas une instance de la charte."
    ]


def test_per_project_instances_are_read_from_the_charter(ql, val):
    assert rules.per_project_instances(ql) == ["groupe_travail", "chef_projet"]
    assert rules.per_project_instances(val) == ["commission"]
    assert [i["key"] for i in rules.standing_instances(val)] == ["assemblee", "bureau"]


# Decision matrix ------------------------------------------------------------------------------

def test_the_copil_validates_joint_projects(ql):
    assert rules.matrix_warning(ql, "copil", "operationnelle") is None


def test_the_plenary_takes_no_operational_decision(ql):
    warning = rules.matrix_warning(ql, "pleniere", "operationnelle")
    assert warning == ("D'après la matrice de décision, l'instance « Assemblée plénière » n'a "
                       "aucun rôle dans les décisions opérationnelles : ce n'est pas à elle de "
                       "prendre cette décision.")


def test_the_coprédir_only_arbitrates_strategic_decisions(ql):
    warning = rules.matrix_warning(ql, "copredir", "strategique")
    assert "n'intervient sur les décisions stratégiques que pour arbitrer" in warning
    assert "Arbitre si besoin." in warning
    assert rules.matrix_warning(ql, "copredir", "strategique", arbitrating=True) is None


def test_an_arbiter_may_decide_any_level_it_is_asked_to_arbitrate(ql):
    # The Coprédir arbitrates the copil's blockages, whatever the level.
    assert rules.matrix_warning(ql, "copredir", "fonctionnelle", arbitrating=True) is None


def test_second_charter_matrix(val):
    assert rules.matrix_warning(val, "assemblee", "orientation") is None
    assert "propose" in rules.matrix_warning(val, "bureau", "orientation")
    assert "est informé" in rules.matrix_warning(val, "assemblee", "gestion")
    assert rules.matrix_warning(val, "bureau", "strategique") == \
        "« strategique » n'est pas un niveau de décision de la charte."


def test_deciding_instances(ql, val):
    assert rules.deciding_instances(ql, "operationnelle") == [
        "copil", "codir", "copredir", "groupe_travail", "chef_projet"]
    assert rules.deciding_instances(val, "gestion") == ["bureau", "commission"]


# Arbitration ----------------------------------------------------------------------------------

def step(content, instance, *blocked_before):
    """(outcome, target) of the charter's arbitration for a decision blocked at ``instance``."""
    entry = rules.arbitration_step(content, instance, blocked_before)
    return None if entry is None else (entry["outcome"], entry.get("escalate_to"))


def test_arbitration_chain_of_quartier_libre(ql):
    """Copil → Coprédir; Codir → Coprédir; blocked at the Codir and the Coprédir → caduc."""
    assert step(ql, "copil") == ("escalate", "copredir")
    assert step(ql, "codir") == ("escalate", "copredir")
    assert step(ql, "copredir", "codir") == ("lapse", None)
    assert step(ql, "copredir", "copil") == ("escalate", "codir")
    assert step(ql, "codir", "copil", "copredir") == ("lapse", None)
    assert step(ql, "groupe_travail") == ("escalate", "chef_projet")
    assert step(ql, "chef_projet", "groupe_travail") == ("escalate", "copil")
    assert step(ql, "pleniere") is None
    lapse = rules.arbitration_step(ql, "codir", ["copredir"])
    assert rules.reopening_instance(lapse, "codir") == "copredir"
    assert "si deux maisons veulent conduire ce projet" in \
        rules.outside_charter_message(ql, lapse)  # « Si deux maisons veulent conduire un projet »


def test_the_chain_says_what_the_charter_says_and_what_the_coordination_added(ql):
    """The text writes two rules (copil → Coprédir; Codir and Coprédir → caduc); the others fill
    its silences and are shown as the coordination's."""
    lines = [(line.text, line.origin) for line in rules.arbitration_summary(ql)]
    charter_lines = [text for text, origin in lines if origin == "charter"]
    assert charter_lines == [
        "Décision bloquée au niveau de « Comité de pilotage » : portée devant « Coprédir ».",
        "Décision bloquée au niveau de « Codir » et « Coprédir » : le projet commun devient caduc."]
    added = [text for text, origin in lines if origin == "coordination"]
    assert added == [
        "Décision bloquée au niveau de « Groupe de travail » : portée devant « Chef de projet ».",
        "Décision bloquée au niveau de « Chef de projet » : portée devant « Comité de pilotage ».",
        "Décision bloquée au niveau de « Codir » : portée devant « Coprédir ».",
        "Décision bloquée au niveau de « Coprédir » : portée devant « Codir ».",
        "Projet devenu caduc : sa réouverture est une décision de « Coprédir », prise selon le "
        "processus de décision."]


def test_arbitration_chain_of_the_second_charter(val):
    assert step(val, "commission") == ("escalate", "bureau")
    assert step(val, "bureau", "commission") == ("escalate", "assemblee")
    assert step(val, "assemblee") == ("lapse", None)
    lapse = rules.arbitration_step(val, "assemblee")
    assert rules.reopening_instance(lapse, "assemblee") == "assemblee"
    assert rules.outside_charter_message(val, lapse) == ""


# Lifecycle ------------------------------------------------------------------------------------

def test_lifecycle_steps_and_who_acts(ql, val):
    assert [rules.step_actor_label(ql, s) for s in rules.lifecycle(ql)] == [
        "Les porteurs du projet", "Les porteurs du projet",
        "Les porteurs du projet, ou l'un des membres de « Comité de pilotage »",
        "Comité de pilotage", "Comité de pilotage", "Comité de pilotage",
        "Chaque maison", "Codir", "Coprédir",
    ]
    assert rules.next_step_key(ql, "decision") == "information"
    assert rules.next_step_key(ql, "validation_nomination") is None
    assert [rules.step_actor_label(val, s) for s in rules.lifecycle(val)][:3] == [
        "Les porteurs du projet", "Bureau", "Assemblée du collectif"]


def test_step_inputs_follow_the_charter(ql):
    decision = rules.step_def(ql, "decision")
    assert rules.step_input_problems(decision, outcome=None, records={}, options={}) == {
        "outcome": "Indiquez l'issue de cette étape : « Projet commun validé » ou « Projet commun "
                   "non validé »."}
    idea = rules.step_def(ql, "idee")
    problems = rules.step_input_problems(idea, outcome=None, records={}, options={"space": "formel"})
    assert set(problems) == {"option_source"}
    proposal = rules.step_def(ql, "proposition")
    problems = rules.step_input_problems(proposal, outcome=None, records={"constat": "Oui"},
                                         options={})
    assert set(problems) == {"record_analyse", "record_propositions"}
    # « éventuellement » : the copil's recommendations may stay empty.
    information = rules.step_def(ql, "information")
    assert rules.step_input_problems(information, outcome=None, records={}, options={}) == {}
