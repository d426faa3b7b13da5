"""Helpers for the live-session tests (issue 4): a working group with members and a GT
session built from the method's agenda, phones joining with the code."""
from __future__ import annotations

from types import SimpleNamespace

from extensions import db
from facilitation.experiments.methods import get_method
from facilitation.sessions.live import participation
from facilitation.sessions.operations import agenda_from_method


def live_setup(factory, app, *, kind="gt1", members=4, open_session=True):
    """A territory with a facilitator, a group of ``members`` people (associations and
    companies) and a ``kind`` session of that group, opened unless told otherwise."""
    territory = factory.territory()
    facilitator = factory.user(territory, role="facilitator")
    association = factory.organisation(territory, name="Mission locale des Bords de Marne")
    company = factory.organisation(territory, name="Bâtir Ensemble BTP", kind="entreprise")
    people = [factory.person(territory, association if i % 2 == 0 else company,
                             first_name=f"Prénom{i}") for i in range(members)]
    group = factory.working_group(territory, members=people, title="GT Insertion des jeunes")
    session = factory.meeting_session(
        territory, kind=kind, title=f"{kind.upper()} : séance de test",
        working_group_id=group.id, agenda=agenda_from_method(get_method("agir_ensemble"), kind),
        place="Maison des associations", participation_level="concertation")
    db.session.commit()
    if open_session:
        with app.test_request_context():
            participation.open_session(session)
            db.session.commit()
    return SimpleNamespace(territory=territory, facilitator=facilitator, people=people,
                           group=group, session=session, association=association,
                           company=company)


def session_url(setup, path="") -> str:
    return f"/t/{setup.territory.slug}/sessions/{setup.session.id}{path}"


def join(client, code, person=None, guest=None, admit=True):
    """Join from a phone (a test client): as a member, or as a guest named ``guest``; a
    phone claiming a name waits for the facilitator, who admits it (unless ``admit`` is
    false)."""
    if person is not None:
        data = {"member-person_id": person.id, "member-submit": "1"}
    else:
        data = {"guest-name": guest or "Invitée Test", "guest-organisation_name": "France Travail",
                "guest-submit": "1"}
    response = client.post(f"/j/{code}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    if admit:
        from sqlalchemy import update

        from facilitation.sessions.live.models import Attendee
        from facilitation.sessions.models import Meeting

        db.session.execute(update(Attendee).where(
            Attendee.session_id == Meeting.id, Meeting.join_code == code,
            Attendee.admission == "attente").values(admission="admis"))
        db.session.commit()
    return response


def post_card(client, code, text, kind="constat", key=None, **extra):
    data = {"kind": kind, "text": text, "submission_key": key or ""} | extra
    return client.post(f"/j/{code}/contributions", data=data)


def reload(obj):
    """The row of ``obj`` as the database holds it now."""
    from sqlalchemy import inspect

    identity = inspect(obj).identity
    db.session.expire_all()
    return db.session.get(type(obj), identity)
