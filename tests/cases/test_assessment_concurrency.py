"""Two people correct the same assessment: the second save is refused, shows both, and can be re-applied."""

import html

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from offramp.access.policy import MATRIX, Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.cases import actions
from offramp.cases.models import Assessment
from offramp.programs.roles import Role


def edit(client, case, assessment, version, **answers):
    data = {"assessed_on": assessment.assessed_on.isoformat(), "version": version, **answers}
    return client.post(reverse("cases:assessment_edit", args=[case.pk, assessment.pk]), data)


def test_it_refuses_the_second_of_two_edits_and_lets_the_user_merge(world):
    case = world.own_case
    me = Actor(
        user=world.users[Role.CASE_MANAGER], program=world.program, roles=frozenset({Role.CASE_MANAGER})
    )
    assessment = actions.assessment_record(
        actor=me,
        case_id=case.pk,
        kind="full",
        assessed_on=timezone.localdate(timezone=world.program.zone),
        answers={"housing": {"sleeping": "Shelter"}, "substance_use": {"naloxone": "no"}},
    )
    manager, supervisor = Client(), Client()
    manager.force_login(world.users[Role.CASE_MANAGER])
    supervisor.force_login(world.users[Role.CASE_SUPERVISOR])
    form = manager.get(reverse("cases:assessment_edit", args=[case.pk, assessment.pk])).context["form"]
    assert form.initial["version"] == 1 and form.initial["substance_use__naloxone"] == "no"

    first = edit(
        manager, case, assessment, 1, housing__sleeping="With family or friends", substance_use__naloxone="no"
    )
    assert first.status_code == 302
    second = edit(
        supervisor,
        case,
        assessment,
        1,
        housing__sleeping="Shelter",
        id_documents__state_id="yes",
        substance_use__naloxone="yes",
    )
    assert second.status_code == 409
    body = html.unescape(second.content.decode())
    assert "Your change was not saved: someone else changed this assessment" in body
    rows = {
        label: (mine, saved) for label, mine, saved, differs in second.context["conflict"]["rows"] if differs
    }
    assert rows["Housing: Where are you staying?"] == ("Shelter", "With family or friends")
    assert rows["ID documents: Do you have a current photo ID?"] == ("yes", "no answer")
    merge = second.context["form"]
    assert merge.initial["version"] == 2 and merge.initial["id_documents__state_id"] == "yes"
    with trusted("tests"):
        saved = Assessment.objects.get(pk=assessment.pk)
    assert (saved.version, saved.answers, saved.substance_use) == (
        2,
        {"housing": {"sleeping": "With family or friends"}},
        {"naloxone": "no"},
    )

    # the supervisor keeps the other's housing answer and saves theirs on the current version
    merged = edit(
        supervisor,
        case,
        assessment,
        2,
        housing__sleeping="With family or friends",
        id_documents__state_id="yes",
        substance_use__naloxone="yes",
    )
    assert merged.status_code == 302
    with trusted("tests"):
        saved = Assessment.objects.get(pk=assessment.pk)
    assert saved.version == 3
    assert saved.answers == {
        "housing": {"sleeping": "With family or friends"},
        "id_documents": {"state_id": "yes"},
    }
    assert saved.substance_use == {"naloxone": "yes"}


def test_it_leaves_substance_use_answers_alone_when_the_editor_lacks_part_2(world, monkeypatch):
    case = world.own_case
    me = Actor(
        user=world.users[Role.CASE_MANAGER], program=world.program, roles=frozenset({Role.CASE_MANAGER})
    )
    day = timezone.localdate(timezone=world.program.zone)
    assessment = actions.assessment_record(
        actor=me, case_id=case.pk, kind="full", assessed_on=day, answers={"substance_use": {"naloxone": "no"}}
    )
    # The same case manager under a matrix that withholds Part 2 from case managers.
    monkeypatch.setitem(MATRIX[Category.PART2], Role.CASE_MANAGER, Scope.NONE)
    no_part2 = me
    actions.assessment_update(
        actor=no_part2,
        case_id=case.pk,
        assessment_id=assessment.pk,
        version=1,
        assessed_on=day,
        answers={"housing": {"sleeping": "Shelter"}},
    )
    with trusted("tests"):
        saved = Assessment.objects.get(pk=assessment.pk)
    assert saved.substance_use == {"naloxone": "no"}
    assert saved.answers == {"housing": {"sleeping": "Shelter"}}
