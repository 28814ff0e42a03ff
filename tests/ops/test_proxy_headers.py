"""gunicorn's proxy rules (offramp/ops/serving.py: ProxyHeaders), the same as waitress's: forwarded
headers only from the trusted proxy, the client's address that many hops back. The whole path through
a real nginx is tests/ops/test_behind_proxy.py; these are the edge cases it does not send."""

from offramp.ops.serving import ProxyHeaders, gunicorn_logging


def _seen(environ, *, behind_proxy=True, count=1):
    seen = {}

    def app(env, start_response):
        seen.update(env)
        return [b""]

    ProxyHeaders(app, behind_proxy=behind_proxy, trusted_proxy="127.0.0.1", count=count)(dict(environ), None)
    return seen


FORWARDED = {
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7",
    "HTTP_X_FORWARDED_HOST": "evil.example",
}


def test_from_the_proxy_it_keeps_the_scheme_and_takes_the_address_count_hops_back():
    seen = _seen({"REMOTE_ADDR": "127.0.0.1", **FORWARDED})
    assert seen["HTTP_X_FORWARDED_PROTO"] == "https"
    assert seen["REMOTE_ADDR"] == "198.51.100.7"
    assert "HTTP_X_FORWARDED_HOST" not in seen and "HTTP_X_FORWARDED_FOR" not in seen
    assert _seen({"REMOTE_ADDR": "127.0.0.1", **FORWARDED}, count=2)["REMOTE_ADDR"] == "203.0.113.9"
    assert _seen({"REMOTE_ADDR": "127.0.0.1", **FORWARDED}, count=5)["REMOTE_ADDR"] == "203.0.113.9"


def test_from_anyone_else_every_forwarded_header_is_dropped():
    seen = _seen({"REMOTE_ADDR": "127.0.0.2", **FORWARDED})
    assert seen["REMOTE_ADDR"] == "127.0.0.2"
    assert not [k for k in seen if k.startswith("HTTP_X_FORWARDED")]


def test_not_behind_a_proxy_even_the_proxys_address_is_not_believed():
    seen = _seen({"REMOTE_ADDR": "127.0.0.1", **FORWARDED}, behind_proxy=False)
    assert seen["REMOTE_ADDR"] == "127.0.0.1"
    assert not [k for k in seen if k.startswith("HTTP_X_FORWARDED")]


def test_without_a_count_the_proxys_address_stays():
    assert _seen({"REMOTE_ADDR": "127.0.0.1", **FORWARDED}, count=0)["REMOTE_ADDR"] == "127.0.0.1"


def test_gunicorns_loggers_hand_their_lines_to_the_root_handler():
    logging = gunicorn_logging({"version": 1, "loggers": {"django.db.backends": {"level": "INFO"}}})
    assert logging["loggers"]["gunicorn.error"] == {"level": "INFO", "handlers": [], "propagate": True}
    assert logging["loggers"]["django.db.backends"] == {"level": "INFO"}
