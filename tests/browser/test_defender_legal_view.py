"""The public defender, under the participant's consent to the defender's office, reads legal
coordination (the prosecutor's decisions, not the notes; open warrants and pending cases) and keeps
the office's own note. Every page axe-checked."""

import datetime as dt

import pytest
from django.utils import timezone

from offramp.access.models import Consent
from offramp.access.policy import Category
from offramp.access.roles import Role
from offramp.access.scope import trusted
from offramp.analysis.models import ImportBatch, LegalEvent, Subject, SubjectLink
from offramp.legal.models import ProsecutorNote
from tests.browser.pages import heading, sign_in, submit, visit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _records(world):
    case, now = world.own_case, timezone.now()
    with trusted("tests"):
        Consent.objects.create(
            program=world.program,
            person=case.person,
            recipient_class=Consent.Recipient.PUBLIC_DEFENDER,
            categories=[Category.STATUS, Category.LEGAL, Category.IDENTITY],
            purpose="Legal coordination",
            signed_at=now - dt.timedelta(days=1),
        )
        ProsecutorNote.objects.create(
            program=world.program,
            case=case,
            note="Open to a plea on the lesser count.",
            decision="hold",
            by=world.users[Role.PROSECUTOR],
            at=now - dt.timedelta(hours=2),
        )
        batch = ImportBatch.objects.create(
            program=world.program, table="events", file_name="e.csv", sha256="0", rows=1, mapping=""
        )
        subject = Subject.objects.create(program=world.program, batch=batch, source_id="S1", arm="lead")
        SubjectLink.objects.create(
            program=world.program,
            subject=subject,
            person=case.person,
            method="identifier",
            score=1,
            status="accepted",
        )
        LegalEvent.objects.create(
            program=world.program,
            batch=batch,
            subject=subject,
            kind="warrant_issued",
            date=dt.date(2019, 4, 2),
        )


def test_defender_reads_under_consent_and_keeps_a_note(browser_world, page):
    world = browser_world
    _records(world)
    sign_in(page, world.users[Role.PUBLIC_DEFENDER].username, PASSWORD)
    submit(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Legal coordination"))
    assert heading(page) == "Legal coordination"
    assert page.get_by_role("link", name="Ben Okoro").count() == 0  # no consent to the defender's office
    submit(page, page.get_by_role("link", name="Ana Lopez"))
    assert heading(page) == "Legal coordination: Ana Lopez"
    assert page.get_by_text("Open warrant, since 2 Apr 2019").is_visible()
    assert page.get_by_role("strong").filter(has_text="Hold (no filing decision yet)").is_visible()
    assert page.get_by_text("plea on the lesser count").count() == 0  # decisions, not the prosecutor's notes
    assert page.get_by_label("Decision").count() == 0
    page.get_by_label("Note", exact=False).fill("Client asks about treatment court.")
    submit(page, page.get_by_role("button", name="Save the note"))
    assert page.get_by_text("Client asks about treatment court.").is_visible()
    response = visit(page, f"/legal/{world.other_case.pk}/")
    assert response.status == 404
