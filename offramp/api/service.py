"""The API object: /api/v1/, its routers and handlers (mounted in offramp/urls.py)."""

from offramp.api.core import IntegrationToken, OfframpAPI, install_handlers
from offramp.api.endpoints import hsds, program

DESCRIPTION = """offramp's API for the systems a LEAD site already has: the police records system,
the prosecutor's case system and service providers. Clients are integrations, each with a token an
administrator issues (Integrations page) for one program, a list of scopes, an expiry and a rate limit.
Every error is an RFC 9457 problem document (application/problem+json) naming the field; a refused
request changes nothing."""

api = OfframpAPI(
    title="offramp",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=IntegrationToken(),
    docs_url=None,  # the interactive page would need a CDN's script; the document is enough
)
install_handlers(api)
api.add_router("/", program.router)
api.add_router("/hsds", hsds.router)
