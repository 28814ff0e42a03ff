"""Possible duplicates: the case team compares the two records an import suggested and confirms (an ordinary
link) or dismisses (kept: two people) each pair, on its own URL, audited; a case manager decides pairs on
their own caseload, a supervisor the program's; every other role gets 404; the day page counts them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from offramp.access.models import AuditEntry
from offramp.access.scope import Actor, trusted
from offramp.people.actions import (
    ERR_LINK_REASON,
    ERR_SPLIT_REASON,
    SuggestedPair,
    link_suggestions_record,
    person_split,
)
from offramp.people.models import LinkSuggestion, PersonLink
from offramp.programs.roles import Role
from tests.conftest import build_world, make_case

REASON = "same date of birth; first name differs by one letter"
CASE_TEAM = {Role.CASE_MANAGER, Role.CASE_SUPERVISOR}


def _suggest(world, one, other) -> LinkSuggestion:
    pm = world.users[Role.PROJECT_MANAGER]
    actor = Actor(user=pm, program=world.program, roles=frozenset({Role.PROJECT_MANAGER}))
    (made,) = link_suggestions_record(
        actor=actor,
        pairs=[SuggestedPair(one.person_id, other.person_id, REASON, "Caseload import: x.csv, line 2")],
    )
    return made


@pytest.fixture
def pairs(world):
    """`mine`: Ana Lopez (own case) and an imported Anna Lopez, both on the case manager's caseload.
    `across`: Ben Okoro (another case manager's) and an imported Benn Okoro on the case manager's."""
    cm = world.users[Role.CASE_MANAGER]
    anna = make_case(world.program, manager=cm, first="Anna", dob=dt.date(1980, 5, 17))
    benn = make_case(world.program, manager=cm, first="Benn", last="Okoro", dob=dt.date(1975, 1, 2))
    return {
        "mine": _suggest(world, world.own_case, anna),
        "across": _suggest(world, world.other_case, benn),
        "anna": anna,
    }


def _page(client):
    return client.get(reverse("people:suggestions"))


def _decide(client, suggestion, verb, reason="Same ID card seen at intake"):
    return client.post(reverse(f"people:suggestion_{verb}", args=[suggestion.pk]), {"reason": reason})


def _state(suggestion) -> str:
    with trusted("tests"):
        return LinkSuggestion.objects.get(pk=suggestion.pk).state


@pytest.mark.parametrize("role", list(Role))
def test_it_opens_the_review_to_the_case_team_only(world, login, pairs, role):
    client = login(world.users[role])
    page = _page(client)
    if role not in CASE_TEAM:
        assert page.status_code == 404
        assert AuditEntry.objects.filter(object_type="LinkSuggestion", outcome="not_found").exists()
        for verb in ("confirm", "dismiss"):
            assert _decide(client, pairs["mine"], verb).status_code == 404
        assert _state(pairs["mine"]) == _state(pairs["across"]) == LinkSuggestion.State.SUGGESTED
        return
    assert page.status_code == 200
    body = page.content.decode()
    assert f'id="suggestion-{pairs["mine"].pk}"' in body and "Anna Lopez" in body
    shown = AuditEntry.objects.get(object_type="LinkSuggestion", action="list")
    if role == Role.CASE_MANAGER:
        # Ben Okoro is on another caseload: the pair is not theirs to see or decide.
        assert f'id="suggestion-{pairs["across"].pk}"' not in body and "Ben Okoro" not in body
        assert shown.detail["ids"] == [pairs["mine"].pk]
        assert _decide(client, pairs["across"], "confirm").status_code == 404
        assert _state(pairs["across"]) == LinkSuggestion.State.SUGGESTED
    else:
        assert f'id="suggestion-{pairs["across"].pk}"' in body
        assert shown.detail["ids"] == [pairs["mine"].pk, pairs["across"].pk]


@pytest.mark.django_db(transaction=True)
def test_a_refused_decision_stays_in_the_audit_log(client):
    # Outside a test's wrapping transaction, as a request runs: the refusal outlives the action's rollback.
    world = build_world()
    cm = world.users[Role.CASE_MANAGER]
    benn = make_case(world.program, manager=cm, first="Benn", last="Okoro", dob=dt.date(1975, 1, 2))
    across = _suggest(world, world.other_case, benn)
    client.force_login(cm)
    assert _decide(client, across, "dismiss").status_code == 404
    refused = AuditEntry.objects.filter(object_type="LinkSuggestion", object_id=str(across.pk))
    assert [(e.action, e.outcome, e.actor) for e in refused] == [("read", "not_found", cm)]
    assert _state(across) == LinkSuggestion.State.SUGGESTED


def test_another_program_sees_none_of_them(world, login, pairs):
    client = login(world.outsider)  # every role, in another program
    page = _page(client)
    assert (
        page.status_code == 200 and "No possible duplicates are waiting for review." in page.content.decode()
    )
    for verb in ("confirm", "dismiss"):
        assert _decide(client, pairs["mine"], verb).status_code == 404
    assert _state(pairs["mine"]) == LinkSuggestion.State.SUGGESTED


def test_the_two_records_are_side_by_side(world, login, pairs):
    body = _page(login(world.users[Role.CASE_MANAGER])).content.decode()
    card = body.split(f'id="suggestion-{pairs["mine"].pk}"')[1].split("</li>")[0]
    assert REASON in card and "Caseload import: x.csv, line 2" in card
    assert "Ana  Lopez" in card and "Anna  Lopez" in card  # legal first, middle (none), last
    assert card.count("May 17, 1980") == 2
    assert reverse("cases:detail", args=[world.own_case.pk]) in card
    assert reverse("cases:detail", args=[pairs["anna"].pk]) in card
    assert '<tr class="differs">\n          <th scope="row">Legal name</th>' in card


def test_a_confirm_makes_an_ordinary_link_and_is_audited(world, login, pairs):
    client = login(world.users[Role.CASE_MANAGER])
    response = _decide(client, pairs["mine"], "confirm")
    assert response.status_code == 302 and response["Location"] == reverse("people:suggestions")
    with trusted("tests"):
        suggestion = LinkSuggestion.objects.get(pk=pairs["mine"].pk)
        link = PersonLink.objects.get()
    assert suggestion.state == LinkSuggestion.State.CONFIRMED and suggestion.link_id == link.pk
    assert suggestion.decided_by == world.users[Role.CASE_MANAGER]
    assert suggestion.decision_reason == "Same ID card seen at intake"
    assert (link.person_id, link.other_id, link.split_at) == (suggestion.person_id, suggestion.other_id, None)
    assert link.reason == "Same ID card seen at intake" and link.linked_by == world.users[Role.CASE_MANAGER]
    decided = AuditEntry.objects.get(
        object_type="LinkSuggestion", action="update", object_id=str(suggestion.pk)
    )
    assert decided.detail == {
        "decision": "confirmed",
        "people": [suggestion.person_id, suggestion.other_id],
        "link": link.pk,
    }
    assert AuditEntry.objects.filter(
        object_type="PersonLink", action="create", object_id=str(link.pk)
    ).exists()
    profile = client.get(reverse("people:profile", args=[pairs["anna"].pk])).content.decode()
    assert "Same ID card seen at intake" in profile
    assert f'id="suggestion-{suggestion.pk}"' not in _page(client).content.decode()


def test_a_dismiss_is_kept_and_audited_and_links_nothing(world, login, pairs):
    client = login(world.users[Role.CASE_SUPERVISOR])
    assert _decide(client, pairs["across"], "dismiss", "Different mothers' names").status_code == 302
    with trusted("tests"):
        suggestion = LinkSuggestion.objects.get(pk=pairs["across"].pk)
        assert not PersonLink.objects.exists()
    assert suggestion.state == LinkSuggestion.State.DISMISSED and suggestion.link_id is None
    assert suggestion.decision_reason == "Different mothers' names"
    decided = AuditEntry.objects.get(
        object_type="LinkSuggestion", action="update", object_id=str(suggestion.pk)
    )
    assert decided.detail["decision"] == "dismissed" and decided.actor == world.users[Role.CASE_SUPERVISOR]
    again = link_suggestions_record(
        actor=Actor.system("tests", program=world.program),
        pairs=[
            SuggestedPair(suggestion.other_id, suggestion.person_id, REASON, "Caseload import: y.csv, line 5")
        ],
    )
    assert again == []  # never suggested again, whichever way round
    with trusted("tests"):
        assert LinkSuggestion.objects.filter(program=world.program).count() == 2


def test_a_decision_needs_a_reason_and_is_made_once(world, login, pairs):
    client = login(world.users[Role.CASE_MANAGER])
    for verb, message in (("confirm", ERR_LINK_REASON), ("dismiss", ERR_SPLIT_REASON)):
        refused = _decide(client, pairs["mine"], verb, reason="  ")
        assert refused.status_code == 400 and escape(message) in refused.content.decode()
    assert _state(pairs["mine"]) == LinkSuggestion.State.SUGGESTED
    assert not AuditEntry.objects.filter(object_type="LinkSuggestion", action="update").exists()
    assert _decide(client, pairs["mine"], "dismiss").status_code == 302
    twice = _decide(client, pairs["mine"], "confirm")
    assert twice.status_code == 400
    assert "This pair was already reviewed (dismissed: two people)." in twice.content.decode()
    assert _state(pairs["mine"]) == LinkSuggestion.State.DISMISSED
    with trusted("tests"):
        assert not PersonLink.objects.exists()


def test_linking_on_the_profile_confirms_the_waiting_suggestion(world, login, pairs):
    client = login(world.users[Role.CASE_MANAGER])
    linked = client.post(
        reverse("people:profile_link", args=[world.own_case.pk]),
        {"other_case": pairs["anna"].pk, "reason": "Same ID card"},
    )
    assert linked.status_code == 302
    with trusted("tests"):
        link = PersonLink.objects.get()
        assert LinkSuggestion.objects.get(pk=pairs["mine"].pk).link_id == link.pk
    assert _state(pairs["mine"]) == LinkSuggestion.State.CONFIRMED


def test_a_pair_split_meanwhile_is_not_confirmed(world, login, pairs):
    # The team linked and split the pair on the profile before the suggestion was decided.
    supervisor = world.users[Role.CASE_SUPERVISOR]
    actor = Actor(user=supervisor, program=world.program, roles=frozenset({Role.CASE_SUPERVISOR}))
    with trusted("tests"):
        link = PersonLink.objects.create(
            program=world.program,
            person_id=pairs["mine"].person_id,
            other_id=pairs["mine"].other_id,
            reason="Same ID card",
            linked_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
        )
    person_split(actor=actor, case_id=world.own_case.pk, link_id=link.pk, reason="Different mothers")
    refused = _decide(login(supervisor), pairs["mine"], "confirm")
    assert refused.status_code == 400 and "were linked and split on" in refused.content.decode()
    assert _state(pairs["mine"]) == LinkSuggestion.State.SUGGESTED


def test_the_day_page_counts_what_waits_for_the_viewer(world, login, pairs):
    def duplicates(role):
        body = login(world.users[role]).get(reverse("web:day")).content.decode()
        if 'id="duplicates-heading"' not in body:
            return None
        section = body.split('id="duplicates-heading"')[1].split("</section>")[0]
        assert reverse("people:suggestions") in section
        return section.split('class="count">(')[1].split(")")[0]

    assert duplicates(Role.CASE_MANAGER) == "1"
    assert duplicates(Role.CASE_SUPERVISOR) == "2"
    assert duplicates(Role.PROJECT_MANAGER) is None
    _decide(login(world.users[Role.CASE_SUPERVISOR]), pairs["mine"], "dismiss")
    assert duplicates(Role.CASE_MANAGER) is None and duplicates(Role.CASE_SUPERVISOR) == "1"


def test_the_page_costs_the_same_queries_for_one_pair_or_many(world, login, pairs):
    client = login(world.users[Role.CASE_SUPERVISOR])
    _page(client)  # warm per-process caches

    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert _page(client).status_code == 200
        return len(captured)

    few = cost()
    cm = world.users[Role.CASE_MANAGER]
    for i in range(6):
        _suggest(world, world.own_case, make_case(world.program, manager=cm, first=f"Anna{i}", contacts=0))
    assert cost() == few
