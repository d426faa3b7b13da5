"""No silent overwrite on a project's frise and pas de côté: two colleagues, one stale save;
the second is told who changed it and when, sees both versions, keeps what they typed."""
import pytest

from tests.conflict_support import colleagues, hidden, page_form, stale_save, text, told_who
from territorial.timelines import operations as timelines
from territorial.timelines import queries as timeline_queries

JSON = {"Accept": "application/json"}


@pytest.fixture
def frise(app, factory):
    two = colleagues(app, factory)
    timeline = factory.frise(factory.project(two.territory))
    mairie = factory.organisation(two.territory, name="Mairie d'Aramits")
    entry = timelines.add_entry(timeline, level_id=timeline.levels[1].id, organisation=mairie,
                                term="moyen", notes="Rencontrée au marché")
    factory.session.commit()
    return two, timeline, entry, two.url(f"/frises/{timeline.id}")


def _entry(timeline):
    return timeline_queries.load_timeline(timeline.id).entries[0]


def test_stale_edit_of_a_frise_entry_keeps_both_texts(frise):
    two, timeline, entry, base = frise
    url = f"{base}/entries/{entry.id}/edit"
    refused = stale_save(two, url, "entry-notes", "Le maire soutient le camion",
                         "Rencontrée au marché, à relancer en mai")
    assert _entry(timeline).notes == "Le maire soutient le camion"

    again = page_form(refused)               # now on the current version: the merge is saved
    assert again["entry-edit_version"] == str(_entry(timeline).edit_version)
    assert two.second.post(url, data=again).status_code == 302
    assert _entry(timeline).notes == "Rencontrée au marché, à relancer en mai"


def test_stale_move_button_is_refused_and_says_where_the_partner_is(frise):
    two, timeline, entry, base = frise
    seen = hidden(text(two.second.get(base)), "edit_version")
    two.first.post(f"{base}/entries/{entry.id}/move",
                   data={"move": "later", "edit_version": seen})
    refused = two.second.post(f"{base}/entries/{entry.id}/move",
                              data={"move": "later", "edit_version": seen}, follow_redirects=True)
    html = text(refused)
    assert "« Mairie d'Aramits » n'a pas été déplacé." in html and told_who(html)
    assert "Il est maintenant : Allié, long terme." in html
    assert _entry(timeline).term == "long"                 # moved once, not twice


def test_stale_drag_and_drop_answers_409_with_the_current_place(frise):
    two, timeline, entry, base = frise
    html = text(two.second.get(base))
    seen = html.split(f'data-entry="{entry.id}" data-version="')[1].split('"')[0]
    url = f"{base}/entries/{entry.id}/place"
    done = two.first.post(url, data={"level_id": timeline.levels[0].id, "term": "court",
                                     "edit_version": seen}, headers=JSON)
    assert done.status_code == 200 and done.get_json()["ok"]

    stale = two.second.post(url, data={"level_id": timeline.levels[2].id, "term": "long",
                                       "edit_version": seen}, headers=JSON)
    assert stale.status_code == 409
    answer = stale.get_json()
    assert told_who(answer["error"]) and "Valeur enregistrée : Co-porteur, court terme." in \
        answer["error"]
    assert (answer["level_id"], answer["term"]) == (timeline.levels[0].id, "court")
    placed = _entry(timeline)
    assert (placed.level_id, placed.term) == (timeline.levels[0].id, "court")


@pytest.mark.parametrize("field", ["text", "answer"])
def test_stale_pas_de_cote_note_or_answer_is_refused(frise, factory, field):
    """Two people answering the same frein: the second is told, nothing is lost."""
    two, timeline, entry, base = frise
    note = factory.step_aside_note(two.territory, entry)
    factory.session.commit()
    url = f"{base}/pas-de-cote/{note.id}/edit"

    stale_save(two, url, f"note-{field}", "Présenter le projet en conseil municipal",
               "Inviter le maire à une halte du camion")
    saved = timeline_queries.note_of(timeline, note.id)
    assert getattr(saved, field) == "Présenter le projet en conseil municipal"
