"""Project managers edit the assessment questions (each save a new version, past answers keep the
questions as asked) and the wording of statuses and exit reasons, never into failure or compliance."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.cases import questions
from offramp.cases.models import Assessment, ExitReason, Status
from offramp.programs import configuration
from offramp.programs.models import QuestionSetVersion
from offramp.programs.roles import Role
from offramp.programs.wording import check_wording, refused_word

BIKE = "bike | Would a bicycle help? | yes_no"


@pytest.mark.parametrize(
    "text",
    [
        "Failed the program",
        "Non-compliant",
        "noncompliance",
        "Out of compliance",
        "Program violation",
        "Dirty UA",
        "Positive test",
        "tested positive",
        "Relapsed",
        "Sanctioned",
    ],
)
def test_it_refuses_words_of_failure_or_compliance(text):
    with pytest.raises(ValidationError) as refused:
        check_wording(text, what="Exit reasons, moved")
    assert "speaks of failure or compliance, which LEAD does not measure" in refused.value.messages[0]
    assert refused.value.messages[0].startswith("Exit reasons, moved: ")


@pytest.mark.parametrize(
    "text", ["Lost touch", "Chose to leave", "Clean clothes", "Positive change", "Moved"]
)
def test_it_lets_other_words_through(text):
    assert refused_word(text) is None


def test_the_rewordable_lists_are_the_models_own():
    assert tuple(Status.values) == configuration.STATUS_NAMES
    assert tuple(ExitReason.values) == configuration.EXIT_REASON_NAMES


def test_a_project_manager_rewords_statuses_and_exit_reasons(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    refused = client.post(reverse("sites:settings"), {"exit_reason_labels": "no_contact = Failed to engage"})
    assert refused.status_code == 400
    assert '"Failed" speaks of failure or compliance' in html.unescape(refused.content.decode())
    world.program.refresh_from_db()
    assert "exit_reason_labels" not in world.program.configuration
    saved = client.post(
        reverse("sites:settings"),
        {"status_labels": "inactive = Taking a break", "exit_reason_labels": "no_contact = Lost touch"},
    )
    assert saved.status_code == 302
    world.program.refresh_from_db()
    assert world.program.setting("status_labels") == {"inactive": "Taking a break"}
    with trusted("tests"):
        world.own_case.__class__.objects.filter(pk=world.own_case.pk).update(status=Status.INACTIVE)
    page = login(world.users[Role.CASE_MANAGER]).get(reverse("cases:detail", args=[world.own_case.pk]))
    body = html.unescape(page.content.decode())
    assert "<dd>Taking a break" in body
    assert '<option value="no_contact">Lost touch</option>' in body  # the exit form speaks the same
    caseload = page.client.get(reverse("cases:caseload") + "?status=all").content.decode()
    assert "Taking a break" in caseload


def test_each_save_of_the_questions_is_a_new_version_and_past_answers_keep_theirs(world, login):
    with trusted("tests"):
        Assessment.objects.create(
            program=world.program,
            case=world.own_case,
            kind="full",
            assessed_on=timezone.localdate(),
            answers={"transportation": {"needs_pass": "yes"}},
            questions={"transportation": questions.DEFAULT_QUESTIONS["transportation"]},
            created_at=timezone.now(),
            updated_at=timezone.now(),
        )
        old = Assessment.objects.get()
    pm = login(world.users[Role.PROJECT_MANAGER])
    assert pm.post(reverse("sites:questions"), {"transportation": BIKE}).status_code == 302
    assert pm.post(reverse("sites:questions"), {"transportation": BIKE}).status_code == 302  # unchanged
    second = BIKE + "\nbus | Would a bus pass help? | choice | Monthly; Weekly"
    assert pm.post(reverse("sites:questions"), {"transportation": second}).status_code == 302
    versions = list(QuestionSetVersion.objects.filter(program=world.program).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert [q["key"] for q in versions[1].questions["transportation"]] == ["bike", "bus"]
    audit = AuditEntry.objects.filter(object_type="Program", detail__version=2)
    assert audit.exists()
    listing = pm.get(reverse("sites:questions")).content.decode()
    assert "Version 2" in listing and "Version 1" in listing
    manager = login(world.users[Role.CASE_MANAGER])  # the same test client, signed in again
    new_page = html.unescape(
        manager.get(reverse("cases:assessment_new", args=[world.own_case.pk]) + "?kind=full").content.decode()
    )
    assert "Would a bicycle help?" in new_page and "Would a bus pass or rides help?" not in new_page
    old_page = manager.get(reverse("cases:assessment_edit", args=[world.own_case.pk, old.pk]))
    assert "Would a bus pass or rides help?" in html.unescape(old_page.content.decode())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("relapse | Any relapse since we last met? | yes_no", "speaks of failure or compliance"),
        ("ua | Last UA result | choice | Clean; Dirty", "speaks of failure or compliance"),
        ("just one part", "line 1: write key | question | kind"),
        ("Bad Key | A question", "is used twice or is not lower-case letters"),
    ],
)
def test_it_refuses_questions_that_measure_failure_or_are_malformed(world, login, text, message):
    pm = login(world.users[Role.PROJECT_MANAGER])
    response = pm.post(reverse("sites:questions"), {"legal": text})
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not QuestionSetVersion.objects.filter(program=world.program).exists()
    world.program.refresh_from_db()
    assert "assessment_questions" not in world.program.configuration


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.PROJECT_MANAGER, Role.SYSTEM_ADMIN)])
def test_only_program_configuration_edits_the_questions(world, login, role):
    client = login(world.users[role])
    assert client.post(reverse("sites:questions"), {"legal": BIKE}).status_code == 404
    assert not QuestionSetVersion.objects.exists()


def test_the_shipped_wording_and_questions_pass_the_check():
    shipped = [label for _v, label in (*Status.choices, *ExitReason.choices)]
    shipped += [q["label"] for qs in questions.DEFAULT_QUESTIONS.values() for q in qs]
    shipped += [o for qs in questions.DEFAULT_QUESTIONS.values() for q in qs for o in q["options"]]
    assert len(shipped) > 40
    assert [text for text in shipped if refused_word(text)] == []
    assert questions.validate_configuration(questions.DEFAULT_QUESTIONS) == questions.DEFAULT_QUESTIONS
