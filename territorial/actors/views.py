"""Organisations and people of a territory: lists, pages, forms, import and export."""
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.orm import selectinload

from territorial.access import get_or_404, needs
from territorial.actors import importing, operations, queries
from territorial.actors.forms import OrganisationForm, PersonForm
from territorial.actors.models import ORGANISATION_KINDS, Organisation, Person
from territorial.common.blueprints import territory_blueprint
from territorial.common.collation import french_key
from territorial.common.downloads import csv_bytes, send_download
from territorial.common.forms import ConfirmForm
from territorial.common.pagination import paginate
from territorial.common.panels import organisation_panels

bp = territory_blueprint("actors", __name__)


def _filters() -> dict:
    keys = ("q", "kind", "commune", "sector", "archived", "organisation")
    filters = {key: request.args.get(key, "").strip() for key in keys}
    filters["organisation"] = request.args.get("organisation", type=int)
    return filters


# Organisations ----------------------------------------------------------------

@bp.route("/organisations")
@login_required
@needs("view")
def organisations():
    filters = _filters()
    page = paginate(queries.organisation_query(g.territory.id, filters))
    return render_template(
        "actors/organisations.html",
        page=page,
        filters=filters,
        kinds=ORGANISATION_KINDS,
        communes=queries.filter_values(g.territory.id, Organisation.commune),
        sectors=queries.filter_values(g.territory.id, Organisation.sector),
        confirm_form=ConfirmForm(),
    )


@bp.route("/organisations/export.csv")
@login_required
@needs("view")
def export_organisations():
    rows = importing.export_rows(queries.organisations_to_export(g.territory.id, _filters()))
    data = csv_bytes(importing.TEMPLATE_HEADERS, rows)
    return send_download(data, f"organisations-{g.territory.slug}.csv")


@bp.route("/organisations/new", methods=["GET", "POST"])
@login_required
@needs("edit")
def new_organisation():
    return _organisation_form(Organisation())


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
@needs("edit")
def edit_organisation(organisation_id: int):
    return _organisation_form(get_or_404(Organisation, organisation_id))


def _organisation_form(organisation: Organisation):
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        operations.save(organisation, form.data, g.territory.id)
        flash(_("Organisation « %(name)s » enregistrée.", name=organisation.name), "success")
        return redirect(url_for("actors.organisation", organisation_id=organisation.id))
    return render_template("actors/organisation_form.html", form=form, organisation=organisation)


@bp.route("/organisations/<int:organisation_id>")
@login_required
@needs("view")
def organisation(organisation_id: int):
    organisation = get_or_404(
        Organisation, organisation_id, selectinload(Organisation.people)
    )
    people = sorted(
        (p for p in organisation.people if p.archived_at is None), key=lambda p: (french_key(p.last_name), french_key(p.first_name))
    )
    return render_template(
        "actors/organisation.html",
        organisation=organisation,
        people=people,
        involvements=organisation_panels.panels_for(organisation),
        confirm_form=ConfirmForm(),
    )


@bp.route("/organisations/<int:organisation_id>/archive", methods=["POST"])
@login_required
@needs("edit")
def archive_organisation(organisation_id: int):
    organisation = get_or_404(Organisation, organisation_id)
    archived = organisation.archived_at is None
    operations.set_archived(organisation, archived)
    flash(_("Organisation archivée.") if archived else _("Organisation restaurée."), "success")
    return redirect(url_for("actors.organisation", organisation_id=organisation.id))


# People --------------------------------------------------------------------

@bp.route("/people")
@login_required
@needs("view")
def people():
    filters = _filters()
    page = paginate(queries.person_query(g.territory.id, filters))
    return render_template(
        "actors/people.html",
        page=page,
        filters=filters,
        organisations=queries.organisation_choices(g.territory.id),
    )


@bp.route("/people/export.csv")
@login_required
@needs("view")
def export_people():
    people = queries.people_to_export(g.territory.id, _filters())
    data = csv_bytes(importing.PEOPLE_HEADERS, importing.people_export_rows(people))
    return send_download(data, f"personnes-{g.territory.slug}.csv")


@bp.route("/people/new", methods=["GET", "POST"])
@login_required
@needs("edit")
def new_person():
    person = Person(organisation_id=request.args.get("organisation", type=int))
    return _person_form(person)


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
@needs("edit")
def edit_person(person_id: int):
    return _person_form(get_or_404(Person, person_id))


def _person_form(person: Person):
    form = PersonForm(obj=person)
    choices = queries.organisation_choices(g.territory.id)
    form.organisation_id.choices = [(0, _("— Sans organisation —"))] + choices
    if form.validate_on_submit():
        data = dict(form.data, organisation_id=form.organisation_id.data or None)
        operations.save(person, data, g.territory.id)
        flash(_("Contact « %(name)s » enregistré.", name=person.full_name), "success")
        return redirect(url_for("actors.person", person_id=person.id))
    return render_template("actors/person_form.html", form=form, person=person)


@bp.route("/people/<int:person_id>")
@login_required
@needs("view")
def person(person_id: int):
    from territorial.actors.account_views import render_person

    return render_person(get_or_404(Person, person_id, selectinload(Person.organisation)))


@bp.route("/people/<int:person_id>/archive", methods=["POST"])
@login_required
@needs("edit")
def archive_person(person_id: int):
    person = get_or_404(Person, person_id)
    archived = person.archived_at is None
    operations.set_archived(person, archived)
    flash(_("Contact archivé.") if archived else _("Contact restauré."), "success")
    return redirect(url_for("actors.person", person_id=person.id))


# The blueprint's routes written in the other view modules of the capability.
from territorial.actors import account_views, import_views  # noqa: E402,F401
