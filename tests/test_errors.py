"""The one error path (territorial/common/errors.py): a rule's refusal carries messages by
field; one helper puts them on the form; a request whose view reported a refusal keeps
nothing, whatever its answer (a redirect included)."""
from datetime import UTC, datetime

import pytest
from flask import get_flashed_messages, redirect
from sqlalchemy import func, select
from wtforms import StringField

from extensions import db
from territorial.actors.models import Organisation
from territorial.common import versions
from territorial.common.errors import (ALL, DomainError, flash_error, next_url, refuse,
                                       show_errors)
from territorial.common.forms import Form


class NameForm(Form):
    name = StringField("Nom")


def test_a_refusal_is_about_the_form_one_field_or_several():
    assert DomainError("Non.").errors == {ALL: "Non."}
    assert DomainError("Trop long.", field="name").errors == {"name": "Trop long."}
    refused = DomainError({"name": "Trop long.", "year": "Hors période."}, status=409)
    assert refused.status == 409 and refused.message == "Trop long. Hors période."
    assert DomainError("Non.").status == 422


def test_a_conflict_is_a_refusal_of_the_whole_form_that_says_who_and_when(ctx, factory):
    camille = factory.user(display_name="Camille Durand")
    conflict = versions.Conflict(camille.id, datetime(2024, 12, 4, 13, 5, tzinfo=UTC), 3)
    assert isinstance(conflict, DomainError) and conflict.status == 409
    assert conflict.errors == {ALL: "Modifié par Camille Durand le 4 décembre 2024 à 14 h 05 "
                                    "pendant que vous écriviez."}


def test_messages_go_next_to_their_fields_and_the_others_into_a_flash(app):
    with app.test_request_context("/", method="POST", data={"name": "Mairie"}):
        form = NameForm()
        status = show_errors(form, DomainError({"name": "Ce nom est pris.", ALL: "Et puis non."}))
        assert status == 422
        assert form.name.errors == ["Ce nom est pris."]
        assert get_flashed_messages(with_categories=True) == [("error", "Et puis non.")]


def test_a_message_about_the_whole_form_can_go_next_to_a_field(app):
    with app.test_request_context("/", method="POST"):
        form = NameForm()
        show_errors(form, DomainError({ALL: "Déjà là.", "other": "Inconnu."}), default="name")
        assert form.name.errors == ["Déjà là.", "Inconnu."]
        assert get_flashed_messages() == []


def _organisations() -> int:
    return db.session.scalar(select(func.count()).select_from(Organisation))


@pytest.mark.parametrize("refused", [True, False])
def test_a_redirect_after_a_refused_change_keeps_nothing(app, factory, refused):
    territory = factory.territory()
    before = _organisations()
    with app.test_request_context("/", method="POST"):
        db.session.add(Organisation(territory_id=territory.id, name="À moitié créée",
                                    kind="association"))
        db.session.flush()
        if refused:
            flash_error(DomainError("Refusé après un premier changement."))
        app.process_response(redirect("/"))
    assert _organisations() == before + (0 if refused else 1)


def test_a_button_gets_a_flash_and_a_script_gets_json(app):
    with app.test_request_context("/", method="POST"):
        answer = refuse(DomainError("Non."), "/ailleurs")
        assert answer.status_code == 302 and answer.location == "/ailleurs"
    with app.test_request_context("/", method="POST", headers={"Accept": "application/json"}):
        body, status = refuse(DomainError("Non.", status=409), "/ailleurs")
        assert status == 409 and body.get_json() == {"ok": False, "error": "Non."}


@pytest.mark.parametrize("target, expected", [
    ("/t/charenton/", "/t/charenton/"), ("//evil.example", "/repli"),
    ("https://evil.example", "/repli"), ("/\t/evil.example", "/repli"), (None, "/repli"),
])
def test_going_back_stays_on_the_platform(app, target, expected):
    with app.test_request_context("/", query_string={"next": target} if target else {}):
        assert next_url("/repli") == expected
