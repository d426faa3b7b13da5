"""Personal API tokens in « Mon compte »: create (shown once) and revoke."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from territorial.api import operations, queries
from territorial.api.forms import TokenForm
from territorial.api.models import ApiToken

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")


def api_tokens_of_current_user() -> list[ApiToken]:
    """For the « Jetons d'accès à l'API » section of templates/accounts/account.html."""
    return operations.tokens_of(current_user) if current_user.is_authenticated else []


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = TokenForm()
    if form.validate_on_submit():
        token, secret = operations.create_token(current_user, form.name.data)
        # Shown once, on this page, never again: no redirect that would carry it.
        return render_template("api_tokens/token_created.html", token=token, secret=secret)
    return render_template("api_tokens/new_token.html", form=form)


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    token = queries.token_of(current_user, token_id)
    if token is None:
        abort(404)
    operations.revoke(token)
    flash(_("Le jeton « %(name)s » est révoqué : il ne donne plus accès à l'API.",
            name=token.name), "success")
    return redirect(url_for("accounts.account", _anchor="api-tokens-title"))
