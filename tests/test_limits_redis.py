"""With several processes the limits are shared through Redis (README, « Déployer sur
plusieurs machines »): two gunicorn servers of two workers each, one real ``redis-server``
started by the test. Failed logins and wrong join codes sent to the four processes in turn
are counted once, together; successful logins are not counted.

With ``memory://`` each process would count alone and the attempt over the limit would go
through: this test would fail.
"""
import os

import pytest

from tests.live_load_support import FACILITATOR, PASSWORD, Browser, Gunicorn, run_module
from tests.redisserver import redis_available, running_redis
from tests.scratch_db import flask_cli, scratch_databases

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not redis_available(), reason="needs redis-server (installed by .ci/run)"),
    pytest.mark.skipif(os.environ.get("TEST_DATABASE") == "postgresql",
                       reason="the store of the limits does not depend on the database: "
                              "run once, on the SQLite pass"),
]

ACCOUNT_LIMIT, CODE_LIMIT = 3, 4


def _login(base, password):
    browser = Browser(base)
    browser.request("GET", "/login")
    status, _h, _t = browser.request("POST", "/login",
                                     {"email": FACILITATOR, "password": password})
    return status


def test_limits_are_shared_by_every_process_through_redis(database_url):
    import redis

    with scratch_databases(database_url) as new, running_redis() as store:
        url = new()
        flask_cli(url, "db", "upgrade", "heads")
        run_module(url, "setup", "1")
        env = {"RATELIMIT_STORAGE_URI": store, "LOGIN_RATE_LIMIT": "50 per minute",
               "LOGIN_ACCOUNT_RATE_LIMIT": f"{ACCOUNT_LIMIT} per minute",
               "JOIN_CODE_LIMIT": f"{CODE_LIMIT} per minute"}
        servers = [Gunicorn(url, workers=2, config=None, env=env) for _ in range(2)]
        try:
            for server in servers:
                server.start()
            bases = [s.base for s in servers]
            # Successful logins are not counted, however many, on every process.
            assert [_login(bases[n % 2], PASSWORD) for n in range(8)] == [302] * 8
            # Failed attempts on one account, to the processes in turn.
            failed = [_login(bases[n % 2], f"mauvais-{n}") for n in range(ACCOUNT_LIMIT)]
            assert failed == [200] * ACCOUNT_LIMIT
            assert [_login(base, "mauvais-encore") for base in bases] == [429, 429]
            assert _login(bases[1], PASSWORD) == 429  # the account waits, even right
            # Wrong join codes from one IP, to the processes in turn.
            guesses = [Browser(bases[n % 2]).request("GET", f"/j/ZZZZ{n:02d}")[0]
                       for n in range(CODE_LIMIT)]
            assert guesses == [404] * CODE_LIMIT
            assert [Browser(base).request("GET", "/j/ZZZZ99")[0] for base in bases] == [429, 429]
            client = redis.Redis.from_url(store)
            assert client.keys("LIMITS*"), "the limits are not in Redis"
            client.close()
        finally:
            for server in servers:
                server.stop()
