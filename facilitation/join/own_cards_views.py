"""A participant corrects or withdraws their own card from their phone (``live.own_cards``
says when they may). Routes of the ``join`` blueprint."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from facilitation.join.views import _participant, bp, code_guesses, phone_actions
from facilitation.sessions.live import own_cards
from facilitation.sessions.live.forms import OwnCardForm
from facilitation.sessions.live.web import int_or_none
from territorial.common.errors import DomainError, refuse, show_errors


def _own(code: str, card_id: int):
    session, attendee = _participant(code)
    try:
        return session, attendee, own_cards.own_card(session, attendee, card_id)
    except DomainError:
        abort(404)


@bp.route("/j/<code>/cards/<int:card_id>/edit", methods=["GET", "POST"])
@code_guesses
@phone_actions
def edit_card(code: str, card_id: int):
    session, attendee, card = _own(code, card_id)
    back = url_for("join.session", code=session.join_code, _anchor="mine-title")
    form = OwnCardForm() if request.method == "POST" else OwnCardForm(formdata=None)
    if request.method == "GET":
        form.text.data, form.version.data = card.text, card.version_id
    elif form.validate():
        try:
            own_cards.edit_own_card(session, attendee, card, form.text.data or "",
                                    int_or_none(form.version.data))
        except DomainError as error:
            status = show_errors(form, error, default="text")
            return render_template("join/card_form.html", session=session, form=form,
                                   back=back), status
        flash(_("Contribution corrigée."), "success")
        return redirect(back)
    return render_template("join/card_form.html", session=session, form=form, back=back), (
        422 if form.errors else 200)


@bp.route("/j/<code>/cards/<int:card_id>/withdraw", methods=["POST"])
@code_guesses
@phone_actions
def withdraw_card(code: str, card_id: int):
    session, attendee, card = _own(code, card_id)
    back = url_for("join.session", code=session.join_code, _anchor="mine-title")
    try:
        own_cards.withdraw_own_card(session, attendee, card)
    except DomainError as error:
        return refuse(error, back)
    flash(_("Contribution retirée du tableau."), "success")
    return redirect(back)
