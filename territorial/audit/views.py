"""The journal: the audit trail of a territory, for its coordinators."""
from flask import g, render_template, request
from flask_login import login_required

from territorial.access import needs
from territorial.audit.queries import journal_entries, recorded_kinds
from territorial.audit.words import entries_in_words
from territorial.common.blueprints import territory_blueprint
from territorial.common.pagination import paginate

bp = territory_blueprint("audit", __name__)


@bp.route("/journal")
@login_required
@needs("administer")
def index():
    object_type = request.args.get("type", "").strip()
    page = paginate(journal_entries(g.territory.id, object_type))
    return render_template("audit/index.html", page=page, object_type=object_type,
                           kinds=recorded_kinds(g.territory.id),
                           words=entries_in_words(page.items))
