"""RFC 9457 problem documents: every error the API returns is one, naming the field where there is one."""

import json

from django.http import HttpResponse

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://offramp.invalid/problems/"  # a stable identifier, not a page to fetch

TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Scope not granted",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    415: "Unsupported media type",
    422: "Invalid request",
    429: "Too many requests",
    500: "Server error",
}
SLUGS = {
    400: "bad-request",
    401: "not-authenticated",
    403: "scope-not-granted",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid-request",
    429: "rate-limited",
    500: "server-error",
}


def problem(status: int, detail: str, *, errors: list[dict] | None = None, headers: dict | None = None):
    """A problem response. `errors` lists {"field": dotted path or "", "detail": message}."""
    body = {
        "type": TYPE_BASE + SLUGS.get(status, "error"),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "errors": errors or [],
    }
    response = HttpResponse(json.dumps(body), status=status, content_type=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_path(loc) -> str:
    """pydantic's error location without its source (body, query, header): arrests.3.statute."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    if parts and parts[0] in ("body", "paging"):  # the endpoint's parameter name
        parts = parts[1:]
    return ".".join(parts)


# The shape documented in the OpenAPI document for every error response.
PROBLEM_SCHEMA = {
    "title": "Problem",
    "type": "object",
    "description": "An RFC 9457 problem document.",
    "required": ["type", "title", "status", "detail", "errors"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "detail"],
                "properties": {"field": {"type": "string"}, "detail": {"type": "string"}},
            },
        },
    },
}
