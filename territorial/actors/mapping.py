"""The mapping step of an import: which field each column of the file holds, proposed from
the many ways French directories name their columns (a dictionary of synonyms, then words
found in the header, then a close spelling; accents, case and punctuation ignored), and
which of the platform's kinds each value of the « type » column means."""
import difflib
import hashlib

from flask_babel import lazy_gettext as _l

from territorial.actors.models import ORGANISATION_KINDS
from territorial.common.text import fold

FIELDS = {
    "organisation": _l("Organisation (nom)"),
    "kind": _l("Type d'acteur"),
    "sector": _l("Secteur"),
    "address": _l("Adresse"),
    "postal_code": _l("Code postal"),
    "commune": _l("Commune"),
    "insee_code": _l("Code INSEE de la commune"),
    "org_email": _l("Courriel de l'organisation"),
    "org_phone": _l("Téléphone de l'organisation"),
    "website": _l("Site web"),
    "description": _l("Description de l'organisation"),
    "contact": _l("Contact (prénom et nom ensemble)"),
    "first_name": _l("Prénom"),
    "last_name": _l("Nom de famille"),
    "function": _l("Fonction ou rôle"),
    "email": _l("Courriel de la personne"),
    "phone": _l("Téléphone de la personne"),
}
PERSON_FIELDS = ("contact", "first_name", "last_name")

SYNONYMS = {
    "organisation": (
        "organisation", "organisme", "structure", "denomination", "raison sociale",
        "nom de la structure", "nom de l organisation", "nom de l organisme", "nom structure",
        "nom organisme", "nom organisation", "etablissement", "partenaire", "nom du partenaire",
        "acteur", "nom de l acteur", "entite", "societe", "nom de l association"),
    "kind": (
        "type", "types", "type d acteur", "type de structure", "type de partenaire",
        "type d organisme", "type d organisation", "forme juridique", "statut",
        "statut juridique", "categorie", "nature", "famille"),
    "sector": ("secteur", "secteur d activite", "domaine", "domaine d activite", "thematique",
               "activite"),
    "address": ("adresse", "adresse postale", "rue", "voie", "adresse 1", "numero et rue"),
    "postal_code": ("code postal", "cp", "c p", "code post"),
    "commune": ("commune", "ville", "localite", "municipalite"),
    "insee_code": ("code insee", "insee", "code commune", "code insee commune", "cog"),
    "website": ("site web", "site", "site internet", "url", "web", "internet"),
    "description": ("description", "presentation", "commentaire", "commentaires", "remarque",
                    "remarques", "observations", "notes"),
    "contact": ("contact", "interlocuteur", "interlocutrice", "referent", "referente",
                "personne contact", "nom du contact", "responsable", "personne referente",
                "nom et prenom", "nom prenom", "prenom nom", "nom complet", "contact principal"),
    "first_name": ("prenom", "prenom du contact", "prenom contact"),
    "last_name": ("nom de famille", "nom de naissance", "nom d usage"),
    "function": ("fonction", "role", "poste", "titre", "qualite", "fonction du contact",
                 "role dans la structure", "poste occupe", "intitule du poste",
                 "fonction ou role", "qualite du contact"),
    "email": ("courriel", "e mail", "email", "mail", "adresse mail", "adresse electronique",
              "adresse e mail", "mel", "courriel du contact", "mail contact"),
    "phone": ("telephone", "tel", "portable", "mobile", "telephone portable", "tel portable",
              "numero de telephone", "tel fixe", "gsm", "telephone du contact"),
    "org_email": ("courriel de la structure", "courriel structure", "mail structure",
                  "courriel organisation", "courriel de l organisation", "email structure",
                  "courriel general", "mail organisme"),
    "org_phone": ("telephone structure", "telephone de la structure", "telephone organisation",
                  "tel structure", "standard", "telephone de l organisation"),
}
SYNONYM_INDEX = {synonym: field for field, words in SYNONYMS.items() for synonym in words}
# Words found inside a header, first found wins (« Adresse mail » is an email).
KEYWORDS = (
    ("code postal", "postal_code"), ("insee", "insee_code"), ("mail", "email"),
    ("courriel", "email"), ("mel", "email"), ("telephone", "phone"), ("tel", "phone"),
    ("portable", "phone"), ("site", "website"), ("web", "website"), ("url", "website"),
    ("adresse", "address"), ("prenom", "first_name"), ("fonction", "function"),
    ("role", "function"), ("poste", "function"), ("qualite", "function"), ("forme juridique", "kind"), ("type", "kind"),
    ("commune", "commune"), ("ville", "commune"), ("localite", "commune"),
    ("secteur", "sector"), ("contact", "contact"), ("interlocut", "contact"),
    ("referent", "contact"), ("structure", "organisation"), ("organisme", "organisation"),
    ("organisation", "organisation"), ("denomination", "organisation"),
    ("raison sociale", "organisation"),
)
STRUCTURE_WORDS = ("structure", "organisation", "organisme", "association", "etablissement")
NAME = "nom"


def headers_key(header: list) -> str:
    """What identifies « a file with the same headers »."""
    return hashlib.sha256("\x1f".join(fold(cell) for cell in header).encode()).hexdigest()


def propose_field(header_cell) -> str:
    """The field a column's header most likely names, ``""`` when none, ``NAME`` for a bare
    « Nom » (an organisation's name or a person's, depending on the other columns)."""
    key = fold(header_cell)
    if not key:
        return ""
    if key == NAME:
        return NAME
    if field := SYNONYM_INDEX.get(key):
        return field
    padded = f" {key} "
    for word, field in KEYWORDS:
        if f" {word}" in padded:
            if field in ("email", "phone") and any(w in key for w in STRUCTURE_WORDS):
                return f"org_{field}"
            return field
    close = difflib.get_close_matches(key, SYNONYM_INDEX, n=1, cutoff=0.85)
    return SYNONYM_INDEX[close[0]] if close else ""


def propose_columns(header: list, people: bool = False) -> list[str]:
    """A field (or ``""``: ignored) for each column; a field is proposed once. ``people``:
    the file lists people (a bare « Nom » is then a person's)."""
    fields = [propose_field(cell) for cell in header]
    has_person = any(field in PERSON_FIELDS for field in fields)
    has_organisation = "organisation" in fields
    for index, field in enumerate(fields):
        if field == NAME:  # « Nom »: a person's when « Prénom » is there, else the structure's
            fields[index] = ("last_name" if people or "first_name" in fields
                             or has_organisation else "organisation")
        elif field in ("email", "phone") and not (has_person or people):
            fields[index] = f"org_{field}"
    seen: set[str] = set()
    for index, field in enumerate(fields):
        if field in seen:
            fields[index] = ""
        seen.add(field)
    return fields


def find_header(rows: list[list], look: int = 10) -> int:
    """The index of the header row: among the first rows, the one whose cells name the most
    known fields (a title row above it names none); the first row with several cells when
    none does."""
    best, best_score = None, 0
    for index, cells in enumerate(rows[:look]):
        score = sum(1 for cell in cells if isinstance(cell, str) and propose_field(cell))
        if score > best_score:
            best, best_score = index, score
    if best is not None:
        return best
    for index, cells in enumerate(rows[:look]):
        if sum(1 for cell in cells if cell not in (None, "")) > 1:
            return index
    return 0


# Kinds ----------------------------------------------------------------------------------

KIND_SYNONYMS = {
    "association": ("asso", "assoc", "association loi 1901", "loi 1901", "associatif",
                    "association de quartier"),
    "entreprise": ("societe", "sarl", "sas", "sasu", "sa", "eurl", "scop", "scic", "ei", "pme",
                   "tpe", "auto entrepreneur", "micro entreprise", "entreprise d insertion",
                   "entreprise privee", "ess"),
    "collectivite": ("collectivite territoriale", "mairie", "commune", "ville", "departement",
                     "conseil departemental", "region", "conseil regional", "metropole",
                     "communaute de communes", "communaute d agglomeration", "epci",
                     "intercommunalite", "collectivite locale", "ccas"),
    "institution": ("etat", "prefecture", "service de l etat", "etablissement public", "caf",
                    "cpam", "france travail", "pole emploi", "education nationale", "hopital",
                    "institution publique", "administration", "service public"),
    "centre_social": ("centre socioculturel", "espace de vie sociale", "evs",
                      "maison de quartier", "csc"),
    "fondation": ("fonds de dotation",),
    "habitant_relais": ("habitant", "habitante", "habitants relais", "benevole"),
    "commerce": ("commercant", "boutique", "magasin", "artisan", "artisanat", "commerce de proximite"),
    "autre": ("autres", "divers"),
}


def _kind_index() -> dict[str, str]:
    index = {fold(key): key for key in ORGANISATION_KINDS}
    index.update({fold(str(label)): key for key, label in ORGANISATION_KINDS.items()})
    index.update({synonym: key for key, words in KIND_SYNONYMS.items() for synonym in words})
    return index


def propose_kind(value) -> str:
    """The platform's kind for a value of the file's « type » column, ``""`` when unsure."""
    key = fold(value)
    if not key:
        return ""
    index = _kind_index()
    if kind := index.get(key):
        return kind
    padded = f" {key} "
    for word, kind in sorted(index.items(), key=lambda item: -len(item[0])):
        if len(word) > 3 and f" {word} " in padded:
            return kind
    close = difflib.get_close_matches(key, index, n=1, cutoff=0.85)
    return index[close[0]] if close else ""
