"""The critical-needs check and the in-depth assessment: dated, scoped, audited, compared."""

import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from offramp.access.models import AuditEntry
from offramp.access.scope import Actor, trusted
from offramp.cases import actions, questions
from offramp.cases.models import Assessment, Status
from offramp.programs.roles import Role


def actor(world, role=Role.CASE_MANAGER):
    return Actor(user=world.users[role], program=world.program, roles=frozenset({role}))


def today(world):
    return timezone.localdate(timezone=world.program.zone)


def new_url(case, kind="full"):
    return reverse("cases:assessment_new", args=[case.pk]) + f"?kind={kind}"


def stored(case):
    with trusted("tests"):
        return list(Assessment.objects.filter(case=case).order_by("id"))


def test_it_records_the_critical_needs_check_at_hand_off(world, login):
    case = world.own_case
    with trusted("tests"):
        case.status = Status.REFERRED
        case.save()
    client = login(world.users[Role.CASE_MANAGER])
    page = client.get(new_url(case, "critical"))
    assert page.status_code == 200
    assert "Do you have a safe place to sleep tonight?" in html.unescape(page.content.decode())
    response = client.post(
        new_url(case, "critical"),
        {
            "kind": "critical",
            "assessed_on": today(world).isoformat(),
            "critical_needs__safe_tonight": "no",
            "critical_needs__medication": "yes",
            "critical_needs__notes": "Needs insulin today",
        },
    )
    assert response.status_code == 302
    (check,) = stored(case)
    assert check.kind == "critical"
    assert check.answers == {
        "critical_needs": {"safe_tonight": "no", "medication": "yes", "notes": "Needs insulin today"}
    }
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_type, entry.object_id) == ("create", "Assessment", str(check.pk))


def test_it_keeps_substance_use_answers_apart_and_hides_them_without_part_2(world, login):
    case = world.own_case
    client = login(world.users[Role.CASE_MANAGER])
    response = client.post(
        new_url(case),
        {
            "kind": "full",
            "assessed_on": today(world).isoformat(),
            "housing__sleeping": "Shelter",
            "substance_use__wants_to_talk": "Thinking about methadone",
            "substance_use__naloxone": "no",
        },
    )
    assert response.status_code == 302
    (assessment,) = stored(case)
    assert assessment.answers == {"housing": {"sleeping": "Shelter"}}
    assert assessment.substance_use == {"wants_to_talk": "Thinking about methadone", "naloxone": "no"}

    shown = client.get(reverse("cases:assessments", args=[case.pk])).content.decode()
    assert "Thinking about methadone" in shown
    manager = login(world.users[Role.PROJECT_MANAGER])  # reads case records, not Part 2
    hidden = manager.get(reverse("cases:assessments", args=[case.pk]))
    assert hidden.status_code == 200
    body = html.unescape(hidden.content.decode())
    assert "Thinking about methadone" not in body and "Substance use" not in body
    assert "Shelter" in body
    assert "your role does not include 42 CFR Part 2 information" in body


def test_it_refuses_substance_use_answers_from_a_role_without_part_2(world):
    # The form shows that domain to no such role; an answer posted anyway matches no question.
    reader = Actor(
        user=world.users[Role.CASE_SUPERVISOR],
        program=world.program,
        roles=frozenset({Role.CASE_SUPERVISOR}),
    )
    part2_less = questions.domains_for("full", questions.DEFAULT_QUESTIONS, part2=False)
    assert questions.SUBSTANCE_USE not in [d.key for d in part2_less]
    with pytest.raises(ValidationError):
        questions.clean_answers(part2_less, {"substance_use": {"naloxone": "yes"}})
    assert actions.assessment_record(
        actor=reader,
        case_id=world.own_case.pk,
        kind="full",
        assessed_on=today(world),
        answers={"substance_use": {"naloxone": "yes"}},
    ).substance_use == {"naloxone": "yes"}  # a supervisor holds Part 2


@pytest.mark.parametrize(
    ("answers", "assessed_on", "message"),
    [
        (
            {"housing": {"sleeping": "A castle"}},
            0,
            questions.ERR_CHOICE.format(label="Where are you staying?"),
        ),
        ({"housing": {"pets": "yes"}}, 0, questions.ERR_UNKNOWN_QUESTION.format(key="housing.pets")),
        ({"astrology": {"sign": "leo"}}, 0, questions.ERR_UNKNOWN_QUESTION.format(key="astrology")),
        ({}, 1, actions.ERR_ASSESSMENT_DATE_FUTURE),
        ({}, -400, actions.ERR_ASSESSMENT_DATE_OLD),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(world, answers, assessed_on, message):
    with pytest.raises(ValidationError) as refused:
        actions.assessment_record(
            actor=actor(world),
            case_id=world.own_case.pk,
            kind="full",
            assessed_on=today(world) + dt.timedelta(days=assessed_on),
            answers=answers,
        )
    assert refused.value.messages == [message]
    assert stored(world.own_case) == []


def test_it_refuses_an_exited_case_and_an_unknown_kind(world):
    with pytest.raises(ValidationError) as refused:
        actions.assessment_record(
            actor=actor(world),
            case_id=world.own_case.pk,
            kind="horoscope",
            assessed_on=today(world),
            answers={},
        )
    assert refused.value.messages == [questions.ERR_KIND]
    actions.case_exit(actor=actor(world), case_id=world.own_case.pk, exit_reason="moved")
    with pytest.raises(ValidationError) as refused:
        actions.assessment_record(
            actor=actor(world), case_id=world.own_case.pk, kind="full", assessed_on=today(world), answers={}
        )
    assert refused.value.messages == [actions.ERR_ASSESSMENT_EXITED]


def test_it_lets_only_the_case_team_record(world, login):
    data = {"kind": "full", "assessed_on": today(world).isoformat()}
    assert login(world.users[Role.PROJECT_MANAGER]).post(new_url(world.own_case), data).status_code == 404
    assert login(world.users[Role.CASE_MANAGER]).post(new_url(world.other_case), data).status_code == 404
    assert login(world.outsider).post(new_url(world.own_case), data).status_code == 404
    assert stored(world.own_case) == stored(world.other_case) == []
    assert login(world.users[Role.CASE_SUPERVISOR]).post(new_url(world.other_case), data).status_code == 302


def test_it_compares_the_latest_two_in_depth_assessments_per_domain(world, login):
    day = today(world)

    def record(kind, days_ago, answers):
        actions.assessment_record(
            actor=actor(world),
            case_id=world.own_case.pk,
            kind=kind,
            assessed_on=day - dt.timedelta(days=days_ago),
            answers=answers,
        )

    record(
        "full",
        30,
        {
            "housing": {"sleeping": "Outside or a vehicle"},
            "id_documents": {"state_id": "no"},
            "legal": {"warrants": "no"},
        },
    )
    record("critical", 5, {"critical_needs": {"food": "no"}})
    record(
        "full",
        0,
        {
            "housing": {"sleeping": "Own or rented place"},
            "id_documents": {"state_id": "yes"},
            "legal": {"warrants": "no"},
        },
    )
    response = login(world.users[Role.CASE_MANAGER]).get(
        reverse("cases:assessments", args=[world.own_case.pk])
    )
    view = response.context["view"]
    assert [a.assessed_on for a in view.compared] == [day - dt.timedelta(days=30), day]
    changed = {domain.key: flag for domain, _lines, flag in view.comparison}
    assert changed["housing"] and changed["id_documents"]
    assert not changed["legal"] and not changed["education"]
    housing = next(lines for domain, lines, _ in view.comparison if domain.key == "housing")
    assert ("Where are you staying?", "Outside or a vehicle", "Own or rented place", True) in housing


def test_it_asks_the_programs_own_questions_and_keeps_old_assessments_as_asked(world, login):
    me = actor(world)
    first = actions.assessment_record(
        actor=me,
        case_id=world.own_case.pk,
        kind="full",
        assessed_on=today(world),
        answers={"transportation": {"needs_pass": "yes"}},
    )
    pm = Actor(
        user=world.users[Role.PROJECT_MANAGER], program=world.program, roles=frozenset({Role.PROJECT_MANAGER})
    )
    actions.assessment_questions_configure(
        actor=pm,
        question_set={
            "transportation": [
                {"key": "bike", "label": "Would a bicycle help?", "kind": "yes_no"},
            ]
        },
    )
    world.program.refresh_from_db()
    page = login(world.users[Role.CASE_MANAGER]).get(new_url(world.own_case))
    body = html.unescape(page.content.decode())
    assert "Would a bicycle help?" in body and "Would a bus pass or rides help?" not in body
    assert "Where are you staying?" in body  # domains the program did not configure keep the defaults
    old = page.client.get(reverse("cases:assessment_edit", args=[world.own_case.pk, first.pk]))
    assert "Would a bus pass or rides help?" in html.unescape(old.content.decode())


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"astrology": []}, "“astrology” is not an assessment domain"),
        ({"housing": [{"key": "x", "label": "X"}]}, "each question needs a key, a label and a kind"),
        (
            {"housing": [{"key": "a", "label": "A", "kind": "choice", "options": ["one"]}]},
            "at least two options",
        ),
        ({"housing": [{"key": "a", "label": "A", "kind": "text"}] * 2}, "is used twice"),
        (["housing"], "must map each domain to a list of questions"),
    ],
)
def test_it_refuses_a_malformed_question_set_with_a_clear_error(world, config, message):
    pm = Actor(
        user=world.users[Role.PROJECT_MANAGER], program=world.program, roles=frozenset({Role.PROJECT_MANAGER})
    )
    with pytest.raises(ValidationError) as refused:
        actions.assessment_questions_configure(actor=pm, question_set=config)
    assert message in refused.value.messages[0]
    world.program.refresh_from_db()
    assert "assessment_questions" not in world.program.configuration


def test_it_lets_only_program_configuration_set_the_questions(world):
    from django.http import Http404

    with pytest.raises(Http404):
        actions.assessment_questions_configure(actor=actor(world), question_set={})
