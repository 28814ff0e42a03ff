"""How `offramp serve` runs waitress, and what it trusts from a TLS proxy in front."""

from django.conf import settings

FORWARDED_PROTO = "x-forwarded-proto"
FORWARDED_FOR = "x-forwarded-for"


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
