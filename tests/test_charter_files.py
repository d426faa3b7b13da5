"""Charter files cannot break the site: every problem of a file with its line, a misspelt field
named with the closest one, the right file blamed for a key used twice, YAML bounded in size and
expansion, templates read once per process, a broken file skipped with a banner for the platform
administrators while every page answers as before."""
from html import unescape
from pathlib import Path

import pytest

from territorial.charters import registry, source, versioning
from territorial.charters.loader import check_template

from tests.route_ids import ID_MAKERS
from tests.route_ids import route_url, territory_rules

FOLDER = Path(__file__).resolve().parent.parent / "territorial" / "charters"
REFERENCE = (FOLDER / "quartier_libre.yaml").read_text(encoding="utf-8")
SECOND = (FOLDER / "exemple_collectif_solidaire.yaml").read_text(encoding="utf-8")


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if line.startswith(start))


def variant(*changes) -> str:
    text = REFERENCE
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


# A copy of the reference charter with one problem of each kind.
BROKEN = variant(
    ("key: quartier_libre", "key: quartier_libre_copie"),
    ("version: 1", "version: 1\nversion: 2"),  # a key written twice
    ("    rhythm:\n      text: deux fois par an", "    rythm:\n      text: deux fois par an"),
    ("    instance: copil\n    options:", "    instance: copli\n    options:"),
    ("    role: arbitrates", "    role: arbitre"),
    ("    escalate_to: codir", "    escalate_to: chef_projet"),
)


@pytest.fixture
def broken_file(tmp_path):
    path = tmp_path / "quartier_libre_copie.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_every_problem_of_a_file_is_reported_with_its_line(broken_file):
    check = check_template(broken_file)
    found = [(p.line, p.place_text, p.detail) for p in check.problems]
    assert found == [
        (line_of(BROKEN, "version: 2"), "",
         "clé « version » en double dans le même élément (seule la dernière valeur serait lue)."),
        (line_of(BROKEN, "    rythm:"), "instances → 1 → rythm",
         "ce champ n'est pas prévu par le modèle de charte. Vouliez-vous dire « rhythm » ?"),
        (line_of(BROKEN, "    role: arbitre"), "decision_matrix → 3 → role",
         "« arbitre » n'est pas une valeur autorisée (valeurs possibles : « decides », "
         "« proposes », « consulted », « informed », « arbitrates », « none »). "
         "Vouliez-vous dire « arbitrates » ?"),
        (line_of(BROKEN, "    instance: copli"), "lifecycle → 3 → instance",
         "« copli » n'est pas une instance définie. Vouliez-vous dire « copil » ?"),
        (BROKEN.splitlines().index("    escalate_to: chef_projet", 700) + 1,
         "arbitration → 5 → escalate_to",
         "la chaîne d'arbitrage « copredir » → « chef_projet » → « copil » → « copredir » tourne "
         "en boucle sans que la charte ne prévoie la caducité."),
    ]


def test_the_check_command_prints_each_problem_and_fails(app, broken_file):
    result = app.test_cli_runner().invoke(args=["charters", "check", str(broken_file)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (f"quartier_libre_copie.yaml:{line_of(BROKEN, 'version: 2')}:1: clé "
                        "« version » en double dans le même élément (seule la dernière valeur "
                        "serait lue).")
    assert (f"quartier_libre_copie.yaml:{line_of(BROKEN, '    rythm:')}: instances → 1 → rythm : "
            "ce champ n'est pas prévu par le modèle de charte. Vouliez-vous dire « rhythm » ?"
            ) in lines
    assert lines[-1] == "quartier_libre_copie.yaml : 5 problèmes."
    installed = app.test_cli_runner().invoke(
        args=["charters", "check", str(FOLDER / "quartier_libre.yaml"),
              str(FOLDER / "exemple_collectif_solidaire.yaml")])
    assert installed.exit_code == 0
    assert installed.output.splitlines() == ["quartier_libre.yaml : aucun problème.",
                                             "exemple_collectif_solidaire.yaml : aucun problème."]


def test_the_check_command_gives_the_line_of_a_syntax_error(app, tmp_path):
    path = tmp_path / "charte.yaml"
    path.write_text(REFERENCE.replace("name: Quartier Libre Besançon",
                                      "name: Quartier Libre : Besançon", 1), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["charters", "check", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"charte.yaml:{line_of(REFERENCE, 'name:')}:22: erreur de syntaxe YAML : deux-points "
        "inattendu (mettez le texte entre guillemets).")


def test_a_new_file_reusing_an_installed_key_is_blamed_not_the_installed_one(app, tmp_path):
    path = tmp_path / "a_nouvelle.yaml"
    path.write_text(REFERENCE, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["charters", "check", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"a_nouvelle.yaml:{line_of(REFERENCE, 'key:')}: key : « quartier_libre » est déjà la clé "
        "de la charte quartier_libre.yaml : donnez à ce modèle une clé qui lui est propre.",
        "a_nouvelle.yaml : 1 problème."]


# Bounded YAML ----------------------------------------------------------------------------------

def laughs(levels: int, width: int = 9) -> str:
    """An anchor-heavy text: a few lines that expand to width ** levels values."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        refs = ", ".join(f"*a{level - 1}" for _ in range(width))
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_a_text_that_expands_to_millions_of_values_is_refused_at_once():
    parsed = source.parse(laughs(7))  # 46 aliases, 9 ** 7 ≈ 4.8 million values once expanded
    assert parsed.data is None
    assert [p.detail for p in parsed.problems] == [
        "une fois ses renvois (*) développés, le texte dépasserait 25\u202f000 valeurs : écrivez "
        "les parties répétées en toutes lettres."]
    many = "\n".join(f"k{n}: *a" for n in range(120))
    parsed = source.parse("base: &a 1\n" + many)
    assert "plus de 100 renvois" in parsed.problems[0].detail
    parsed = source.parse("x" * 300_001)
    assert parsed.problems[0].detail.startswith("le texte compte 300\u202f001 caractères")


def test_the_advanced_editor_refuses_an_expanding_text(client, login, factory):
    territory = factory.territory()
    charter = factory.charter(territory)
    login(factory.user(territory, role="coordinator"))
    url = f"/t/{territory.slug}/partnerships/charters/{charter.id}/sections/glossary?mode=texte"
    text = laughs(5) + "glossary: *a4\n"
    response = client.post(url, data={"content": text})
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "dépasserait 10\u202f000 valeurs" in page
    assert charter.current_version == 1
    value, error = versioning.parse_section("glossary", "- term: A\n  definition: B\n- term: A")
    assert error is None and value[1] == {"term": "A"}


# Read once per process ---------------------------------------------------------------------------

def test_templates_are_read_once_then_again_only_when_a_file_changes_in_development(tmp_path,
                                                                                   app):
    (tmp_path / "quartier_libre.yaml").write_text(REFERENCE, encoding="utf-8")
    found = registry.registry(tmp_path)
    assert found.reads == 1
    for _ in range(3):
        registry.templates(tmp_path)
    assert found.reads == 1
    changed = REFERENCE.replace("name: Quartier Libre Besançon", "name: Quartier Libre", 1)
    (tmp_path / "quartier_libre.yaml").write_text(changed + "\n", encoding="utf-8")
    with app.app_context():
        assert registry.templates(tmp_path)["quartier_libre"]["name"] == "Quartier Libre Besançon"
        app.config["TEMPLATES_AUTO_RELOAD"] = True
        try:
            assert registry.templates(tmp_path)["quartier_libre"]["name"] == "Quartier Libre"
        finally:
            app.config["TEMPLATES_AUTO_RELOAD"] = None
    assert found.reads == 2


def test_the_partnerships_pages_do_not_read_the_template_files(app, client, login, factory,
                                                               monkeypatch):
    territory = factory.territory()
    factory.charter(territory)
    login(factory.user(territory, role="coordinator"))
    reads = []
    monkeypatch.setattr(registry, "check_template",
                        lambda *args: reads.append(args) or check_template(*args))
    for url in ("/partnerships", "/partnerships/charters/new",
                "/partnerships/charters/new?template=quartier_libre"):
        assert client.get(f"/t/{territory.slug}{url}").status_code == 200
    assert reads == []


# A broken file in the folder ------------------------------------------------------------------------

@pytest.fixture
def folder_with_a_broken_file(tmp_path, monkeypatch):
    for name, text in (("quartier_libre.yaml", REFERENCE),
                       ("exemple_collectif_solidaire.yaml", SECOND),
                       ("quartier_libre_copie.yaml", BROKEN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(registry, "FOLDER", tmp_path)
    return tmp_path


def sweep(client, app, territory, ids) -> dict[str, int]:
    statuses = {}
    for rule in territory_rules(app):
        if "GET" in rule.methods:
            url = route_url(rule, territory.slug, ids)
            statuses[url] = client.get(url).status_code
    return statuses


def test_a_broken_file_changes_no_page_and_is_shown_to_administrators(
        app, client, login, factory, monkeypatch, tmp_path):
    territory = factory.territory()
    coordinator = factory.user(territory, role="coordinator")
    ids = {name: maker(factory, territory, coordinator) for name, maker in ID_MAKERS.items()}
    login(coordinator)
    before = sweep(client, app, territory, ids)
    for name, text in (("quartier_libre.yaml", REFERENCE),
                       ("exemple_collectif_solidaire.yaml", SECOND),
                       ("quartier_libre_copie.yaml", BROKEN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(registry, "FOLDER", tmp_path)
    assert sweep(client, app, territory, ids) == before
    assert set(registry.templates()) == {"quartier_libre", "collectif_solidaire_val"}
    page = unescape(client.get(f"/t/{territory.slug}/partnerships").get_data(as_text=True))
    assert "Modèles de charte ignorés" not in page
    client.post("/logout")
    login(factory.user(is_admin=True))
    page = unescape(client.get(f"/t/{territory.slug}/partnerships").get_data(as_text=True))
    assert "Modèles de charte ignorés" in page
    assert "quartier_libre_copie.yaml : 5 problèmes" in page
    assert (f"ligne {line_of(BROKEN, '    instance: copli')} (lifecycle → 3 → instance) : "
            "« copli » n'est pas une instance définie. Vouliez-vous dire « copil » ?") in page
