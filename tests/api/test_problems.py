"""Every error is an RFC 9457 problem document: no HTML page, no traceback, the field named."""

from offramp.api import scopes

FACTS = {"door": "arrest", "statute": "RCW 69.50.4013"}
KEYS = {"type", "title", "status", "detail", "errors"}


def _is_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == KEYS and body["status"] == status
    return body


def test_an_unknown_path_is_a_problem(world, call):
    _is_problem(call("get", "no/such/thing"), 404)


def test_a_missing_token_says_how_to_send_one(world, call):
    response = call("post", "eligibility/preview", json=FACTS)
    body = _is_problem(response, 401)
    assert "Bearer" in body["detail"] and response["WWW-Authenticate"].startswith("Bearer")


def test_a_body_that_is_not_json_is_a_problem(world, protocol, issue, client):
    token = issue(scopes.ELIGIBILITY)
    response = client.post(
        "/api/v1/eligibility/preview",
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code in (400, 422)
    _is_problem(response, response.status_code)


def test_each_bad_field_is_named(world, protocol, issue, call):
    token = issue(scopes.ELIGIBILITY)
    body = _is_problem(
        call("post", "eligibility/preview", token, json={"door": "window", "quantity_grams": -1}), 422
    )
    assert {e["field"] for e in body["errors"]} == {"door", "statute", "quantity_grams"}


def test_a_server_error_is_a_problem_without_a_traceback(world, protocol, issue, call, monkeypatch):
    from offramp.api.endpoints import program

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(program, "eligibility_preview", broken)  # a fault the code cannot cause on purpose
    token = issue(scopes.ELIGIBILITY)
    response = call("post", "eligibility/preview", token, json=FACTS)
    body = _is_problem(response, 500)
    assert b"secret internals" not in response.content and b"Traceback" not in response.content
    assert body["detail"].endswith("nothing was changed.")


def test_no_protocol_is_named(world, issue, call):
    token = issue(scopes.ELIGIBILITY)
    body = _is_problem(call("post", "eligibility/preview", token, json=FACTS), 422)
    assert "protocol" in body["detail"]


def test_the_preview_gives_the_decision_and_reasons(world, protocol, issue, call):
    token = issue(scopes.ELIGIBILITY)
    answer = call("post", "eligibility/preview", token, json={**FACTS, "quantity_grams": 1.0, "age": 30})
    assert answer.status_code == 200
    decision = answer.json()
    assert decision["outcome"] in ("eligible", "needs_review") and decision["reasons"]
    ruled_out = call(
        "post", "eligibility/preview", token, json={"door": "arrest", "statute": "RCW 9A.36.011"}
    )
    assert ruled_out.json()["outcome"] == "ineligible"


def test_a_body_over_the_limit_is_a_413_problem(world, issue, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    token = issue(scopes.ARRESTS_WRITE)
    response = client.post(
        "/api/v1/arrests",
        data='{"arrests": [' + ",".join(['{"incident_number": "X"}'] * 100) + "]}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    _is_problem(response, 413)
