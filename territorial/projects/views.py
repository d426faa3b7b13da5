"""Projects: list, page (frise, RACI, pas de côté, reviews, documents), form."""
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from territorial.access import get_or_404, needs
from territorial.actors.models import Organisation
from territorial.common.blueprints import territory_blueprint
from territorial.common.errors import DomainError, show_errors
from territorial.common.forms import ConfirmForm
from territorial.common.pagination import paginate
from territorial.common.panels import SUBJECT_ID, Panel, home_panels, organisation_panels
from territorial.projects import operations, queries
from territorial.projects.forms import ProjectForm
from territorial.projects.models import OWNER_TYPE, Project
from territorial.raci import operations as raci
from territorial.timelines import queries as timeline_queries
from territorial.common.owners import raci_owners, timeline_owners
from territorial.timelines.figure import build_frise_figure, placements, table_rows
from territorial.timelines.models import TERMS

bp = territory_blueprint("projects", __name__, url_prefix="/projects")


def _owner_url(project_id: int) -> str:
    return url_for("projects.show", project_id=project_id)


raci_owners.register(OWNER_TYPE, _l("Projet"), _owner_url, model=Project,
                     section="projects.index")
timeline_owners.register(OWNER_TYPE, _l("Projet"), _owner_url, model=Project,
                         section="projects.index")


@bp.route("")
@login_required
@needs("view")
def index():
    archived = request.args.get("archived") == "1"
    page = paginate(operations.project_query(g.territory.id, archived))
    ids = [project.id for project in page.items]
    stats = operations.project_stats(g.territory.id, ids)
    last_reviews = queries.last_review_dates(ids)
    return render_template("projects/index.html", page=page, stats=stats,
                           last_reviews=last_reviews, archived=archived)


@bp.route("/new", methods=["GET", "POST"])
@login_required
@needs("edit")
def new():
    form = ProjectForm()
    if form.validate_on_submit():
        project = operations.create_project(g.territory.id, form.data)
        flash(_("Projet « %(title)s » créé : placez maintenant ses partenaires sur la frise.",
                title=project.title), "success")
        return redirect(url_for("projects.show", project_id=project.id))
    return render_template("projects/form.html", form=form, project=None)


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
@needs("edit")
def edit(project_id: int):
    project = get_or_404(Project, project_id)
    form = ProjectForm(obj=project)
    if form.validate_on_submit():
        try:
            operations.update_project(project, form.data)
        except DomainError as error:
            show_errors(form, error, default="starts_on")
        else:
            flash(_("Projet enregistré."), "success")
            return redirect(url_for("projects.show", project_id=project.id))
    return render_template("projects/form.html", form=form, project=project), \
        422 if form.errors else 200


@bp.route("/<int:project_id>")
@login_required
@needs("view")
def show(project_id: int):
    project = get_or_404(Project, project_id)
    timeline = timeline_queries.fill_timeline(operations.frise_of(project))
    grid = raci.load_grid(operations.grid_of(project))
    reviews = queries.reviews_of_project(project)
    notes = [note for entry in timeline.entries for note in entry.step_aside_notes]
    step_aside = {
        "actors": sum(1 for entry in timeline.entries if entry.step_aside_notes),
        "freins": sum(1 for note in notes if note.kind == "frein"),
        "leviers": sum(1 for note in notes if note.kind == "levier"),
        "unanswered": sum(1 for note in notes if note.kind == "frein" and not note.answer),
    }
    placed = placements(timeline)  # the chart's and the table's
    return render_template(
        "projects/show.html", project=project, timeline=timeline, grid=grid,
        figure=build_frise_figure(timeline, placed) if timeline.entries else None,
        rows=table_rows(timeline, placed), reviews=reviews, step_aside=step_aside,
        confirm_form=ConfirmForm())


@bp.route("/<int:project_id>/archive", methods=["POST"])
@login_required
@needs("edit")
def archive(project_id: int):
    project = get_or_404(Project, project_id)
    archived = project.archived_at is None
    operations.set_archived(project, archived)
    flash(_("Projet archivé.") if archived else _("Projet restauré."), "success")
    return redirect(url_for("projects.show", project_id=project.id))


@bp.route("/<int:project_id>/delete", methods=["POST"])
@login_required
@needs("administer")
def delete(project_id: int):
    project = get_or_404(Project, project_id)
    title = project.title
    operations.delete_project(project)
    flash(_("Projet « %(title)s » supprimé, avec sa frise, sa grille RACI et ses bilans.",
            title=title), "success")
    return redirect(url_for("projects.index"))


# Panels on other pages ------------------------------------------------------------

@home_panels.register(shown_if=lambda: queries.any_partner_not_met(SUBJECT_ID))
def partners_to_contact(territory) -> Panel | None:
    """« Partenaires à contacter »: short-term partners of live projects not met yet."""
    rows = queries.partners_not_met(territory.id)
    if not rows:
        return None
    items = [
        (_("%(name)s (%(level)s, %(project)s)", name=entry.name, level=level.lower(),
           project=title),
         url_for("timelines.edit_entry", territory=territory.slug, timeline_id=entry.timeline_id,
                 frise_entry_id=entry.id, _anchor="contacts"))
        for entry, title, level in rows
    ]
    return Panel(title=_("Partenaires à contacter (court terme, pas encore rencontrés)"),
                 items=items, more_url=url_for("projects.index", territory=territory.slug),
                 order=30)


@organisation_panels.register
def organisation_frises(organisation: Organisation) -> Panel | None:
    """The frises where an organisation (or one of its people) appears, and its place."""
    rows = queries.frise_entries_of_organisation(organisation)
    if not rows:
        return None
    slug = g.territory.slug
    items = []
    for entry, title, level in rows:
        when = str(TERMS[entry.term]).lower() if entry.term else entry.on_date.strftime("%d/%m/%Y")
        who = "" if entry.organisation_id else f"{entry.person.full_name} · "
        items.append((f"{title} : {who}{level.lower()}, {when}",
                      url_for("timelines.show", territory=slug, timeline_id=entry.timeline_id,
                              _anchor=f"ligne-{entry.id}")))
    return Panel(title=_("Frises des partenariats"), items=items, order=40)
