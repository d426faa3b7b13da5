"""Account commands: ``create-user`` and ``add-member`` (and the charters' ``charters check``)."""
import click
from flask import Flask
from sqlalchemy import select

from extensions import db
from territorial.accounts import operations
from territorial.accounts.models import ROLES
from territorial.accounts.passwords import password_problem
from territorial.common.errors import DomainError
from territorial.territories.models import Territory


def register(app: Flask) -> None:
    from territorial.charters import cli as charters_cli

    app.cli.add_command(create_user)
    app.cli.add_command(add_member)
    charters_cli.register(app)


@click.command("create-user")
@click.argument("email")
@click.option("--admin", is_flag=True, help="Administrateur de la plateforme.")
@click.option("--name", default=None, help="Nom affiché (par défaut : l'adresse).")
@click.option("--password", default=None, help="Sinon demandé de manière interactive.")
def create_user(email: str, admin: bool, name: str | None, password: str | None):
    """Create an account (the password is prompted for when not given)."""
    if operations.find_user(email):
        raise click.ClickException(f"Un compte existe déjà pour {email}.")
    if password is None:
        password = click.prompt(
            "Mot de passe", hide_input=True, confirmation_prompt="Confirmez le mot de passe"
        )
    if problem := password_problem(password, (email, name)):
        raise click.ClickException(problem)
    user = operations.create_user(email, name or email, password, is_admin=admin)
    db.session.commit()
    click.echo(f"Compte créé : {user.email}{' (administrateur)' if admin else ''}.")


@click.command("add-member")
@click.argument("email")
@click.argument("territory")
@click.argument("role", type=click.Choice(list(ROLES)))
def add_member(email: str, territory: str, role: str):
    """Give the account EMAIL the ROLE in TERRITORY (its slug)."""
    user = operations.find_user(email)
    if user is None:
        raise click.ClickException(f"Aucun compte pour {email}.")
    found = db.session.scalar(select(Territory).where(Territory.slug == territory))
    if found is None:
        raise click.ClickException(f"Aucun territoire « {territory} ».")
    try:
        operations.set_membership(user, found.id, role)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"{user.email} : {role} sur {found.name}.")
