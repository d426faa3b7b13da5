"""Application factory: configuration, extensions, blueprints, errors, CLI.

Run with ``flask --app app run`` or ``gunicorn 'app:create_app()'``.
"""
import logging
import os
import secrets

from flask import (Flask, jsonify, redirect, render_template, request, send_from_directory,
                   session)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from territorial.common.errors import DomainError, is_refused, next_url, wants_json
import territorial.audit.recorder  # noqa: F401  (audit trail listeners)
import territorial.database  # noqa: F401  (engine settings)
from config import Config
from extensions import babel, csrf, db, limiter, login_manager, migrate
from territorial.common.application import Platform
from territorial.common.charts import plotly_config
from territorial.common.private_files import keep_files_private
from territorial.common.requests import (apply_the_view_upload_limit,
                                         form_has_control_characters,
                                         refuse_control_characters_in_forms,
                                         refuse_control_characters_in_the_address)
from territorial.common.urls import checked_external_url
from territorial.common.validation import control_characters_message, is_web_address
from territorial.documents.web import register_document_language

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    # plotly.js adds one empty <style> element: allowed by its hash, nothing else inline.
    "style-src": ["'self'", "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def create_app(overrides: dict | None = None) -> Flask:
    app = Platform(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    app.config.update(overrides or {})
    configure_secret_key(app)
    configure_public_address(app)
    keep_files_private(app.instance_path, app.config["SQLALCHEMY_DATABASE_URI"])
    app.jinja_env.add_extension("jinja2.ext.do")
    register_extensions(app)
    register_blueprints(app)
    register_request_handling(app)
    register_templating(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def configure_secret_key(app: Flask) -> None:
    """Outside development a missing SECRET_KEY stops start-up."""
    if app.config.get("SECRET_KEY"):
        return
    if app.debug or app.testing:
        log.warning("SECRET_KEY is not set: using a random key for this process only.")
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        return
    raise RuntimeError(
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
        "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
    )


def configure_public_address(app: Flask) -> None:
    """Links that leave the platform start with EXTERNAL_URL (required outside development);
    the client's address and scheme come from X-Forwarded-* only behind TRUSTED_PROXIES."""
    app.config["EXTERNAL_URL"] = checked_external_url(app.config.get("EXTERNAL_URL"))
    if not app.config["EXTERNAL_URL"] and not (app.debug or app.testing):
        raise RuntimeError(
            "EXTERNAL_URL is not set. Set it to the platform's public address (for example "
            "https://partenariats.exemple.fr): invitation and password-reset links use it."
        )
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def select_locale() -> str:
    wanted = session.get("locale")
    if not wanted and current_user and current_user.is_authenticated:
        wanted = current_user.locale
    return wanted if wanted in Config.LANGUAGES else Config.BABEL_DEFAULT_LOCALE


def register_extensions(app: Flask) -> None:
    from territorial.access import load_user
    from territorial.accounts.models import AnonymousUser

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(os.path.dirname(__file__), "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.anonymous_user = AnonymousUser
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"

    login_manager.user_loader(load_user)

    secure = app.config["SESSION_COOKIE_SECURE"]
    Talisman(
        app,
        force_https=False,  # TLS ends at the load balancer; see README
        strict_transport_security=not app.debug and not app.testing,
        session_cookie_secure=secure,
        session_cookie_http_only=True,
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="strict-origin-when-cross-origin",
        frame_options="DENY",
    )


def register_blueprints(app: Flask) -> None:
    """One blueprint per capability, named like its folder (docs/architecture.md)."""
    from facilitation.action_plans.views import bp as action_plans
    from facilitation.agenda.views import bp as agenda
    from facilitation.convention_reviews.views import bp as convention_reviews
    from facilitation.decisions.views import bp as decisions
    from facilitation.experiments.views import bp as experiments
    from facilitation.join.views import bp as join
    from facilitation.joint_projects.views import bp as joint_projects
    from facilitation.partnerships.views import bp as partnerships
    from facilitation.sessions.views import bp as sessions
    from facilitation.working_groups.views import bp as working_groups
    from territorial.accounts.views import bp as accounts
    from territorial.actors.views import bp as actors
    from territorial.api.tokens import bp as api_tokens
    from territorial.api.views import bp as api
    from territorial.audit.views import bp as audit
    from territorial.charters.views import bp as charters
    from territorial.conventions.views import bp as conventions
    from territorial.indicators.views import bp as indicators
    from territorial.projects.views import bp as projects
    from territorial.raci.views import bp as raci
    from territorial.reviews.views import bp as reviews
    from territorial.territories.views import bp as territories
    from territorial.territories.views import scoped as territory
    from territorial.timelines.views import bp as timelines
    import territorial.api.resources  # noqa: F401  (open-data API: territorial resources)
    import facilitation.api  # noqa: F401  (open-data API: facilitation resources)

    from territorial.charters import registry as charter_templates

    charter_templates.init_app(app)

    for blueprint in (accounts, api, api_tokens, territories, territory, actors, audit,
                      indicators, raci, projects, timelines, reviews, conventions, charters,
                      experiments, working_groups, action_plans, sessions, agenda, join,
                      convention_reviews, partnerships, joint_projects, decisions):
        app.register_blueprint(blueprint)

    @app.get("/healthz")
    def healthz():
        try:
            db.session.execute(text("SELECT 1"))
        except OperationalError:
            return jsonify(status="error"), 503
        return jsonify(status="ok")

    @app.get("/favicon.ico")
    def favicon():
        """Browsers ask for it at the root whatever the page links to."""
        return send_from_directory(app.static_folder, "favicon.ico",
                                   mimetype="image/vnd.microsoft.icon", max_age=7 * 24 * 3600)

    @app.post("/language")
    def set_language():
        code = request.form.get("language", "fr")
        if code in app.config["LANGUAGES"]:
            session["locale"] = code
            if current_user.is_authenticated:
                current_user.locale = code
        return redirect(next_url("/"))


def register_request_handling(app: Flask) -> None:
    """One transaction per request: commit when the answer is a success, else roll back."""

    @app.url_value_preprocessor
    def check_the_address(endpoint, values):
        refuse_control_characters_in_the_address()
        apply_the_view_upload_limit()

    # after_request functions run last registered first.
    @app.after_request
    def no_store_by_default(response):
        """No page is kept by a browser or a proxy unless its view says so: the signed-in
        pages, and the anonymous ones that carry a secret (a reset or invitation link, a
        phone's page under its session code, a form's CSRF token)."""
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.after_request
    def finish_transaction(response):
        """Commit a success; roll back an error, and any answer (a redirect too) of a view
        that reported a refused change (``territorial.common.errors``)."""
        if response.status_code < 400 and not is_refused():
            db.session.commit()
        else:
            db.session.rollback()
        return response

    app.after_request(refuse_control_characters_in_forms)
    register_document_language(app)



def register_templating(app: Flask) -> None:
    """Every name the templates use beyond Jinja's, Flask's and Flask-Babel's, in one place."""
    from facilitation.action_plans import templating as action_plans
    from facilitation.sessions.live.room_views import live_room
    from facilitation.sessions.live.trace import card_origins
    from facilitation.sessions.live.views import live_panel, live_poll_interval
    from territorial.access import can, may_open
    from territorial.api.tokens import api_tokens_of_current_user
    from territorial.charters.registry import problems_for_admins
    from territorial.common import dates
    from territorial.common.dates import date_formatter
    from territorial.common.navigation import menu, section_crumbs
    from territorial.common.text import elide
    from territorial.common.urls import local_path, url_for_ids
    from territorial.conventions.views import (convention_money, convention_reached_text,
                                               convention_target_text)
    from territorial.documents.web import document_links
    from territorial.indicators.views import (indicator_number, indicator_standing,
                                              indicator_status, indicator_tone, scale_levels)
    from territorial.raci.rows import summary_rows as raci_summary_rows
    from territorial.raci.views import raci_labels, raci_report
    from territorial.timelines.views import frise_move_labels, frise_snapshot_url

    app.jinja_env.globals.update(
        can=can, may_open=may_open, url_for_ids=url_for_ids, date_formatter=date_formatter,
        has_endpoint=lambda name: name in app.view_functions, plotly_config=plotly_config,
        document_links=document_links, charter_template_problems=problems_for_admins,
        api_tokens_of_current_user=api_tokens_of_current_user,
        indicator_status=indicator_status, indicator_tone=indicator_tone,
        indicator_standing=indicator_standing, current_year=lambda: dates.today().year,
        scale_levels=scale_levels, raci_labels=raci_labels, raci_report=raci_report,
        raci_summary_rows=raci_summary_rows,
        frise_move_labels=frise_move_labels, frise_snapshot_url=frise_snapshot_url,
        convention_target_text=convention_target_text, convention_money=convention_money,
        convention_reached_text=convention_reached_text,
        live_poll_interval=live_poll_interval, live_panel=live_panel, live_room=live_room,
        card_origins=card_origins, territory_menu=menu,
        section_crumbs=section_crumbs,
        **action_plans.TEMPLATE_GLOBALS,
    )
    app.jinja_env.filters.update(indicator_number=indicator_number, local_path=local_path,
                                 elide=elide, dateformat=dates.format_date,
                                 datetimeformat=dates.format_datetime,
                                 **action_plans.TEMPLATE_FILTERS)
    app.jinja_env.tests["web_address"] = is_web_address

    @app.context_processor
    def language():
        """The page's language: Flask-Babel's, chosen once a request (``select_locale``)."""
        return {"languages": app.config["LANGUAGES"], "current_locale": str(get_locale())}


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = _("Le formulaire a expiré ou n'est pas valide. Rechargez la page et recommencez.")
        if wants_json():  # a save in the background: said next to what was changed
            return jsonify(ok=False, error=message, reload=True), 400
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error):
        limit = (request.max_content_length or 0) // (1024 * 1024)
        message = _("Le fichier envoyé dépasse la taille que cette page accepte (%(n)d Mo "
                    "au plus). Réduisez-le, puis revenez en arrière pour l'envoyer de "
                    "nouveau.", n=limit)
        return render_template("errors/error.html", code=413, message=message), 413

    from territorial.api.views import bp as api, http_error as api_http_error

    @app.errorhandler(DomainError)
    def refused_by_a_rule(error: DomainError):
        """A rule's refusal that no view showed itself: its message, with its status (JSON
        for a page's script). Nothing of the change is kept."""
        db.session.rollback()
        if wants_json():
            return jsonify(ok=False, error=error.message), error.status
        return render_template("errors/error.html", code=error.status,
                               message=error.message), error.status

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.path.startswith(f"{api.url_prefix}/"):  # no route matched (an id too big…)
            return api_http_error(error)
        if error.code == 429:
            return too_many_requests(error)
        message = error.description if getattr(error, "shown_to_users", False) else None
        return render_template("errors/error.html", code=error.code, message=message), error.code

    def too_many_requests(error: HTTPException):
        """A limit reached: said in words (JSON for a page's script, which sends again after
        ``Retry-After``), never as « the server does not answer »."""
        message = _("Trop d'envois en peu de temps : patientez un instant, ce qui n'est pas "
                    "parti repart tout seul.")
        response = (jsonify(ok=False, error=message, limited=True) if wants_json() else
                    render_template("errors/error.html", code=429, message=message))
        response = app.make_response((response, 429))
        if not response.headers.get("Retry-After"):
            response.headers["Retry-After"] = "10"
        return response

    @app.errorhandler(DataError)
    def refused_by_the_database(error):
        """A value the database cannot hold (a number beyond its columns…) that slipped
        past the checks: the request is refused, not a server error."""
        db.session.rollback()
        log.warning("Value refused by the database on %s: %s", request.path,
                    type(error.orig).__name__)
        message = control_characters_message() if form_has_control_characters() else None
        return render_template("errors/error.html", code=422, message=message), 422

    @app.errorhandler(StaleDataError)
    def saved_meanwhile(error):
        """Last resort of territorial.common.versions: a write that met a newer version in a
        path that does not show the conflict itself. Nothing of it is kept."""
        db.session.rollback()
        message = _("Ce que vous enregistriez a été modifié par quelqu'un d'autre au même moment : "
                    "rien n'a été remplacé. Rechargez la page pour voir la version enregistrée.")
        return render_template("errors/error.html", code=409, message=message), 409

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        db.session.rollback()
        log.exception("Database unavailable")
        return render_template("errors/error.html", code=503), 503

    @app.errorhandler(Exception)
    def server_error(error):
        db.session.rollback()
        log.exception("Unhandled error on %s", request.path)
        return render_template("errors/error.html", code=500), 500


def register_commands(app: Flask) -> None:
    import click

    from territorial import cli as territorial_cli
    from sqlalchemy import func, select

    from territorial.demo import seed_territorial_demo
    from facilitation.experiments.demo import seed_experiments_demo
    from territorial.projects.demo import seed_projects_demo
    from territorial.territories.models import Territory

    territorial_cli.register(app)
    from territorial.documents.gallery import documents_cli

    app.cli.add_command(documents_cli)
    from territorial import backup

    backup.register(app)

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only when the database holds no territory.")
    def seed_demo(if_empty: bool):
        """Load the demo data of the four stories (running it twice changes nothing)."""
        if if_empty and db.session.scalar(select(func.count()).select_from(Territory)):
            click.echo("La base contient déjà des données : démonstration non chargée.")
            return
        seed_territorial_demo()
        seed_experiments_demo()
        seed_projects_demo()
        from facilitation.action_plans.demo import seed_action_plans_demo

        seed_action_plans_demo()
        from territorial.conventions.demo import seed_conventions_demo
        from facilitation.convention_reviews.demo import seed_convention_reviews_demo

        seed_conventions_demo()
        seed_convention_reviews_demo()
        from facilitation.sessions.live.demo import seed_live_sessions_demo

        seed_live_sessions_demo()
        from facilitation.joint_projects.demo import seed_partnerships_demo

        seed_partnerships_demo()
        db.session.commit()
        click.echo("Données de démonstration chargées.")
