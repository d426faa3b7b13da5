"""``flask --app app charters check FILE…``: every problem of charter templates, with its line,
before they are put in ``territorial/charters/``."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from territorial.charters.registry import check_files, template_problems

charters_cli = AppGroup("charters", help="Modèles de charte (fichiers YAML).")


def register(app: Flask) -> None:
    app.cli.add_command(charters_cli)


@charters_cli.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def check(files: tuple[str, ...]):
    """Check charter template FILES (default: the installed ones); exit status 1 on a problem."""
    if files:
        results = [(check.filename, check.problems) for check in check_files(files)]
    else:
        from territorial.charters.registry import registry

        installed = registry()
        results = [(name, installed.problems.get(name, []))
                   for name in sorted({*installed.filenames.values(), *template_problems()})]
    count = 0
    for filename, problems in results:
        for problem in problems:
            line = f"{problem.line}:" if problem.line else ""
            if problem.line and problem.column:
                line += f"{problem.column}:"
            where = f" {problem.place_text} :" if problem.place else ""
            click.echo(f"{filename}:{line}{where} {problem.detail}")
        if problems:
            click.echo(f"{filename} : {len(problems)} problème{'s' if len(problems) > 1 else ''}.")
        else:
            click.echo(f"{filename} : aucun problème.")
        count += len(problems)
    if count:
        raise SystemExit(1)
