"""Two versions of a charter compared in words: field by field, in the charter's labels, one
change of one field is one change, unchanged parts folded; bounded whatever the versions."""
import copy
from html import unescape

import pytest

from extensions import db
from territorial.charters import comparison
from territorial.charters import queries as charter_queries
from territorial.charters.models import CharterVersion


@pytest.fixture
def content(app):
    with app.test_request_context():
        yield copy.deepcopy(charter_queries.templates()["quartier_libre"])


def instance(content, key):
    return next(i for i in content["instances"] if i["key"] == key)


def said(result):
    """Each change as a line of words."""
    lines = []
    for section in result.sections:
        for change in section.changes:
            where = " — ".join(change.where)
            if change.kind == "changed":
                lines.append(f"{section.label} | {where} : {change.before} → {change.after}")
            else:
                lines.append(f"{section.label} | {where} : {change.kind}")
    return lines


def test_one_field_changed_is_one_change_in_the_charters_words(app, content):
    new = copy.deepcopy(content)
    instance(content, "codir")["rhythm"] = {"text": "quatre fois par an"}
    instance(new, "codir")["rhythm"] = {"text": "une fois par mois"}
    with app.test_request_context():
        result = comparison.compare(content, new)
    assert said(result) == [
        "Gouvernance du partenariat : les instances | Codir — Rythme des réunions : "
        "quatre fois par an → une fois par mois"]
    [section] = result.sections
    assert section.unchanged == ["Assemblée plénière", "Comité de pilotage", "Coprédir",
                                 "Groupe de travail", "Chef de projet"]
    assert "Préambule" in result.unchanged and len(result.unchanged) > 10


def test_references_roles_and_lists_are_named_not_coded(app, content):
    new = copy.deepcopy(content)
    cell = next(c for c in new["decision_matrix"]
                if (c["level"], c["instance"]) == ("strategique", "codir"))
    cell["role"] = "decides"
    new["lifecycle"][3]["instance"] = "codir"
    new["lifecycle"][3]["decision"] = {"level": "strategique"}
    new["arbitration"][2]["escalate_to"] = "codir"
    new["instances"] = [i for i in new["instances"] if i["key"] != "pleniere"] + \
        [{"key": "bureau", "name": "Bureau commun", "description": "x",
          "composition": {"rules": [{"rule": "open", "text": "Ouvert."}]}}]
    with app.test_request_context():
        lines = said(comparison.compare(content, new))
    assert "Qui prend quelle décision | Décisions stratégiques × Codir — Rôle : arbitre → décide" \
        in lines
    assert ("Naissance et vie d'un projet commun : étapes | Validation ou non du projet commun "
            "— Instance : Comité de pilotage → Codir") in lines
    assert ("Naissance et vie d'un projet commun : étapes | Validation ou non du projet commun "
            "— Étape décidée par l'instance selon le processus de décision — Niveau de "
            "décision : Décisions opérationnelles → Décisions stratégiques") in lines
    assert ("Situation de blocage et arbitrage | Blocage : Comité de pilotage — Portée devant "
            "l'instance : Coprédir → Codir") in lines
    assert "Gouvernance du partenariat : les instances | Bureau commun : added" in lines
    assert "Gouvernance du partenariat : les instances | Assemblée plénière : removed" in lines
    assert not [line for line in lines if "strategique" in line or "copil" in line]


def test_a_text_changed_shows_its_words_and_a_reorder_is_one_change(app, content):
    new = copy.deepcopy(content)
    new["preamble"] = content["preamble"].replace("trois maisons", "quatre maisons", 1)
    new["action_plan_axes"] = list(reversed(content["action_plan_axes"]))
    with app.test_request_context():
        result = comparison.compare(content, new)
    preamble = next(s for s in result.sections if s.key == "preamble")
    [change] = preamble.changes
    assert ("removed", "trois") in change.words and ("added", "quatre") in change.words
    axes = next(s for s in result.sections if s.key == "action_plan_axes")
    assert [c.kind for c in axes.changes] == ["moved"]
    assert axes.changes[0].after.startswith("Partenariat externe · Moyens humains")


def test_the_comparison_is_bounded_whatever_the_versions(app, content):
    huge = copy.deepcopy(content)
    huge["glossary"] = [{"term": f"Terme {n}", "definition": "x" * 5000} for n in range(20_000)]
    with app.test_request_context():
        result = comparison.compare(content, huge)
    shown = sum(len(section.changes) for section in result.sections)
    assert shown == comparison.LIMITS.changes and result.hidden > 0
    assert all(len(c.after) < 700 for s in result.sections for c in s.changes)


def test_the_comparison_page_answers_a_bounded_page(client, login, factory):
    territory = factory.territory()
    charter = factory.charter(territory)
    huge = copy.deepcopy(charter.content)
    huge["glossary"] = [{"term": f"Terme {n}", "definition": "mot " * 2000}
                        for n in range(3_000)]
    charter.current_version = 2
    db.session.add(CharterVersion(territory_id=territory.id, charter_id=charter.id, number=2,
                                  content=huge, summary="Collé depuis un autre outil"))
    db.session.commit()
    login(factory.user(territory, role="coordinator"))
    response = client.get(f"/t/{territory.slug}/partnerships/charters/{charter.id}/compare"
                          "?from=1&to=2")
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert len(response.data) < 400_000  # ~24 MB of text in the version
    assert "autres changements, non affichés" in page
    assert "Ce qui changerait si la version 2 était adoptée" in page
