"""Demo: the itinerant « aller vers » project « Le cam's » of the Centre social Lo Solan
(Pyrénées-Atlantiques): its frise over three terms and three levels, its RACI grid, the
pas de côté of five actors and a first review with a snapshot of the frise.

Idempotent: nothing happens when the project already exists."""
from datetime import date

from flask import current_app
from sqlalchemy import select

from extensions import db
from territorial.accounts.operations import find_user
from territorial.actors.models import Organisation, Person
from territorial.projects import operations
from territorial.projects.models import Project
from territorial.raci import operations as raci
from territorial.reviews import operations as reviews
from territorial.reviews.models import Review
from territorial.territories.models import Territory
from territorial.timelines import operations as timelines
from territorial.timelines import queries as timeline_queries

SLUG = "lo-solan"
TITLE = "Le cam's"

# (organisation name, person "First Last" or None) → level index, term or date, notes
FRISE = [
    ("Mairie d'Aramits", None, 0, "court",
     "Les élus sont présents dès le début : la première halte se fait sur la place de la mairie."),
    ("CCAS d'Oloron-Sainte-Marie", None, 0, "court",
     "Co-construire l'accès aux droits sans se substituer au service public."),
    ("Mairie de Lanne-en-Barétous", None, 0, "moyen",
     "Deuxième commune de l'itinérance, après une présentation en conseil municipal."),
    ("Conseil départemental des Pyrénées-Atlantiques", None, 0, date(2027, 9, 15),
     "Cofinancement à étudier en commission à la rentrée 2027."),
    ("Association Familles rurales du Barétous", None, 1, "court",
     "Connaît les familles isolées des villages ; relais pour les premières haltes."),
    ("Mairie d'Aramits", "Sandrine Casaubon", 1, "court",
     "La secrétaire de mairie voit beaucoup de monde : elle annonce les passages du cam's."),
    ("CAF des Pyrénées-Atlantiques", None, 1, "moyen",
     "Financeur à inviter sur le terrain pour rencontrer les habitants."),
    ("Mairie d'Arette", None, 1, "long",
     "Intéressée si le cam's vient jusqu'au quartier de la Pierre-Saint-Martin."),
    ("Pharmacie du Barétous", "Élise Cazenave", 2, "court",
     "Partenaire moins visible : la pharmacienne peut faire fonctionner le bouche à oreille."),
    ("Mairie de Lanne-en-Barétous", "Christine Lapuyade", 2, "moyen",
     "Affiche les dates de passage à l'accueil de la mairie."),
    ("Foyer rural d'Arette", None, 2, "moyen",
     "Pourrait être intéressé si on se déplace sur Arette."),
    ("Épicerie Chez Maïder", None, 2, "long",
     "Point de dépôt des flyers, à associer quand l'itinérance sera installée."),
]
# Added after the first review (so that the history shows a change).
LATER = [("Café du Centre", None, 2, "court",
          "Le gérant voit passer tout le village : à rencontrer avant la halte de janvier.")]
MOVED_AFTER_REVIEW = ("Foyer rural d'Arette", 1, "moyen")

CONTACTS = {
    "Mairie d'Aramits": [("invited", date(2026, 6, 10), "Invitation à la réunion de lancement"),
                         ("met", date(2026, 6, 24), "Rencontre avec le maire"),
                         ("conseil_municipal", date(2026, 7, 8),
                          "Présentation des diagnostics et du projet itinérant")],
    "CCAS d'Oloron-Sainte-Marie": [("met", date(2026, 5, 15), "")],
    "Mairie de Lanne-en-Barétous": [("invited", date(2026, 9, 15), "")],
    "CAF des Pyrénées-Atlantiques": [("invited", date(2026, 10, 1), "Invitation sur le terrain")],
}

RACI_ACTIVITIES = [
    "Repérer les lieux de halte avec les communes",
    "Animer le café itinérant",
    "Transporter les habitants vers les services",
    "Relayer l'information (bouche à oreille)",
    "Présenter le projet en conseil municipal",
    "Financer le projet",
    "Faire les bilans réguliers",
]
RACI_ACTORS = [
    ("Centre social Lo Solan", None), ("Mairie d'Aramits", None),
    ("Mairie de Lanne-en-Barétous", None), ("CCAS d'Oloron-Sainte-Marie", None),
    ("CAF des Pyrénées-Atlantiques", None), ("Association Familles rurales du Barétous", None),
    ("Mairie d'Aramits", "Sandrine Casaubon"), ("Pharmacie du Barétous", None),
]
# One string per activity, one letter per actor ("." = empty); « Relayer l'information »
# has no A yet: the grid is a work in progress and says so.
RACI_LETTERS = [
    "ARRC.C..",
    "AC.C.R..",
    "RIIAC...",
    "RI...RRR",
    "RAI.....",
    "RCCIA...",
    "ARCCIC.I",
]

STEP_ASIDE = {
    "Mairie d'Aramits": [
        ("frein", "concurrence",
         "Le territoire est un espace de pouvoir : le projet peut être perçu comme intrusif, "
         "empiétant sur le pré-carré de la mairie.",
         "Présenter le projet en conseil municipal et poser ensemble les objectifs communs."),
        ("levier", "legitimite",
         "Répond aux constats partagés sur la disparition des services publics et la perte de "
         "lien social dans la commune.", ""),
    ],
    "CCAS d'Oloron-Sainte-Marie": [
        ("frein", "concurrence",
         "Crainte que l'itinérance se substitue au service public sans en avoir les moyens.",
         "Clarifier dès le départ le rôle de chacun : le partenariat n'est pas du remplacement."),
        ("levier", "espace_public",
         "Touche des habitants qui ne viennent jamais jusqu'au CCAS.", ""),
    ],
    "CAF des Pyrénées-Atlantiques": [
        ("frein", "financier",
         "Besoin de signes de résultats à court terme avant de s'engager financièrement.",
         "Inviter le conseiller territorial sur le terrain et présenter des bilans réguliers "
         "chiffrés."),
        ("levier", "financier",
         "Le projet entre dans les objectifs d'accès aux droits de la convention territoriale.",
         ""),
    ],
    "Association Familles rurales du Barétous": [
        ("frein", "concurrence",
         "Peur de perdre des adhérents au profit du centre social.", ""),
        ("levier", "legitimite",
         "Connaissance fine des familles des villages : un allié pour repérer les lieux.", ""),
    ],
    "Café du Centre": [
        ("frein", "espace_public",
         "Un café offert devant l'établissement peut être vu comme une concurrence.", ""),
        ("levier", "autre",
         "Le gérant voit beaucoup de monde : il peut devenir un ambassadeur du cam's.", ""),
    ],
}


def seed_projects_demo() -> Project | None:
    # French texts (snapshot labels, contact notes) need a locale, hence a request context.
    with current_app.test_request_context():
        return _seed()


def _seed() -> Project | None:
    territory = db.session.scalar(select(Territory).where(Territory.slug == SLUG))
    if territory is None:
        return None
    existing = db.session.scalar(select(Project).where(
        Project.territory_id == territory.id, Project.title == TITLE))
    if existing is not None:
        return existing
    organisations = _organisations(territory)
    project = operations.create_project(territory.id, {
        "title": TITLE,
        "description": "Un camion aménagé qui va de village en village du Barétous : café "
                       "itinérant, information sur les droits, transport vers les services.",
        "why": "Aller vers les habitants isolés des villages, là où les services publics ont "
               "disparu, pour recréer du lien social et faciliter l'accès aux droits — avec les "
               "communes, pas à leur place.",
        "objectives": "Rencontrer les habitants isolés dans l'espace public\n"
                      "Faciliter l'accès aux droits et aux services\n"
                      "Construire un réseau d'alliés sur chaque commune\n"
                      "Donner des signes de confiance à court terme aux élus et aux financeurs",
        "starts_on": date(2026, 9, 1),
        "ends_on": date(2028, 8, 31),
    })
    timeline = operations.frise_of(project)
    levels = timeline_queries.load_timeline(timeline).levels
    entries = {}
    for name, person, level, when, notes in FRISE:
        entries[(name, person)] = _place(timeline, levels, organisations, name, person, level,
                                         when, notes)
    for (name, person), entry in entries.items():
        if person is None:
            for kind, on, note in CONTACTS.get(name, []):
                timelines.add_contact(entry, kind, on, note)

    author = find_user("direction@losolan.demo")
    review = reviews.save_review(Review(), project, {
        "title": "Bilan des trois premiers mois",
        "held_on": date(2026, 11, 20),
        "observed": "Les haltes du mardi sur la place d'Aramits réunissent une quinzaine "
                    "d'habitants, surtout des personnes âgées seules.\nLes demandes portent sur "
                    "les démarches en ligne et le transport vers Oloron.",
        "progress": "Le conseil municipal d'Aramits soutient le projet ; le CCAS oriente vers "
                    "les haltes.\nLa CAF est venue sur le terrain rencontrer les habitants.",
        "adjustments": "Ajouter une halte à Lanne-en-Barétous en janvier ; associer les "
                       "commerçants au relais de l'information.",
        "figures_text": "Haltes réalisées : 12\nHabitants rencontrés : 164\n"
                        "Accompagnements aux droits : 23\nTrajets vers les services : 9",
        "writings": "Article dans le bulletin municipal d'Aramits (octobre 2026)\n"
                    "Compte rendu de la présentation au conseil municipal",
    })
    reviews.add_guest(review, project, "field_visit",
                      organisation=organisations["CAF des Pyrénées-Atlantiques"], came=True)
    reviews.add_guest(review, project, "conseil_municipal",
                      organisation=organisations["Mairie de Lanne-en-Barétous"], came=False)
    reviews.snapshot_frise(review, project)

    # After the review: the map keeps moving.
    for name, person, level, when, notes in LATER:
        entries[(name, person)] = _place(timeline, levels, organisations, name, person, level,
                                         when, notes)
    name, level, term = MOVED_AFTER_REVIEW
    timelines.place_entry(timeline, entries[(name, None)], levels[level].id, term)

    for name, notes in STEP_ASIDE.items():
        entry = entries[(name, None)]
        for kind, category, text, answer in notes:
            timelines.add_note(entry, kind=kind, category=category, text=text, answer=answer,
                               author=author)

    grid = operations.grid_of(project)
    actors = []
    for name, person in RACI_ACTORS:
        if person:
            actors.append(raci.add_actor(grid, person=_person(organisations[name], person)))
        else:
            actors.append(raci.add_actor(grid, organisation=organisations[name]))
    for label, letters in zip(RACI_ACTIVITIES, RACI_LETTERS, strict=True):
        activity = raci.add_activity(grid, label)
        for actor, letter in zip(actors, letters, strict=True):
            if letter != ".":
                raci.set_cell(grid, activity.id, actor.id, letter)
    db.session.flush()
    return project


def _organisations(territory) -> dict[str, Organisation]:
    found = {o.name: o for o in db.session.scalars(
        select(Organisation).where(Organisation.territory_id == territory.id))}
    if "Mairie d'Arette" not in found:  # a third commune for the long term
        arette = Organisation(territory_id=territory.id, name="Mairie d'Arette",
                              kind="collectivite", sector="Commune", commune="Arette")
        db.session.add(arette)
        db.session.flush()
        db.session.add(Person(territory_id=territory.id, organisation_id=arette.id,
                              first_name="Josette", last_name="Hourcq", function="Maire"))
        db.session.flush()
        found[arette.name] = arette
    return found


def _person(organisation: Organisation, full_name: str) -> Person:
    first, last = full_name.split(" ", 1)
    return db.session.scalar(select(Person).where(
        Person.organisation_id == organisation.id, Person.first_name == first,
        Person.last_name == last))


def _place(timeline, levels, organisations, name, person, level, when, notes):
    organisation = organisations[name]
    kwargs = {"person": _person(organisation, person)} if person else \
        {"organisation": organisation}
    term, on_date = (when, None) if isinstance(when, str) else (None, when)
    return timelines.add_entry(timeline, level_id=levels[level].id, term=term, on_date=on_date,
                               notes=notes, **kwargs)
