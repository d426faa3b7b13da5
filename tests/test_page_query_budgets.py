"""Budget: no page's number of SQL queries grows with the data.

Runs the benchmark's generator (bench/generate.py: the demo cloned and its big tables
amplified) at two scales in a subprocess, on the suite's database engine, and counts the
statements of every page the benchmark's sweep reaches (bench/sweep.py: every GET route of
a territory but downloads; bench/run.py --queries-only)."""
import json
import os
import subprocess
import sys

import pytest

from tests.scratch_db import ROOT


@pytest.mark.slow
def test_every_page_query_count_does_not_grow_with_the_data(app):
    db = "postgresql" if os.environ.get("TEST_DATABASE") == "postgresql" else "sqlite"
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--queries-only", "--scales", "1,3", "--db", db],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.stdout, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    low, high = report["queries"]["1x"], report["queries"]["3x"]
    routes = {rule.endpoint for rule in app.url_map.iter_rules()
              if "GET" in rule.methods and "territory" in rule.arguments}
    # every page is counted, or listed with the reason it is not (a download, a query parameter)
    assert set(low) | set(report["skipped"]) == routes, routes - set(low) - set(report["skipped"])
    assert len(low) > len(report["skipped"]), report["skipped"]
    assert {"territory.home", "action_plans.plan", "conventions.portfolio"} <= set(low)
    for name, count in low.items():
        assert isinstance(count, int), f"{name} answered {count}"
    assert report["growing"] == [], f"query counts grow with the data: {low} → {high}"
