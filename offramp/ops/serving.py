"""How `offramp serve` runs its server (gunicorn on every core, or waitress in one process), and what
either trusts from a TLS proxy in front."""

import os
import sys

from django.conf import settings

FORWARDED_PROTO = "x-forwarded-proto"
FORWARDED_FOR = "x-forwarded-for"
GUNICORN = "gunicorn"
WAITRESS = "waitress"
SERVERS = (GUNICORN, WAITRESS)
# A gthread worker that has not told the master it is alive for this long is restarted; its threads
# keep answering meanwhile, so a slow request alone does not trip it.
WORKER_TIMEOUT_SECONDS = 120
GRACEFUL_SECONDS = 30
KEEPALIVE_SECONDS = 75


def default_server() -> str:
    """gunicorn where it runs (it forks: Linux and other Unixes), else waitress."""
    return WAITRESS if sys.platform == "win32" else GUNICORN


def default_processes() -> int:
    """One process per core this server may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def waitress_options(*, host: str, port: int, threads: int) -> dict:
    """Keyword arguments for waitress.serve.

    Waitress drops X-Forwarded-* headers from any peer it does not trust. Behind a proxy
    (OFFRAMP_BEHIND_PROXY) it trusts them from OFFRAMP_TRUSTED_PROXY only: the scheme, so
    requests count as HTTPS (no redirect loop, HSTS sent, CSRF's origin check passes), and with
    OFFRAMP_TRUSTED_PROXY_COUNT hops of X-Forwarded-For, the client's address for the audit log.
    """
    options = {"host": host, "port": port, "threads": threads, "ident": "offramp"}
    if settings.BEHIND_PROXY:
        headers = {FORWARDED_PROTO}
        if settings.TRUSTED_PROXY_COUNT:
            headers.add(FORWARDED_FOR)
        options.update(
            trusted_proxy=settings.TRUSTED_PROXY,
            trusted_proxy_count=max(1, settings.TRUSTED_PROXY_COUNT),
            trusted_proxy_headers=headers,
            clear_untrusted_proxy_headers=True,
        )
    return options


def gunicorn_options(*, host: str, port: int, processes: int, threads: int) -> dict:
    """gunicorn's settings: `processes` gthread workers of `threads` threads each.

    gunicorn itself trusts no forwarded header (`forwarded_allow_ips` empty): the scheme and the
    client's address are taken from the proxy by `ProxyHeaders` below, the same rules as waitress.
    """
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": processes,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": WORKER_TIMEOUT_SECONDS,
        # Idle keep-alive connections stay open longer than nginx keeps its upstream ones (60 s), so
        # the proxy never sends a request down a connection gunicorn is just closing.
        "keepalive": KEEPALIVE_SECONDS,
        "graceful_timeout": GRACEFUL_SECONDS,
        "proc_name": "offramp",
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
        "preload_app": False,  # each worker builds the application (and its connections) after the fork
        "accesslog": None,
        "loglevel": "info",
        "logconfig_dict": gunicorn_logging(settings.LOGGING),
    }


def gunicorn_logging(django_logging: dict) -> dict:
    """Django's logging (text or OFFRAMP_LOG_FORMAT=json) for gunicorn's own messages too: its loggers
    pass their records to the root handler instead of writing a format of their own."""
    own = {"level": "INFO", "handlers": [], "propagate": True}
    return {
        **django_logging,
        "loggers": {**django_logging.get("loggers", {}), "gunicorn.error": own, "gunicorn.access": own},
    }


class ProxyHeaders:
    """WSGI middleware for gunicorn with waitress's proxy rules.

    From a peer other than OFFRAMP_TRUSTED_PROXY (or when not behind a proxy) every X-Forwarded-*
    header is dropped, so nobody reaching the app server directly can claim HTTPS or an address.
    From the proxy, X-Forwarded-Proto stays (Django's SECURE_PROXY_SSL_HEADER reads it) and, with
    OFFRAMP_TRUSTED_PROXY_COUNT, the X-Forwarded-For entry that many hops back becomes REMOTE_ADDR.
    """

    def __init__(self, application, *, behind_proxy: bool, trusted_proxy: str, count: int):
        self.application = application
        self.behind_proxy = behind_proxy
        self.trusted_proxy = trusted_proxy
        self.count = count

    def __call__(self, environ, start_response):
        trusted = self.behind_proxy and environ.get("REMOTE_ADDR") == self.trusted_proxy
        forwarded_for = environ.get("HTTP_X_FORWARDED_FOR", "")
        for key in [k for k in environ if k.startswith("HTTP_X_FORWARDED_")]:
            if not trusted or key not in ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR"):
                del environ[key]
        if trusted:
            environ.pop("HTTP_X_FORWARDED_FOR", None)
            hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
            if self.count and hops:
                environ["REMOTE_ADDR"] = hops[-self.count :][0]
        return self.application(environ, start_response)


def gunicorn_run(application_factory, options: dict) -> None:
    """Run gunicorn in this process as its master; each worker calls `application_factory()`."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return ProxyHeaders(
                application_factory(),
                behind_proxy=settings.BEHIND_PROXY,
                trusted_proxy=settings.TRUSTED_PROXY,
                count=settings.TRUSTED_PROXY_COUNT,
            )

    Server().run()
