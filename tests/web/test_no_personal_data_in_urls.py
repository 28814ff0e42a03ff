"""No personal data in any URL: every form on every page, for every role, either posts or asks for
nothing personal; the lookup and every search post. A query string lands in server logs, browser
history and Referer headers."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import offramp
from offramp.access.roles import Role
from tests.access import test_url_matrix as matrix

# Field names that carry who someone is. A form that sends any of them must POST.
PERSONAL = {"name", "first_name", "last_name", "middle_name", "date_of_birth", "dob", "alias", "phone"}
# Forms that GET, with why: each filters or pages a list, or searches services, never a person.
GET_FORMS = {
    "cases/caseload.html": "caseload filters: status, flag, sort, case manager id",
    "access/audit_log.html": "audit log filters: dates, action, actor id",
    "directory/search.html": "service directory search: words about services and places",
    "transitions/referral_new.html": "service directory search inside a new service referral",
    "accounts/users.html": "staff accounts search and pages: staff names, never a participant",
    "reports/dashboard.html": "dashboard filters: a period of months and a door",
    "referrals/continuous.html": "equity audit period: two dates",
    "reports/funder.html": "the funder report's quarter",
    "cases/overview.html": "case managers search and sort: staff names, never a participant",
    "cases/case_detail.html": "the assign form's case manager search: staff names, never a participant",
    "workgroup/agenda.html": "the action item's attendee search: staff names, never a participant",
}


class Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []  # (method, action, [field names])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(((attrs.get("method") or "get").lower(), attrs.get("action") or "", []))
        elif tag in ("input", "select", "textarea") and self.forms and attrs.get("name"):
            self.forms[-1][2].append(attrs["name"])


def test_every_template_form_posts_or_is_a_known_filter():
    root = Path(offramp.__file__).parent
    seen_get = set()
    for template in root.glob("*/templates/**/*.html"):
        name = template.as_posix().split("/templates/", 1)[1]
        for tag in re.findall(r"<form\b[^>]*>", template.read_text(encoding="utf-8")):
            if 'method="post"' not in tag:
                seen_get.add(name)
    assert seen_get == set(GET_FORMS), f"forms that GET: {sorted(seen_get)}"


ROLES = (Role.OFFICER, Role.CASE_MANAGER, Role.CASE_SUPERVISOR, Role.PROJECT_MANAGER, Role.PROSECUTOR)


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_no_rendered_form_sends_personal_data_in_a_url(world, login, role):
    client = login(world.users[role])
    checked = 0
    for name in matrix.PAGES:
        if not matrix._allowed(role, name, "own"):
            continue
        response = matrix._open(client, world, name, "own")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(response.content.decode())
        path = response.wsgi_request.path
        for method, action, fields in parser.forms:
            checked += 1
            if method != "post":
                sent = sorted(PERSONAL & set(fields))
                assert not sent, f"{name}: a GET form sends {sent}"
            # The participant search and the lookup always post, wherever their form appears.
            if (action or path) in ("/search/", "/lookup/"):
                assert method == "post", f"{name}: the form to {action or path} does not post"
    assert checked > 0
