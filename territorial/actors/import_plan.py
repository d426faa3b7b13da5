"""What an import will do, said in words before anything is written: ``plan_import`` checks
every row with the user's choices (columns, kinds, each existing organisation) and tells
what will be created, updated and skipped, and every value changed on the way;
``apply_plan`` writes a plan without any problem, in the request's one transaction."""
import hashlib
import json
from dataclasses import dataclass, field

from flask_babel import gettext as _

from extensions import db
from territorial.actors import mapping
from territorial.actors.import_cells import clean_cell
from territorial.actors.import_matching import Directory, Known, existing_organisations
from territorial.actors.models import ORGANISATION_KINDS, Organisation, Person
from territorial.common.errors import DomainError
from territorial.common.text import fold
from territorial.common.validation import has_control_characters, visible_text

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
    # When the people join a group (``members`` given): those found in the directory.
    members: set[int] | None = None
    found: list[tuple[int, Known]] = field(default_factory=list)
    found_on: dict[int, int] = field(default_factory=dict)  # person id → line
    samples: list[str] = field(default_factory=list)  # a column's first values, shown

    @property
    def ready(self) -> bool:
        return not self.problems

    @property
    def ignored_columns(self) -> list[str]:
        return [name or _("colonne %(n)d sans titre", n=index + 1)
                for index, (name, chosen) in enumerate(zip(self.header, self.columns))
                if not chosen]

    @property
    def joining(self) -> bool:
        return self.members is not None

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
                territory_id: int, members: set[int] | None = None) -> Plan:
    """What importing ``rows`` would do. With ``members`` (the ids of a group's members),
    every person of the file joins the group: found in the directory (by email, else by
    name and organisation) or created."""
    columns = _columns(choices, header)
    plan = Plan(target, header, columns, members=members)
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
    required = REQUIRED.get(plan.target, "last_name")
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
            clean = clean_cell(name, cell, kinds)
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


def _count_kinds(plan: Plan, rows: list[dict], kinds: dict) -> None:
    """The values of the type column, each with the kind chosen for it."""
    if "kind" not in plan.columns:
        return  # asked by _ask_default_kind once the new organisations are known
    column = plan.columns.index("kind")
    named = plan.columns.index("organisation") if "organisation" in plan.columns else None
    counted: dict[str, Kind] = {}
    for row in rows:
        text = row["cells"][column]
        if named is not None and not text and not row["cells"][named]:
            continue  # a person without an organisation has no kind to choose
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


def _group(plan: Plan, values_of: list[dict], existing_choices: dict, default_kind: str,
           territory_id: int):
    existing = existing_organisations(territory_id)
    directory = Directory(territory_id)
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
        org_id = (None if target is None else target.existing.id
                  if target.existing and target.choice != "create" else False)
        person_key = (fold(person["email"]) or None, fold(person["first_name"]),
                      fold(person["last_name"]))
        found = directory.find(person, org_id)
        if found is not None:
            _found(plan, line, found)
        elif (target and fold(target.name), person_key) in people_seen:
            plan.skipped.append((line, _("%(name)s figure déjà à la ligne %(n)d.",
                                         name=_full_name(person),
                                         n=people_seen[(target and fold(target.name),
                                                        person_key)])))
        else:
            people_seen[(target and fold(target.name), person_key)] = line
            (target.people if target else plan.people).append(person)
    plan.organisations = list(by_name.values())


def _found(plan: Plan, line: int, found: Known) -> None:
    """A person of the file already in the directory: left as is, or joining the group."""
    name = found.full_name
    if not plan.joining:
        plan.skipped.append((line, _("%(name)s est déjà dans l'annuaire.", name=name)))
    elif found.id in plan.members:
        plan.skipped.append((line, _("%(name)s fait déjà partie du groupe.", name=name)))
    elif found.id in plan.found_on:
        plan.skipped.append((line, _("%(name)s figure déjà à la ligne %(n)d.", name=name,
                                     n=plan.found_on[found.id])))
    elif found.archived_at is not None:
        plan.problems.append(Problem(_(
            "%(name)s est archivé(e) dans l'annuaire : restaurez cette personne ou retirez la "
            "ligne.", name=name), line, _label("last_name")))
    else:
        plan.found.append((line, found))
        plan.found_on[found.id] = line


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
    created: list[Person] = []
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
        created += _add_people(org_plan.people, territory_id, organisation.id)
    created += _add_people(plan.people, territory_id, None)
    db.session.flush()
    counts["people"] = len(created)
    counts["person_ids"] = [person.id for person in created] + [p.id for _l, p in plan.found]
    return counts


def _add_people(people: list[dict], territory_id: int, organisation_id: int | None
                ) -> list[Person]:
    added = [Person(territory_id=territory_id, organisation_id=organisation_id,
                    **{key: person[key] for key in PERSON_ATTRIBUTES}) for person in people]
    db.session.add_all(added)
    return added
