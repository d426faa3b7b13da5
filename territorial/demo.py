"""Demo data of the four stories of the domain texts: territories, actors, accounts.

Every function looks objects up by a natural key before creating them, so that
running ``flask --app app seed-demo`` twice changes nothing.
"""
from sqlalchemy import select

from extensions import db
from territorial.accounts import operations as accounts
from territorial.accounts.models import User
from territorial.actors.models import Organisation, Person
from territorial.territories.models import Territory

DEMO_PASSWORD = "Partenariats-demo-2026"

TERRITORIES = [
    ("charenton-saint-maurice", "Communauté de communes de Charenton-Saint-Maurice",
     "intercommunalite",
     "Expérimentation « Agir ensemble sur le territoire » menée avec Le RAMEAU."),
    ("besancon", "Besançon – quartiers Palente, Clairs-Soleils et Rosemont", "commune",
     "Partenariat Quartier Libre entre trois maisons de quartier, régi par une charte."),
    ("lo-solan", "Territoire du Centre social Lo Solan (Pyrénées-Atlantiques)",
     "intercommunalite",
     "Projet itinérant « aller vers » Le cam's, en milieu rural."),
    ("champagne-ardenne", "Région Champagne-Ardenne", "region",
     "Conventions pluriannuelles entre la Région et les associations de l'ESS."),
]

# (slug, email, name, role or None for the platform admin)
ACCOUNTS = [
    (None, "admin@demo.territoires.fr", "Administration de la plateforme", None),
    ("charenton-saint-maurice", "coordination@charenton.demo", "Claire Martin", "coordinator"),
    ("charenton-saint-maurice", "animation@charenton.demo", "Karim Benali", "facilitator"),
    ("charenton-saint-maurice", "participant@charenton.demo", "Sophie Lambert", "participant"),
    ("charenton-saint-maurice", "observation@charenton.demo", "Marc Dupuis", "observer"),
    ("besancon", "coordination@quartierlibre.demo", "Anne Girardot", "coordinator"),
    ("lo-solan", "direction@losolan.demo", "Maïté Etcheverry", "coordinator"),
    ("champagne-ardenne", "ess@champagne-ardenne.demo", "Isabelle Roux", "coordinator"),
]

# slug → [(organisation, kind, sector, commune, [(first, last, function)])]
ORGANISATIONS = {
    "charenton-saint-maurice": [
        ("Communauté de communes de Charenton-Saint-Maurice", "collectivite", "Développement économique", "Charenton-le-Pont", [("Hélène", "Moreau", "Chargée de mission partenariats"), ("Jean-Pierre", "Vasseur", "Vice-président à l'économie sociale")]),
        ("Le RAMEAU", "association", "Recherche et partenariats", "Vincennes", [("Élodie", "Charpentier", "Responsable des modèles territoriaux")]),
        ("Mission locale des Bords de Marne", "association", "Insertion des jeunes", "Charenton-le-Pont", [("Nadia", "Haddad", "Directrice"), ("Thomas", "Roux", "Conseiller insertion")]),
        ("Association Tremplin Emploi", "association", "Emploi", "Saint-Maurice", [("Louis", "Perrin", "Président"), ("Fatou", "Diallo", "Chargée d'accompagnement")]),
        ("Solidarité Charenton", "association", "Précarité", "Charenton-le-Pont", [("Monique", "Fabre", "Présidente"), ("Ahmed", "Kaci", "Coordinateur bénévoles")]),
        ("Handi'Cap Val-de-Marne", "association", "Handicap", "Saint-Maurice", [("Julie", "Marchand", "Directrice")]),
        ("Les Jardins partagés de Saint-Maurice", "association", "Environnement", "Saint-Maurice", [("Paul", "Lemoine", "Animateur")]),
        ("Épicerie solidaire du Bois", "association", "Précarité", "Charenton-le-Pont", [("Chantal", "Bernard", "Responsable")]),
        ("Club de prévention Jeunesse 94", "association", "Insertion des jeunes", "Charenton-le-Pont", [("Yanis", "Belkacem", "Éducateur spécialisé")]),
        ("Recyclerie des Bords de Marne", "association", "Environnement", "Saint-Maurice", [("Camille", "Noël", "Coordinatrice")]),
        ("Coup de Pouce Numérique", "association", "Emploi", "Charenton-le-Pont", [("Léa", "Gauthier", "Médiatrice numérique")]),
        ("Banque Populaire – agence de Charenton", "entreprise", "Banque", "Charenton-le-Pont", [("François", "Mercier", "Directeur d'agence")]),
        ("Générale Énergie Services", "entreprise", "Énergie", "Saint-Maurice", [("Isabelle", "Renaud", "Responsable RSE")]),
        ("Hôtel Les Terrasses de Marne", "entreprise", "Hôtellerie", "Charenton-le-Pont", [("Olivier", "Garnier", "Directeur")]),
        ("Bâtir Ensemble BTP", "entreprise", "BTP", "Saint-Maurice", [("Sébastien", "Faure", "Gérant")]),
        ("Pharmacie de la Mairie", "entreprise", "Santé", "Charenton-le-Pont", [("Aurélie", "Blanc", "Pharmacienne titulaire")]),
        ("Transports Marne Logistique", "entreprise", "Logistique", "Saint-Maurice", [("Nicolas", "Chevalier", "Directeur des ressources humaines")]),
        ("Supermarché des Quais", "entreprise", "Commerce", "Charenton-le-Pont", [("Karine", "Lefèvre", "Directrice de magasin")]),
        ("Cabinet Conseil Val Expertise", "entreprise", "Conseil", "Charenton-le-Pont", [("Bruno", "Masson", "Associé")]),
        ("Imprimerie Vauban", "entreprise", "Industrie", "Saint-Maurice", [("Denis", "Robin", "Dirigeant")]),
        ("Fondation Entreprendre Solidaire", "fondation", "Philanthropie", "Paris", [("Agnès", "Colin", "Déléguée générale")]),
    ],
    "besancon": [
        ("MJC de Palente", "association", "Éducation populaire", "Besançon", [("Laurent", "Vuillemin", "Directeur"), ("Brigitte", "Jacquot", "Présidente"), ("Samia", "Belhadj", "Animatrice jeunesse"), ("Hervé", "Cuenot", "Administrateur")]),
        ("MJC Clairs-Soleils", "association", "Éducation populaire", "Besançon", [("Nathalie", "Grosjean", "Directrice"), ("Michel", "Pernin", "Président"), ("Kévin", "Monnier", "Animateur culturel"), ("Sylvie", "Tissot", "Administratrice")]),
        ("Comité de quartier Rosemont Saint-Ferjeux", "association", "Vie de quartier", "Besançon", [("Pascal", "Bourgeois", "Directeur"), ("Josiane", "Faivre", "Présidente"), ("Rachid", "Amrani", "Coordinateur"), ("Odile", "Mairot", "Administratrice")]),
        ("Ville de Besançon – Direction vie des quartiers", "collectivite", "Politique de la ville", "Besançon", [("Gilles", "Roussel", "Chef de service")]),
    ],
    "lo-solan": [
        ("Centre social Lo Solan", "centre_social", "Animation sociale", "Oloron-Sainte-Marie", [("Maïté", "Etcheverry", "Directrice"), ("Julien", "Lacoste", "Animateur itinérant"), ("Marie", "Pucheu", "Présidente du conseil d'administration")]),
        ("Mairie d'Aramits", "collectivite", "Commune", "Aramits", [("Pierre", "Larrouy", "Maire"), ("Sandrine", "Casaubon", "Secrétaire de mairie")]),
        ("Mairie de Lanne-en-Barétous", "collectivite", "Commune", "Lanne-en-Barétous", [("Jean", "Barrère", "Maire adjoint"), ("Christine", "Lapuyade", "Secrétaire de mairie")]),
        ("CCAS d'Oloron-Sainte-Marie", "institution", "Action sociale", "Oloron-Sainte-Marie", [("Véronique", "Laborde", "Responsable")]),
        ("CAF des Pyrénées-Atlantiques", "institution", "Prestations familiales", "Pau", [("Alain", "Sallaberry", "Conseiller territorial")]),
        ("Association Familles rurales du Barétous", "association", "Familles", "Arette", [("Hélène", "Pédelucq", "Présidente")]),
        ("Foyer rural d'Arette", "association", "Culture et loisirs", "Arette", [("Dominique", "Sarthou", "Animateur")]),
        ("Pharmacie du Barétous", "commerce", "Santé", "Aramits", [("Élise", "Cazenave", "Pharmacienne")]),
        ("Café du Centre", "commerce", "Commerce de proximité", "Lanne-en-Barétous", [("Patrick", "Hourcade", "Gérant")]),
        ("Épicerie Chez Maïder", "commerce", "Commerce de proximité", "Arette", [("Maïder", "Etchepare", "Commerçante")]),
        ("Conseil départemental des Pyrénées-Atlantiques", "collectivite", "Solidarités", "Pau", [("Françoise", "Bordenave", "Chargée de développement social")]),
    ],
    "champagne-ardenne": [
        ("Conseil régional Champagne-Ardenne – pôle ESS", "collectivite", "Économie sociale et solidaire", "Châlons-en-Champagne", [("Isabelle", "Roux", "Responsable du pôle ESS"), ("Patricia", "Andriot", "Vice-présidente")]),
        ("CRESS Champagne-Ardenne", "association", "Économie sociale et solidaire", "Châlons-en-Champagne", [("Gérard", "Collot", "Directeur")]),
        ("Réseau des Ressourceries de Champagne", "association", "Environnement", "Reims", [("Aline", "Thiébaut", "Coordinatrice")]),
        ("Ardennes Insertion Solidaire", "association", "Insertion par l'activité économique", "Charleville-Mézières", [("Marc", "Husson", "Directeur")]),
        ("Culture en Campagne", "association", "Culture", "Troyes", [("Émilie", "Poirot", "Directrice")]),
    ],
}


def seed_territorial_demo() -> dict[str, Territory]:
    territories = {slug: _territory(slug, name, level, text)
                   for slug, name, level, text in TERRITORIES}
    for slug, rows in ORGANISATIONS.items():
        for name, kind, sector, commune, people in rows:
            organisation = _organisation(territories[slug], name, kind, sector, commune)
            for first, last, function in people:
                _person(organisation, first, last, function)
    for slug, email, name, role in ACCOUNTS:
        user = _user(email, name, is_admin=role is None)
        if slug:
            accounts.set_membership(user, territories[slug].id, role)
    db.session.flush()
    return territories


def _territory(slug: str, name: str, level: str, description: str) -> Territory:
    territory = db.session.scalar(select(Territory).where(Territory.slug == slug))
    if territory is None:
        territory = Territory(slug=slug, name=name, level=level, description=description)
        db.session.add(territory)
        db.session.flush()
    return territory


def _organisation(territory, name, kind, sector, commune) -> Organisation:
    organisation = db.session.scalar(
        select(Organisation).where(
            Organisation.territory_id == territory.id, Organisation.name == name
        )
    )
    if organisation is None:
        organisation = Organisation(
            territory_id=territory.id, name=name, kind=kind, sector=sector, commune=commune
        )
        db.session.add(organisation)
        db.session.flush()
    return organisation


def _person(organisation: Organisation, first: str, last: str, function: str) -> Person:
    person = db.session.scalar(
        select(Person).where(
            Person.organisation_id == organisation.id,
            Person.first_name == first,
            Person.last_name == last,
        )
    )
    if person is None:
        person = Person(
            territory_id=organisation.territory_id,
            organisation_id=organisation.id,
            first_name=first,
            last_name=last,
            function=function,
        )
        db.session.add(person)
        db.session.flush()
    return person


def _user(email: str, name: str, *, is_admin: bool) -> User:
    return accounts.find_user(email) or accounts.create_user(
        email, name, DEMO_PASSWORD, is_admin=is_admin
    )
