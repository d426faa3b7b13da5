"""Unicode bidirectional controls (U+202A–U+202E, U+2066–U+2069) are refused like control
characters, everywhere; invisible joiners and marks are refused in one-line texts (names,
titles), where they only serve to make two names look alike."""
import pytest
from sqlalchemy import func, select

from extensions import db
from territorial.actors.models import Organisation

BIDI = ["\u202e", "\u202a", "\u202d", "\u2066", "\u2067", "\u2069"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff"]


def _new_organisation(client, territory, name, description=""):
    return client.post(f"/t/{territory.slug}/organisations/new", data={
        "name": name, "kind": "association", "description": description})


def _count():
    return db.session.scalar(select(func.count()).select_from(Organisation))


@pytest.mark.parametrize("character", BIDI)
def test_bidi_controls_are_refused_next_to_the_field(signed_in, territory, character):
    response = _new_organisation(signed_in, territory, "Mission locale",
                                 f"Voir le fichier {character}gpj.exe")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="description-error"' in page and "caractère de contrôle" in page
    assert 'value="Mission locale"' in page  # nothing lost
    assert _count() == 0


@pytest.mark.parametrize("character", INVISIBLE)
def test_invisible_characters_are_refused_in_a_name(signed_in, territory, character):
    response = _new_organisation(signed_in, territory, f"Mission{character}locale")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="name-error"' in page and "caractère invisible" in page
    assert _count() == 0


def test_a_joined_emoji_is_welcome_in_a_longer_text(signed_in, territory):
    family = "\U0001F469\u200d\U0001F467\u200d\U0001F466"
    response = _new_organisation(signed_in, territory, "Mission locale",
                                 f"Accueil des familles {family}")
    assert response.status_code == 302
    assert family in db.session.scalar(select(Organisation.description))


def test_bidi_controls_in_query_parameters_answer_400(signed_in, territory):
    response = signed_in.get(f"/t/{territory.slug}/organisations?q=%E2%80%AEexe")
    assert response.status_code == 400
    assert "caractère de contrôle" in response.get_data(as_text=True)


def test_bidi_controls_in_a_raw_form_are_refused(signed_in, territory):
    """A view reading the form itself (not through a platform form) is refused too."""
    response = signed_in.post("/language", data={"locale": "fr\u202e"})
    assert response.status_code == 422
