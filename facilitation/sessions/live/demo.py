"""Demo of live sessions in the Charenton-Saint-Maurice experiment: the « Insertion des
jeunes » group's GT1 (closed, with its compte rendu sent) and GT2 (under way, a dot vote
open on its pistes), and the « Emploi » group's GT1 (closed, compte rendu to send).

Runs after the experiments demo; idempotent: a session that already holds contributions
is left alone.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from extensions import db
from facilitation.experiments.models import Experiment
from facilitation.sessions.live import board, minutes, participation, phones, rules, votes
from facilitation.sessions.live.models import Attendee, Contribution
from facilitation.sessions.models import Meeting
from facilitation.working_groups.models import WorkingGroup
from territorial.actors.models import Person
from territorial.common.models import utcnow
from territorial.territories.models import Territory

SLUG = "charenton-saint-maurice"
PARIS = ZoneInfo("Europe/Paris")

# (kind, author « First Last » or None for the facilitator's own card, text)
GT1_JEUNES = [
    ("constat", "Nadia Haddad", "Le taux de chômage des 16-25 ans de la communauté de communes "
     "dépasse de 4 points la moyenne du Val-de-Marne."),
    ("constat", "Yanis Belkacem", "Beaucoup de jeunes que nous suivons n'ont jamais mis les pieds "
     "dans une entreprise avant leur premier entretien d'embauche."),
    ("constat", "Sébastien Faure", "Dans le BTP comme dans la logistique, nous avons des postes "
     "ouverts toute l'année et peu de candidatures de jeunes du territoire."),
    ("constat", "François Mercier", "Les jeunes connaissent mal les métiers de la banque et des "
     "services : ils les jugent inaccessibles."),
    ("constat", "Thomas Roux", "La mobilité reste un frein : peu de jeunes ont le permis et il "
     "n'y a pas de bus avant 7 h vers la zone d'activités."),
    ("constat", "Léa Gauthier", "Sans permis ni transport tôt le matin, les postes en horaires "
     "décalés de la zone d'activités restent hors de portée."),
    ("enjeu_participants", "Nadia Haddad", "Trouver des lieux de stage et d'alternance pour les "
     "jeunes accompagnés par la Mission locale."),
    ("enjeu_participants", "Karine Lefèvre", "Fidéliser les apprentis au-delà de leur première "
     "année de contrat."),
    ("enjeu_participants", "François Mercier", "Engager nos collaborateurs dans un parrainage "
     "qui ait du sens pour eux."),
    ("enjeu_territoire", "Olivier Garnier", "Garder les jeunes sur le territoire plutôt que de "
     "les voir partir travailler à Paris."),
    ("enjeu_territoire", "Léa Gauthier", "Rapprocher le monde associatif et les PME locales, qui "
     "se connaissent encore mal."),
    ("temoignage", "Thomas Roux", "Notre atelier « premier emploi » a accueilli 14 jeunes l'an "
     "dernier : 9 ont signé un contrat après une immersion d'une semaine en entreprise."),
    ("question", "Karine Lefèvre", "Quels financements existent pour indemniser le tutorat en "
     "entreprise ?"),
    ("question", "Inès Moulin", "Comment associer les familles aux démarches d'insertion des "
     "plus jeunes ?"),
]

GT2_JEUNES = [
    ("solution_existante", "Nadia Haddad", "Le parrainage « 100 chances 100 emplois » existe dans "
     "le département, mais aucune entreprise du territoire n'y participe encore."),
    ("solution_existante", "Thomas Roux", "La Mission locale organise une visite d'entreprise par "
     "trimestre pour ses jeunes."),
    ("solution_existante", "Karine Lefèvre", "Notre enseigne a un programme national "
     "d'apprentissage que nous pouvons ouvrir aux jeunes suivis par les associations."),
    ("solution_existante", "Léa Gauthier", "Coup de Pouce Numérique forme chaque mois une dizaine "
     "de jeunes à la recherche d'emploi en ligne."),
    ("piste", "Olivier Garnier", "Un forum annuel « Métiers du territoire » co-organisé par les "
     "associations et les entreprises, avec des stands tenus par des jeunes en poste."),
    ("piste", "Nadia Haddad", "Une bourse de stages partagée : les entreprises y publient leurs "
     "offres, les associations y orientent les jeunes."),
    ("piste", "François Mercier", "Des binômes de parrainage salarié – jeune sur six mois, suivis "
     "par la Mission locale."),
    ("piste", "Nicolas Chevalier", "Un covoiturage solidaire vers la zone d'activités pour les "
     "jeunes en horaires décalés."),
    ("piste", "Sébastien Faure", "Des immersions d'une semaine dans les entreprises du BTP avant "
     "l'entrée en apprentissage."),
    ("piste", "Yanis Belkacem", "Former les tuteurs en entreprise avec l'appui des éducateurs du "
     "club de prévention."),
    ("piste", "Yanis Belkacem", "Un guichet unique à la Communauté de communes pour les "
     "entreprises qui veulent accueillir un jeune."),
]

# voter → pistes (by their first words) they put a dot on; shows a tie at the top.
GT2_DOTS = {
    "Nadia Haddad": ["Une bourse", "Des binômes", "Un covoiturage"],
    "Thomas Roux": ["Une bourse", "Des binômes", "Un forum"],
    "Yanis Belkacem": ["Former les tuteurs", "Des binômes", "Une bourse"],
    "Olivier Garnier": ["Un forum", "Une bourse", "Des binômes"],
    "François Mercier": ["Des binômes", "Un forum"],
    "Sébastien Faure": ["Des immersions", "Une bourse", "Un covoiturage"],
    "Karine Lefèvre": ["Des immersions"],
}

GT1_EMPLOI = [
    ("constat", "Louis Perrin", "Les métiers en tension du territoire sont la logistique, le "
     "commerce et l'aide à domicile."),
    ("constat", "Fatou Diallo", "Une partie des demandeurs d'emploi que nous accompagnons est "
     "éloignée du numérique : les candidatures en ligne les excluent."),
    ("enjeu_participants", "Isabelle Renaud", "Donner un contenu concret à notre démarche RSE, "
     "au-delà du mécénat financier."),
    ("enjeu_participants", "Louis Perrin", "Diversifier les ressources de l'association au-delà "
     "des subventions."),
    ("enjeu_territoire", "Bruno Masson", "Faire se rencontrer l'offre et la demande d'emploi "
     "locales, qui s'ignorent."),
    ("temoignage", "Sophie Lambert", "Le chantier d'insertion de Tremplin Emploi a placé 6 "
     "salariés sur 10 en emploi durable en 2025, grâce à deux entreprises partenaires."),
    ("question", "Denis Robin", "Comment une petite entreprise peut-elle s'engager sans y "
     "consacrer un salarié à temps plein ?"),
]


def _paris(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def _group(experiment: Experiment, title: str) -> WorkingGroup | None:
    return db.session.scalar(select(WorkingGroup).where(
        WorkingGroup.experiment_id == experiment.id, WorkingGroup.title == title))


def _session(group: WorkingGroup, kind: str) -> Meeting | None:
    return db.session.scalar(
        select(Meeting).where(Meeting.working_group_id == group.id,
                                     Meeting.kind == kind)
        .order_by(Meeting.starts_at).limit(1))


def _has_cards(session: Meeting) -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(Contribution).where(
        Contribution.session_id == session.id)))


def _people(territory_id: int) -> dict[str, Person]:
    return {p.full_name: p for p in db.session.scalars(
        select(Person).where(Person.territory_id == territory_id))}


def _restart(session: Meeting, starts_at: datetime, minutes_long: int = 150) -> None:
    """Put the session back to « préparée » on a new date (it may have been closed by the
    experiments demo because its date had passed)."""
    with rules.closed_sessions_writable():
        session.status = "preparee"
        session.starts_at = starts_at
        session.ends_at = starts_at + timedelta(minutes=minutes_long)
        session.participation_level = session.participation_level or "participation"
        db.session.flush()


def _attend(session: Meeting, people: dict[str, Person], present: list[str],
            excused=(), absent=(), guests=()) -> dict[str, Attendee]:
    attendees = {}
    members = {p.id for p in participation.group_members(session)}
    for name in present:
        person = people.get(name)
        if person is None or person.id not in members:
            continue
        attendees[name] = phones.join_as_member(session, person.id)
    for name, organisation in guests:
        attendees[name] = phones.join_as_guest(session, name, organisation)
    statuses = {}
    for name in excused:
        if name in people:
            statuses[f"p{people[name].id}"] = "excuse"
    for name in absent:
        if name in people:
            statuses[f"p{people[name].id}"] = "absent"
    participation.record_attendance(session, statuses)
    return attendees


def _post(session, attendees, rows, state) -> dict[str, Contribution]:
    cards = {}
    for kind, author, text in rows:
        attendee = attendees.get(author)
        if attendee is None:
            card = board.add_card(session, kind=kind, text=text, author_name=author or "",
                                  state=state)
        else:
            card, _created = board.post_contribution(session, attendee, kind=kind, text=text,
                                                     state=state)
        cards[text] = card
    return cards


def _find(cards: dict[str, Contribution], start: str) -> Contribution:
    return next(card for text, card in cards.items() if text.startswith(start))


def _step(session: Meeting, index: int, minutes_ago: int) -> None:
    items = participation.agenda(session)
    if not items:
        return
    state = participation.set_step(session, items[min(index, len(items) - 1)].id)
    state.step_started_at = utcnow() - timedelta(minutes=minutes_ago)
    db.session.flush()


def _gt1_jeunes(session: Meeting, people: dict[str, Person]) -> None:
    participation.open_session(session)
    state = participation.ensure_live_state(session)
    attendees = _attend(
        session, people,
        present=["Nadia Haddad", "Thomas Roux", "Yanis Belkacem", "Léa Gauthier",
                 "François Mercier", "Olivier Garnier", "Sébastien Faure", "Karine Lefèvre"],
        excused=["Agnès Colin"], absent=["Nicolas Chevalier"],
        guests=[("Inès Moulin", "France Travail – agence de Charenton")])
    items = participation.agenda(session)
    cards = {}
    for kinds, item in zip(([("constat",), ("temoignage", "question"),
                             ("enjeu_participants", "enjeu_territoire"), ("question",)]), items):
        participation.set_step(session, item.id)
        rows = [row for row in GT1_JEUNES if row[0] in kinds and row[2] not in
                {text for text in cards}]
        cards |= _post(session, attendees, rows, state)
    freins = board.create_cluster(session, "Freins à l'emploi des jeunes")
    rapprocher = board.create_cluster(session, "Rapprocher jeunes et entreprises")
    for start, cluster in [("Le taux de chômage", freins), ("La mobilité", freins),
                           ("Les jeunes connaissent", rapprocher), ("Beaucoup de jeunes", rapprocher),
                           ("Dans le BTP", rapprocher)]:
        board.assign_cluster(session, _find(cards, start), cluster)
    mobility = _find(cards, "La mobilité")
    board.merge_cards(session, mobility, [_find(cards, "Sans permis")],
                      text="La mobilité reste un frein : peu de jeunes ont le permis et il n'y a "
                           "ni bus avant 7 h ni covoiturage vers la zone d'activités, où sont "
                           "les postes en horaires décalés.")
    board.set_flags(session, mobility, highlighted=True)
    board.set_flags(session, _find(cards, "Beaucoup de jeunes"), highlighted=True)
    participation.close_session(session)
    with rules.closed_sessions_writable():
        live = participation.live_state(session)
        live.opened_at = session.starts_at
        live.closed_at = session.ends_at
        db.session.flush()
    session.minutes = session.minutes.replace(
        "(Complétez ici les points saillants de la discussion.)",
        "Le groupe partage un diagnostic : des besoins de recrutement réels dans le BTP, la "
        "logistique et le commerce, et des jeunes qui connaissent mal ces entreprises. La "
        "mobilité et l'absence de premier contact avec le monde du travail sont les deux "
        "freins les plus cités ; l'immersion courte en entreprise a fait ses preuves.")
    minutes.mark_sent(session)


def _gt2_jeunes(session: Meeting, people: dict[str, Person]) -> None:
    participation.open_session(session)
    participation.set_anonymous_allowed(session, True)
    state = participation.ensure_live_state(session)
    attendees = _attend(
        session, people,
        present=["Nadia Haddad", "Thomas Roux", "Yanis Belkacem", "Léa Gauthier",
                 "François Mercier", "Olivier Garnier", "Sébastien Faure", "Karine Lefèvre",
                 "Nicolas Chevalier"],
        excused=["Agnès Colin"])
    items = participation.agenda(session)
    cards = {}
    for kind, item in zip(("solution_existante", "piste"), items):
        participation.set_step(session, item.id)
        cards |= _post(session, attendees, [r for r in GT2_JEUNES if r[0] == kind], state)
    _step(session, 1, 25)
    pistes = [card for card in cards.values() if card.kind == "piste"]
    vote = votes.open_vote(session, "Quelles pistes approfondir en GT3 ?", 3,
                           [card.id for card in pistes])
    for voter, choices in GT2_DOTS.items():
        for start in choices:
            votes.cast_dot(session, vote, attendees[voter], _find(cards, start).id)


def _gt1_emploi(session: Meeting, people: dict[str, Person]) -> None:
    participation.open_session(session)
    state = participation.ensure_live_state(session)
    attendees = _attend(
        session, people,
        present=["Louis Perrin", "Fatou Diallo", "Sophie Lambert", "Isabelle Renaud",
                 "Bruno Masson", "Denis Robin", "Ahmed Kaci"],
        excused=["Claire Dubois", "Léa Gauthier"], absent=["Nicolas Chevalier"])
    _post(session, attendees, GT1_EMPLOI, state)
    participation.close_session(session)


def seed_live_sessions_demo() -> None:
    territory = db.session.scalar(select(Territory).where(Territory.slug == SLUG))
    if territory is None:
        return
    experiment = db.session.scalar(
        select(Experiment).where(Experiment.territory_id == territory.id).order_by(Experiment.id))
    if experiment is None:
        return
    people = _people(territory.id)
    plan = [("GT Insertion des jeunes", "gt1", _gt1_jeunes),
            ("GT Insertion des jeunes", "gt2", _gt2_jeunes),
            ("GT Emploi", "gt1", _gt1_emploi)]
    todo = []
    for group_title, kind, seed in plan:
        group = _group(experiment, group_title)
        session = _session(group, kind) if group is not None else None
        if session is not None and not _has_cards(session):
            todo.append((session, seed))
    # Dates first, so that each compte rendu names the right next session.
    for session, seed in todo:
        _restart(session, _demo_start(seed))
    for session, seed in todo:
        seed(session, people)
    db.session.flush()


def _demo_start(seed) -> datetime:
    now = utcnow().astimezone(PARIS)
    if seed is _gt1_jeunes:
        return _paris((now - timedelta(days=21)).date(), 9, 30)
    if seed is _gt1_emploi:
        return _paris((now - timedelta(days=18)).date(), 14, 0)
    return now.replace(second=0, microsecond=0) - timedelta(minutes=40 + now.minute % 5)
