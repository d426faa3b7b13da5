"""Budget: a main page's number of SQL queries does not grow with the data.

Runs the benchmark's generator (bench/generate.py: the demo cloned and its big tables
amplified) at two scales in a subprocess, on the suite's database engine, and counts the
statements of each main page (bench/run.py --queries-only)."""
import json
import os
import subprocess
import sys

import pytest

from tests.scratch_db import ROOT


@pytest.mark.slow
def test_main_pages_query_counts_do_not_grow_with_the_data():
    db = "postgresql" if os.environ.get("TEST_DATABASE") == "postgresql" else "sqlite"
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--queries-only", "--scales", "1,3", "--db", db],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.stdout, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    low, high = report["queries"]["1x"], report["queries"]["3x"]
    assert low, f"no page measured: {report['not_measured']}"
    for name, count in low.items():
        assert isinstance(count, int), f"{name} answered {count}"
    assert report["growing"] == [], f"query counts grow with the data: {low} → {high}"
