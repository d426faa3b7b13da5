"""The house a newcomer reads (docs/architecture.md): each blueprint named like the folder
of its capability, each template folder named like its blueprint, every URL where it was."""
import ast
import re
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


# Size, and the page scripts' texts -------------------------------------------------------

MAX_LINES = 450  # ~400, split by capability beyond (docs/architecture.md)


def _application_modules():
    return [*ROOT.glob("*.py"), *ROOT.glob("territorial/**/*.py"),
            *ROOT.glob("facilitation/**/*.py")]


def test_no_application_module_is_over_450_lines():
    lines = {path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in _application_modules()}
    assert len(lines) > 100  # the walk found the house
    assert {path: n for path, n in lines.items() if n > MAX_LINES} == {}


def js_strings(source: str) -> list[str]:
    """The string literals of a script, its comments and regular expressions left out."""
    strings, i, previous = [], 0, "("
    while i < len(source):
        char = source[i]
        if source.startswith("//", i):
            i = source.find("\n", i) if "\n" in source[i:] else len(source)
        elif source.startswith("/*", i):
            i = source.index("*/", i) + 2
        elif char in "'\"`":
            end = i + 1
            while source[end] != char:
                end += 2 if source[end] == "\\" else 1
            strings.append(source[i + 1:end])
            i, previous = end + 1, char
        elif char == "/" and previous in "(,=:[!&|?{};+":  # a regular expression
            end = i + 1
            while source[end] != "/":
                if source[end] == "[":
                    end = source.index("]", end)
                end += 2 if source[end] == "\\" else 1
            i, previous = end + 1, "/"
        else:
            if not char.isspace():
                previous = char
            i += 1
    return strings


FRENCH = re.compile(r"[À-ÿœŒ«»]|\b(?:le|la|les|des|du|une|est|pas|pour|avec|dans|aucune?|"
                    r"enregistr\w*|réessayer|envoi|attente|carte)\b", re.IGNORECASE)


def test_js_strings_reader_finds_french_in_code_not_in_comments():
    source = ('// « Réessayer » in a comment\nvar a = "x" + /[\'"]/g.source;\n'
              '/* en attente */ var b = \'en attente d\\\'envoi\';')
    assert js_strings(source) == ["x", "en attente d\\'envoi"]
    assert [text for text in js_strings(source) if FRENCH.search(text)] == [
        "en attente d\\'envoi"]


def test_page_scripts_take_their_texts_from_the_page():
    """No French in the scripts' code (comments aside): the texts come from the page's
    data-* attributes, in the page's language."""
    scripts = sorted((ROOT / "static" / "js").glob("*.js"))
    assert scripts
    french = {path.name: [text for text in js_strings(path.read_text(encoding="utf-8"))
                          if FRENCH.search(text)] for path in scripts}
    assert {name: texts for name, texts in french.items() if texts} == {}


def test_the_territorial_layer_never_imports_facilitation():
    """``facilitation`` builds on ``territorial``; the territorial layer learns of
    facilitation objects through registries (owners, panels), never by importing them."""
    importing = []
    for path in ROOT.glob("territorial/**/*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name.split(".")[0] == "facilitation" for name in names):
                importing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert importing == []


# Thin views: queries in queries.py -----------------------------------------------------

QUERY_CALLS = {"select", "where", "filter", "filter_by", "group_by", "order_by"}
SESSION_READS = {"execute", "scalar", "scalars"}


def query_building(source: str) -> list[str]:
    """The calls of a module that build or run a query: ``select(…)`` / ``db.select(…)``,
    ``….where(…)`` and its kin, ``db.session.execute/scalar/scalars(…)``. Loading one row
    by its key (``db.session.get``) is not building a query."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        call = node.func
        name = call.id if isinstance(call, ast.Name) else \
            call.attr if isinstance(call, ast.Attribute) else ""
        if name in QUERY_CALLS and (name == "select" or isinstance(call, ast.Attribute)):
            found.append(f"{node.lineno}: {name}(")
        elif (name in SESSION_READS and isinstance(call, ast.Attribute)
              and ast.unparse(call.value).endswith("session")):
            found.append(f"{node.lineno}: session.{name}(")
    return found


def view_modules() -> list[Path]:
    """The modules of the domain that answer requests: every ``*views.py``, and any other
    module that declares a route (``app.py`` assembles: its health check is not a page)."""
    route = re.compile(r"^\s*@\w+\.(route|get|post)\(", re.MULTILINE)
    domain = [*ROOT.glob("territorial/**/*.py"), *ROOT.glob("facilitation/**/*.py")]
    return [path for path in domain
            if path.name.endswith("views.py") or route.search(path.read_text(encoding="utf-8"))]


def test_query_building_is_found_in_code():
    sample = ("rows = db.session.scalars(select(Part).where(Part.id == 1))\n"
              "count = db.session.scalar(db.select(func.count()))\n"
              "names = ', '.join(sorted(names))\n"
              "part = db.session.get(Part, 1)\n")
    assert sorted(query_building(sample)) == [
        "1: select(", "1: session.scalars(", "1: where(", "2: select(", "2: session.scalar("]


def test_no_view_module_builds_a_query():
    """Views load, check, validate, call an operation and answer: the queries they need
    are functions of their capability's ``queries.py`` (docs/architecture.md)."""
    modules = view_modules()
    assert len(modules) > 40 and ROOT / "territorial/api/tokens.py" in modules
    building = {path.relative_to(ROOT).as_posix(): found for path in modules
                if (found := query_building(path.read_text(encoding="utf-8")))}
    assert building == {}
