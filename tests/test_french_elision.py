"""« de » before a name starting with a vowel or h is « d' » in French (« Rôle d'Anne »),
in every message that composes one; English is left as it is."""
from flask_babel import force_locale
from markupsafe import Markup

from territorial.common.text import elide, elides


def test_de_is_elided_before_a_vowel_or_h(ctx):
    assert elide("Rôle de Anne", "Anne") == "Rôle d'Anne"
    assert elide("la note de Association", "Association") == "la note d'Association"
    for name in ("Élise", "À vos côtés", "Île-de-France", "Œuvre commune", "Hélène", "ursula",
                 "Ève", "Âge d'or", "Ô Jardin", "Ulysse"):
        assert elide(f"Position de {name} : Accord", name) == f"Position d'{name} : Accord"


def test_de_stays_before_a_consonant_or_anything_else(ctx):
    for name in ("Bernard", "Yannick", "« Codir »", "2025", "", "Zoé"):
        assert elide(f"Rôle de {name}", name) == f"Rôle de {name}"
    assert not elides(None) and not elides("   ")


def test_only_the_de_before_the_name_is_elided(ctx):
    # Inside the name, and in a word ending in « de », nothing changes.
    assert elide("Rôle de Anne de Albuquerque", "Anne de Albuquerque") == \
        "Rôle d'Anne de Albuquerque"
    assert elide("le code Anne, de Anne", "Anne") == "le code Anne, d'Anne"
    assert elide("Priorités de Orléans Métropole", "Bernard") == \
        "Priorités de Orléans Métropole"
    # Several names; a capital « De ».
    assert elide("De Anne et de Bernard et de Inès", "Anne", "Bernard", "Inès") == \
        "D'Anne et de Bernard et d'Inès"


def test_a_template_message_stays_markup_with_its_name_escaped(ctx):
    text = Markup("Rôle de {}").format("O'Hara & fils")
    elided = elide(text, "O'Hara & fils")
    assert isinstance(elided, Markup)
    assert elided == Markup("Rôle d'O&#39;Hara &amp; fils")


def test_english_is_left_as_it_is(ctx):
    with force_locale("en"):
        assert elide("Role of Anne, or de Anne", "Anne") == "Role of Anne, or de Anne"


def test_the_members_page_elides_before_a_name(client, factory, login):
    territory = factory.territory()
    coordinator = factory.user(territory, display_name="Bernard Petit")
    factory.user(territory, role="observer", display_name="Anne Martin")
    factory.user(territory, role="participant", display_name="Hélène Roy")
    login(coordinator)
    page = client.get(f"/t/{territory.slug}/members").get_data(as_text=True)
    assert "Rôle d'Anne Martin" in page and "Rôle d'Hélène Roy" in page
    assert "Rôle de Bernard Petit" in page
    assert "Rôle de Anne" not in page

    client.post("/language", data={"language": "en"})
    page = client.get(f"/t/{territory.slug}/members").get_data(as_text=True)
    assert "Role of Anne Martin" in page and "Role of Bernard Petit" in page


def test_the_raci_grid_elides_before_an_actor(client, factory, login):
    territory = factory.territory()
    login(factory.user(territory))
    grid = factory.raci_grid(territory, activities=["Repérer"],
                             actors=["Association Lo Solan", "Mairie"])
    page = client.get(f"/t/{territory.slug}/raci/{grid.id}").get_data(as_text=True)
    assert "Rôle d&#39;Association Lo Solan pour « Repérer »" in page
    assert "Rôle de Mairie pour « Repérer »" in page
