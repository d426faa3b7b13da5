"""The « Compte rendu » tab of a live session: the minutes, their draft, Word and print.

Routes of the ``live`` blueprint (``facilitation.sessions.live.views``).
"""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from facilitation.sessions.live import minutes as minutes_ops
from facilitation.sessions.live import minutes_mail
from facilitation.sessions.live import rules
from facilitation.sessions.live.forms import MinutesForm
from facilitation.sessions.live.minutes_document import describe_minutes
from facilitation.sessions.live.views import bp
from facilitation.sessions.views import load_session
from territorial.access import needs
from territorial.common import versions
from territorial.documents.web import send_document
from territorial.common.errors import DomainError, flash_error, refuse, show_errors


def _render_minutes(session, form=None, status=200, refused=None):
    if form is None:
        form = MinutesForm(formdata=None)
        form.minutes.data = session.minutes
        form.edit_version.data = session.edit_version
    data = minutes_ops.load(session)
    return render_template("sessions/live/minutes.html", session=session, form=form,
                           data=data, blocks=minutes_ops.grouped_blocks(session.minutes),
                           recipients=minutes_mail.recipients(session),
                           closed=rules.is_closed(session), **(refused or {})), status


@bp.route("/<int:session_id>/minutes", methods=["GET", "POST"])
@login_required
@needs("view", post="facilitate")
def minutes(session_id: int):
    session = load_session(session_id)
    if request.method == "GET":
        return _render_minutes(session)
    form = MinutesForm()
    if not form.validate():
        return _render_minutes(session, form, 422)
    try:
        minutes_ops.set_minutes(session, form.minutes.data or "",
                                versions.parse(form.edit_version.data))
    except versions.Conflict as conflict:
        session = load_session(session_id)
        rows = [(_("Compte rendu"), session.minutes, form.minutes.data or "")]
        return _render_minutes(session, form, 409,
                               versions.refusal(conflict, form) | {"conflict_rows": rows})
    except DomainError as error:
        return _render_minutes(session, form, show_errors(form, error, default="minutes"))
    flash(_("Compte rendu enregistré."), "success")
    return redirect(url_for("sessions.live.minutes", session_id=session.id))


@bp.route("/<int:session_id>/minutes/draft", methods=["POST"])
@login_required
@needs("facilitate")
def redraft_minutes(session_id: int):
    session = load_session(session_id)
    try:
        minutes_ops.redraft(session, versions.loaded_version())
    except versions.Conflict as conflict:
        flash_error(conflict, _("Le brouillon n'a pas remplacé le texte : %(who)s Relisez-le "
                                "avant de le remplacer.", who=conflict.background_message))
        return redirect(url_for("sessions.live.minutes", session_id=session_id))
    flash(_("Brouillon du compte rendu rédigé à partir de la séance."), "success")
    return redirect(url_for("sessions.live.minutes", session_id=session.id))


@bp.route("/<int:session_id>/minutes/sent", methods=["POST"])
@login_required
@needs("facilitate")
def minutes_sent(session_id: int):
    session = load_session(session_id)
    sent = request.form.get("sent", "1") == "1"
    try:
        minutes_ops.mark_sent(session, sent)
    except DomainError as error:
        return refuse(error, url_for("sessions.live.minutes", session_id=session.id))
    flash(_("Compte rendu marqué comme envoyé.") if sent
          else _("Compte rendu marqué comme non envoyé."), "success")
    return redirect(url_for("sessions.live.minutes", session_id=session.id))


@bp.route("/<int:session_id>/minutes/email", methods=["POST"])
@login_required
@needs("facilitate")
def minutes_email(session_id: int):
    """The compte rendu by e-mail to the attendees who gave an address, Word attached."""
    session = load_session(session_id)
    target = url_for("sessions.live.minutes", session_id=session.id)
    try:
        sending = minutes_mail.send_minutes(session, g.territory)
    except DomainError as error:
        return refuse(error, target)
    if sending.sent:
        flash(ngettext("Compte rendu envoyé à %(num)d personne.",
                       "Compte rendu envoyé à %(num)d personnes.", len(sending.sent)), "success")
    if sending.failed:
        flash(_("L'envoi a échoué pour : %(who)s.", who=", ".join(sending.failed)), "error")
    return redirect(target)


@bp.route("/<int:session_id>/minutes.<any(docx, odt, pdf):fmt>")
@login_required
@needs("view")
def minutes_document(session_id: int, fmt: str):
    session = load_session(session_id)
    document = describe_minutes(minutes_ops.load(session), g.territory)
    return send_document(document, fmt)


@bp.route("/<int:session_id>/minutes/print")
@login_required
@needs("view")
def minutes_print(session_id: int):
    session = load_session(session_id)
    return render_template("sessions/live/minutes_print.html", session=session,
                           data=minutes_ops.load(session),
                           blocks=minutes_ops.grouped_blocks(session.minutes))
