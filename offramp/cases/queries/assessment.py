"""Intake and assessment: the assessments of a case, one assessment, two compared."""

from dataclasses import dataclass

from offramp.access.audit import Action, audit_record, audited_not_found
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.cases import questions
from offramp.cases.models import Assessment, Case
from offramp.cases.queries.scope import case_or_404


def assessment_values(assessment: Assessment, *, part2: bool) -> dict:
    """The answers the actor may see, as {domain: {question: answer}}: compared when two edits collide."""
    values = dict(assessment.answers)
    if part2 and assessment.substance_use:
        values[questions.SUBSTANCE_USE] = assessment.substance_use
    return values


def _assessments(actor: Actor, case: Case):
    rows = Assessment.objects.filter(case=case).select_related("by")
    if not actor.has(Category.PART2, Scope.OWN):
        rows = rows.defer("substance_use")  # never read for a role without Part 2
    return rows


def _answered(assessment: Assessment, part2: bool) -> list:
    """[(domain, [(question label, answer)])] in the order the assessment asked them."""
    values = assessment_values(assessment, part2=part2)
    shown = []
    for domain in questions.domains_for(assessment.kind, assessment.questions, part2=part2):
        given = values.get(domain.key, {})
        shown.append((domain, [(q.label, given.get(q.key, "")) for q in domain.questions]))
    return shown


@dataclass
class AssessmentsView:
    case: Case
    assessments: list  # newest first, each with `.shown`
    comparison: list  # [(domain, [(question, earlier, latest, changed)])] for the latest two in-depth
    compared: tuple  # (earlier, latest) in-depth assessments, or ()
    part2: bool


def assessments_get(actor: Actor, case_id: int) -> AssessmentsView:
    """A case's critical-needs checks and assessments, and what changed between the latest two in-depth."""
    part2 = actor.has(Category.PART2, Scope.OWN)
    with trusted("cases.assessments_get"):
        case = case_or_404(actor, case_id, "Assessment")
        assessments = list(_assessments(actor, case))
    for assessment in assessments:
        assessment.shown = _answered(assessment, part2)
    full = [a for a in assessments if a.kind == Assessment.Kind.FULL]
    compared = (full[1], full[0]) if len(full) >= 2 else ()
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="Assessment",
        object_id=f"case:{case.pk}",
        detail={"case": case.pk, "assessments": [a.pk for a in assessments], "part2_shown": part2},
    )
    return AssessmentsView(
        case=case,
        assessments=assessments,
        comparison=compare(*compared, part2=part2) if compared else [],
        compared=compared,
        part2=part2,
    )


def compare(earlier: Assessment, latest: Assessment, *, part2: bool) -> list:
    """Per domain, each question's answer in both assessments (by question key), changes marked.

    A question either assessment asked appears; the latest's wording wins.
    """
    before, after = assessment_values(earlier, part2=part2), assessment_values(latest, part2=part2)
    old_domains = {d.key: d for d in questions.domains_for(earlier.kind, earlier.questions, part2=part2)}
    rows = []
    for domain in questions.domains_for(latest.kind, latest.questions, part2=part2):
        asked = {q.key: q.label for q in old_domains.get(domain.key, domain).questions}
        asked.update({q.key: q.label for q in domain.questions})
        was, now = before.get(domain.key, {}), after.get(domain.key, {})
        lines = [
            (label, was.get(key, ""), now.get(key, ""), was.get(key, "") != now.get(key, ""))
            for key, label in asked.items()
        ]
        rows.append((domain, lines, any(line[3] for line in lines)))
    return rows


def assessment_get(actor: Actor, case_id: int, assessment_id: int) -> Assessment:
    """One assessment of a case in scope, with its case and visible answers, or 404."""
    part2 = actor.has(Category.PART2, Scope.OWN)
    with trusted("cases.assessment_get"):
        case = case_or_404(actor, case_id, "Assessment")
        assessment = _assessments(actor, case).filter(pk=assessment_id).first()
    if assessment is None:
        raise audited_not_found(actor, "Assessment", assessment_id)
    assessment.case = case
    assessment.shown = _answered(assessment, part2)
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="Assessment",
        object_id=assessment.pk,
        detail={"case": case.pk, "part2_shown": part2},
    )
    return assessment
