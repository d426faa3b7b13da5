"""The journal: the audit trail of a territory, for its coordinators."""
from flask import g, render_template, request
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from territorial.access import needs
from territorial.audit.models import AuditEntry
from territorial.audit.words import entries_in_words
from territorial.common.blueprints import territory_blueprint
from territorial.common.pagination import paginate

bp = territory_blueprint("audit", __name__)


@bp.route("/journal")
@login_required
@needs("administer")
def index():
    object_type = request.args.get("type", "").strip()
    statement = (
        select(AuditEntry)
        .where(AuditEntry.territory_id == g.territory.id)
        .options(selectinload(AuditEntry.user))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    if object_type:
        statement = statement.where(AuditEntry.object_type == object_type)
    page = paginate(statement)
    return render_template("audit/index.html", page=page, object_type=object_type,
                           words=entries_in_words(page.items))
