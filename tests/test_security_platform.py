"""Smaller findings: the charset said once in CSV and calendar answers, a favicon, the
Werkzeug debugger off unless asked for, one Plotly configuration without any cloud or
link button on every page that draws a chart."""
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import _free_port, serving
from tests.route_walk import make_ids, page_urls

ROOT = Path(__file__).resolve().parent.parent


def test_csv_and_calendar_give_their_charset_once(signed_in, factory, territory):
    session = factory.meeting_session(territory)
    for url, mimetype in ((f"/t/{territory.slug}/organisations/export.csv", "text/csv"),
                          (f"/t/{territory.slug}/agenda/calendar.ics", "text/calendar"),
                          (f"/t/{territory.slug}/sessions/{session.id}/calendar.ics",
                           "text/calendar")):
        response = signed_in.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Type"] == f"{mimetype}; charset=utf-8", url


def test_the_favicon_is_served_and_linked(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
        assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get("/login").get_data(as_text=True)
    assert re.search(r'<link rel="icon" href="/static/favicon\.ico', page)


# The debugger ----------------------------------------------------------------------------

def _make_run_line(*variables: str) -> list[str]:
    """The ``flask run`` command that ``make run`` would start (``make -n``: nothing runs)."""
    out = subprocess.run(["make", "-n", "run", *variables], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.replace("\\\n", " ")
    line = next(line for line in out.splitlines() if " run --host" in line)
    return line.split(" run ", 1)[1].split()


def _debugger_answers(run_arguments: list[str], tmp_path) -> bool:
    """Start the server as ``make run`` does and ask for the debugger's own script."""
    port = _free_port()
    arguments = [a for a in run_arguments if a not in ("--host", "--port")
                 and not a.replace(".", "").isdigit()]
    env = dict(os.environ, FLASK_DEBUG="1", SECRET_KEY="debugger-test",
               DATABASE_URL=f"sqlite:///{tmp_path / 'debug.db'}")
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "run", "--host", "127.0.0.1",
         "--port", str(port), "--no-reload", *arguments],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert serving(f"http://127.0.0.1:{port}/static/css/app.css")
        url = f"http://127.0.0.1:{port}/?__debugger__=yes&cmd=resource&f=debugger.js"
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return "javascript" in answer.headers["Content-Type"]
        except urllib.error.HTTPError:
            return False
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_make_run_does_not_expose_the_debugger(tmp_path):
    assert not _debugger_answers(_make_run_line(), tmp_path)


def test_the_debugger_is_there_when_asked_for(tmp_path):
    arguments = _make_run_line("DEBUGGER=1")
    assert "--debugger" in arguments
    assert _debugger_answers(arguments, tmp_path)


# Charts ----------------------------------------------------------------------------------

PLOTLY_SCRIPT = "/static/vendor/plotly/plotly-cartesian.min.js"


def test_every_page_drawing_charts_has_one_safe_plotly_configuration(
        app, signed_in, factory, territory):
    """No cloud (« Share chart »), no link to Plotly's site, on every rendered chart page;
    the configuration is the page's one block, read by the charts' scripts."""
    user = factory.user(territory, role="coordinator")
    urls = page_urls(app, territory, make_ids(factory, territory, user))
    chart_pages = 0
    for url in urls:
        with signed_in.get(url) as response:
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            page = response.get_data(as_text=True)
        if PLOTLY_SCRIPT not in page:
            continue
        chart_pages += 1
        blocks = re.findall(r'<script type="application/json" id="plotly-config">(.*?)</script>',
                            page, re.S)
        assert len(blocks) == 1, url
        config = json.loads(blocks[0])
        assert config["showSendToCloud"] is False and config["plotlyServerURL"] == ""
        assert config["displaylogo"] is False and config.get("showEditInChartStudio") is not True
        assert config.get("showLink") is not True and config.get("sendData") is not True
        scripts = re.findall(r'<script src="([^"]+)"', page)
        assert scripts.index("/static/js/plotly_config.js") == scripts.index(PLOTLY_SCRIPT) + 2
    assert chart_pages >= 5


def test_no_script_configures_plotly_on_its_own():
    """Only static/js/plotly_config.js says how Plotly behaves; the chart scripts pass no
    configuration of their own that could bring a cloud button back."""
    for script in (ROOT / "static" / "js").glob("*.js"):
        text = script.read_text(encoding="utf-8")
        if script.name == "plotly_config.js":
            assert "setPlotConfig" in text
            continue
        for word in ("showSendToCloud", "plotlyServerURL", "displaylogo", "showLink",
                     "setPlotConfig", "sendData"):
            assert word not in text, (script.name, word)
