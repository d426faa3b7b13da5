"""Two colleagues on one object, for the « no silent overwrite » tests: each has their own
browser (test client) and account; what a page carries is read as a browser would."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from tests.html_forms import form_data


@dataclass
class Colleagues:
    territory: object
    camille: object           # the user whose save arrives first
    dominique: object         # the user whose page is stale
    first: FlaskClient        # Camille's browser
    second: FlaskClient       # Dominique's browser

    def url(self, path: str) -> str:
        return f"/t/{self.territory.slug}{path}"


def signed_in(app, user) -> FlaskClient:
    """A browser where ``user`` is signed in (the session cookie Flask-Login reads: no
    request to the login page, whose rate limit other tests may have switched on)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def colleagues(app, factory, role="coordinator") -> Colleagues:
    territory = factory.territory()
    camille = factory.user(territory, role=role, display_name="Camille Durand")
    dominique = factory.user(territory, role=role, display_name="Dominique Martin")
    return Colleagues(territory, camille, dominique, signed_in(app, camille),
                      signed_in(app, dominique))


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def hidden(html: str, name: str, occurrence: int = 0) -> str:
    """The value of the ``occurrence``-th hidden input called ``name`` in a page."""
    found = re.findall(rf'<input type="hidden" name="{re.escape(name)}" value="([^"]*)"', html)
    if not found:
        found = re.findall(rf'<input id="[^"]*" name="{re.escape(name)}" type="hidden" '
                           rf'value="([^"]*)"', html)
    return found[occurrence]


def told_who(html: str, name: str = "Camille Durand") -> bool:
    """The page says who changed it and when (« Modifié par Camille Durand le 4 décembre à
    14 h 05… », today's date in the French format)."""
    today = format_date(datetime.now(ZoneInfo("Europe/Paris")).date(), "d MMMM", locale="fr")
    return f"Modifié par {name} le {today} à " in html


def page_form(response, action: str = "", form_class: str | None = None) -> MultiDict:
    """What the browser would post from the page's form of class ``form_class``, or else
    the one whose ``action`` is given ("" for the forms posting to the page itself)."""
    html = response.get_data(as_text=True)
    if form_class:
        return form_data(html, form_class)
    # a form without action posts to the page itself
    tag = rf'<form method="post" action="{re.escape(action)}"' if action else \
        r'<form method="post"(?! action="[^"])'
    assert re.search(tag, html), f"no form posting to {action!r}"
    return form_data(re.sub(tag, '<form class="picked-form" method="post"', html, count=1),
                     "picked-form")


def fill(data: MultiDict, values: dict) -> MultiDict:
    """Type ``values`` into a form's data (each replaces what the field held)."""
    for name, value in values.items():
        data[name] = value
    return data


def stale_save(two: Colleagues, page: str, field: str, theirs: str, mine: str, *,
               save: str | None = None, form_class: str | None = None, extra=None):
    """Both open ``page``; Camille saves ``field`` = ``theirs``; Dominique then saves ``mine``
    from the older page. Dominique is told who changed it and when, sees their version, and
    finds the form re-displayed with what they typed. Returns that refused response."""
    def form(response):
        return fill(page_form(response, save if save and save != page else "", form_class),
                    extra or {})

    seen, fresh = form(two.second.get(page)), form(two.first.get(page))
    fresh[field] = theirs
    assert two.first.post(save or page, data=fresh).status_code == 302
    seen[field] = mine
    refused = two.second.post(save or page, data=seen)
    html = text(refused)
    assert refused.status_code == 409 and told_who(html)
    assert theirs in html                                   # their version, beside...
    assert form(refused)[field] == mine                     # ...mine, kept in the form
    return refused
