"""The commands of the README: create-user, add-member, seed-demo."""
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from extensions import db
from territorial.accounts.models import Membership, User
from territorial.actors.models import Organisation, Person
from territorial.audit.models import AuditEntry


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_create_user_with_password_option_and_prompt(app, transaction):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "chef@exemple.fr", "--admin",
                                 "--password", "Une-phrase-tres-longue-1"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "chef@exemple.fr"))
    assert user.is_admin and user.check_password("Une-phrase-tres-longue-1")
    prompted = runner.invoke(args=["create-user", "autre@exemple.fr"],
                             input="Encore-une-phrase-longue-2\nEncore-une-phrase-longue-2\n")
    assert prompted.exit_code == 0, prompted.output
    weak = runner.invoke(args=["create-user", "faible@exemple.fr", "--password", "motdepasse"])
    assert weak.exit_code != 0 and "au moins 12 caractères" in weak.output


def test_add_member(app, factory):
    factory.territory(slug="besancon")
    user = factory.user()
    result = app.test_cli_runner().invoke(args=["add-member", user.email, "besancon", "facilitator"])
    assert result.exit_code == 0, result.output
    role = db.session.scalar(select(Membership.role).where(Membership.user_id == user.id))
    assert role == "facilitator"
    unknown = app.test_cli_runner().invoke(args=["add-member", user.email, "nulle-part", "observer"])
    assert unknown.exit_code != 0 and "Aucun territoire" in unknown.output


def test_seed_demo_twice_duplicates_nothing(app, transaction):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    counts = {model: _count(model) for model in (User, Organisation, Person, Membership)}
    audit = _count(AuditEntry)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert {model: _count(model) for model in counts} == counts
    assert counts[Organisation] > 30 and counts[User] >= 8
    assert _count(AuditEntry) == audit  # nothing written the second time
    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "déjà des données" in skipped.output


def test_readme_commands_work_as_typed_after_make_run(tmp_path):
    """`make run` writes the copy's .env; a `flask --app app …` typed afterwards, with no
    SECRET_KEY or EXTERNAL_URL in the shell, reads it (no « SECRET_KEY is not set »)."""
    root = Path(__file__).resolve().parent.parent
    made = subprocess.run(["make", "--no-print-directory", "-f", str(root / "Makefile"),
                           f"VENV={root / '.venv'}", ".env"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    assert "FLASK_DEBUG=1" in (tmp_path / ".env").read_text()
    shell = {name: value for name, value in os.environ.items()
             if name not in {"SECRET_KEY", "EXTERNAL_URL", "FLASK_DEBUG", "FLASK_SKIP_DOTENV"}}
    shell["DATABASE_URL"] = f"sqlite:///{tmp_path / 'copy.db'}"

    def flask(*args):
        return subprocess.run([sys.executable, "-m", "flask", "--app", str(root / "app.py"), *args],
                              cwd=tmp_path, env=shell, capture_output=True, text=True, timeout=120)

    for command in (["db", "upgrade"],
                    ["create-user", "nouvelle@exemple.fr", "--password", "Une-phrase-tres-longue-1"]):
        result = flask(*command)
        assert result.returncode == 0, result.stderr[-2000:]
    assert "SECRET_KEY is not set" not in result.stderr
