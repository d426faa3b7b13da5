"""Documents of a joint project: the document an appointment step forms (the chef de
projet's « Fiche de mission »)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from facilitation.joint_projects.models import JointProject, ProjectTransition
from territorial.charters import rules
from territorial.documents import Document, DocumentBuilder, bold
from territorial.documents.formats import long_date
from territorial.documents.gallery import example


def describe_mission(project: JointProject, content: Mapping[str, Any], step: Mapping[str, Any],
                     transition: ProjectTransition, territory) -> Document:
    """The step's document: who is appointed, by whom, and what the step records."""
    appoints = step["appoints"]
    functions = rules.function_labels(content)
    title = f"{appoints['document']} – {project.title}"
    doc = DocumentBuilder(title, territory, issued_on=transition.created_at.date(),
                          kind=appoints["document"])
    doc.heading(title)
    person = transition.appointee
    doc.table([_("Rubrique"), _("Contenu")], [
        [bold(_("Projet commun")), project.title],
        [bold(_("Fonction")), functions.get(appoints["function"], appoints["function"])],
        [bold(_("Personne nommée")), person.full_name + (f" ({person.organisation.name})"
                                                         if person.organisation else "")],
        [bold(_("Nommée par")), transition.acting_label],
        [bold(_("Date")), long_date(transition.created_at.date())],
    ])
    records = transition.data.get("records", {})
    for record in step.get("records", []):
        doc.heading(record["label"], 2)
        doc.text(records.get(record["key"]) or _("Non renseigné."))
    if transition.notes:
        doc.heading(_("Notes"), 2)
        doc.text(transition.notes)
    return doc.build()


@example("fiche-mission", "Fiche de mission")
def _mission_examples():
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from extensions import db
    from facilitation.joint_projects.models import JointProject
    from territorial.actors.models import Person
    from territorial.charters.models import Charter
    from territorial.territories.models import Territory

    transitions = db.session.scalars(
        select(ProjectTransition).where(ProjectTransition.appointee_id.is_not(None))
        .options(selectinload(ProjectTransition.appointee).selectinload(Person.organisation),
                 selectinload(ProjectTransition.user))
        .order_by(ProjectTransition.id)).all()
    for transition in transitions:
        project = db.session.get(JointProject, transition.project_id)
        charter = db.session.get(Charter, project.charter_id)
        step = rules.step_def(charter.content, transition.step_key)
        if not step or not step.get("appoints", {}).get("document"):
            continue
        territory = db.session.get(Territory, transition.territory_id)
        yield f"{project.title}", territory, lambda p=project, c=charter, s=step, \
            tr=transition, t=territory: describe_mission(p, c.content, s, tr, t)
