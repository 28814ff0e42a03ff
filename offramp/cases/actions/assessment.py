"""Intake: the critical-needs check and the in-depth assessment, and the program's question set."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.rows import program_row
from offramp.access.scope import Actor, action
from offramp.cases import questions
from offramp.cases.actions.common import StaleVersion, acting_user, case_for_update, local_today
from offramp.cases.models import Assessment, Case, Status
from offramp.cases.queries import assessment_values
from offramp.programs.models import Program, QuestionSetVersion

ERR_ASSESSMENT_DATE_FUTURE = "An assessment cannot be dated in the future."
ERR_ASSESSMENT_DATE_OLD = "An assessment cannot be dated before the case was opened."
ERR_ASSESSMENT_EXITED = "This case has exited: re-engage it before assessing."
ERR_STALE_ASSESSMENT = (
    "Someone else saved this assessment while you were editing it: nothing of yours was saved yet."
)


def _check_assessed_on(actor: Actor, case: Case, assessed_on: dt.date) -> None:
    if assessed_on > local_today(actor):
        raise ValidationError(ERR_ASSESSMENT_DATE_FUTURE)
    if assessed_on < timezone.localdate(case.opened_at, timezone=actor.program.zone):
        raise ValidationError(ERR_ASSESSMENT_DATE_OLD)


def _split_answers(clean: dict) -> tuple[dict, dict]:
    """(every domain but substance use, the substance-use answers): the latter are kept apart (Part 2)."""
    rest = {domain: given for domain, given in clean.items() if domain != questions.SUBSTANCE_USE}
    return rest, clean.get(questions.SUBSTANCE_USE, {})


@action("cases.assessment_record")
def assessment_record(
    *,
    actor: Actor,
    case_id: int,
    kind: str,
    assessed_on: dt.date,
    answers: dict,
    now: dt.datetime | None = None,
) -> Assessment:
    """A critical-needs check or an in-depth assessment, asked with the program's questions of today.

    Substance-use answers come only from a role with Part 2 (the form shows that domain to no
    one else) and are stored apart from the others.
    """
    now = now or timezone.now()
    if kind not in questions.KINDS:
        raise ValidationError(questions.ERR_KIND)
    part2 = actor.has(Category.PART2, Scope.OWN)
    asked = questions.question_set(actor.program)
    clean = questions.clean_answers(questions.domains_for(kind, asked, part2=part2), answers)
    case = case_for_update(actor, case_id)
    if case.status == Status.EXITED:
        raise ValidationError(ERR_ASSESSMENT_EXITED)
    _check_assessed_on(actor, case, assessed_on)
    rest, substance_use = _split_answers(clean)
    groups = [questions.CRITICAL_GROUP] if kind == questions.CRITICAL else list(questions.DOMAIN_LABELS)
    assessment = Assessment.objects.create(
        program_id=case.program_id,
        case=case,
        kind=kind,
        assessed_on=assessed_on,
        answers=rest,
        substance_use=substance_use,
        questions={g: asked.get(g, []) for g in groups},
        by=acting_user(actor),
        created_at=now,
        updated_at=now,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="Assessment",
        object_id=assessment.pk,
        detail={
            "case": case.pk,
            "kind": kind,
            "assessed_on": assessed_on.isoformat(),
            "domains": sorted(clean),
        },
    )
    return assessment


@action("cases.assessment_update")
def assessment_update(
    *,
    actor: Actor,
    case_id: int,
    assessment_id: int,
    version: int,
    assessed_on: dt.date,
    answers: dict,
    now: dt.datetime | None = None,
) -> Assessment:
    """Correct an assessment, if nobody saved it since `version` was read (else StaleVersion).

    The questions are the ones it was asked with. A role without Part 2 leaves the
    substance-use answers as they are: it never saw them.
    """
    now = now or timezone.now()
    part2 = actor.has(Category.PART2, Scope.OWN)
    case = case_for_update(actor, case_id)
    assessment = program_row(actor, Assessment.objects.filter(case=case), assessment_id)
    if assessment.version != version:
        raise StaleVersion(
            ERR_STALE_ASSESSMENT,
            current=assessment_values(assessment, part2=part2),
            version=assessment.version,
        )
    if case.status == Status.EXITED:
        raise ValidationError(ERR_ASSESSMENT_EXITED)
    _check_assessed_on(actor, case, assessed_on)
    domains = questions.domains_for(assessment.kind, assessment.questions, part2=part2)
    clean = questions.clean_answers(domains, answers)
    before = assessment_values(assessment, part2=part2)
    assessment.answers, substance_use = _split_answers(clean)
    if part2:
        assessment.substance_use = substance_use
    assessment.assessed_on = assessed_on
    assessment.version += 1
    assessment.updated_at = now
    assessment.save(update_fields=["answers", "substance_use", "assessed_on", "version", "updated_at"])
    after = assessment_values(assessment, part2=part2)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="Assessment",
        object_id=assessment.pk,
        detail={
            "case": case.pk,
            "version": assessment.version,
            "changed": sorted(d for d in set(before) | set(after) if before.get(d) != after.get(d)),
        },
    )
    return assessment


def assessment_questions_configure(*, actor: Actor, question_set: dict) -> QuestionSetVersion | None:
    """The program's own assessment questions: checked (shape and wording), saved as a new version and
    as the setting new assessments ask, audited. None when nothing changed. Assessments already made
    keep the questions they were asked with."""
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    clean = questions.validate_configuration(question_set)
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=actor.program_id)
        if clean == (program.configuration or {}).get("assessment_questions"):
            return None
        last = QuestionSetVersion.objects.filter(program=program).order_by("-version").first()
        version = QuestionSetVersion.objects.create(
            program=program,
            version=(last.version if last else 0) + 1,
            questions=clean,
            created_at=timezone.now(),
            created_by=acting_user(actor),
        )
        program.configuration = {**program.configuration, "assessment_questions": clean}
        program.save(update_fields=["configuration"])
        actor.program.configuration = program.configuration  # the rest of this request asks the new ones
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="Program",
            object_id=program.pk,
            detail={
                "assessment_questions": {domain: len(qs) for domain, qs in clean.items()},
                "version": version.version,
            },
        )
    return version
