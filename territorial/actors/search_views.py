"""The directory as the pickers read it: the search endpoint, and an organisation created
from a picker without leaving the page."""
from flask import abort, g, jsonify, request
from flask_babel import gettext as _
from flask_login import login_required

from territorial.access import needs
from territorial.actors import operations, search
from territorial.actors.forms import QuickOrganisationForm
from territorial.actors.models import ORGANISATION_KINDS, Organisation
from territorial.actors.views import bp
from territorial.common.errors import DomainError, json_refusal


@bp.route("/search", endpoint="search")
@login_required
@needs("view")
def search_directory():
    """``?q=ecole&kind=organisations|people|territories[&limit=20][&of=association,fondation]``
    → ``{"results": [{"id", "label", "detail"}], "more": bool}`` (``of``: only organisations
    of these kinds; ``territories``: the others the user sees, a territory's parent)."""
    kind = request.args.get("kind", "organisations")
    of_kinds = tuple(filter(None, request.args.get("of", "").split(",")))
    if kind not in (*search.KINDS, search.MIXED, search.TERRITORIES) or not set(of_kinds) <= set(ORGANISATION_KINDS):
        abort(400)
    limit = request.args.get("limit", 20, type=int) or 20
    results, more = search.search(g.territory.id, kind, request.args.get("q", "")[:200],
                                  limit, of_kinds)
    return jsonify(results=[option.as_json() for option in results], more=more)


@bp.route("/organisations/quick", methods=["POST"])
@login_required
@needs("edit")
def quick_organisation():
    """« Créer cette organisation » from a picker: the new option, as the search gives it
    (its id prefixed « organisation: » for a picker of organisations and people)."""
    form = QuickOrganisationForm()
    if not form.validate():
        message = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return json_refusal(DomainError(message or _("Donnez le nom de l'organisation.")))
    organisation = operations.save(Organisation(), form.data, g.territory.id)
    option = search.chosen(g.territory.id, "organisations", [organisation.id])[organisation.id]
    answer = option.as_json()
    if request.form.get("mixed"):
        answer["id"] = f"organisation:{organisation.id}"
    answer["message"] = _("Organisation « %(name)s » créée et choisie : complétez sa fiche "
                          "(type, commune, contacts) quand vous pourrez.", name=organisation.name)
    return jsonify(answer), 201
