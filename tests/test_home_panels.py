"""A territory's home page, « Ce qui vous attend »: each block appears when there is
something to do and only then (the page first asks, in one query, which of the blocks
that are empty on most territories have something to show)."""
from datetime import date, timedelta
from html import unescape

from extensions import db

BLOCKS = ("Décisions du partenariat", "Projets communs en attente d'une étape",
          "Conventions : valeurs à valider", "Indicateurs sans mesure",
          "Partenaires à contacter", "Actions en retard")


def _home(client, territory) -> str:
    response = client.get(f"/t/{territory.slug}/")
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def test_a_territory_with_nothing_to_do_shows_none_of_the_blocks(client, login, factory):
    territory = factory.territory()
    login(factory.user(territory))
    page = _home(client, territory)
    assert [block for block in BLOCKS if block in page] == []
    assert "Aucune séance prévue." in page


def test_the_blocks_appear_with_what_there_is_to_do(client, login, factory):
    territory = factory.territory()
    decision = factory.charter_objects(territory)["decision"]
    decision.outcome = "blocked"
    decision.review_on = date.today() - timedelta(days=3)
    plan = factory.action_plan(territory)
    for days in range(1, 8):
        factory.action(plan, title=f"Action en retard de {days} jours",
                       due_date=date.today() - timedelta(days=days))
    factory.action(plan, title="Action réalisée", status="realisee",
                   due_date=date.today() - timedelta(days=30))
    db.session.commit()
    login(factory.user(territory))
    page = _home(client, territory)
    assert "Décision bloquée : Une décision" in page
    assert "À réexaminer depuis le" in page
    assert "Projets communs en attente d'une étape" in page
    assert "Actions en retard (7)" in page
    assert page.count("— échéance") == 5  # the five latest, oldest first
    assert page.index("Action en retard de 7 jours") < page.index("Action en retard de 3 jours")
    assert "Action en retard de 2 jours" not in page and "Action réalisée" not in page

    # « Tout voir » opens every late action, not the list of plans
    panel = page[page.index("Actions en retard (7)"):]
    more = panel[:panel.index('">Tout voir</a>')].rsplit('href="', 1)[1]
    assert more == f"/t/{territory.slug}/action-plans/late"
    late = unescape(client.get(more).get_data(as_text=True))
    assert late.count("Action en retard de") == 7
    assert "Action réalisée" not in late
    assert late.index("Action en retard de 7 jours") < late.index("Action en retard de 1 jours")


def test_the_blocks_question_names_the_territory_for_the_database_to_plan(
        app, login, factory, count_queries):
    """The one query asking which blocks have something carries the territory's id in its
    text, not as a parameter: PostgreSQL then plans it for that territory's rows (with a
    parameter, the plan it keeps after ten runs scanned every territory's conventions;
    docs/benchmarks.md). Two territories, two texts, each showing its own blocks."""
    first, second = factory.territory(), factory.territory()
    for territory in (first, second):
        client = login(factory.user(territory), target=app.test_client())
        with count_queries() as queries:
            _home(client, territory)
        asked = [q for q in queries if q.count("EXISTS") > 3]
        assert len(asked) == 1, queries
        assert f"territory_id = {territory.id}" in asked[0]
        assert "subject_id" not in asked[0]
