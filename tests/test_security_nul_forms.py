"""A NUL byte (or another control character) typed into any form of any page, or into a
search or filter, answers 4xx with a French message; nothing reaches the database (on
PostgreSQL, which refuses NUL, this was a 500)."""
from urllib.parse import urljoin

import pytest

from tests.html_forms import page_forms
from tests.route_walk import make_ids, page_urls

MESSAGE = "caractère de contrôle"
POISON = "Texte\x00nul"


@pytest.fixture
def walk(app, client, factory, login):
    territory = factory.territory()
    user = factory.user(territory, role="coordinator", is_admin=True)
    ids = make_ids(factory, territory, user)
    login(user)
    return page_urls(app, territory, ids)


def _forms_of_every_page(client, urls):
    seen = set()
    for url in urls:
        with client.get(url) as response:
            if response.status_code != 200 or not response.mimetype == "text/html":
                continue
            page = response.get_data(as_text=True)
        for form in page_forms(page):
            action = urljoin(url, form.action) if form.action else url
            key = (form.method, action.split("?")[0], tuple(sorted(form.text_fields)))
            if form.text_fields and key not in seen:
                seen.add(key)
                yield url, action, form


def _poisoned(form):
    data = form.submitted_data()
    for name in form.text_fields:
        data.setlist(name, [POISON])
    return data


def test_a_nul_in_any_form_answers_4xx_with_a_message(client, walk):
    failures, posted = [], 0
    for page, action, form in _forms_of_every_page(client, walk):
        data = _poisoned(form)
        if form.method == "get":
            response = client.get(action.split("?")[0], query_string=data)
        else:
            response = client.post(action, data=data, content_type=form.enctype or None)
        posted += 1
        body = response.get_data(as_text=True)
        if not (400 <= response.status_code < 500 and MESSAGE in body):
            failures.append(f"{form.method.upper()} {action} (from {page}) "
                            f"{form.text_fields} → {response.status_code}")
    assert posted > 40
    assert not failures, "\n".join(failures)


def test_a_nul_in_the_forms_of_a_visitor_answers_4xx(client):
    for url in ("/login", "/password/forgot", "/j"):
        forms = [form for form in page_forms(client.get(url).get_data(as_text=True))
                 if form.text_fields]
        assert forms, url
        for form in forms:
            response = client.post(urljoin(url, form.action) if form.action else url,
                                   data=_poisoned(form))
            assert 400 <= response.status_code < 500, url
            assert MESSAGE in response.get_data(as_text=True), url
