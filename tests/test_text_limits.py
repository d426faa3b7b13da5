"""Issue 17: limits people can see. Every text field of every form of the app has a limit
(a ``Length`` validator) no longer than the column it is saved to, the browser never cuts a
paste (no ``maxlength``: a counter instead), and an over-long text is refused with the
error announced at the top of the page, a link to the field, and the text kept."""
import html
import importlib
import pkgutil

import pytest
from sqlalchemy import String
from wtforms import Form as WTForm
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

import facilitation
import territorial
from extensions import db
from territorial.common.forms import Form, text_limit

TEXT_FIELDS = (StringField, TextAreaField)
NOT_TEXTS = (HiddenField, PasswordField)


def _import_everything():
    for package in (territorial, facilitation):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if module.name.rsplit(".", 1)[-1] in ("forms", "views") or module.ispkg:
                importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _form_classes():
    _import_everything()
    return sorted({cls for cls in _subclasses(WTForm)
                   if cls.__module__.startswith(("territorial.", "facilitation."))},
                  key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _text_fields(cls):
    for name in dir(cls):
        unbound = getattr(cls, name, None)
        if isinstance(unbound, UnboundField) and issubclass(unbound.field_class, TEXT_FIELDS) \
                and not issubclass(unbound.field_class, NOT_TEXTS):
            validators = unbound.kwargs.get("validators") or (
                unbound.args[1] if len(unbound.args) > 1 else [])
            yield name, [v for v in validators or () if isinstance(v, Length)]


def _columns_of_package(module_name: str) -> dict[str, int | None]:
    """column name → its String length (None for an unbounded Text), for the models of the
    form's capability (the tables whose mapped class lives in the same package); a name
    several models share keeps the longest (the field fits at least that one)."""
    package = module_name.rsplit(".", 1)[0]
    columns: dict[str, int | None] = {}
    for mapper in db.Model.registry.mappers:
        if not mapper.class_.__module__.startswith(package + "."):
            continue
        for column in mapper.columns:
            if isinstance(column.type, String):
                length = column.type.length
                known = columns.get(column.key, length)
                columns[column.key] = None if known is None or length is None \
                    else max(known, length)
    return columns


def test_every_text_field_of_every_form_has_a_limit_within_its_column(app):
    problems, checked = [], 0
    with app.app_context():
        for cls in _form_classes():
            columns = _columns_of_package(cls.__module__)
            for name, lengths in _text_fields(cls):
                checked += 1
                where = f"{cls.__module__}.{cls.__qualname__}.{name}"
                if not lengths or lengths[0].max is None or lengths[0].max < 0:
                    problems.append(f"{where}: aucun Length(max=…)")
                    continue
                column = columns.get(name)
                if column is not None and lengths[0].max > column:
                    problems.append(f"{where}: Length(max={lengths[0].max}) > colonne {column}")
    assert checked > 100  # the walk did find the app's forms
    assert problems == [], "\n".join(problems)


def test_no_text_field_is_cut_by_the_browser(app):
    """Rendered, a limited field carries ``data-limit`` and never ``maxlength``."""
    rendered = 0
    with app.test_request_context("/"):
        for cls in _form_classes():
            if not issubclass(cls, Form):
                continue
            try:
                form = cls(meta={"csrf": False})
            except TypeError:
                continue  # a form built with arguments (checked statically above)
            for field in form:
                if isinstance(field, TEXT_FIELDS) and not isinstance(field, NOT_TEXTS) \
                        and text_limit(field) is not None:
                    markup = str(field())
                    assert "maxlength" not in markup, f"{cls.__qualname__}.{field.name}"
                    assert f'data-limit="{text_limit(field)}"' in markup
                    rendered += 1
    assert rendered > 100


@pytest.fixture
def coordinator_of(factory, login):
    territory = factory.territory()
    login(factory.user(territory, role="coordinator"))
    return territory


def test_an_over_long_comment_is_refused_kept_and_announced_at_the_top(
        client, factory, coordinator_of):
    from territorial.indicators import operations
    from territorial.indicators.models import IndicatorValue

    territory = coordinator_of
    action = factory.action(factory.action_plan(territory))
    indicator = operations.create_indicator(territory.id, "action", action.id,
                                            title="Familles", unit="familles")
    db.session.commit()
    comment = "Très long commentaire. " * 450  # 10 350 characters, the limit is 2 000
    response = client.post(f"/t/{territory.slug}/indicators/{indicator.id}/values", data={
        "measure-year": "2027", "measure-value": "12", "measure-comment": comment})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert db.session.query(IndicatorValue).count() == 0  # nothing cut, nothing saved
    summary = page.index('class="error-summary"')
    assert summary < page.index('id="measure-comment"')  # announced above the field
    assert '<a href="#measure-comment">Commentaire</a>' in page
    assert "la limite est de 2\u202f000" in page
    assert comment.strip() in page  # the text is kept
    assert "Valeur enregistrée" not in page


def test_the_cadre_section_over_its_limit_is_announced_with_a_link(client, factory,
                                                                     coordinator_of):
    from facilitation.experiments.models import CadreSection
    from sqlalchemy import select

    territory = coordinator_of
    experiment = factory.experiment(territory)
    section = db.session.scalars(select(CadreSection).where(
        CadreSection.experiment_id == experiment.id)).first()
    if section is None:
        pytest.skip("this method has no cadre section")
    page = html.unescape(client.get(f"/t/{territory.slug}/experiments/{experiment.id}")
                         .get_data(as_text=True))
    assert 'data-limit="20000"' in page and f'maxlength' not in page.split("content-")[1][:200]
    text = "x" * 20_001
    response = client.post(
        f"/t/{territory.slug}/experiments/{experiment.id}/cadre/{section.id}",
        data={"content": text, "edit_version": str(section.edit_version)})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert f'<a href="#content-{section.id}">' in page
    assert page.index('class="error-summary"') < page.index(f'id="content-{section.id}"')
    assert text in page
