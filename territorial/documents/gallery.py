"""``flask --app app documents gallery DIR``: every document type of the demo, in every
format, to look at (and, where ``pdftoppm`` is installed, a PNG of each PDF page).

Each capability registers how to find its documents in the data (``@example("key",
"title")`` on a function yielding ``(name, territory, describe)``), next to its
describers; the command runs them all.
"""
from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import click
from flask import g
from flask.cli import AppGroup
from flask_babel import force_locale

from territorial.documents import FORMATS, Document, render
from territorial.documents.naming import file_stem
from territorial.documents.web import DOCUMENT_LOCALE


@dataclass
class Example:
    key: str
    title: str
    find: Callable[[], Iterable[tuple[str, object, Callable[[], Document]]]]


EXAMPLES: dict[str, Example] = {}


def example(key: str, title: str):
    """Register the function that yields (name, territory, describe) for a document type."""
    def register(find):
        EXAMPLES[key] = Example(key, title, find)
        return find
    return register


def write_gallery(app, folder: Path, formats: Iterable[str] = tuple(FORMATS),
                  pages: bool = True, only: str = "") -> list[Path]:
    """Write every registered document of the data in ``folder``; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    pdftoppm = shutil.which("pdftoppm") if pages else None
    for key, entry in EXAMPLES.items():
        if only and only not in key:
            continue
        with app.test_request_context(), force_locale(DOCUMENT_LOCALE):
            for name, territory, describe in entry.find():
                g.territory = territory
                document = describe()
                stem = file_stem(key, name, limit=70)
                for fmt in formats:
                    path = folder / f"{stem}.{fmt}"
                    path.write_bytes(render(document, fmt).getvalue())
                    written.append(path)
                    click.echo(f"{entry.title} : {path}")
                    if fmt == "pdf" and pdftoppm:
                        (folder / "pages").mkdir(exist_ok=True)
                        subprocess.run([pdftoppm, "-r", "60", "-png", str(path),
                                        str(folder / "pages" / stem)], check=True, timeout=300)
    return written


documents_cli = AppGroup("documents", help="Documents (Word, OpenDocument, PDF).")


@documents_cli.command("gallery")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "formats", multiple=True, type=click.Choice(list(FORMATS)),
              help="Only these formats (all three by default).")
@click.option("--no-pages", is_flag=True, help="Without the PNG pages of the PDF files.")
@click.option("--only", default="", help="Only the document types whose key contains this.")
def gallery(folder: Path, formats: tuple[str, ...], no_pages: bool, only: str):
    """Write every document type of the demo in every format into FOLDER."""
    from flask import current_app

    files = write_gallery(current_app._get_current_object(), folder,
                          formats or tuple(FORMATS), pages=not no_pages, only=only)
    click.echo(f"{len(files)} fichiers écrits dans {folder}.")
