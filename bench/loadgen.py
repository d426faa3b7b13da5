"""A small, bounded HTTP load generator (its own process; loopback only).

    python -m bench.loadgen --email … --password … \
        --requests 200 --concurrency 2 --time-limit 30 < targets.json

reads ``{"1x": {"base": "http://127.0.0.1:8123", "urls": {"name": "/path", …}}, …}`` on
standard input (one target per server: the bench's scales), signs in to each server once
(the login form and its CSRF token, like a browser), then takes the names one by one and
times each on every target that has it, back to back (the targets' order turning by one
from a name to the next, so that no target is always first): a few warm-up requests, then
``--requests`` timed ones from ``--concurrency`` threads (stopping early after
``--time-limit`` seconds). A page's times at two targets are thus taken seconds apart and
a drift of the machine's speed touches both alike. Prints one JSON document: per target
and URL, requests per second and the p50 / p95 / p99 latencies in milliseconds, with the
status codes seen.
"""
from __future__ import annotations

import argparse
import http.client
import json
import re
import statistics
import sys
import threading
import time
from urllib.parse import urlencode, urlsplit

WARM_UP = 5


class Client:
    def __init__(self, base: str):
        parts = urlsplit(base)
        if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
            raise SystemExit("loadgen: loopback addresses only")
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in list(self.cookies.items()))
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _eq, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return response.status, data
        finally:
            connection.close()

    def sign_in(self, email: str, password: str) -> None:
        status, page = self.request("GET", "/login")
        match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
        token = match.group(1).decode() if match else ""
        status, _ = self.request("POST", "/login", urlencode(
            {"email": email, "password": password, "csrf_token": token}))
        if status != 302:
            raise SystemExit(f"loadgen: sign-in failed ({status})")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure(client: Client, path: str, requests: int, concurrency: int,
            time_limit: float) -> dict:
    for _ in range(WARM_UP):
        client.request("GET", path)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.monotonic() + time_limit

    def worker():
        while True:
            with lock:
                if remaining[0] <= 0 or time.monotonic() > deadline:
                    return
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                status, _body = client.request("GET", path)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[str(status)] = statuses.get(str(status), 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / wall, 1) if wall else None,
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "mean_ms": round(statistics.fmean(latencies), 2) if latencies else None,
        "statuses": statuses,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args(argv)
    targets = json.load(sys.stdin)
    clients = {label: Client(target["base"]) for label, target in targets.items()}
    for client in clients.values():
        client.sign_in(args.email, args.password)
    results: dict[str, dict] = {label: {} for label in targets}
    labels = list(targets)
    names = list(dict.fromkeys(name for target in targets.values() for name in target["urls"]))
    for index, name in enumerate(names):
        turn = index % len(labels)
        for label in labels[turn:] + labels[:turn]:
            path = targets[label]["urls"].get(name)
            if path is not None:
                results[label][name] = measure(
                    clients[label], path, min(args.requests, 10_000),
                    max(1, min(args.concurrency, 16)), args.time_limit)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
