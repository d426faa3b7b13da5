"""What the conventions add to a territory's home page and to an organisation's page."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from territorial.access import can
from territorial.common.panels import SUBJECT_ID, Panel, home_panels, organisation_panels
from territorial.conventions import queries


@home_panels.register(shown_if=lambda: queries.any_value_to_validate(SUBJECT_ID))
def pending_values_panel(territory) -> Panel | None:
    """Values entered by associations that wait for the authority's validation."""
    if not can("edit"):
        return None
    rows = queries.values_to_validate(territory.id)
    if not rows:
        return None
    return Panel(
        title=_("Conventions : valeurs à valider"),
        items=[(ngettext("%(association)s (%(ref)s) : %(num)d valeur",
                         "%(association)s (%(ref)s) : %(num)d valeurs", n,
                         association=name, ref=ref),
                url_for("conventions.show", convention_id=cid, territory=territory.slug,
                        _anchor="a-valider"))
               for cid, ref, name, n in rows],
        more_url=url_for("conventions.portfolio", territory=territory.slug),
        order=25,
    )


@organisation_panels.register
def organisation_conventions_panel(organisation) -> Panel | None:
    conventions = queries.conventions_of_organisation(organisation)
    if not conventions:
        return None
    return Panel(
        title=_("Conventions"),
        items=[(f"{c.reference} – {c.title} ({c.period_label}, {c.status_label})",
                url_for("conventions.show", convention_id=c.id)) for c in conventions],
        order=45,
    )
