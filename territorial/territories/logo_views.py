"""The territory's logo, in its settings: upload and remove. Routes of the ``territory``
blueprint (``territorial.territories.views``)."""
from flask import flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_login import login_required

from territorial.access import needs
from territorial.common.errors import DomainError, show_errors
from territorial.territories import logo as logos
from territorial.territories.forms import LogoForm
from territorial.territories.views import render_settings, scoped


@scoped.route("/settings/logo", methods=["POST"])
@login_required
@needs("administer")
def upload_logo():
    form = LogoForm(prefix="logo")
    if form.validate_on_submit():
        upload = form.logo.data
        try:
            logos.set_logo(g.territory, upload.filename, upload.read(logos.MAX_UPLOAD_BYTES + 1))
        except DomainError as error:
            show_errors(form, error, default="logo")
        else:
            flash(_("Logo enregistré : il figure désormais en haut de chaque document."),
                  "success")
            return redirect(url_for("territory.settings", _anchor="logo"))
    return render_settings(logo_form=form, status=422)


@scoped.route("/settings/logo/remove", methods=["POST"])
@login_required
@needs("administer")
def remove_logo():
    if logos.remove_logo(g.territory):
        flash(_("Logo retiré des documents."), "success")
    return redirect(url_for("territory.settings", _anchor="logo"))
