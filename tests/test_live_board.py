"""The board: shaping cards (edit with optimistic locking, merge keeping the authors,
clusters, highlight, hide, reorder by keyboard and by drag and drop), the fragment's ETag,
query counts, and who may reach which URL."""
import re

import pytest
from sqlalchemy import select, update

from extensions import db
from facilitation.sessions.live import board, participation, rules
from facilitation.sessions.live import queries as live_queries
from facilitation.sessions.live.models import Cluster, Contribution
from tests.live_support import join, live_setup, post_card, reload, session_url


@pytest.fixture
def live(app, factory):
    return live_setup(factory, app)


def _card_url(setup, card, path):
    return f"/t/{setup.territory.slug}/sessions/cards/{card.id}/{path}"


def _order(setup, kind="constat"):
    db.session.expire_all()
    return [c.text for c in db.session.scalars(
        select(Contribution).where(Contribution.session_id == setup.session.id,
                                   Contribution.kind == kind,
                                   Contribution.merged_into_id.is_(None))
        .order_by(Contribution.position, Contribution.id))]


# Editing with optimistic locking -------------------------------------------------------------

def test_facilitator_edits_a_card(app, client, login, factory, live):
    card = factory.card(live.session, "Constat à reformuler")
    login(live.facilitator)
    form = client.get(_card_url(live, card, "edit")).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    response = client.post(_card_url(live, card, "edit"), data={
        "text": "Constat reformulé", "kind": "question", "version": version})
    assert response.status_code == 302
    card = reload(card)
    assert (card.text, card.kind, card.version_id) == ("Constat reformulé", "question", 2)


def test_a_stale_edit_gets_409_and_overwrites_nothing(app, client, login, factory, live):
    """Two facilitators open the same card; the first saves; the second is told."""
    card = factory.card(live.session, "Texte d'origine")
    login(live.facilitator)
    first = client.post(_card_url(live, card, "edit"), data={
        "text": "Version de la première animatrice", "kind": "constat", "version": "1"})
    assert first.status_code == 302
    second = client.post(_card_url(live, card, "edit"), data={
        "text": "Version du second animateur", "kind": "constat", "version": "1"})
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "modifiée par quelqu&#39;un d&#39;autre" in page
    assert "Version de la première animatrice" in page  # what is saved, shown
    assert "Version du second animateur" in page  # what they typed, kept
    assert reload(card).text == "Version de la première animatrice"
    # Resubmitted on the current version, it goes through.
    third = client.post(_card_url(live, card, "edit"), data={
        "text": "Version du second animateur", "kind": "constat", "version": "2"})
    assert third.status_code == 302


def test_a_concurrent_write_between_load_and_save_is_caught_by_the_version_column(
        app, factory, live, ctx):
    card = factory.card(live.session, "Texte d'origine")
    # Another request changes the row and commits after this one loaded it.
    db.session.execute(update(Contribution).where(Contribution.id == card.id)
                       .values(text="Changé ailleurs", version_id=Contribution.version_id + 1))
    db.session.commit()
    with pytest.raises(rules.StaleError):
        board.edit_card(live.session, card, text="Écrasement ?", kind="constat", version=1)
    db.session.rollback()
    assert db.session.get(Contribution, card.id).text == "Changé ailleurs"


def test_card_edits_check_their_text(app, client, login, factory, live):
    card = factory.card(live.session, "Texte")
    login(live.facilitator)
    response = client.post(_card_url(live, card, "edit"), data={
        "text": "", "kind": "constat", "version": "1"})
    assert response.status_code == 422
    assert "Écrivez votre contribution" in response.get_data(as_text=True)


# Merge, clusters, flags, order -----------------------------------------------------------------

def test_merging_keeps_every_author(app, client, factory, live):
    phones = []
    for person in live.people[:2]:
        phone = app.test_client()
        join(phone, live.session.join_code, person=person)
        phones.append(phone)
    post_card(phones[0], live.session.join_code, "Pas de bus avant 7 h.")
    post_card(phones[1], live.session.join_code, "Peu de jeunes ont le permis.")
    target, source = db.session.scalars(select(Contribution).order_by(Contribution.id)
                                         .where(Contribution.session_id == live.session.id)).all()
    with app.test_request_context():
        board.merge_cards(live.session, target, [source],
                          text="Mobilité : ni bus tôt ni permis.", version=target.version_id)
        db.session.commit()
        loaded = live_queries.load_board(live.session)
    assert list(loaded.cards) == [target.id]
    card = loaded.cards[target.id]
    assert card.text == "Mobilité : ni bus tôt ni permis."
    assert card.authors == [live.people[0].full_name, live.people[1].full_name]
    assert set(card.organisations) == {"Mission locale des Bords de Marne", "Bâtir Ensemble BTP"}


def test_merge_page_merges_and_refuses_a_stale_target(app, client, login, factory, live):
    a = factory.card(live.session, "Carte A", author_name="Nadia")
    b = factory.card(live.session, "Carte B", author_name="Thomas")
    login(live.facilitator)
    assert client.get(_card_url(live, a, "merge")).status_code == 200
    stale = client.post(_card_url(live, a, "merge"), data={
        "sources": [b.id], "text": "A et B", "version": "7"})
    assert stale.status_code == 409
    response = client.post(_card_url(live, a, "merge"), data={
        "sources": [b.id], "text": "A et B", "version": "1"})
    assert response.status_code == 302
    fragment = client.get(session_url(live, "/board/fragment")).get_data(as_text=True)
    assert "A et B" in fragment and "Nadia, Thomas" in fragment and "Carte B" not in fragment
    assert "1 carte fusionnée" in fragment


def test_clusters_group_cards_under_a_title(app, client, login, factory, live):
    card = factory.card(live.session, "Mobilité")
    login(live.facilitator)
    client.post(session_url(live, "/board/clusters"), data={"title": "Freins à l'emploi"})
    cluster = db.session.scalar(select(Cluster).where(Cluster.session_id == live.session.id))
    client.post(_card_url(live, card, "cluster"), data={"cluster_id": cluster.id})
    fragment = client.get(session_url(live, "/board/fragment")).get_data(as_text=True)
    assert re.search(r'class="cluster-title"[^>]*>Freins à l&#39;emploi</h4>', fragment)
    # Renaming on a stale version is refused, deleting keeps the cards.
    url = f"/t/{live.territory.slug}/sessions/clusters/{cluster.id}/edit"
    assert client.post(url, data={"title": "Freins", "version": "1"}).status_code == 302
    assert client.post(url, data={"title": "Autre", "version": "1"}).status_code == 409
    client.post(f"/t/{live.territory.slug}/sessions/clusters/{cluster.id}/delete")
    assert reload(card).cluster_id is None


def test_highlighted_and_hidden_cards(app, client, login, factory, live):
    shown = factory.card(live.session, "Point fort")
    hidden = factory.card(live.session, "Hors sujet")
    login(live.facilitator)
    client.post(_card_url(live, shown, "flags"), data={"highlighted": "1"})
    client.post(_card_url(live, hidden, "flags"), data={"hidden": "1"})
    facilitator_view = client.get(session_url(live, "/board/fragment")).get_data(as_text=True)
    assert "Mise en avant" in facilitator_view and "Masquée" in facilitator_view
    projection = client.get(session_url(live, "/board/fragment?projection=1")).get_data(as_text=True)
    assert "Point fort" in projection and "Hors sujet" not in projection
    assert "Actions" not in projection  # no controls on the projector
    # Setting (not toggling): pressing twice keeps the card hidden.
    client.post(_card_url(live, hidden, "flags"), data={"hidden": "1"})
    assert reload(hidden).hidden is True


def test_keyboard_moves_reorder_the_cards(app, client, login, factory, live):
    first, second, third = (factory.card(live.session, t) for t in ("Un", "Deux", "Trois"))
    login(live.facilitator)
    client.post(_card_url(live, third, "move"), data={"direction": "up"})
    assert _order(live) == ["Un", "Trois", "Deux"]
    client.post(_card_url(live, first, "move"), data={"direction": "down"})
    assert _order(live) == ["Trois", "Un", "Deux"]
    response = client.post(_card_url(live, first, "move"), data={"direction": "up"},
                           headers={"X-Requested-With": "fetch"})
    assert response.status_code == 200 and response.json["message"]


def test_drag_and_drop_reorders_and_changes_cluster(app, client, login, factory, live):
    a, b, c = (factory.card(live.session, t) for t in ("A", "B", "C"))
    cluster = factory.card_cluster(live.session, "Regroupement")
    login(live.facilitator)
    response = client.post(session_url(live, "/board/reorder"), json={
        "kind": "constat", "cluster_id": None, "ids": [c.id, a.id, b.id]})
    assert response.status_code == 200
    assert _order(live) == ["C", "A", "B"]
    response = client.post(session_url(live, "/board/reorder"), json={
        "kind": "constat", "cluster_id": cluster.id, "ids": [b.id]})
    assert response.status_code == 200 and reload(b).cluster_id == cluster.id
    other = live_setup(factory, app)
    foreign = factory.card(other.session, "Ailleurs")
    position = foreign.position
    response = client.post(session_url(live, "/board/reorder"), json={
        "kind": "constat", "cluster_id": None, "ids": [foreign.id]})
    assert response.status_code == 422 and reload(foreign).position == position


# Fragment: ETag and query counts --------------------------------------------------------------

def test_the_board_fragment_answers_304_when_nothing_changed(app, client, login, factory, live):
    login(live.facilitator)
    url = session_url(live, "/board/fragment")
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag
    unchanged = client.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    phone = app.test_client()
    join(phone, live.session.join_code, person=live.people[0])
    changes = [
        lambda: post_card(phone, live.session.join_code, "Nouvelle carte"),
        lambda: client.post(session_url(live, "/board/clusters"), data={"title": "Titre"}),
        lambda: client.post(session_url(live, "/step"), data={"step": "next"}),
    ]
    for change in changes:
        change()
        response = client.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 200, "a change must refresh the board"
        etag = response.headers["ETag"]
    card = db.session.scalar(select(Contribution).where(Contribution.session_id == live.session.id))
    client.post(_card_url(live, card, "flags"), data={"highlighted": "1"})
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_the_projection_and_facilitator_views_have_distinct_etags(app, client, login, live):
    login(live.facilitator)
    facilitator = client.get(session_url(live, "/board/fragment")).headers["ETag"]
    projection = client.get(session_url(live, "/board/fragment?projection=1")).headers["ETag"]
    assert facilitator != projection


def _fill(factory, session, count):
    cluster = factory.card_cluster(session, f"Regroupement {count}")
    for n in range(count):
        factory.card(session, f"Carte {n}", kind=("constat", "question", "temoignage")[n % 3],
                     cluster_id=cluster.id if n % 2 else None, highlighted=n % 5 == 0)


def test_board_queries_do_not_grow_with_the_cards(app, client, login, factory, count_queries):
    small, large = live_setup(factory, app), live_setup(factory, app)
    _fill(factory, small.session, 4)
    _fill(factory, large.session, 40)
    counts = {}
    for name, setup in (("small", small), ("large", large)):
        login(setup.facilitator)
        for path in ("/board/fragment", "/board"):
            client.get(session_url(setup, path))  # warm up
            with count_queries() as queries:
                assert client.get(session_url(setup, path)).status_code == 200
            counts[name, path] = len(queries)
        client.post("/logout")
    assert counts["small", "/board/fragment"] == counts["large", "/board/fragment"]
    assert counts["small", "/board"] == counts["large", "/board"]


# Who may do what -----------------------------------------------------------------------------

def _live_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("sessions.live.")]


def _url(rule, territory, ids):
    return re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", lambda m: territory.slug if m.group(1) == "territory"
                  else str(ids[m.group(1)]), rule.rule)


def test_live_urls_are_404_for_another_territory(app, client, login, factory):
    mine, theirs = live_setup(factory, app), live_setup(factory, app)
    ids = {"session_id": theirs.session.id,
           "card_id": factory.card(theirs.session, "Carte").id,
           "card_cluster_id": factory.card_cluster(theirs.session).id,
           "dot_vote_id": factory.dot_vote(theirs.session, [factory.card(theirs.session, "A"),
                                                              factory.card(theirs.session, "B")]).id,
           "fmt": "pdf"}
    login(factory.user(mine.territory, role="coordinator"))
    for rule in _live_rules(app):
        for territory in (mine.territory, theirs.territory):
            url = _url(rule, territory, ids)
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = client.open(url, method=method)
                assert response.status_code == 404, f"{method} {url} → {response.status_code}"


def test_live_pages_open_to_their_territory(app, client, login, factory, live):
    ids = {"session_id": live.session.id, "card_id": factory.card(live.session, "Carte").id,
           "card_cluster_id": factory.card_cluster(live.session).id,
           "dot_vote_id": factory.dot_vote(live.session, [factory.card(live.session, "A"),
                                                            factory.card(live.session, "B")]).id,
           "fmt": "pdf"}
    login(live.facilitator)
    for rule in _live_rules(app):
        if "GET" in rule.methods:
            url = _url(rule, live.territory, ids)
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role,status", [("observer", 403), ("participant", 403)])
def test_only_facilitators_shape_the_board(app, client, login, factory, live, role, status):
    card = factory.card(live.session, "Carte")
    login(factory.user(live.territory, role=role))
    assert client.get(session_url(live, "/board")).status_code == 200
    assert "card-menu" not in client.get(session_url(live, "/board/fragment")).get_data(as_text=True)
    for path, data in (("edit", {"text": "x", "kind": "constat", "version": "1"}),
                       ("flags", {"hidden": "1"}), ("move", {"direction": "up"})):
        assert client.post(_card_url(live, card, path), data=data).status_code == status
    assert reload(card).text == "Carte" and not reload(card).hidden


def test_attendance_records_members_and_guests(app, client, login, factory, live):
    login(live.facilitator)
    data = {f"status-p{live.people[0].id}": "present", f"status-p{live.people[1].id}": "excuse",
            f"status-p{live.people[2].id}": "absent"}
    assert client.post(session_url(live, "/attendance"), data=data).status_code == 302
    response = client.post(session_url(live, "/attendance/guests"),
                           data={"name": "Inès Moulin", "organisation_name": "France Travail",
                                 "status": "present"})
    assert response.status_code == 302
    assert client.post(session_url(live, "/attendance/guests"),
                       data={"name": "", "status": "present"}).status_code == 422
    with app.test_request_context():
        rows = {row.name: row.status for row in participation.attendance_rows(live.session)}
    assert rows[live.people[0].full_name] == "present"
    assert rows[live.people[1].full_name] == "excuse"
    assert rows[live.people[2].full_name] == "absent"
    assert rows[live.people[3].full_name] == ""  # not recorded yet
    assert rows["Inès Moulin"] == "present"
