"""What an import will do, said in words before anything is written: ``plan_import`` checks
every row with the user's choices (columns, kinds, each existing organisation) and tells
what will be created, updated and skipped, and every value changed on the way
(``import_apply`` writes it)."""
import hashlib
import json
from dataclasses import dataclass, field

from flask_babel import gettext as _

from territorial.actors import mapping
from territorial.actors.import_cells import clean_cell
from territorial.actors.import_matching import (
    Directory, Known, PersonUpdate, existing_organisations, person_changes)
from territorial.actors.models import ORGANISATION_KINDS, Organisation
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
    updates: list[PersonUpdate] = field(default_factory=list)  # people of the directory
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
                [(plan.existing.id, plan.choice) for plan in self.existing],
                [(update.known.id, update.choice) for update in self.updates])
        return hashlib.sha256(json.dumps(seen).encode()).hexdigest()[:32]

    def updating(self, choice: str) -> list[PersonUpdate]:
        return [update for update in self.updates if update.choice == choice]

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
    _group(plan, values_of, choices, kinds.get("", ""), territory_id)
    kept = {line for org in plan.organisations for line in org.lines}
    _count_kinds(plan, [row for row in rows if row["line"] in kept], kinds)
    _ask_default_kind(plan, kinds)
    aside = {line for line, _reason in plan.skipped} - kept
    plan.changes = [change for change in plan.changes if change.line not in aside]
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
            check = clean.pop("check")
            values.update(clean)
            described = " ".join(filter(None, (clean["first_name"], clean["last_name"])))
            if check:
                plan.changes.append(Change(line, column, cell, _(
                    "prénom « %(first)s », nom « %(last)s » (à vérifier : le nom de famille "
                    "est-il bien coupé ?)", first=clean["first_name"], last=clean["last_name"])))
            elif described != cell:
                plan.changes.append(Change(line, column, cell, _(
                    "prénom « %(first)s », nom « %(last)s »", first=clean["first_name"],
                    last=clean["last_name"])))
            continue
        if name == "kind":  # a change when the file's word is not the kind's own
            if clean and not mapping.names_kind(cell, clean):
                plan.changes.append(Change(line, column, cell, str(ORGANISATION_KINDS[clean])))
        elif clean != cell:
            plan.changes.append(Change(line, column, cell, clean))
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


def _group(plan: Plan, values_of: list[dict], choices: dict, default_kind: str,
           territory_id: int):
    """Each row's organisation and person. A row left aside (its person already listed or
    in the directory) plans no organisation: only a row that adds someone, or a row of an
    organisations' import, does."""
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
            target = by_name.get(key) or _organisation_plan(
                name, values, existing.get(key), choices.get("existing", {}), default_kind)
        added = has_person and _person(plan, person, target, directory, people_seen,
                                       choices.get("people", {}))
        if not has_person and plan.target == "people":
            plan.skipped.append((line, _("aucune personne sur cette ligne")))
        if target is not None and (added or plan.target == "organisations"):
            if fold(name) in by_name:
                target.lines.append(line)
            by_name[fold(name)] = target
    plan.organisations = list(by_name.values())


def _person(plan: Plan, person: dict, target: OrganisationPlan | None,
            directory: Directory, people_seen: dict, chosen: dict) -> bool:
    """Whether the row's person is added (to ``target``, or without organisation); else
    they are found in the directory, or already on an earlier line (by e-mail, else by
    name within the same organisation)."""
    line = person["line"]
    org_id = (None if target is None else target.existing.id
              if target.existing and target.choice != "create" else False)
    found = directory.find(person, org_id)
    if found is not None:
        _found(plan, line, found, person, chosen)
        return False
    same = ((fold(person["email"]),) if person["email"] else
            (target and fold(target.name), fold(person["first_name"]),
             fold(person["last_name"])))
    if same in people_seen:
        plan.skipped.append((line, _("%(name)s figure déjà à la ligne %(n)d.",
                                     name=_full_name(person), n=people_seen[same])))
        return False
    people_seen[same] = line
    (target.people if target else plan.people).append(person)
    return True


def _found(plan: Plan, line: int, found: Known, person: dict, chosen: dict) -> None:
    """A person of the file already in the directory: the details the file adds offered
    as an update; joining the group when they are not in it yet."""
    name = found.full_name
    if found.id in plan.found_on:
        plan.skipped.append((line, _("%(name)s figure déjà à la ligne %(n)d.", name=name,
                                     n=plan.found_on[found.id])))
        return
    if found.archived_at is not None:
        if plan.joining:
            plan.problems.append(Problem(_(
                "%(name)s est archivé(e) dans l'annuaire : restaurez cette personne ou "
                "retirez la ligne.", name=name), line, _label("last_name")))
        else:
            plan.skipped.append((line, _("%(name)s est déjà dans l'annuaire.", name=name)))
        return
    plan.found_on[found.id] = line
    if changes := person_changes(found, person):
        choice = chosen.get(str(found.id))
        plan.updates.append(PersonUpdate(line, found, changes,
                                         choice if choice in ("update", "keep") else "update"))
    if plan.joining and found.id not in plan.members:
        plan.found.append((line, found))
    elif not changes:
        plan.skipped.append((line, _("%(name)s fait déjà partie du groupe.", name=name)
                             if plan.joining else
                             _("%(name)s est déjà dans l'annuaire.", name=name)))


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
