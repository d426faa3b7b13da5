"""What an import will do, said in words before anything is written: ``plan_import`` checks
every row with the user's choices (columns, kinds, each existing organisation) and tells
what will be created, updated and skipped, and every value changed on the way;
``apply_plan`` writes a plan without any problem, in the request's one transaction."""
import hashlib
import json
import re
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from territorial.actors import mapping
from territorial.actors.models import ORGANISATION_KINDS, Organisation, Person
from territorial.common.errors import DomainError
from territorial.common.text import fold
from territorial.common.validation import has_control_characters, visible_text, web_address

LENGTHS = {"organisation": 200, "kind": 120, "sector": 120, "address": 300, "postal_code": 10,
           "commune": 120, "insee_code": 5, "org_email": 254, "org_phone": 40, "website": 300,
           "description": 5000, "contact": 240, "first_name": 120, "last_name": 120,
           "function": 200, "email": 254, "phone": 40}
# Field of the import → attribute of the organisation.
ORGANISATION_ATTRIBUTES = {
    "kind": "kind", "sector": "sector", "address": "address", "postal_code": "postal_code",
    "commune": "commune", "insee_code": "insee_code", "org_email": "email",
    "org_phone": "phone", "website": "website", "description": "description"}
PERSON_ATTRIBUTES = ("first_name", "last_name", "function", "email", "phone")
REQUIRED = {"organisations": "organisation", "people": "last_name"}
CHOICES = ("update", "keep", "create")
CIVILITIES = {"m", "mme", "mr", "mlle", "madame", "monsieur", "mademoiselle", "dr", "me"}


# Planning -------------------------------------------------------------------------------

@dataclass
class Problem:
    message: str
    line: int | None = None
    column: str = ""


@dataclass
class Change:
    line: int
    column: str
    before: str
    after: str


@dataclass
class Kind:
    key: str
    text: str
    count: int
    kind: str


@dataclass
class OrganisationPlan:
    name: str
    lines: list[int]
    values: dict
    existing: Organisation | None = None
    choice: str = "create"  # create, update, keep
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after
    people: list[dict] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(ORGANISATION_KINDS.get(self.values.get("kind", ""), ""))


@dataclass
class Plan:
    target: str
    header: list[str]
    columns: list[str]
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    kinds: list[Kind] = field(default_factory=list)
    organisations: list[OrganisationPlan] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)  # people without an organisation
    skipped: list[tuple[int, str]] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)  # a column's first values, shown

    @property
    def ready(self) -> bool:
        return not self.problems

    @property
    def ignored_columns(self) -> list[str]:
        return [name or _("colonne %(n)d sans titre", n=index + 1)
                for index, (name, chosen) in enumerate(zip(self.header, self.columns))
                if not chosen]

    def signature(self) -> str:
        """What the user saw: confirming is refused when the choices changed since."""
        seen = (self.columns, [(kind.key, kind.kind) for kind in self.kinds],
                [(plan.existing.id, plan.choice) for plan in self.existing])
        return hashlib.sha256(json.dumps(seen).encode()).hexdigest()[:32]

    def with_choice(self, choice: str) -> list[OrganisationPlan]:
        return [plan for plan in self.organisations if plan.choice == choice]

    @property
    def existing(self) -> list[OrganisationPlan]:
        return [plan for plan in self.organisations if plan.existing is not None]

    @property
    def new_people(self) -> list[dict]:
        return [p for plan in self.organisations for p in plan.people] + self.people


def plan_import(target: str, header: list[str], rows: list[dict], choices: dict,
                territory_id: int) -> Plan:
    columns = _columns(choices, header)
    plan = Plan(target, header, columns)
    plan.samples = [" · ".join(visible_text(row["cells"][index])[:40] for row in rows[:3]
                               if row["cells"][index]) for index in range(len(header))]
    _check_columns(plan)
    if plan.problems:
        return plan
    kinds = choices.get("kinds", {})
    values_of = [_row_values(plan, row, kinds) for row in rows]
    _count_kinds(plan, rows, kinds)
    _group(plan, values_of, choices.get("existing", {}), kinds.get("", ""), territory_id)
    _ask_default_kind(plan, kinds)
    return plan


def _ask_default_kind(plan: Plan, kinds: dict) -> None:
    """Without a type column, the kind of the new organisations is asked too (one value
    « aucune colonne de type »): never a silent « Autre »."""
    new = [org for org in plan.organisations if org.existing is None or org.choice == "create"]
    if "kind" in plan.columns or not new:
        return
    plan.kinds = [Kind("", "", len(new), kinds.get("", ""))]
    if not plan.kinds[0].kind:
        plan.problems.append(Problem(_(
            "Aucune colonne n'indique le type d'acteur : choisissez le type des nouvelles "
            "organisations.")))


def _columns(choices: dict, header: list[str]) -> list[str]:
    columns = list(choices.get("columns", []))[:len(header)]
    columns += [""] * (len(header) - len(columns))
    return [name if name in mapping.FIELDS else "" for name in columns]


def _label(name: str) -> str:
    return str(mapping.FIELDS[name])


def _check_columns(plan: Plan) -> None:
    seen: dict[str, str] = {}
    for header, name in zip(plan.header, plan.columns):
        if name and name in seen:
            plan.problems.append(Problem(_(
                "Les colonnes « %(a)s » et « %(b)s » sont toutes deux associées à « %(field)s » : "
                "choisissez-en une et ignorez l'autre.", a=seen[name], b=header,
                field=_label(name))))
        seen.setdefault(name, header)
    required = REQUIRED[plan.target]
    if plan.target == "people" and "contact" in seen:
        required = "contact"
    if required not in seen:
        plan.problems.append(Problem(_(
            "Aucune colonne n'est associée à « %(field)s », qui est obligatoire : choisissez la "
            "colonne qui le contient.", field=_label(required))))
    if "contact" in seen and ({"first_name", "last_name"} & seen.keys()):
        plan.problems.append(Problem(_(
            "Associez le contact soit à une colonne « %(contact)s », soit à des colonnes "
            "« %(first)s » et « %(last)s », pas aux deux.", contact=_label("contact"),
            first=_label("first_name"), last=_label("last_name"))))


def _row_values(plan: Plan, row: dict, kinds: dict) -> dict:
    """The row's values by field, cleaned; its problems and changed values noted."""
    line = row["line"]
    values = {"line": line}
    for header, name, cell in zip(plan.header, plan.columns, row["cells"]):
        if not name or not cell:
            continue
        column = header or _label(name)
        if has_control_characters(cell):
            plan.problems.append(Problem(_(
                "Cette cellule contient un caractère invisible (caractère de contrôle ou "
                "inversion du sens du texte) : retirez-le."), line, column))
            continue
        if len(cell) > LENGTHS[name]:
            plan.problems.append(Problem(_("Texte trop long (%(n)d caractères au plus).",
                                           n=LENGTHS[name]), line, column))
            continue
        try:
            clean = _clean(name, cell, kinds)
        except DomainError as error:
            plan.problems.append(Problem(str(error), line, column))
            continue
        if name == "contact":
            values.update(clean)
            described = " ".join(filter(None, (clean["first_name"], clean["last_name"])))
            if described != cell:
                plan.changes.append(Change(line, column, cell, _(
                    "prénom « %(first)s », nom « %(last)s »", first=clean["first_name"],
                    last=clean["last_name"])))
            continue
        shown = str(ORGANISATION_KINDS.get(clean, "")) if name == "kind" else clean
        if shown and shown != cell:
            plan.changes.append(Change(line, column, cell, shown))
        values[name] = clean
    return values


def _clean(name: str, cell: str, kinds: dict):
    if name == "kind":
        return kinds.get(fold(cell)) or ""
    if name == "postal_code":
        digits = cell.replace(" ", "")
        if digits.isdigit() and len(digits) == 4:  # a spreadsheet took the leading zero
            digits = "0" + digits
        if not re.fullmatch(r"\d{5}", digits):
            raise DomainError(_("Code postal « %(value)s » : cinq chiffres attendus.",
                                value=cell))
        return digits
    if name == "insee_code":
        code = cell.replace(" ", "").upper()
        code = "0" + code if code.isdigit() and len(code) == 4 else code
        if not re.fullmatch(r"\d{5}|2[AB]\d{3}", code):
            raise DomainError(_("Code INSEE « %(value)s » : cinq caractères attendus "
                                "(par exemple 94018 ou 2A004).", value=cell))
        return code
    if name in ("email", "org_email"):
        try:
            return validate_email(cell, check_deliverability=False).normalized
        except EmailNotValidError:
            raise DomainError(_("Adresse électronique invalide : « %(value)s ».",
                                value=cell)) from None
    if name in ("phone", "org_phone") and cell.isdigit() and len(cell) == 9:
        return "0" + cell  # a spreadsheet read 06… as a number
    if name == "website":
        return web_address(cell)
    if name == "contact":
        return split_name(cell)
    return cell


def split_name(text: str) -> dict:
    """« Mme Nadia HADDAD », « HADDAD Nadia », « Nadia Haddad » → first and last name: a word
    in capitals is the family name (as directories write it), else the last word is."""
    words = [word for word in text.replace(",", " ").split()]
    while len(words) > 1 and fold(words[0]) in CIVILITIES:
        words.pop(0)
    if len(words) < 2:
        return {"first_name": "", "last_name": " ".join(words)}
    capitals = [word for word in words if word.isupper() and len(word) > 1]
    if capitals and len(capitals) < len(words):
        return {"first_name": " ".join(w for w in words if w not in capitals),
                "last_name": " ".join(capitals)}
    return {"first_name": " ".join(words[:-1]), "last_name": words[-1]}


def _count_kinds(plan: Plan, rows: list[dict], kinds: dict) -> None:
    """The values of the type column, each with the kind chosen for it."""
    if "kind" not in plan.columns:
        return  # asked by _ask_default_kind once the new organisations are known
    column = plan.columns.index("kind")
    counted: dict[str, Kind] = {}
    for row in rows:
        text = row["cells"][column]
        key = fold(text)
        if key in counted:
            counted[key].count += 1
        else:
            counted[key] = Kind(key, text, 1, kinds.get(key, ""))
    plan.kinds = sorted(counted.values(), key=lambda kind: (kind.kind != "", -kind.count))
    for kind in plan.kinds:
        if not kind.kind:
            plan.problems.append(Problem(_(
                "Choisissez le type d'acteur des organisations de type « %(value)s ».",
                value=kind.text or _("(vide)"))))


def _existing(territory_id: int) -> dict[str, Organisation]:
    found = db.session.scalars(
        select(Organisation).where(Organisation.territory_id == territory_id)
        .order_by(Organisation.archived_at.is_not(None), Organisation.id))
    existing: dict[str, Organisation] = {}
    for organisation in found:
        existing.setdefault(fold(organisation.name), organisation)
    return existing


def _known_people(territory_id: int) -> set[tuple]:
    rows = db.session.execute(select(Person.organisation_id, Person.first_name,
                                     Person.last_name).where(Person.territory_id == territory_id))
    return {(org_id, fold(first), fold(last)) for org_id, first, last in rows}


def _group(plan: Plan, values_of: list[dict], existing_choices: dict, default_kind: str,
           territory_id: int):
    existing = _existing(territory_id)
    known_people = _known_people(territory_id)
    by_name: dict[str, OrganisationPlan] = {}
    people_seen: dict[tuple, int] = {}
    for values in values_of:
        line = values["line"]
        person = {key: values.get(key, "") for key in PERSON_ATTRIBUTES} | {"line": line}
        has_person = any(person[key] for key in PERSON_ATTRIBUTES)
        name = values.get("organisation", "")
        if not name and plan.target == "organisations":
            if len(values) > 1:
                plan.problems.append(Problem(_("Le nom de l'organisation est obligatoire."),
                                             line, _label("organisation")))
            else:
                plan.skipped.append((line, _("aucune valeur dans les colonnes retenues")))
            continue
        if has_person and not person["last_name"]:
            plan.problems.append(Problem(_("Le nom de la personne est obligatoire quand un "
                                           "contact est donné."), line, _label("last_name")))
            continue
        target = None
        if name and (has_person or plan.target == "organisations"):
            key = fold(name)
            target = by_name.get(key)
            if target is None:
                target = by_name[key] = _organisation_plan(
                    name, values, existing.get(key), existing_choices, default_kind)
            else:
                target.lines.append(line)
        if not has_person:
            if plan.target == "people":
                plan.skipped.append((line, _("aucune personne sur cette ligne")))
            continue
        org_id = target.existing.id if target and target.existing and \
            target.choice != "create" else None
        person_key = (org_id if target else None, fold(person["first_name"]),
                      fold(person["last_name"]))
        if person_key in known_people and (org_id is not None or target is None):
            plan.skipped.append((line, _("%(name)s est déjà dans l'annuaire.",
                                         name=_full_name(person))))
        elif (target and fold(target.name), person_key) in people_seen:
            plan.skipped.append((line, _("%(name)s figure déjà à la ligne %(n)d.",
                                         name=_full_name(person),
                                         n=people_seen[(target and fold(target.name),
                                                        person_key)])))
        else:
            people_seen[(target and fold(target.name), person_key)] = line
            (target.people if target else plan.people).append(person)
    plan.organisations = list(by_name.values())


def _full_name(person: dict) -> str:
    return " ".join(filter(None, (person["first_name"], person["last_name"])))


def _organisation_plan(name: str, values: dict, found: Organisation | None,
                       existing_choices: dict, default_kind: str) -> OrganisationPlan:
    org_values = {key: values[key] for key in ORGANISATION_ATTRIBUTES if values.get(key)}
    plan = OrganisationPlan(name, [values["line"]], org_values, existing=found)
    if found is None:
        plan.values.setdefault("kind", default_kind)
        return plan
    for key, value in org_values.items():
        before = getattr(found, ORGANISATION_ATTRIBUTES[key]) or ""
        if value != before:
            label = _label(key) if key != "kind" else _("Type d'acteur")
            shown = (found.kind_label, plan.kind_label) if key == "kind" else (before, value)
            plan.changes.append((label, *shown))
    chosen = existing_choices.get(str(found.id))
    plan.choice = chosen if chosen in CHOICES else ("update" if plan.changes else "keep")
    return plan


# Applying -------------------------------------------------------------------------------

def apply_plan(plan: Plan, territory_id: int) -> dict[str, int]:
    """Write what the plan says; returns the counts for the message. Raises when the plan
    has problems: the request then writes nothing."""
    if not plan.ready:
        raise DomainError(_("L'import a des erreurs : rien n'a été enregistré."))
    counts = {"created": 0, "updated": 0, "people": 0}
    for org_plan in plan.organisations:
        organisation = org_plan.existing
        if organisation is None or org_plan.choice == "create":
            organisation = Organisation(territory_id=territory_id, name=org_plan.name,
                                        kind="autre")
            db.session.add(organisation)
            counts["created"] += 1
        if org_plan.existing is None or org_plan.choice in ("create", "update"):
            for key, value in org_plan.values.items():
                setattr(organisation, ORGANISATION_ATTRIBUTES[key], value)
            if org_plan.existing is not None and org_plan.choice == "update" \
                    and org_plan.changes:
                counts["updated"] += 1
        db.session.flush()
        counts["people"] += _add_people(org_plan.people, territory_id, organisation.id)
    counts["people"] += _add_people(plan.people, territory_id, None)
    db.session.flush()
    return counts


def _add_people(people: list[dict], territory_id: int, organisation_id: int | None) -> int:
    for person in people:
        db.session.add(Person(territory_id=territory_id, organisation_id=organisation_id,
                              **{key: person[key] for key in PERSON_ATTRIBUTES}))
    return len(people)
