"""Lists sort as a French reader expects, on SQLite and on PostgreSQL alike: accents and
case ignored at first, numbers in numeric order."""
import random

from sqlalchemy import select

from extensions import db
from territorial.actors.models import Organisation
from territorial.common.collation import french, french_key

WORDS = ["Bâtir", "Boulangerie", "école de musique", "École primaire", "Épicerie", "Zèbre"]
NUMBERS = ["Lot 2", "Lot 16", "Lot 106"]


def test_the_python_key_sorts_in_french_order():
    shuffled = random.Random(4).sample(WORDS + NUMBERS, len(WORDS + NUMBERS))
    assert sorted(shuffled, key=french_key) == [
        "Bâtir", "Boulangerie", "école de musique", "École primaire", "Épicerie", "Lot 2",
        "Lot 16", "Lot 106", "Zèbre"]


def test_the_database_sorts_in_french_order(factory, territory):
    for name in random.Random(7).sample(WORDS + NUMBERS, len(WORDS + NUMBERS)):
        factory.organisation(territory, name=name)
    names = db.session.scalars(select(Organisation.name).where(
        Organisation.territory_id == territory.id).order_by(french(Organisation.name)))
    assert list(names) == ["Bâtir", "Boulangerie", "école de musique", "École primaire",
                           "Épicerie", "Lot 2", "Lot 16", "Lot 106", "Zèbre"]


def test_the_organisations_page_lists_in_french_order(client, factory, territory, login):
    login(factory.user(territory, role="observer"))
    for name in ("Zèbre", "Épicerie", "École", "Boulangerie", "Bâtir"):
        factory.organisation(territory, name=name)
    page = client.get(f"/t/{territory.slug}/organisations").get_data(as_text=True)
    positions = [page.index(f">{name}<") for name in
                 ("Bâtir", "Boulangerie", "École", "Épicerie", "Zèbre")]
    assert positions == sorted(positions)


def test_the_people_page_lists_by_last_name_then_first_name(client, factory, territory, login):
    login(factory.user(territory, role="observer"))
    for first, last in (("Monique", "Fabre"), ("Zoé", "Abadie"), ("Élise", "Fabre"),
                        ("Adrien", "Fabre"), ("Bruno", "Éluard")):
        factory.person(territory, first_name=first, last_name=last)
    page = client.get(f"/t/{territory.slug}/people").get_data(as_text=True)
    positions = [page.index(name) for name in
                 ("Abadie", "Éluard", "Adrien", "Élise", "Monique")]
    assert positions == sorted(positions)


def test_the_porteurs_options_follow_the_sort_key_then_french_order(factory, territory):
    """The plan pages' porteurs come from the sort key (``sort_name``), the collation
    deciding only between equal keys (« Ecole », « école », « École » share one)."""
    from facilitation.action_plans import operations
    from facilitation.action_plans.queries import porteur_choices

    tied = ["École", "Ecole", "école", "Ecole"]
    plan = factory.action_plan(territory)
    for name in random.Random(3).sample(WORDS + tied, len(WORDS + tied)):
        operations.create_action(plan, title=f"Action de {name}",
                                 owner_organisation_id=factory.organisation(territory, name=name).id)
    names = [name for _id, name in porteur_choices(territory.id, [plan.id], None)]
    assert names == ["Bâtir", "Boulangerie", "Ecole", "Ecole", "école", "École",
                     "école de musique", "École primaire", "Épicerie", "Zèbre"]
