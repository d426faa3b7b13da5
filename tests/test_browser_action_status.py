"""In Chromium, an action's status and progress changed inline: a status chosen on a plan's
row but not yet sent with « Changer » is still there, and said not saved, after the row's
progress is saved; on the action's page, « En retard » and « Historique » follow a save,
and an action moved back from « Réalisée » gets back the progress it had before."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser_support import assert_no_axe_violations

pytestmark = pytest.mark.browser

CHARENTON = "/t/charenton-saint-maurice"


def _new_action(page, title: str, *, status: str, progress: str, due: str = "") -> str:
    """An action of the GT Emploi's plan, long term (its own row whatever other tests add);
    returns the plan's page showing the long-term actions."""
    page.goto(f"{CHARENTON}/action-plans")
    page.get_by_role("link", name=re.compile("GT Emploi")).first.click()
    page.wait_for_url(re.compile(r"/action-plans/\d+$"))
    plan_url = page.url
    page.get_by_role("button", name="Nouvelle action").click()
    page.get_by_label("Intitulé de l'action").fill(title)
    page.get_by_label("Long terme").check()
    page.get_by_label("Statut").select_option(status)
    page.get_by_label("Avancement (%)").fill(progress)
    if due:
        page.get_by_label("Échéance").fill(due)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    return f"{plan_url}?horizon=long"


def test_a_value_not_yet_sent_is_kept_when_the_rows_other_form_is_saved(facilitator):
    """A progress typed without « OK », then a status sent with « Changer »: the typed
    progress is still there, said not saved; the other way round, a status chosen without
    « Changer », then a progress saved: the chosen status is still there, said not saved."""
    page = facilitator
    title = "Tester les valeurs en attente"
    page.goto(_new_action(page, title, status="en_cours", progress="40"))
    row = page.locator("tr", has_text=title)
    select = row.get_by_label(f"Statut de « {title} »")
    progress = row.get_by_label(f"Avancement de « {title} » en %")
    change = row.get_by_role("button", name=re.compile("Changer"))
    save_progress = row.get_by_role("button", name=re.compile("enregistrer l'avancement"))
    status = page.locator("#inline-status")

    progress.fill("55")                                     # typed, « OK » not pressed
    select.select_option("retenue")
    change.click()
    expect(row.locator(".status-badge")).to_have_text("Retenue")
    expect(progress).to_have_value("55")
    expect(status).to_contain_text("1 modification de la page n’est pas enregistrée")
    save_progress.click()
    expect(status).to_contain_text("55 %")
    expect(status).not_to_contain_text("n’est pas enregistrée")

    select.select_option("en_cours")                        # chosen, « Changer » not pressed
    progress.fill("60")
    save_progress.click()
    expect(status).to_contain_text("60 %")
    expect(select).to_have_value("en_cours")                # the user's choice is still there…
    expect(status).to_contain_text("1 modification de la page n’est pas enregistrée")
    assert row.locator(".status-badge").inner_text().strip() == "Retenue"   # … not saved
    assert_no_axe_violations(page, "a plan's row with a status not sent")

    change.click()
    expect(row.locator(".status-badge")).to_have_text("En cours")
    expect(status).not_to_contain_text("n’est pas enregistrée")
    page.reload()
    row = page.locator("tr", has_text=title)
    assert row.locator(".status-badge").inner_text().strip() == "En cours"
    assert row.get_by_label(f"Avancement de « {title} » en %").input_value() == "60"

    # a status whose save failed is kept as well, and « Réessayer » sends it
    status_form = row.locator("form[data-inline=status]")
    page.route("**/status", lambda route: route.fulfill(status=503, body=""))
    select.select_option("realisee")
    change.click()
    expect(status_form).to_have_attribute("data-save-state", "failed")
    page.unroute("**/status")
    progress.fill("70")
    save_progress.click()
    expect(status).to_contain_text("70 %")
    expect(select).to_have_value("realisee")
    expect(status).to_contain_text("1 modification de la page n’est pas enregistrée")
    status_form.get_by_role("button", name="Réessayer").click()
    expect(row.locator(".status-badge")).to_have_text("Réalisée")
    expect(status).not_to_contain_text("n’est pas enregistrée")


def test_the_actions_page_follows_an_inline_save(facilitator):
    """« En retard » and « Historique » say the new state without reloading the page; back
    from « Réalisée », the action is at the progress it had before, and the page says so."""
    page = facilitator
    title = "Tester la page de l'action"
    plan_url = _new_action(page, title, status="en_cours", progress="40", due="2024-01-15")
    head = page.locator(".page-head")
    history = page.get_by_role("region", name="Historique")
    expect(head.get_by_text("En retard")).to_be_visible()
    expect(history).not_to_contain_text("En cours → Réalisée")

    page.get_by_label("Statut", exact=True).select_option("realisee")
    page.get_by_role("button", name="Changer le statut").click()
    expect(page.locator("#inline-status")).to_contain_text("Réalisée")
    expect(head.get_by_text("En retard")).to_be_hidden()     # done: late no more
    expect(history).to_contain_text("Statut : En cours → Réalisée")
    expect(history).to_contain_text("Avancement : 40 % → 100 %")
    assert_no_axe_violations(page, "an action's page after an inline save")

    page.get_by_label("Statut", exact=True).select_option("en_cours")
    page.get_by_role("button", name="Changer le statut").click()
    expect(head.get_by_text("En retard")).to_be_visible()    # reopened: late again
    expect(history).to_contain_text("Statut : Réalisée → En cours")
    # back to the progress it had before « Réalisée », and said so
    expect(page.locator("#inline-status")).to_contain_text(
        "Avancement revenu à 40 %, celui d'avant « Réalisée ».")
    expect(page.get_by_label("Avancement (%)")).to_have_value("40")
    expect(page.locator(".details .progress-text")).to_have_text("40 %")
    expect(history).to_contain_text("Avancement : 100 % → 40 %")

    page.get_by_label("Avancement (%)").fill("85")
    page.get_by_role("button", name="Enregistrer l'avancement").click()
    expect(page.locator("#inline-status")).to_contain_text("85 %")
    expect(history.locator("tbody tr").first).to_contain_text("Avancement : 40 % → 85 %")

    # the plan's row too: late while « En cours », late no more once « Réalisée »
    page.goto(plan_url)
    row = page.locator("tr", has_text=title)
    expect(row.get_by_text("En retard", exact=True)).to_be_visible()
    row.get_by_label(f"Statut de « {title} »").select_option("realisee")
    row.get_by_role("button", name=re.compile("Changer")).click()
    expect(row.locator(".status-badge")).to_have_text("Réalisée")
    expect(row.get_by_text("En retard", exact=True)).to_be_hidden()
