"""The benchmark's budgets and verdict, and the table it prints (bench/run.py).

Each page is timed in several passes (``--repeats``) over every page; its p50 at a scale
is the median of the passes' p50s, reported with their spread (lowest and highest), and
the floor (``/healthz``) likewise.
"""
from __future__ import annotations

import statistics
import sys

from bench.sweep import MAIN_PAGES

BUDGETS = {
    "floor_ratio": 10.0,          # every page's p50 ≤ 10 × /healthz's
    "floor_ratio_main": 8.0,      # the ten main pages ≤ 8 ×
    "scale_ratio": 1.2,           # p50 at the largest scale ≤ 1.2 × p50 at the smallest
                                  # (median of the passes' ratios)
    "search_floor_ratio": 5.0,    # the organisation picker's search ≤ 5 × /healthz
    "export_ratio": 12.0,         # the plan's document of 1,000 actions ≤ 12 × that of 100
    "rss_mb": 200.0,              # every worker after the largest scale
}
SEARCH = "actors.search"
FLOOR_END = "healthz (end of the pass)"
# A load average per core above this at the start of a scale makes its times suspect.
BUSY_LOAD_PER_CORE = 1.0


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def summarise(passes: list[dict], *names: str) -> dict | None:
    """Median p50 / p95 over the passes (of each of ``names``: the floor is timed at both
    ends of a pass), the spread of the p50s, the statuses seen."""
    results = [p[name] for p in passes for name in names if name in p]
    if not results:
        return None
    p50s = [r["p50_ms"] for r in results]
    statuses: dict[str, int] = {}
    for result in results:
        for status, count in result["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    return {"p50_ms": _median(p50s), "p95_ms": _median([r["p95_ms"] for r in results]),
            "p50_spread_ms": [min(p50s), max(p50s)], "statuses": statuses}


def paired_ratio(low: list[dict], high: list[dict], name: str) -> tuple[float, list[float]]:
    """A page's p50 at the largest scale over its p50 at the smallest, pass by pass (the
    scales are timed back to back in each pass: each ratio compares times taken seconds
    apart); the median of the passes' ratios and their spread."""
    ratios = [h[name]["p50_ms"] / l[name]["p50_ms"] for l, h in zip(low, high)
              if name in l and name in h and l[name]["p50_ms"] > 0]
    return _median(ratios), [round(min(ratios), 2), round(max(ratios), 2)]


def verdict(scales: dict[int, dict]) -> dict:
    order = sorted(scales)
    low, high = order[0], order[-1]
    floors = {s: summarise(scales[s]["passes"], "healthz", FLOOR_END) for s in order}
    floor = {s: floors[s]["p50_ms"] for s in order}
    pages, failures = {}, []
    for name in scales[low]["urls"]:
        timed = {s: summarise(scales[s]["passes"], name) for s in order}
        if any(t is None for t in timed.values()):
            continue
        budget = BUDGETS["floor_ratio_main"] if name in MAIN_PAGES else BUDGETS["floor_ratio"]
        entry = {"main": name in MAIN_PAGES, "floor_budget": budget}
        for s in order:
            entry[f"{s}x"] = timed[s] | {
                "floor_ratio": round(timed[s]["p50_ms"] / floor[s], 1),
                "queries": scales[s]["queries"].get(name)}
        entry["scale_ratio"], entry["scale_ratio_spread"] = paired_ratio(
            scales[low]["passes"], scales[high]["passes"], name)
        problems = []
        if len(order) > 1 and entry["scale_ratio"] > BUDGETS["scale_ratio"]:
            problems.append(f"p50 at {high}× over {BUDGETS['scale_ratio']} × its p50 at {low}×")
        worst = max(entry[f"{s}x"]["floor_ratio"] for s in order)
        if worst > budget:
            problems.append(f"p50 over {budget:g} × the floor")
        if len({entry[f"{s}x"]["queries"] for s in order}) > 1:
            problems.append("query count grows with the data")
        if any(set(t["statuses"]) != {"200"} for t in timed.values()):
            problems.append("non-200 answers")
        entry["ok"] = not problems
        if problems:
            entry["problems"] = problems
            failures.append(name)
        pages[name] = entry
    worst_ten = sorted(pages, key=lambda n: -pages[n][f"{high}x"]["floor_ratio"])[:10]
    search = _search(scales[high], floor[high])
    one = scales[low]
    export = one.get("export") or {}
    export_ok = export.get("ratio") is not None and export["ratio"] <= BUDGETS["export_ratio"]
    rss = max(scales[high]["worker_rss_mb"], default=0)
    rss_ok = 0 < rss < BUDGETS["rss_mb"]
    # Busy: other work at the start of the run. A later scale's load average is mostly the
    # bench's own generation of the previous scale.
    first = order[0]
    busy = {f"{first}x": scales[first]["load_average_at_start"]} \
        if scales[first]["load_average_at_start"][0] / scales[first]["cores"] > BUSY_LOAD_PER_CORE \
        else {}
    ok = not failures and export_ok and rss_ok and search.get("ok", True)
    return {
        "budgets": BUDGETS,
        "floor_p50_ms": {f"{s}x": floors[s] for s in order},
        "pages": pages,
        "worst_ten": [{"page": n, "floor_ratio": pages[n][f"{high}x"]["floor_ratio"],
                       "p50_ms": pages[n][f"{high}x"]["p50_ms"]} for n in worst_ten],
        "organisation_search": search,
        "export": export | {"ok": export_ok},
        "worker_rss_mb": {f"{s}x": scales[s]["worker_rss_mb"] for s in order}
        | {"max_after_largest": rss, "ok": rss_ok},
        "pages_failing": failures,
        "machine_busy_at_start": busy or None,
        "verdict": "PASS" if ok else ("FAIL (machine busy: see machine_busy_at_start)"
                                      if busy else "FAIL"),
    }


def _search(scale: dict, floor: float) -> dict:
    if not scale.get("search_url"):
        return {"measured": False, "reason": "not measured: endpoint absent"}
    timed = summarise(scale["passes"], SEARCH)
    ratio = round(timed["p50_ms"] / floor, 1)
    return {"measured": True, "url": scale["search_url"], **timed, "floor_ratio": ratio,
            "queries": scale["queries"].get(SEARCH),
            "ok": ratio <= BUDGETS["search_floor_ratio"] and set(timed["statuses"]) == {"200"}}


def print_table(document: dict, out=sys.stderr) -> None:
    """Every page: p50 / p95 and ×floor at each scale, queries; then the worst ten."""
    scales = list(document["floor_p50_ms"])
    print("\npage".ljust(44) + "".join(f"{s:>8} p50    p95 ×floor   q " for s in scales)
          + " ratio", file=out)
    for name, entry in sorted(document["pages"].items(),
                              key=lambda item: -item[1][f"{scales[-1]}"]["floor_ratio"]):
        cells = "".join(
            f"{entry[s]['p50_ms']:>13.1f} {entry[s]['p95_ms']:>6.1f} {entry[s]['floor_ratio']:>6.1f}"
            f" {entry[s]['queries']:>3} " for s in scales)
        mark = "" if entry["ok"] else "  FAIL: " + "; ".join(entry["problems"])
        print(f"{('*' if entry['main'] else ' ') + name:<43}{cells}{entry['scale_ratio']:>6}{mark}",
              file=out)
    print("floor /healthz p50 (ms): " + ", ".join(
        f"{s} {document['floor_p50_ms'][s]['p50_ms']}" for s in scales), file=out)
    print("worst ten: " + ", ".join(f"{w['page']} {w['floor_ratio']}×"
                                    for w in document["worst_ten"]), file=out)
    print(f"verdict: {document['verdict']}", file=out)
