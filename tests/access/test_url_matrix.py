"""Every URL x every role x (own record, another record in the program, a record in another program).

Expectations come from the permission matrix (which `test_policy` holds equal to
docs/permissions.md): each page names the data category it shows and the scope it
needs. A new URL pattern fails `test_it_knows_every_url` until it is added here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from offramp.access.models import AuditEntry
from offramp.access.policy import MATRIX, REVIEWERS, Category, Scope
from offramp.api.core import audited_urls
from offramp.api.service import api
from offramp.programs.roles import Role

# url name -> (category, minimum scope, kind). kind: "list" pages take no object; "case" pages take a case.
PAGES = {
    "referrals:mine": (Category.OWN_REFERRALS, Scope.OWN, "list"),
    "referrals:new": (Category.OWN_REFERRALS, Scope.OWN, "form"),
    "referrals:handoff": (Category.OWN_REFERRALS, Scope.OWN, "referral"),
    "referrals:arrival": (Category.CASE_RECORD, Scope.OWN, "handoff"),
    # Decisions that need review by a role: the reviewing roles' queue, no identity shown.
    "referrals:reviews": (Category.STATUS, Scope.LIMITED, "review"),
    "cases:caseload": (Category.CASE_RECORD, Scope.OWN, "list"),
    "web:day": (Category.CASE_RECORD, Scope.OWN, "list"),
    "cases:detail": (Category.CASE_RECORD, Scope.OWN, "case"),
    "cases:overview": (Category.CASE_RECORD, Scope.PROGRAM, "list"),
    "reports:dashboard": (Category.CASE_RECORD, Scope.PROGRAM, "list"),
    "reports:funder": (Category.CASE_RECORD, Scope.PROGRAM, "list"),
    "reports:funder_csv": (Category.CASE_RECORD, Scope.PROGRAM, "list"),
    "cases:plan": (Category.CASE_RECORD, Scope.OWN, "case"),
    "cases:assessments": (Category.CASE_RECORD, Scope.OWN, "case"),
    "cases:assessment_new": (Category.CASE_RECORD, Scope.OWN, "case_team"),
    "cases:assessment_edit": (Category.CASE_RECORD, Scope.OWN, "assessment"),
    "cases:timeline": (Category.CASE_RECORD, Scope.OWN, "case"),
    "people:profile": (Category.IDENTITY, Scope.OWN, "case"),
    "people:lookup": (Category.STATUS, Scope.LIMITED, "search"),
    "people:search": (Category.IDENTITY, Scope.OWN, "search"),
    "web:evaluation": (Category.DEIDENTIFIED, Scope.PROGRAM, "aggregate"),
    "accounts:users": (Category.USERS, Scope.PROGRAM, "staff"),
    "accounts:user_new": (Category.USERS, Scope.PROGRAM, "staff"),
    "api_admin:integrations": (Category.USERS, Scope.PROGRAM, "staff"),
    # Identity and case records across the program, both (a project manager; the supervisor too).
    "hmis:export": (Category.IDENTITY, Scope.PROGRAM, "form"),
    "bulk:import": (Category.IDENTITY, Scope.PROGRAM, "form"),
    "access:audit": (Category.AUDIT, Scope.PROGRAM, "audit"),
    "access:disclosures": (Category.CASE_RECORD, Scope.OWN, "case"),
    "access:consent_new": (Category.CASE_RECORD, Scope.OWN, "case_team"),
    "access:deidentified_export": (Category.DEIDENTIFIED, Scope.PROGRAM, "aggregate"),
    "analysis:run_report": (Category.DEIDENTIFIED, Scope.PROGRAM, "run"),
    "analysis:run_json": (Category.DEIDENTIFIED, Scope.PROGRAM, "run"),
    "analysis:study_new": (Category.DEIDENTIFIED, Scope.PROGRAM, "form"),
    "analysis:import": (Category.PROGRAM_CONFIG, Scope.PROGRAM, "import"),
    "analysis:links": (Category.IDENTITY, Scope.PROGRAM, "links"),
    "directory:manage": (Category.PROGRAM_CONFIG, Scope.PROGRAM, "form"),
    "directory:export": (Category.PROGRAM_CONFIG, Scope.PROGRAM, "form"),
    "sites:settings": (Category.PROGRAM_CONFIG, Scope.PROGRAM, "form"),
    "sites:questions": (Category.PROGRAM_CONFIG, Scope.PROGRAM, "form"),
    "referrals:screening": (Category.PROGRAM_CONFIG, Scope.PROGRAM, "import"),
    "referrals:equity": (Category.PROGRAM_CONFIG, Scope.PROGRAM, "screening"),
    "referrals:continuous": (Category.PROGRAM_CONFIG, Scope.PROGRAM, "list"),
    "planning:plan": (Category.PROGRAM_CONFIG, Scope.PROGRAM, "form"),
    # Legal coordination: the prosecutor's LIMITED view needs the participant's consent covering legal
    # coordination, which the world's consents (status only) do not give (tests/legal/).
    "legal:list": (Category.LEGAL, Scope.LIMITED, "list"),
    "legal:case": (Category.LEGAL, Scope.LIMITED, "legal_case"),
    "referrals:equity_csv": (Category.PROGRAM_CONFIG, Scope.PROGRAM, "screening"),
    # The workgroup: roles that see participant status attend; each agenda item is then narrowed per
    # case and consent (tests/workgroup/test_workgroup_visibility.py).
    "workgroup:meetings": (Category.STATUS, Scope.LIMITED, "list"),
    "workgroup:mine": (Category.STATUS, Scope.LIMITED, "list"),
    "workgroup:agenda": (Category.STATUS, Scope.LIMITED, "meeting"),
    "transitions:referrals": (Category.CASE_RECORD, Scope.OWN, "case"),
    "transitions:referral_new": (Category.CASE_RECORD, Scope.OWN, "case_team"),
    "transitions:referral_update": (Category.CASE_RECORD, Scope.OWN, "service_referral"),
    # A case's documents: the case team only (tests/documents/test_documents.py).
    "documents:case": (Category.CASE_RECORD, Scope.OWN, "case_team"),
    "documents:download": (Category.CASE_RECORD, Scope.OWN, "document"),
    # Legal holds: program configuration and the program's case records, both (the project manager).
    "retention:holds": (Category.PROGRAM_CONFIG, Scope.PROGRAM, "holds"),
    "transitions:transfer": (Category.CASE_RECORD, Scope.OWN, "case_team"),
}
# Pages that show no participant data, with why.
OTHER_PAGES = {
    "access:release_form": "the printable release of one consent, for the case team that records it "
    "(tests/access/test_release_form.py)",
    "access:consents_expiring": "the case team's consents ending in 30 days: a case manager's own "
    "caseload, a supervisor's program (tests/access/test_consent_expiry.py)",
    "accounts:user_disable": "asks an administrator to confirm disabling a staff account "
    "(users, program; tests/accounts/test_users_page.py)",
    "sites:host": "the host administrator's counts across programs, never a person; 404 to everyone "
    "else (tests/sites/test_host.py)",
    "sites:program_new": "the host administrator creates a program and its first project manager "
    "(tests/sites/test_host.py)",
    "sites:switch": "POST only: a user with roles in several programs chooses one; audited, scopes every "
    "later page (tests/programs/test_program_switch.py)",
    "home": "redirects to the role's landing page",
    "healthz": "liveness probe, no data",
    "access:consent_change": "POST only: revoke a consent or record its proceeding's end "
    "(case_record, own case or program; tests/access/test_consent_revocation.py)",
    "accounts:user_roles": "one staff account's roles, added or removed by an administrator "
    "(users, program; an account with a role in the program; tests/accounts/test_role_admin.py)",
    "accounts:user_status": "POST only: an administrator releases, disables or enables a staff account "
    "(users, program; tests/accounts/test_account_admin.py)",
    "jobs:detail": "a background task's progress, shown only to whoever started it (tests/web/test_jobs.py)",
    "jobs:progress": "the same progress as JSON (tests/web/test_jobs.py)",
    "demo:seed": "demo sites only: adds synthetic people as a background task (tests/web/test_jobs.py)",
    "referrals:review": "POST only: the reviewing role approves or declines one waiting decision "
    "(tests/referrals/test_review_queue.py)",
    "transitions:transfers": "a case supervisor's transfers waiting for a decision; 404 to every other "
    "role (tests/transitions/test_transfer_pages.py)",
    "transitions:transfer_decide": "POST only: a case supervisor accepts or declines a transfer "
    "(tests/transitions/test_transfer_pages.py)",
    "referrals:protocols": "program configuration (tests/referrals/test_protocol_versions.py)",
    "referrals:protocol_export": "a protocol file download (tests/referrals/test_protocol_versions.py)",
    "notifications:inbox": "the user's own notices, each addressed to one user (tests/notifications/)",
    "notifications:read": "marks one of the user's own notices read (tests/notifications/)",
    "analysis:run_start": "POST only: queues a study run (tests/analysis/test_run_from_page.py)",
    "people:profile_link": "POST only: the case team links two person records, never merging them "
    "(tests/people/test_person_links.py)",
    "people:profile_split": "POST only: the case team splits a link; the split is kept "
    "(tests/people/test_person_links.py)",
    "people:suggestions": "possible duplicates an import suggested: a case manager's pairs on their own "
    "caseload, a supervisor's in the program; 404 to every other role "
    "(tests/people/test_link_suggestion_review.py)",
    "people:suggestion_confirm": "POST only: the case team confirms a suggested pair, an ordinary link "
    "(tests/people/test_link_suggestion_review.py)",
    "people:suggestion_dismiss": "POST only: the case team dismisses a suggested pair, kept so it is not "
    "suggested again (tests/people/test_link_suggestion_review.py)",
    "cases:oncall": "the on-call rota: staff and hours, no participant data; case supervisors and the "
    "project manager (tests/programs/test_oncall_rota.py)",
    "cases:oncall_remove": "POST only: a supervisor or the project manager removes a shift "
    "(tests/programs/test_oncall_rota.py)",
    "directory:search": "service directory, not participant data: any staff role (tests/directory/)",
    "workgroup:meeting_new": "POST only: a project manager creates a meeting and its agenda "
    "(tests/workgroup/test_workgroup_actions.py)",
    "workgroup:item_discussion": "POST only: a project manager records an agenda item's discussion "
    "(tests/workgroup/test_workgroup_actions.py)",
    "workgroup:item_decision": "POST only: a project manager records a decision on an agenda item "
    "(tests/workgroup/test_workgroup_actions.py)",
    "workgroup:action_item_new": "POST only: a project manager adds an action item "
    "(tests/workgroup/test_workgroup_actions.py)",
    "workgroup:action_done": "POST only: an action item's owner or a project manager marks it done "
    "(tests/workgroup/test_workgroup_actions.py)",
    "cases:contact_add": "POST only: record a contact (case team: own case or program; "
    "tests/cases/test_contact_entry.py)",
    "cases:intake_complete": "POST only: intake completed (case team: own case or program; "
    "tests/cases/test_status_changes.py)",
    "cases:inactivate": "POST only: the case becomes inactive (case team: own case or program; "
    "tests/cases/test_status_changes.py)",
    "cases:reengage": "POST only: the case is re-engaged (case team: own case or program; "
    "tests/cases/test_status_changes.py)",
    "cases:exit": "POST only: the case exits (case team: own case or program; "
    "tests/cases/test_status_changes.py)",
    "cases:status_unknown": "POST only: a change of status the case page does not offer, answered 400 "
    "(tests/cases/test_status_changes.py)",
    "cases:assign": "POST only: a supervisor assigns a case (tests/cases/test_case_assignment.py)",
    "cases:plan_goal_add": "POST only: a goal added to the plan (case team: own case or program; "
    "tests/cases/test_plan_edits.py)",
    "cases:plan_goal_edit": "POST only: a goal and its steps changed (case team: own case or program; "
    "tests/cases/test_plan_edits.py)",
    "cases:plan_step_add": "POST only: a step added to a goal (case team: own case or program; "
    "tests/cases/test_plan_edits.py)",
    "cases:plan_agree": "POST only: the participant's agreement recorded (case team: own case or program; "
    "tests/cases/test_plan_edits.py)",
    "cases:plan_unknown": "POST only: a change of the plan the page does not offer, answered 400 "
    "(tests/cases/test_plan_edits.py)",
    "legal:statement": "POST only: the case team's statement of goals and progress for the prosecutor "
    "(legal, own case or program; tests/legal/test_legal_coordination.py)",
    "legal:note": "POST only: the liaison prosecutor's note or decision, under consent "
    "(tests/legal/test_legal_coordination.py)",
    "legal:defender_note": "POST only: the public defender's own note, under consent "
    "(tests/legal/test_defender.py)",
    "retention:hold_release": "POST only: a project manager releases a legal hold "
    "(tests/retention/test_retention.py)",
    "documents:upload": "POST only: the case team uploads a document (case team: own case or program; "
    "tests/documents/test_documents.py)",
    "cases:snapshot_add": "POST only: an outcome snapshot (case team: own case or program; "
    "tests/cases/test_outcome_snapshots.py)",
    "reports:council": "the council report needs program configuration, de-identified data and case "
    "records across the program together, so the project manager only (tests/reports/test_council_page.py)",
    "reports:council_report": "one stored council report, the project manager only, audited "
    "(tests/reports/test_council_page.py)",
    "reports:council_json": "the same report's figures as JSON, audited as an export "
    "(tests/reports/test_council_page.py)",
}
# The integrations API: bearer tokens, never sessions. Every operation x scope x (own, foreign) is
# enumerated from the OpenAPI document in tests/api/test_api_matrix.py.
OTHER_PAGES |= {
    f"api:{p.name}": "integrations API (tests/api/test_api_matrix.py)" for p in audited_urls(api)[0]
}
OTHER_PAGES["api_admin:revoke"] = (
    "POST only: an administrator revokes a token (tests/api/test_integration_page.py)"
)
# Pages whose reads are audited (reading the audit log is audited too).
PARTICIPANT_KINDS = {
    "list",
    "case",
    "search",
    "aggregate",
    "audit",
    "referral",
    "run",
    "import",
    "screening",
    "links",
    "case_team",
    "assessment",
    "meeting",
    "service_referral",
    "handoff",
    "legal_case",
    "document",
    "holds",
    "review",
}
# Forms of the case team (a case manager's own cases, a supervisor's program): roles that only read
# case records (the project manager) get 404. "assessment" pages take an assessment of the case.
# "handoff": the case team's side of a warm hand-off, addressed by the case's referral.
# "document": one document of the case, downloaded.
CASE_TEAM_KINDS = ("case_team", "assessment", "service_referral", "handoff", "document")
CASE_KINDS = ("case", "referral", "legal_case", *CASE_TEAM_KINDS)


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
    if kind == "legal_case":  # consent-gated for the LIMITED view: the world's consents cover status only
        return scope > Scope.LIMITED and (target == "own" or (target == "other" and scope == Scope.PROGRAM))
    if kind == "case" and target == "other":
        return scope == Scope.PROGRAM
    if kind in CASE_TEAM_KINDS:
        if role not in (Role.CASE_MANAGER, Role.CASE_SUPERVISOR):
            return False
        return target == "own" or (target == "other" and scope == Scope.PROGRAM)
    if kind == "holds":  # sets a hold on a case's person: both categories at program scope
        return MATRIX[Category.CASE_RECORD][role] == Scope.PROGRAM and target != "foreign"
    if kind == "links":  # reviewing links shows identities and changes the study data: both categories
        return MATRIX[Category.PROGRAM_CONFIG][role] == Scope.PROGRAM and target != "foreign"
    if kind == "review":  # the queue of the roles a protocol may name as reviewers
        return role in REVIEWERS and target != "foreign"
    if kind == "referral":  # a referral page opens only for whoever made it: the world's officer
        return target == "own" and role == Role.OFFICER
    return target != "foreign"


def _url(world, name, target):
    if PAGES[name][2] in CASE_KINDS:
        case = {"own": world.own_case, "other": world.other_case, "foreign": world.foreign_case}[target]
        if PAGES[name][2] == "assessment":
            return reverse(name, args=[case.pk, _assessment(case).pk])
        if PAGES[name][2] == "service_referral":
            return reverse(name, args=[case.pk, _service_referral(case).pk])
        if PAGES[name][2] == "document":
            return reverse(name, args=[case.pk, _document(case).pk])
        by_referral = PAGES[name][2] in ("referral", "handoff")
        return reverse(name, args=[case.referral_id if by_referral else case.pk])
    if PAGES[name][2] == "run":  # a study run in the world's program ("own", "other") or in the other one
        return reverse(
            name, args=[_study_run(world.other_program if target == "foreign" else world.program).pk]
        )
    if PAGES[name][2] == "screening":  # a screening run in the world's program or in the other one
        return reverse(
            name, args=[_screening_run(world.other_program if target == "foreign" else world.program).pk]
        )
    if PAGES[name][2] == "meeting":  # a workgroup meeting in the world's program or in the other one
        return reverse(
            name, args=[_meeting(world.other_program if target == "foreign" else world.program).pk]
        )
    return reverse(name)


# Searches post what they look for (no personal data in a URL): the words each search page is sent.
SEARCH_DATA = {
    "people:lookup": {"last_name": "Lopez", "date_of_birth": "1980-05-17"},
    "people:search": {"q": "Lopez"},
}


def _open(client, world, name, target):
    """GET the page, or for a search POST what it looks for."""
    url = _url(world, name, target)
    return client.post(url, SEARCH_DATA[name]) if name in SEARCH_DATA else client.get(url)


def _meeting(program):
    """A workgroup meeting with every case of the program on its agenda."""
    from django.utils import timezone

    from offramp.access.scope import trusted
    from offramp.cases.models import Case
    from offramp.workgroup.models import AgendaItem, Meeting

    with trusted("tests"):
        now = timezone.now()
        meeting = Meeting.objects.create(program=program, held_on=now.date(), created_at=now, flags_since=now)
        for case in Case.objects.filter(program=program):
            AgendaItem.objects.create(program=program, meeting=meeting, case=case, flag="in_the_wind")
    return meeting


def _service_referral(case):
    from django.utils import timezone

    from offramp.access.scope import trusted
    from offramp.transitions.models import ServiceReferral

    with trusted("tests"):
        return ServiceReferral.objects.create(
            program_id=case.program_id,
            case=case,
            provider_name="Harbor Clinic",
            area="housing",
            created_at=timezone.now(),
            status_changed_at=timezone.now(),
        )


def _document(case):
    from django.utils import timezone

    from offramp.access.scope import trusted
    from offramp.documents.models import Document

    with trusted("tests"):
        return Document.objects.create(
            program_id=case.program_id,
            case=case,
            kind="letter",
            name="letter.txt",
            content_type="text/plain",
            size=6,
            content=b"A note",
            uploaded_at=timezone.now(),
        )


def _assessment(case):
    from django.utils import timezone

    from offramp.access.scope import trusted
    from offramp.cases.models import Assessment

    with trusted("tests"):
        return Assessment.objects.create(
            program_id=case.program_id,
            case=case,
            kind="full",
            assessed_on=timezone.localdate(),
            created_at=timezone.now(),
            updated_at=timezone.now(),
        )


def _study_run(program):
    from offramp.access.scope import trusted
    from offramp.analysis.models import Study, StudyRun

    with trusted("tests"):
        study = Study.objects.create(program=program, name="A study", toml="")
        return StudyRun.objects.create(
            program=program, study=study, study_toml="", status="failed", error="x"
        )


def _screening_run(program):
    from django.utils import timezone

    from offramp.access.scope import trusted
    from offramp.referrals.models import ProtocolVersion, ScreeningRun

    version = ProtocolVersion.objects.filter(program=program, version=1).first()  # one per test's pages
    version = version or ProtocolVersion.objects.create(
        program=program, version=1, label="A protocol", text="", published_at=timezone.now()
    )
    with trusted("tests"):
        return ScreeningRun.objects.create(
            program=program,
            protocol_version=version,
            file_name="arrests.csv",
            rows=0,
            eligible=0,
            diverted=0,
            missed=0,
            diverted_ineligible=0,
        )


def _targets(name):
    if PAGES[name][2] in ("run", "screening", "meeting"):
        return ("own", "foreign")
    return ("own", "other", "foreign") if PAGES[name][2] in CASE_KINDS else ("own",)


CASES = [(role, name, target) for role in Role for name in PAGES for target in _targets(name)]


@pytest.mark.parametrize(("role", "name", "target"), CASES, ids=[f"{r.value}-{n}-{t}" for r, n, t in CASES])
def test_it_answers_each_role_as_the_matrix_says(world, login, role, name, target):
    client = login(world.users[role])
    before = AuditEntry.objects.count()
    response = _open(client, world, name, target)
    expected = 200 if _allowed(role, name, target) else 404
    assert response.status_code == expected
    if PAGES[name][2] in PARTICIPANT_KINDS and expected == 200:
        written = AuditEntry.objects.count() - before
        assert written >= 1, f"{name} showed participant data without an audit entry"
        entry = AuditEntry.objects.order_by("-id").first()
        assert entry.actor == world.users[role]
        assert entry.program == world.program
        assert entry.source_address == "127.0.0.1"


@pytest.mark.parametrize(
    "name", [n for n in PAGES if PAGES[n][2] in (*CASE_KINDS, "run", "screening", "meeting")]
)
@pytest.mark.parametrize("target", ["own", "other"])
def test_it_hides_every_record_from_another_programs_staff(world, login, name, target):
    client = login(world.outsider)  # holds every role, but in the other program
    assert client.get(_url(world, name, target)).status_code == 404


@pytest.mark.parametrize("name", [n for n in PAGES if PAGES[n][2] in {"list", "search", "aggregate"}])
def test_it_never_lists_another_programs_participants(world, login, name):
    client = login(world.outsider)
    response = _open(client, world, name, "own")
    assert response.status_code == 200
    body = response.content.decode()
    if name == "people:search":  # the box echoes the name searched for; nobody is found
        assert "Nobody you may see matches." in body
        return
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
