"""Helpers for Playwright browser tests (no pytest dependency at import).

The browser is always Debian's Chromium (/usr/bin/chromium): never run
``playwright install``; nothing is downloaded. axe-core ships inside the
axe-playwright-python wheel, so accessibility checks need no network either.
"""

from __future__ import annotations

import os

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def chromium_available() -> bool:
    """True if the Chromium binary exists (use for skip conditions)."""
    return os.access(CHROMIUM_PATH, os.X_OK)


def launch_chromium(playwright, **kwargs):
    """Launch headless Debian Chromium from a sync ``Playwright`` instance.

    ``playwright`` is what ``sync_playwright().start()`` (or the ``with``
    form) returns. Extra keyword arguments go to ``chromium.launch``.
    """
    if not chromium_available():
        raise RuntimeError(
            f"Chromium not found at {CHROMIUM_PATH} "
            "(Debian: apt-get install -y chromium)."
        )
    options = dict(
        executable_path=CHROMIUM_PATH,
        headless=True,
        args=list(CHROMIUM_ARGS),
    )
    options.update(kwargs)
    return playwright.chromium.launch(**options)


def format_axe_violations(violations: list[dict]) -> str:
    """Readable multi-line summary of axe-core violation dicts."""
    lines = []
    for v in violations:
        lines.append(
            f"- {v.get('id')} [{v.get('impact')}]: {v.get('help')} ({v.get('helpUrl', '')})"
        )
        for node in v.get("nodes", []):
            target = " ".join(
                t if isinstance(t, str) else " >> ".join(t)
                for t in node.get("target", [])
            )
            html = (node.get("html") or "").replace("\n", " ")
            if len(html) > 160:
                html = html[:157] + "..."
            lines.append(f"    at {target}: {html}")
    return "\n".join(lines)


def run_axe(page, context=None, options=None):
    """Run axe-core on ``page``; return the ``AxeResults`` object.

    ``context``/``options`` are passed to ``axe.run`` (see axe-core docs);
    by default only violations are collected.
    """
    from axe_playwright_python.sync_playwright import Axe

    if options is None:
        return Axe().run(page, context=context)
    return Axe().run(page, context=context, options=options)


def assert_no_axe_violations(page, context: str = "", *, axe_context=None, options=None):
    """Raise AssertionError listing axe violations (id, impact, help, targets).

    ``context`` is a free-text label (e.g. the URL or step name) used in the
    error message. ``axe_context`` (a CSS selector / axe context object) and
    ``options`` are forwarded to ``axe.run``.
    """
    results = run_axe(page, context=axe_context, options=options)
    if results.violations_count:
        where = f" on {context}" if context else f" on {page.url}"
        raise AssertionError(
            f"{results.violations_count} accessibility violation(s){where}:\n"
            + format_axe_violations(results.response["violations"])
        )
    return results


def pick(page, picker: str, query: str, option: str):
    """In the picker named ``picker`` (a combobox), type ``query`` key by key, wait for the
    option whose name starts with ``option``, choose the first with ArrowDown and Enter."""
    import re

    combobox = page.get_by_role("combobox", name=picker)
    combobox.press_sequentially(query, delay=20)
    page.get_by_role("option", name=re.compile(f"^{re.escape(option)}")).wait_for()
    combobox.press("ArrowDown")
    combobox.press("Enter")
    return combobox
