"""Dialogue notes are signed (issue 17, item 6): on whose behalf (« Qui s'exprime ») and who
wrote the note are two things, both on the page and in the Word report; the review
session's minutes hold the figures discussed and the notes; a new review is proposed on a
working day of the year under review."""
from datetime import date, datetime, time
from io import BytesIO

import pytest
from docx import Document

from extensions import db
from facilitation.convention_reviews.operations import default_day, schedule_review
from facilitation.sessions import operations as sessions
from facilitation.sessions.live import minutes
from facilitation.sessions.models import Meeting
from tests.documents_support import paragraphs_text
from territorial.conventions.queries import load_convention


@pytest.fixture
def dialogue(factory):
    territory = factory.territory()
    region = factory.user(territory, display_name="Camille Durand")
    association = factory.organisation(territory, name="Ressourcerie du Pays")
    convention = factory.convention(territory, association=association, start_year=2024,
                                    end_year=2026, title="Convention Réemploi")
    objective = factory.convention_objective(territory, convention)
    tonnes = factory.convention_indicator(territory, objective, title="Tonnes collectées",
                                          unit="tonnes", targets={2025: 540},
                                          values={2025: 450})
    partner = factory.user(territory, role="partner", display_name="Nathalie Grosjean")
    factory.convention_member(territory, convention, partner)
    factory.session.commit()
    return territory, region, partner, convention, tonnes


def _note(client, territory, indicator, text, party="association"):
    response = client.post(f"/t/{territory.slug}/conventions/indicators/{indicator.id}/notes",
                           data={"year": 2025, "party": party, "text": text})
    assert response.status_code == 302


def test_a_note_written_for_the_association_says_who_wrote_it(client, login, dialogue):
    territory, region, partner, convention, tonnes = dialogue
    login(region)
    _note(client, territory, tonnes, "Le camion de collecte a été en panne trois mois.")
    page = client.get(f"/t/{territory.slug}/conventions/{convention.id}/dialogue?year=2025")
    html = page.get_data(as_text=True).replace("&#39;", "'")
    assert "au nom de : Association ; écrit par Camille Durand le " in html

    report = client.get(f"/t/{territory.slug}/conventions/{convention.id}/dashboard.docx")
    text = paragraphs_text(Document(BytesIO(report.data)))
    assert "Association : Le camion de collecte a été en panne trois mois. " \
           "(au nom de : Association ; écrit par Camille Durand le " in text


def test_a_partner_note_is_signed_by_the_partner(client, login, dialogue):
    territory, region, partner, convention, tonnes = dialogue
    login(partner)
    _note(client, territory, tonnes, "Nous avons recruté deux bénévoles.", party="authority")
    client.post("/logout")
    login(region)
    report = client.get(f"/t/{territory.slug}/conventions/{convention.id}/dashboard.docx")
    text = paragraphs_text(Document(BytesIO(report.data)))
    # a partner speaks for the association only, and the note carries its author
    assert "Association : Nous avons recruté deux bénévoles. " \
           "(au nom de : Association ; écrit par Nathalie Grosjean le " in text


def test_the_review_minutes_hold_the_figures_and_the_signed_notes(app, client, login,
                                                                  factory, dialogue):
    territory, region, partner, convention, tonnes = dialogue
    login(partner)
    _note(client, territory, tonnes, "Le camion de collecte a été en panne trois mois.")
    with app.test_request_context():
        day = date(2026, 2, 3)
        review = schedule_review(load_convention(territory.id, convention.id), 2025,
                                 sessions.local_datetime(day, time(9, 30)),
                                 sessions.local_datetime(day, time(12, 30)))
        db.session.commit()
        draft = minutes.draft_text(db.session.get(Meeting, review.id))
    assert "## Indicateurs et dialogue 2025" in draft
    assert "- Tonnes collectées : cible 540 tonnes ; atteint 450 tonnes." in draft
    assert "  - Association : Le camion de collecte a été en panne trois mois. " \
           "(au nom de : Association ; écrit par Nathalie Grosjean le " in draft


def test_other_sessions_drafts_have_no_review_section(app, factory):
    territory = factory.territory()
    with app.test_request_context():
        meeting = sessions.create_session(
            territory.id, title="GT emploi", kind="gt1",
            starts_at=datetime(2026, 3, 3, 9, 30).astimezone(),
            ends_at=datetime(2026, 3, 3, 11, 30).astimezone())
        assert "Indicateurs et dialogue" not in minutes.draft_text(meeting)


@pytest.mark.parametrize("year, today, expected", [
    (2027, date(2026, 12, 4), date(2027, 12, 1)),   # a year to come: in its December
    (2026, date(2026, 12, 4), date(2026, 12, 28)),  # 25 Dec is Noël, then a weekend
    (2026, date(2026, 3, 2), date(2026, 3, 23)),    # three weeks ahead, a Monday
    (2025, date(2026, 2, 2), date(2026, 2, 23)),    # a year over: reviewed after it
    (2026, date(2026, 12, 20), date(2026, 12, 31)),  # past the year's end: its last working day
])
def test_a_review_is_proposed_on_a_working_day_of_its_year(app, year, today, expected):
    with app.test_request_context():
        assert default_day(year, today) == expected


def test_the_review_form_proposes_a_working_day_of_the_year_under_review(client, login,
                                                                          factory):
    territory = factory.territory()
    region = factory.user(territory)
    this_year = date.today().year
    convention = factory.convention(territory, start_year=this_year + 1,
                                    end_year=this_year + 3)
    factory.session.commit()
    login(region)
    page = client.get(f"/t/{territory.slug}/conventions/{convention.id}/reviews/new")
    expected = default_day(this_year + 1, date.today())
    assert expected.year == this_year + 1 and expected.weekday() < 5
    assert f'value="{expected.isoformat()}"' in page.get_data(as_text=True)


def test_a_review_set_on_a_public_holiday_is_warned(client, login, dialogue):
    territory, region, partner, convention, tonnes = dialogue
    login(region)
    response = client.post(f"/t/{territory.slug}/conventions/{convention.id}/reviews/new",
                           data={"year": 2026, "day": "2026-12-25", "start_time": "09:30",
                                 "end_time": "12:30", "place": ""}, follow_redirects=True)
    html = response.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    assert "Revue annuelle 2026 planifiée." in html
    assert "tombe un jour férié (Noël)" in html
