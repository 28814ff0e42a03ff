"""Every URL x every role x (own record, another record in the program, a record in another program).

Expectations come from the permission matrix (which `test_policy` holds equal to
docs/permissions.md): each page names the data category it shows and the scope it
needs. A new URL pattern fails `test_it_knows_every_url` until it is added here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from offramp.access.models import AuditEntry
from offramp.access.policy import MATRIX, Category, Scope
from offramp.access.roles import Role

# url name -> (category, minimum scope, kind). kind: "list" pages take no object; "case" pages take a case.
PAGES = {
    "referrals:mine": (Category.OWN_REFERRALS, Scope.OWN, "list"),
    "cases:caseload": (Category.CASE_RECORD, Scope.OWN, "list"),
    "cases:detail": (Category.CASE_RECORD, Scope.OWN, "case"),
    "cases:overview": (Category.CASE_RECORD, Scope.PROGRAM, "list"),
    "people:lookup": (Category.STATUS, Scope.LIMITED, "search"),
    "web:evaluation": (Category.DEIDENTIFIED, Scope.PROGRAM, "aggregate"),
    "accounts:users": (Category.USERS, Scope.PROGRAM, "staff"),
}
# Pages that show no participant data, with why.
OTHER_PAGES = {
    "home": "redirects to the role's landing page",
    "healthz": "liveness probe, no data",
    "jobs:detail": "a background task's progress, shown only to whoever started it (tests/web/test_jobs.py)",
    "jobs:progress": "the same progress as JSON (tests/web/test_jobs.py)",
    "demo:seed": "demo sites only: adds synthetic people as a background task (tests/web/test_jobs.py)",
}
PARTICIPANT_KINDS = {"list", "case", "search", "aggregate"}


def _names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "account" or "allauth" in str(entry.urlconf_name):
                continue  # django-allauth's sign-in pages: covered by the log-in tests
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_it_knows_every_url():
    assert set(_names()) == set(PAGES) | set(OTHER_PAGES)


def _allowed(role, name, target=None) -> bool:
    category, minimum, kind = PAGES[name]
    scope = MATRIX[category][role]
    if scope < minimum:
        return False
    if kind == "case" and target == "other":
        return scope == Scope.PROGRAM
    return target != "foreign"


def _url(world, name, target):
    if PAGES[name][2] == "case":
        case = {"own": world.own_case, "other": world.other_case, "foreign": world.foreign_case}[target]
        return reverse(name, args=[case.pk])
    if name == "people:lookup":
        return reverse(name) + "?last_name=Lopez&date_of_birth=1980-05-17"
    return reverse(name)


def _targets(name):
    return ("own", "other", "foreign") if PAGES[name][2] == "case" else ("own",)


CASES = [(role, name, target) for role in Role for name in PAGES for target in _targets(name)]


@pytest.mark.parametrize(("role", "name", "target"), CASES, ids=[f"{r.value}-{n}-{t}" for r, n, t in CASES])
def test_it_answers_each_role_as_the_matrix_says(world, login, role, name, target):
    client = login(world.users[role])
    before = AuditEntry.objects.count()
    response = client.get(_url(world, name, target))
    expected = 200 if _allowed(role, name, target) else 404
    assert response.status_code == expected
    if PAGES[name][2] in PARTICIPANT_KINDS and expected == 200:
        written = AuditEntry.objects.count() - before
        assert written >= 1, f"{name} showed participant data without an audit entry"
        entry = AuditEntry.objects.order_by("-id").first()
        assert entry.actor == world.users[role]
        assert entry.program == world.program
        assert entry.source_address == "127.0.0.1"


@pytest.mark.parametrize("name", [n for n in PAGES if PAGES[n][2] == "case"])
@pytest.mark.parametrize("target", ["own", "other"])
def test_it_hides_every_record_from_another_programs_staff(world, login, name, target):
    client = login(world.outsider)  # holds every role, but in the other program
    assert client.get(_url(world, name, target)).status_code == 404


@pytest.mark.parametrize("name", [n for n in PAGES if PAGES[n][2] in {"list", "search", "aggregate"}])
def test_it_never_lists_another_programs_participants(world, login, name):
    client = login(world.outsider)
    response = client.get(_url(world, name, "own"))
    assert response.status_code == 200
    body = response.content.decode()
    if name == "people:lookup":  # the form echoes the name searched for; the answer must be "none"
        assert "No active participant found." in body
        return
    for case in (world.own_case, world.other_case):
        assert case.person.legal_last_name not in body


def test_it_audits_a_refused_record_read(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    client.get(reverse("cases:detail", args=[world.other_case.pk]))
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_id, entry.outcome) == ("read", str(world.other_case.pk), "not_found")


def test_it_sends_anonymous_visitors_to_sign_in(world, client):
    for name in PAGES:
        response = client.get(_url(world, name, "own"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
