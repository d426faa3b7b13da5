"""No silent overwrite: the objects that several people edit carry a version.

- ``Versioned`` (a model mixin) adds ``edit_version``, ``changed_at`` and ``changed_by_id``.
  Every flush that changes one of the model's ``__versioned__`` columns makes a new version
  and records who and when (the listener below, whoever changed it: nothing to forget in
  the operations). The version is also SQLAlchemy's ``version_id_col`` (unless the model has
  its own), so that each UPDATE checks it: a save that races another between the check and
  the write fails instead of overwriting, and ``flush`` turns that failure into a conflict.
- The page carries the version the user loaded: the hidden field ``edit_version`` of a form
  (``edit_version = HiddenField()``: ``Form(obj=…)`` fills it from the column of that name),
  or the ``X-Edit-Version`` header of a background save (``loaded_version``).
- ``check(obj, loaded)`` raises ``Conflict`` when someone saved since: who, when, the current
  version. The view shows it with ``templates/_conflict.html`` (their version beside yours,
  the form re-displayed with what the user typed, carrying the current version so that the
  merged text can be saved), or answers 409 with ``Conflict.as_json`` for a background save.
- A form made of several fields (``EditForm``) also carries the values it was opened with
  (``edit_base``), so that a refused save is merged three ways (``refusal``): a field only the
  colleague changed takes their value, a field only the user changed keeps the user's, a field
  both changed is shown side by side for the user to choose.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal

from flask import has_request_context, request
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import DateTime, ForeignKey, event, inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column
from sqlalchemy.orm.exc import StaleDataError
from wtforms import BooleanField, DateField, HiddenField, SelectField
from wtforms.fields.core import Field

from extensions import db
from territorial.common.dates import format_date
from territorial.common.errors import ALL, DomainError, mark_refused
from territorial.common.models import utcnow

FIELD = "edit_version"  # the hidden form field, named like the column (``Form(obj=…)`` fills it)
HEADER = "X-Edit-Version"
COLUMNS = {"edit_version", "changed_at", "changed_by_id"}  # bookkeeping, not content


class Versioned:
    """An object several people edit. ``__versioned__``: the columns whose change makes a
    new version (not positions or derived data, which people do not type)."""

    __versioned__: tuple[str, ...] = ()

    edit_version: Mapped[int] = mapped_column(default=1, server_default="1")
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @declared_attr
    def changed_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.edit_version, "version_id_generator": False}


def _user_id() -> int | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def _edited(obj: Versioned) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in type(obj).__versioned__)


@event.listens_for(Session, "before_flush")
def _new_versions(session: Session, flush_context, instances) -> None:
    user_id, now = _user_id(), utcnow()
    for obj in session.new:
        if isinstance(obj, Versioned):
            obj.changed_at = obj.changed_at or now
            obj.changed_by_id = obj.changed_by_id or user_id
    for obj in session.dirty:
        if isinstance(obj, Versioned) and _edited(obj):
            if not inspect(obj).attrs.edit_version.history.has_changes():
                obj.edit_version = (obj.edit_version or 0) + 1
            obj.changed_at, obj.changed_by_id = now, user_id


# The version the user loaded ---------------------------------------------------------------

def parse(raw) -> int | None:
    """A version from a form field; None when there is none (nothing to check)."""
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def loaded_version() -> int | None:
    """The version the page was loaded with: the form field ``edit_version``, else the
    ``X-Edit-Version`` header of a background save."""
    return parse(request.form.get(FIELD) or request.headers.get(HEADER))


# Conflicts ---------------------------------------------------------------------------------

class Conflict(DomainError):
    """Someone saved the object since the user loaded it: who (``by_id``), when (``at``),
    and the version now current. ``subject`` names the object in messages that need it.
    A domain error about the whole form (409), whose message is « Modifié par … »."""

    status = 409

    def __init__(self, by_id: int | None, at: datetime | None, version: int | None = None,
                 subject: str = ""):
        ValueError.__init__(self, "conflict")  # the message needs the database: said lazily
        self.by_id, self.at, self.version, self.subject = by_id, at, version, subject

    @property
    def errors(self) -> dict[str, str]:
        return {ALL: self.message}

    @classmethod
    def of(cls, obj, subject: str = "") -> Conflict:
        """The conflict with the current state of ``obj`` (None: it is gone, or was never
        there: version 0)."""
        if obj is None:
            return cls(None, None, 0, subject)
        at = getattr(obj, "changed_at", None) or getattr(obj, "updated_at", None)
        return cls(getattr(obj, "changed_by_id", None), at, getattr(obj, FIELD, None), subject)

    @property
    def by_name(self) -> str:
        if self.by_id is not None and self.by_id == _user_id():
            return _("vous, dans une autre fenêtre")
        from territorial.accounts.models import User

        user = db.session.get(User, self.by_id) if self.by_id is not None else None
        return user.display_name if user is not None else _("une autre personne")

    def _when(self) -> dict:
        at = self.at if self.at.tzinfo else self.at.replace(tzinfo=UTC)
        day = format_date(at, "d MMMM" if at.year == utcnow().year else "d MMMM y")
        return {"day": day, "time": format_time(at, _("H 'h' mm"))}

    def _said(self, unknown: str, known: str) -> str:
        return unknown if self.at is None else known % {"name": self.by_name, **self._when()}

    @property
    def message(self) -> str:
        """« Modifié par Camille Durand le 4 décembre à 14 h 05 pendant que vous écriviez. »"""
        return self._said(
            _("Modifié par une autre personne pendant que vous écriviez."),
            _("Modifié par %(name)s le %(day)s à %(time)s pendant que vous écriviez."))

    @property
    def background_message(self) -> str:
        """The same, for a save made in the background of a page."""
        return self._said(
            _("Modifié par une autre personne depuis l'ouverture de cette page."),
            _("Modifié par %(name)s le %(day)s à %(time)s, depuis l'ouverture de cette page."))

    def as_json(self, shown: str | None = None, **current) -> dict:
        """The 409 answer of a background save: who and when, the current value as the user
        reads it (``shown``) and the current state for the page (``current``)."""
        detail = self.background_message
        if shown is not None:
            detail += " " + _("Valeur enregistrée : %(value)s.", value=shown)
        message = f"{self.subject} : {detail}" if self.subject else detail
        return {"ok": False, "conflict": True, "error": message, "detail": detail,
                "by": self.by_name, FIELD: self.version, **current}


def check(obj: Versioned, loaded: int | None, subject: str = "") -> None:
    """Refuse a save made on a version older than the current one."""
    if loaded is not None and loaded != obj.edit_version:
        raise Conflict.of(obj, subject)


def flush(obj: Versioned, subject: str = "", find=None) -> None:
    """Flush the save of ``obj``. If another save was written between the check and this
    write (the UPDATE found a newer version), nothing of this one is kept and the other's
    version is reported as a conflict. ``find``: for a new object, how to find the row that
    a concurrent save inserted first (a unique constraint then refuses this one)."""
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as error:
        if isinstance(error, IntegrityError) and find is None:
            raise
        db.session.rollback()
        current = find() if find is not None else obj
        if current is obj:
            db.session.refresh(obj)
        raise Conflict.of(current, subject) from error


def seen(values: dict) -> str:
    """For a form that saves several values at once: what the page showed of each, ``{key:
    (version, value as text)}``, in one hidden field (JSON)."""
    return json.dumps({str(key): [version, text] for key, (version, text) in values.items()},
                      sort_keys=True, ensure_ascii=False)


def parse_seen(raw) -> dict[str, tuple[int, str]] | None:
    """The inverse of ``seen``; None when the page sent nothing usable (nothing to check)."""
    try:
        data = json.loads(raw)
        return {str(key): (int(version), str(text)) for key, (version, text) in data.items()}
    except (TypeError, ValueError, AttributeError):
        return None


def cell_decision(posted, was, loaded: int | None, current_value, current_version: int) -> str:
    """For a form that saves many small values at once (a RACI grid, a convention's targets):
    « write », « skip » or « conflict » for one of them. ``was`` is the value the page showed,
    ``loaded`` its version (None: unknown, write). A value the user did not touch is never
    written, so a colleague's change of it stays; a value both changed is a conflict, unless
    both chose the same."""
    if loaded is None or loaded == current_version:
        return "write" if posted != current_value else "skip"
    if posted == was or posted == current_value:
        return "skip"
    return "conflict"


# Their version beside yours -----------------------------------------------------------------

def shown(field: Field) -> str:
    """A form field's value as the user reads it (the label of a choice, a date in words)."""
    if hasattr(field, "shown"):  # a picker of organisations or people
        return field.shown()
    if isinstance(field, SelectField):
        if field.has_groups():
            choices = [choice for _group, group in field.iter_groups() for choice in group]
        else:
            choices = list(field.iter_choices())
        return next((str(choice[1]) for choice in choices if choice[2]), "")
    if isinstance(field, BooleanField):
        return _("oui") if field.data else _("non")
    if isinstance(field, DateField):
        return format_date(field.data, "long") if field.data else ""
    return field._value()


def compare(yours, theirs, names: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
    """(label, their value, your value) for each field where the two forms differ: ``yours``
    is the form as posted, ``theirs`` the same form filled from the current object."""
    rows = []
    for field in yours:
        if field.type in ("CSRFTokenField", "HiddenField", "SubmitField"):
            continue
        if names is not None and field.short_name not in names:
            continue
        mine, other = shown(field), shown(theirs[field.short_name])
        if mine != other:
            rows.append((str(field.label.text), other, mine))
    return rows


def token(field: Field):
    """A field's value in a form that compares across a save: what was loaded, what was
    posted and what is stored now read alike (dates as ISO text, line ends as ``\\n``)."""
    data = field.data
    if isinstance(field, BooleanField):
        return bool(data)
    if data is None:
        return ""
    if isinstance(data, (list, tuple)):
        return sorted(str(item) for item in data)
    if isinstance(data, (date, datetime)):
        return data.isoformat()
    if isinstance(data, Decimal):
        return format(data.normalize(), "f")
    return str(data).replace("\r\n", "\n")


def _content(form) -> list[Field]:
    return [field for field in form if field.type not in
            ("CSRFTokenField", "HiddenField", "SubmitField", "FileField", "MultipleFileField")]


def snapshot(form) -> str:
    """The values a form shows, for ``edit_base`` (JSON)."""
    return json.dumps({field.short_name: token(field) for field in _content(form)},
                      sort_keys=True, ensure_ascii=False)


def parse_base(raw) -> dict | None:
    try:
        base = json.loads(raw)
    except (TypeError, ValueError):
        return None
    return base if isinstance(base, dict) else None


class BaseField(HiddenField):
    """The hidden field ``edit_base``: the values the form was opened with. Rendered from the
    form itself when it was not posted (the page as opened); as posted otherwise (a page shown
    again keeps the base it was opened with); empty when a page posted none (unknown base:
    nothing is merged)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type = "HiddenField"  # rendered with the hidden fields, never as a visible one
        self.owner = None

    def _value(self):
        if self.raw_data is None and not self.data and self.owner is not None:
            return snapshot(self.owner)
        return super()._value()


class EditForm:
    """Mixin of a form that edits a versioned object: the version and the values the page
    was opened with (``class ActionForm(EditForm, Form)``)."""

    edit_version = HiddenField()
    edit_base = BaseField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.edit_base.owner = self


def merge(form, theirs) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """The three-way merge of a refused save, done on ``form`` (the user's, as posted):
    each field the user left as it was loaded takes the current value (``theirs``: the same
    form filled from the object now). Returns the fields both changed (label, theirs, yours),
    kept as the user typed, and the fields taken from the colleague (label, value). Without a
    base (a page that posted none) every difference is shown, and nothing is taken."""
    base = parse_base(getattr(getattr(form, "edit_base", None), "data", None))
    both, taken = [], []
    for field in _content(form):
        other = theirs[field.short_name]
        yours, current = token(field), token(other)
        if yours == current:
            continue
        was = base.get(field.short_name) if base is not None else None
        if base is not None and field.short_name in base and yours == was:
            field.data, field.raw_data = other.data, None
            taken.append((str(field.label.text), shown(other)))
        elif base is None or field.short_name not in base or current != was:
            both.append((str(field.label.text), shown(other), shown(field)))
    if base is not None:
        form.edit_base.data = snapshot(theirs)
    return both, taken


def refusal(conflict: Conflict, form, theirs=None) -> dict:
    """What a page needs to show a refused save: the conflict and, when ``theirs`` (the form
    filled from the current object) is given, the three-way ``merge``: the rows both changed,
    and the fields taken from the colleague.
    The user's form is re-displayed as typed, but carries the current version, so that the
    merged text is accepted on the next save."""
    mark_refused()
    rows, taken = merge(form, theirs) if theirs is not None else ([], [])
    getattr(form, FIELD).data = conflict.version
    return {"conflict": conflict, "conflict_rows": rows, "conflict_taken": taken}
