"""Charter templates as data: the reference charter, a second charter, and malformed files."""
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from territorial.charters import (
    CharterTemplateError,
    available_charter_templates,
    load_charter_template,
    registry,
)

FOLDER = Path(__file__).resolve().parent.parent / "territorial" / "charters"
REFERENCE = FOLDER / "quartier_libre.yaml"


@pytest.fixture(scope="module")
def charter():
    return load_charter_template(REFERENCE)


def by_key(items):
    return {item["key"]: item for item in items}


def test_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(json.loads((FOLDER / "schema.json").read_text()))


def test_reference_charter_identity_and_signatories(charter):
    assert charter["key"] == "quartier_libre"
    assert charter["version"] == 1
    assert [s["name"] for s in charter["signatories"]] == [
        "MJC de Palente",
        "MJC Besançon Clairs-Soleils",
        "Comité de quartier Rosemont Saint-Ferjeux",
    ]
    assert "Quartier Libre Besançon" in charter["preamble"]


def test_reference_charter_glossary_values_and_vocation(charter):
    terms = [entry["term"] for entry in charter["glossary"]]
    assert {"Mutualisation", "Harmoniser", "Projet commun", "Plan d'action"} <= set(terms)
    assert "mutuelle" in charter["glossary"][0]["definition"]
    assert list(by_key(charter["values"])) == ["ouverture", "mixite", "partage"]
    assert len(charter["vocation"]["axes"]) == 3


def test_reference_charter_instances_and_composition(charter):
    instances = by_key(charter["instances"])
    assert list(instances) == [
        "pleniere", "copil", "codir", "copredir", "groupe_travail", "chef_projet",
    ]
    assert instances["pleniere"]["rhythm"]["meetings_per_year"] == 2

    copil = instances["copil"]
    copil_rule = copil["composition"]["rules"][0]
    assert (copil_rule["rule"], copil_rule["count"]) == ("per_structure_exact", 4)
    assert set(copil["allowed_functions"]) == {
        "president", "directeur", "administrateur", "salarie", "representant_personnel",
    }

    group_rule = instances["groupe_travail"]["composition"]["rules"][0]
    assert (group_rule["rule"], group_rule["count"], group_rule["function"]) == (
        "per_structure_min", 1, "referent",
    )
    copredir_functions = {r["function"] for r in instances["copredir"]["composition"]["rules"]}
    assert copredir_functions == {"directeur", "president"}
    assert instances["codir"]["composition"]["rules"][0]["function"] == "directeur"
    assert instances["codir"]["forms_body_with"] == ["copredir"]


def test_reference_charter_decision_matrix_covers_every_level_and_instance(charter):
    levels = [level["key"] for level in charter["decision_levels"]]
    assert levels == ["strategique", "operationnelle", "fonctionnelle"]
    cells = {(cell["level"], cell["instance"]): cell for cell in charter["decision_matrix"]}
    assert len(cells) == len(charter["decision_matrix"]) == 3 * len(charter["instances"])
    assert cells[("operationnelle", "copil")]["text"] == "Validation des projets communs."
    assert cells[("operationnelle", "codir")]["text"] == "Nomination des chefs de projets."
    assert cells[("strategique", "codir")]["role"] == "arbitrates"
    assert cells[("fonctionnelle", "pleniere")]["role"] == "none"
    assert cells[("fonctionnelle", "chef_projet")]["refers_to"] == ["codir"]


def test_reference_charter_lifecycle_has_nine_steps_in_order(charter):
    steps = [(step["key"], step.get("instance") or step["actor"]) for step in charter["lifecycle"]]
    assert steps == [
        ("idee", "porteurs"),
        ("proposition", "porteurs"),
        ("presentation", "copil"),
        ("decision", "copil"),
        ("information", "copil"),
        ("groupe_travail", "copil"),
        ("referents", "each_structure"),
        ("chef_projet", "codir"),
        ("validation_nomination", "copredir"),
    ]
    lifecycle = by_key(charter["lifecycle"])
    assert [o["key"] for o in lifecycle["idee"]["options"]["space"]] == ["informel", "formel"]
    assert {o["key"]: o["ends_project"] for o in lifecycle["decision"]["outcomes"]} == {
        "valide": False, "non_valide": True,
    }
    assert [r["key"] for r in lifecycle["chef_projet"]["records"]] == [
        "mission", "temps_imparti", "besoins_formation",
    ]


def test_reference_charter_decision_process_and_arbitration(charter):
    process = charter["decision_process"]
    assert [s["key"] for s in process["steps"]] == [
        "enonce", "prises_de_position", "objections", "tour_de_table", "compte_rendu",
    ]
    assert "ni rapport de domination ni compromis" in process["consensus_definition"]
    assert [level["key"] for level in charter["participation_levels"]["levels"]] == [
        "consultation", "concertation", "participation",
    ]
    chain = {tuple(e["blocked_at"]): (e["outcome"], e.get("escalate_to"))
             for e in charter["arbitration"]}
    assert chain == {
        ("groupe_travail",): ("escalate", "chef_projet"),  # « il peut être amené à arbitrer »
        ("chef_projet",): ("escalate", "copil"),
        ("copil",): ("escalate", "copredir"),
        ("codir",): ("escalate", "copredir"),
        ("copredir",): ("escalate", "codir"),
        ("codir", "copredir"): ("lapse", None),
    }
    lapse = charter["arbitration"][-1]
    assert lapse["reopened_by"] == "copredir"
    assert "ne se réfère pas à la charte" in lapse["text"]
    assert by_key(charter["lifecycle"])["decision"]["decision"] == {"level": "operationnelle"}
    assert charter["revision"]["agreement_of"] == "each_structure"  # « l'accord des trois maisons »


def test_reference_charter_project_conduct_and_action_plan(charter):
    essentials = by_key(charter["project_conduct"]["essentials"])
    assert list(essentials) == [
        "diagnostic", "finalite", "objectifs", "moyens", "fiche_de_mission",
        "gestion_economique", "modalites", "evaluation",
    ]
    assert "".join(item["letter"] for item in essentials["objectifs"]["smart"]) == "SMART"
    assert [axis["title"] for axis in charter["action_plan_axes"]] == [
        "Financement des projets communs",
        "Communication",
        "Activités partagées",
        "Moyens humains et logistiques",
        "Partenariat externe",
    ]
    assert charter["action_plan_years"] == 3


def test_second_charter_is_only_a_new_file(charter):
    templates = available_charter_templates()
    assert set(templates) == {"quartier_libre", "collectif_solidaire_val"}
    other = templates["collectif_solidaire_val"]
    assert len(other["signatories"]) == 4
    assert [i["key"] for i in other["instances"]] == ["assemblee", "bureau", "commission"]
    assert len(other["lifecycle"]) == 6
    assert len(other["decision_levels"]) == 2 and len(other["decision_matrix"]) == 6
    assert [(e["blocked_at"], e["outcome"]) for e in other["arbitration"]] == [
        (["commission"], "escalate"), (["bureau"], "escalate"), (["assemblee"], "lapse"),
    ]
    assert other["revision"]["adopted_by"] == "assemblee"
    assert len(other["action_plan_axes"]) == 4
    assert set(by_key(other["instances"])).isdisjoint(by_key(charter["instances"]))


def test_available_templates_of_another_folder(tmp_path):
    (tmp_path / "copie.yaml").write_text(REFERENCE.read_text(encoding="utf-8"), encoding="utf-8")
    assert list(available_charter_templates(tmp_path)) == ["quartier_libre"]


def test_a_copy_with_the_same_key_is_the_one_blamed_even_when_it_sorts_first(tmp_path):
    (tmp_path / "quartier_libre.yaml").write_text(REFERENCE.read_text(encoding="utf-8"),
                                                  encoding="utf-8")
    (tmp_path / "a_copie.yaml").write_text(REFERENCE.read_text(encoding="utf-8"), encoding="utf-8")
    found = registry.registry(tmp_path)
    assert found.filenames == {"quartier_libre": "quartier_libre.yaml"}
    [problem] = found.problems["a_copie.yaml"]
    assert str(problem) == (
        f"ligne {line_of('key:')} (key) : « quartier_libre » est déjà la clé de la charte "
        "quartier_libre.yaml : donnez à ce modèle une clé qui lui est propre.")


def write_variant(tmp_path, old, new):
    """A copy of the reference charter with `old` replaced once by `new`."""
    text = REFERENCE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "quartier_libre.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param(
            "    rhythm:\n      text: deux fois par an", "    rythm:\n      text: deux fois par an",
            "(instances → 1 → rythm) : ce champ n'est pas prévu par le modèle de charte. "
            "Vouliez-vous dire « rhythm » ?",
            id="unknown-field",
        ),
        pytest.param(
            "    instance: copil\n    options:\n      presenter:",
            "    instance: copil2\n    options:\n      presenter:",
            "(lifecycle → 3 → instance) : « copil2 » n'est pas une instance définie. "
            "Vouliez-vous dire « copil » ?",
            id="unknown-instance-in-lifecycle",
        ),
        pytest.param(
            "  - key: codir\n    name: Codir", "  - key: copil\n    name: Codir",
            "(instances → 3 → key) : l'identifiant « copil » est déjà utilisé dans cette liste.",
            id="duplicate-instance-key",
        ),
        pytest.param(
            "rule: per_structure_exact", "rule: per_maison",
            "(instances → 2 → composition → rules → 1 → rule) : « per_maison » n'est pas une "
            "règle de composition connue",
            id="unknown-composition-rule",
        ),
        pytest.param(
            "    role: arbitrates", "    role: vote",
            "(decision_matrix → 3 → role) : « vote » n'est pas une valeur autorisée",
            id="unknown-matrix-role",
        ),
        pytest.param(
            "    escalate_to: chef_projet", "    escalate_to: chef_projt",
            "(arbitration → 1 → escalate_to) : « chef_projt » n'est pas une instance définie. "
            "Vouliez-vous dire « chef_projet » ?",
            id="unknown-arbitration-target",
        ),
        pytest.param(
            "version: 1", "version: un",
            "ligne 13 (version) : il faut ici un nombre entier, pas un texte.",
            id="wrong-type",
        ),
    ],
)
def test_malformed_charter_is_refused_with_a_french_message(tmp_path, old, new, message):
    with pytest.raises(CharterTemplateError) as caught:
        load_charter_template(write_variant(tmp_path, old, new))
    assert str(caught.value).startswith("La charte quartier_libre.yaml est invalide : ligne ")
    assert message in str(caught.value)
    first = caught.value.problems[0]
    lines = write_variant(tmp_path, old, new).read_text(encoding="utf-8").splitlines()
    assert new.split("\n")[0].strip().split(":")[0] in lines[first.line - 1]


def test_missing_lifecycle_is_named(tmp_path):
    text = REFERENCE.read_text(encoding="utf-8")
    start, end = text.index("\nlifecycle:\n"), text.index("\ndecision_process:\n")
    path = tmp_path / "sans_cycle.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(CharterTemplateError) as caught:
        load_charter_template(path)
    assert str(caught.value) == (
        f"La charte sans_cycle.yaml est invalide : ligne {line_of('key:')} (lifecycle) : ce "
        "champ obligatoire est absent."
    )
    assert caught.value.place == ("lifecycle",)


def line_of(text):
    """Line number, counted from 1, of `text` in the reference charter."""
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if line.startswith(text))


def test_yaml_syntax_error_gives_the_line(tmp_path):
    path = write_variant(tmp_path, "name: Quartier Libre Besançon", "name: Quartier Libre : X")
    with pytest.raises(CharterTemplateError) as caught:
        load_charter_template(path)
    assert str(caught.value) == (
        f"La charte quartier_libre.yaml est invalide : ligne {line_of('name:')}, colonne 22 : "
        "erreur de syntaxe YAML : deux-points inattendu (mettez le texte entre guillemets)."
    )


def test_a_key_written_twice_is_named_with_its_line(tmp_path):
    path = write_variant(tmp_path, "version: 1", "version: 1\nversion: 2")
    expected = f"ligne {line_of('version:') + 1}, colonne 1 : clé « version » en double"
    with pytest.raises(CharterTemplateError, match=expected):
        load_charter_template(path)


def test_the_error_is_a_value_error():
    assert issubclass(CharterTemplateError, ValueError)
