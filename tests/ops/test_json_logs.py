"""OFFRAMP_LOG_FORMAT=json writes one JSON object a line: time, level, logger, message."""

import json

import pytest

from tests.commands import offramp_env, run_offramp
from tests.ops.servers import free_port, http_get, migrate, offramp_process, wait_until


@pytest.mark.parametrize(
    ("server", "logger", "started"),
    [
        ("gunicorn", "gunicorn.error", "Listening at: http://127.0.0.1:{port}"),
        ("waitress", "waitress", "Serving on http://127.0.0.1:{port}"),
    ],
)
def test_the_server_logs_one_json_object_a_line(tmp_path, server, logger, started):
    env = offramp_env(tmp_path, OFFRAMP_MODE="test", OFFRAMP_LOG_FORMAT="json")
    migrate(env)
    port = free_port()
    log = tmp_path / "serve.log"
    serve = ("serve", "--port", str(port), "--server", server, "--processes", "1")
    with offramp_process(*serve, env=env, port=port, log=log):
        http_get(f"http://127.0.0.1:{port}/healthz")  # 503 without a worker: logged by django.request
        wait_until(lambda: "/healthz" in log.read_text(), timeout=10, what="the request logged")
    records = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    start = [
        r for r in records if r["logger"] == logger and r["message"].startswith(started.format(port=port))
    ]
    assert start, records
    assert start[0]["level"] == "INFO"
    assert start[0]["time"].endswith("+00:00")
    by_logger = {record["logger"]: record for record in records}
    assert by_logger["django.request"]["level"] == "ERROR"
    assert by_logger["django.request"]["message"] == "Service Unavailable: /healthz"


def test_it_refuses_an_unknown_log_format(tmp_path):
    result = run_offramp("check", env=offramp_env(tmp_path, OFFRAMP_MODE="test", OFFRAMP_LOG_FORMAT="xml"))
    assert result.returncode != 0
    assert "OFFRAMP_LOG_FORMAT must be one of text, json, not 'xml'" in result.stderr
