"""A busy database (another writer holding SQLite's lock) gives a short wait and a clear 503, never a 500."""

import re
import sqlite3
import time
import urllib.parse
import urllib.request

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory

from offramp.web.views import server_error
from tests.commands import offramp_env
from tests.ops.servers import free_port, migrate, offramp_process


@pytest.mark.urls("tests.ops.busy_urls")
def test_a_page_that_meets_a_busy_database_answers_503_with_a_retry_page(db):
    response = Client(raise_request_exception=False).get("/busy")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert b"offramp is busy for a moment" in response.content
    assert b'href="/busy"' in response.content


@pytest.mark.urls("tests.ops.busy_urls")
def test_any_other_database_error_is_still_a_500(db):
    assert Client(raise_request_exception=False).get("/broken").status_code == 500


def test_a_busy_database_met_outside_a_view_is_a_503_too(db):
    request = RequestFactory().get("/cases/")
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503


def test_the_server_answers_503_after_a_short_wait_while_another_writer_holds_the_lock(tmp_path):
    env = offramp_env(tmp_path, OFFRAMP_MODE="test", OFFRAMP_SQLITE_BUSY_SECONDS="1")
    migrate(env)
    port = free_port()
    url = f"http://127.0.0.1:{port}/accounts/login/"
    with offramp_process("serve", "--port", str(port), env=env, port=port):
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(), urllib.request.ProxyHandler({})
        )
        page = opener.open(url, timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "login": "nobody",
                "password": "wrong password",
                "acknowledge": "on",
            }
        ).encode()
        writer = sqlite3.connect(tmp_path / "offramp.sqlite3", isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # a long import holding the write lock
        try:
            started = time.monotonic()
            with pytest.raises(urllib.error.HTTPError) as busy:
                opener.open(url, data=form, timeout=30)
            waited = time.monotonic() - started
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        assert busy.value.code == 503
        assert busy.value.headers["Retry-After"] == "5"
        assert "offramp is busy for a moment" in busy.value.read().decode()
        assert waited < 10
        again = opener.open(url, data=form, timeout=30)  # the lock is free: the sign-in is refused as usual
        assert again.status == 200
        assert "The username and/or password you specified are not correct." in again.read().decode()
