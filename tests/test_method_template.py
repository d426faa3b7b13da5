"""The « Agir ensemble sur le territoire » method as data, and its validating loader."""

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from facilitation.methods import (
    MethodTemplateError,
    available_method_templates,
    load_method_template,
)
from facilitation.methods.loader import METHODS_FOLDER

SHIPPED = METHODS_FOLDER / "agir_ensemble.yaml"

GT1_AGENDA = [
    "État des lieux et enjeux nationaux sur la thématique",
    "Témoignage",
    "La situation territoriale sur la thématique : partage des comptes rendus des entretiens "
    "préparatoires avec les élus et les participants (enjeux individuels et territoriaux)",
    "Échanges avec les participants",
]


@pytest.fixture(scope="module")
def method() -> dict[str, Any]:
    return load_method_template(SHIPPED)


def write_variant(folder: Path, change: Callable[[dict[str, Any]], None], name: str) -> Path:
    """Write a copy of the shipped template, altered by ``change``, as ``folder/name``."""
    data = copy.deepcopy(load_method_template(SHIPPED))
    change(data)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_shipped_template_identity_and_defaults(method):
    assert method["key"] == "agir_ensemble"
    assert method["name"] == "Agir ensemble sur le territoire"
    assert method["publisher"] == "Le RAMEAU"
    defaults = method["defaults"]
    assert defaults["duration_months"] == 12
    assert defaults["gt_window_months"] == 6
    assert defaults["copil_months"][0] == 0
    assert defaults["copil_months"][-1] == defaults["duration_months"] - 1
    assert defaults["working_group_size"] == {"min": 8, "max": 12}
    assert defaults["working_group_mix"] == ["association", "entreprise"]
    assert defaults["max_groups_per_person"] == 2


def test_cadre_sections_in_order(method):
    assert [section["key"] for section in method["cadre_sections"]] == [
        "expose_des_motifs", "objectifs", "perimetre", "elements_descriptifs", "principes",
        "positionnements", "deroule_global", "focus_parties", "roles_operationnels", "planning",
    ]
    assert all(section["guiding_questions"] for section in method["cadre_sections"])
    motifs = method["cadre_sections"][0]
    assert [kind["key"] for kind in motifs["per_actor_kind"]] == [
        "associations", "entreprises", "collectivites",
    ]


def test_three_parts_with_deliverables(method):
    parts = method["parts"]
    assert [part["key"] for part in parts] == ["preparation", "experimentation", "evaluation"]
    assert parts[2]["title"] == "Évaluation / suivi post-expérimentation"
    for part in parts:
        assert part["objectives"] and part["description"] and part["mode_operatoire"]
        assert part["deliverables"]
    preparation_deliverables = [d["key"] for d in parts[0]["deliverables"]]
    assert "comptes_rendus_entretiens" in preparation_deliverables


def test_sessions_follow_the_seed(method):
    sessions = method["sessions"]
    assert [session["kind"] for session in sessions] == [
        "lancement", "gt1", "gt2", "gt3", "restitution",
    ]
    gt1 = sessions[1]
    assert [item["title"] for item in gt1["agenda"]] == GT1_AGENDA
    assert [item.get("shows_interviews", False) for item in gt1["agenda"]] == [
        False, False, True, False,
    ]
    assert {s["scope"] for s in sessions if s["kind"].startswith("gt")} == {"per_theme"}
    assert all(s["month"] < 6 for s in sessions if s["kind"].startswith("gt"))


def test_contribution_kinds_and_themes(method):
    kinds = {
        kind: [item["key"] for item in items]
        for kind, items in method["contribution_kinds"].items()
    }
    assert kinds == {
        "gt1": ["constat", "enjeu_participants", "enjeu_territoire", "temoignage", "question"],
        "gt2": ["solution_existante", "piste"],
        "gt3": ["action"],
    }
    assert [theme["label"] for theme in method["suggested_themes"]] == [
        "Insertion des jeunes", "Emploi", "Précarité", "Handicap", "Environnement",
    ]
    assert {task["part"] for task in method["operational_tasks"]} == {
        "preparation", "experimentation",
    }


def test_shipped_folder_is_discovered():
    assert "agir_ensemble" in available_method_templates()


def test_a_second_method_is_a_new_file(tmp_path):
    write_variant(tmp_path, lambda data: None, "agir_ensemble.yaml")
    write_variant(tmp_path, lambda data: data.update(key="autre_methode"), "autre.yaml")
    (tmp_path / "notes.txt").write_text("pas un modèle", encoding="utf-8")
    assert sorted(available_method_templates(tmp_path)) == ["agir_ensemble", "autre_methode"]


def test_two_files_with_the_same_key_are_refused(tmp_path):
    write_variant(tmp_path, lambda data: None, "a.yaml")
    write_variant(tmp_path, lambda data: None, "b.yaml")
    with pytest.raises(MethodTemplateError, match="déjà celle du modèle a.yaml"):
        available_method_templates(tmp_path)


def test_yaml_syntax_error_gives_the_line(tmp_path):
    path = tmp_path / "casse.yaml"
    path.write_text("key: casse\nname: Titre : sous-titre\n", encoding="utf-8")
    with pytest.raises(MethodTemplateError) as caught:
        load_method_template(path)
    assert str(caught.value).startswith("Le modèle casse.yaml est invalide : ligne 2, colonne ")
    assert "deux-points inattendu" in str(caught.value)


def test_repeated_yaml_key_is_refused(tmp_path):
    path = tmp_path / "double.yaml"
    path.write_text("key: a\nname: A\nkey: b\n", encoding="utf-8")
    with pytest.raises(MethodTemplateError, match="ligne 3, colonne 1 : clé répétée"):
        load_method_template(path)


def drop_parts(data):
    del data["parts"]


def month_as_text(data):
    data["sessions"][1]["month"] = "trois"


def duplicate_section(data):
    data["cadre_sections"][2]["key"] = "objectifs"


def gt_after_window(data):
    data["sessions"][2]["month"] = 7


def missing_agenda(data):
    del data["sessions"][1]["agenda"]


def unknown_field(data):
    data["parts"][0]["livrables"] = []


def unknown_contribution_kind(data):
    data["sessions"][2]["agenda"][1]["contribution_kinds"] = ["constat"]


def unknown_session_kind(data):
    data["sessions"][0]["kind"] = "pleniere"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (drop_parts, "parts : ce champ est obligatoire."),
        (month_as_text,
         "sessions → 2 → month : doit être un nombre entier (valeur reçue : « trois »)."),
        (duplicate_section,
         "cadre_sections → 3 → key : la clé « objectifs » est déjà utilisée par l'élément 2."),
        (gt_after_window,
         "sessions → 3 → month : le GT2 est prévu au mois 7, après la fenêtre des GT"),
        (missing_agenda, "sessions → 2 → agenda : ce champ est obligatoire."),
        (unknown_field, "parts → 1 : champ inconnu : livrables."),
        (unknown_contribution_kind,
         "sessions → 3 → agenda → 2 → contribution_kinds → 1 : type de contribution « constat » "
         "non défini pour les séances gt2"),
        (unknown_session_kind,
         "sessions → 1 → kind : valeur non reconnue (valeur reçue : « pleniere »)"),
    ],
)
def test_malformed_template_names_file_and_place(tmp_path, change, expected):
    path = write_variant(tmp_path, change, "variante.yaml")
    with pytest.raises(MethodTemplateError) as caught:
        load_method_template(path)
    assert str(caught.value).startswith(f"Le modèle variante.yaml est invalide : {expected}")


def test_the_templates_are_read_once_and_again_in_development_when_a_file_changes(
        app, tmp_path, monkeypatch):
    """The experiment form lists the methods without parsing YAML on each request; a
    developer editing a template sees the change on the next request."""
    from facilitation.experiments import methods

    write_variant(tmp_path, lambda data: None, "agir_ensemble.yaml")
    monkeypatch.setattr(methods, "METHODS_FOLDER", tmp_path)
    monkeypatch.setattr(methods, "_read", {"signature": None, "templates": None})

    def rename(data):
        data["name"] = "Agir ensemble, version relue"

    with app.app_context():
        assert methods.method_choices() == [("agir_ensemble", "Agir ensemble sur le territoire")]
        write_variant(tmp_path, rename, "agir_ensemble.yaml")
        app.config["TEMPLATES_AUTO_RELOAD"] = False  # production: kept for the process
        assert methods.method_choices()[0][1] == "Agir ensemble sur le territoire"
        app.config["TEMPLATES_AUTO_RELOAD"] = True  # development: the changed file is read
        try:
            assert methods.method_choices()[0][1] == "Agir ensemble, version relue"
        finally:
            app.config["TEMPLATES_AUTO_RELOAD"] = False
