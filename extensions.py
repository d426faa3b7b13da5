"""The Flask extensions, created once here and bound to the app in ``app.create_app``."""
from functools import cached_property

import flask_babel
from babel.support import NullTranslations
from flask import g, has_app_context
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from jinja2 import pass_eval_context
from markupsafe import Markup
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class FrenchPlurals(NullTranslations):
    """French, the language the messages are written in: one form for 0 and 1 (« 0 objectif »,
    « 1 objectif », « 2 objectifs »), where gettext's default would say « 0 objectifs »."""

    def ngettext(self, singular, plural, num):
        return singular if abs(num) < 2 else plural

    def npgettext(self, context, singular, plural, num):
        return self.ngettext(singular, plural, num)

    ungettext = ngettext
    unpgettext = npgettext


class SourceLanguageDomain(flask_babel.Domain):
    """The messages' domain; in French (no catalogue: the messages are French) every plural
    follows the French rule, in Python code and in templates alike.

    A message finds its catalogue by the request's locale alone: Flask-Babel walks the
    application context three more times per message, most of a long page's translating."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._by_locale = {}

    def get_translations(self):
        locale = _current_locale()
        if locale is None:  # outside a request
            return super().get_translations()
        key = (locale.language, locale.territory)  # Locale's own __eq__ is slower
        try:
            return self._by_locale[key]
        except KeyError:
            translations = super().get_translations()
            if locale.language == "fr":
                translations.add_fallback(FrenchPlurals())
            translations.template_gettext = template_gettext(translations)
            self._by_locale[key] = translations
            return translations


def template_gettext(translations):
    """The templates' ``_`` in one language. Jinja's newstyle gettext: the message is a
    format string (« %% » for a percent sign), escaped as a whole when the template
    autoescapes; each message is looked up and marked safe once per process (a page
    prints a hundred)."""
    safe_messages: dict[str, Markup] = {}

    @pass_eval_context
    def gettext(eval_context, string, **variables):
        if not eval_context.autoescape:
            translated = translations.ugettext(string)
        else:
            translated = safe_messages.get(string)
            if translated is None:
                translated = safe_messages[string] = Markup(translations.ugettext(string))
        return translated % variables if variables or "%" in translated else translated

    return gettext


def _current_locale():
    """``flask_babel.get_locale()`` in one context lookup instead of three: the locale
    Flask-Babel keeps in ``g`` (``force_locale`` changes it there), else its own."""
    if not has_app_context():
        return None
    state = getattr(g._get_current_object(), "_flask_babel", None)
    return getattr(state, "babel_locale", None) or flask_babel.get_locale()


class Babel(flask_babel.Babel):
    @cached_property
    def domain_instance(self):
        return SourceLanguageDomain(domain=self.domain)

    def init_app(self, app, *args, **kwargs):
        """Templates' ``_``, ``ngettext``… go straight to the domain (Flask-Babel's own look
        it up again at every message), and ``_``/``gettext`` translate without Jinja's
        alias calling its gettext calling ours (two ``Context.call`` a message)."""
        super().init_app(app, *args, **kwargs)

        def translations():
            return self.domain_instance.get_translations()

        app.jinja_env.install_gettext_callables(
            gettext=lambda s: translations().ugettext(s),
            ngettext=lambda s, p, n: translations().ungettext(s, p, n),
            pgettext=lambda c, s: translations().upgettext(c, s),
            npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
            newstyle=True,
        )

        @pass_eval_context
        def gettext(eval_context, string, **variables):
            """``template_gettext`` of the current language (imported macros, which do
            not see their page's context, and renders outside a request)."""
            found = translations()
            translate = getattr(found, "template_gettext", None) or template_gettext(found)
            return translate(eval_context, string, **variables)

        app.jinja_env.globals.update(_=gettext, gettext=gettext)

        @app.context_processor
        def gettext_of_the_page():
            """A page's ``_`` bound to its language once, not looked up at each message."""
            translate = getattr(translations(), "template_gettext", None)
            return {"_": translate, "gettext": translate} if translate else {}


# A request commits once, at its end (``app.finish_transaction``), and nothing reads its
# objects after: expiring them all at the commit only cost time (0.45 ms on a plan's page).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
