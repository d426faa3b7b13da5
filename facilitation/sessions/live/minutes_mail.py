"""The compte rendu sent by e-mail to the attendees who gave an address (the optional field
when joining from a phone, or the address on file of a group member who was present),
through the SMTP server of the configuration (``MAIL_*``), the Word file attached."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from facilitation.sessions.live import minutes as minutes_ops
from facilitation.sessions.live.minutes_document import describe_minutes
from facilitation.sessions.live.models import Attendee
from facilitation.sessions.models import Meeting
from territorial.accounts.operations import send_mail
from territorial.actors.models import Person
from territorial.common.errors import DomainError
from territorial.documents import FORMATS, render
from territorial.documents.formats import french_date

@dataclass
class Sending:
    sent: list[str]
    failed: list[str]


def recipients(session: Meeting) -> list[str]:
    """The addresses of the present attendees, each once."""
    rows = db.session.execute(
        select(Attendee.email, Person.email).outerjoin(Person, Person.id == Attendee.person_id)
        .where(Attendee.session_id == session.id, Attendee.status == "present")
        .order_by(Attendee.name)).all()
    found: list[str] = []
    for given, on_file in rows:
        address = (given or on_file or "").strip()
        if address and address.lower() not in [a.lower() for a in found]:
            found.append(address)
    return found


def send_minutes(session: Meeting, territory) -> Sending:
    if not current_app.config.get("MAIL_SERVER"):
        raise DomainError(_("L'envoi par courriel n'est pas configuré sur cette plateforme "
                            "(MAIL_SERVER) : téléchargez le compte rendu et envoyez-le."))
    if not session.minutes.strip():
        raise DomainError(_("Le compte rendu est vide : rédigez-le avant de l'envoyer."))
    addresses = recipients(session)
    if not addresses:
        raise DomainError(_("Aucune personne présente n'a donné d'adresse électronique."))
    document = describe_minutes(minutes_ops.load(session), territory)
    content = render(document, "docx").getvalue()
    subject = _("Compte rendu – %(title)s", title=session.title)
    body = _("Bonjour,\n\nVous trouverez ci-joint le compte rendu de la séance « %(title)s » "
             "du %(day)s.\n\nBonne lecture.", title=session.title,
             day=french_date(session.starts_at.date(), "long"))
    attachment = ((f"{document.file_stem}.docx", content, FORMATS["docx"][1]),)
    sending = Sending([], [])
    for address in addresses:
        (sending.sent if send_mail(address, subject, body, attachment)
         else sending.failed).append(address)
    if sending.sent:
        minutes_ops.mark_sent(session)
    return sending
