"""The house a newcomer reads (docs/architecture.md): each blueprint named like the folder
of its capability, each template folder named like its blueprint, every URL where it was."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Two capabilities hold a second blueprint, each for pages at another address.
SECOND_BLUEPRINTS = {
    "territory": "territorial.territories: a territory's own pages, under /t/<territory>",
    "api_tokens": "territorial.api: the personal tokens, on the account's page",
}


def test_every_blueprint_is_named_like_its_folder(app):
    for name, blueprint in app.blueprints.items():
        if name in SECOND_BLUEPRINTS:
            continue
        parts = blueprint.import_name.split(".")
        folder = parts[-1] if parts[-1] not in ("views",) else parts[-2]
        assert name.split(".")[-1] == folder, f"blueprint {name} lives in {blueprint.import_name}"


def test_every_template_folder_is_a_blueprint(app):
    names = {name.split(".")[-1] for name in app.blueprints} | {"errors"}
    folders = {path.name for path in (ROOT / "templates").iterdir() if path.is_dir()}
    assert folders <= names, folders - names


def test_no_model_hides_behind_another_name():
    """The meeting model is Meeting: no module imports it under another name."""
    for path in [*ROOT.glob("territorial/**/*.py"), *ROOT.glob("facilitation/**/*.py"),
                 *ROOT.glob("tests/*.py")]:
        if path.name == Path(__file__).name:
            continue
        text = path.read_text(encoding="utf-8")
        assert "MeetingSession" not in text and " import Session as" not in text.replace(
            "sqlalchemy.orm import Session as OrmSession", ""), path
