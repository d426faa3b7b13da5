"""The benchmark's verdict (bench/verdict.py) on timings made up for the purpose."""
from bench.verdict import verdict


def _pass(p50s: dict[str, float]) -> dict:
    floor = {"p50_ms": 1.0, "p95_ms": 1.5, "statuses": {"200": 30}}
    return {"healthz": floor, "healthz (end of the pass)": floor} | {
        name: {"p50_ms": p50, "p95_ms": p50 * 1.5, "statuses": {"200": 30}}
        for name, p50 in p50s.items()}


def _scale(passes: list[dict]) -> dict:
    return {"passes": [_pass(p) for p in passes], "urls": {"flat": "/a", "growing": "/b"},
            "queries": {"flat": 3, "growing": 3}, "worker_rss_mb": [150.0, 151.0],
            "load_average_at_start": [0.1, 0.1, 0.1], "cores": 2,
            "export": {"ratio": 10.0}, "search_url": None}


def test_growth_is_compared_pass_by_pass_and_one_burst_does_not_fail_a_page():
    # Pass 2 met a burst of the machine while « flat » was timed at 100× only: the ratio of
    # the medians (4.1 → 6.1) would read 1.49; pass by pass, 100× is within 5 % of 1×.
    one = _scale([{"flat": 4.0, "growing": 4.0}, {"flat": 4.1, "growing": 4.2},
                  {"flat": 6.0, "growing": 4.1}])
    hundred = _scale([{"flat": 4.2, "growing": 6.0}, {"flat": 6.3, "growing": 6.4},
                      {"flat": 6.1, "growing": 6.1}])
    result = verdict({1: one, 100: hundred})
    flat, growing = result["pages"]["flat"], result["pages"]["growing"]
    assert flat["scale_ratio"] == 1.05 and flat["scale_ratio_spread"] == [1.02, 1.54]
    assert flat["ok"]
    assert growing["scale_ratio"] == 1.5 and not growing["ok"]
    assert growing["problems"] == ["p50 at 100× over 1.2 × its p50 at 1×"]
    assert result["pages_failing"] == ["growing"] and result["verdict"] == "FAIL"
