"""The eligibility engine: protocol + facts -> decision with reasons. Pure Python, no database.

`compile_protocol` turns a protocol into one closure per rule once, with the per-offence
messages built ahead of time, so `decide_many` can screen large batches (the equity audit
screens every arrest, not only referrals). `decide` is the same compiled path for one referral,
so the single and batch paths cannot drift apart.

Semantics, in short (docs/eligibility.md has the long form):
- every applicable rule yields one Reason whose outcome is eligible, ineligible or needs_review;
- any ineligible reason makes the decision ineligible; otherwise any needs_review reason makes it
  needs_review; otherwise it is eligible;
- a fact a rule needs but that is None yields needs_review and is listed in `missing`, so a
  missing fact can never let a referral through;
- a protocol whose final authority (e.g. the prosecutor) covers the door never returns eligible:
  when every rule passes it returns needs_review with review_by set to that role.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from offramp.referrals.eligibility_rules import (
    ELIGIBLE,
    FALLBACK_REVIEWER,
    INELIGIBLE,
    MSG_FINAL,
    NEEDS_REVIEW,
    OUTCOMES,
    ROLE_LABELS,
    Facts,
    HistoryEntry,
    Reason,
    Rule,
    _age_rule,
    _condition_rule,
    _door_rule,
    _history_rule,
    _offence_rule,
    _prior_area_rule,
    _prior_method_rule,
    _prior_recent_rule,
    _quantity_rule,
    age_on,
    months_before,
    years_before,
)
from offramp.referrals.protocol import DOORS, ROLES, Protocol

# The engine's names, for callers that import them from here.
__all__ = [
    "ELIGIBLE",
    "INELIGIBLE",
    "NEEDS_REVIEW",
    "OUTCOMES",
    "ROLE_LABELS",
    "Facts",
    "HistoryEntry",
    "Reason",
    "age_on",
    "months_before",
    "years_before",
    "Decision",
    "compile_protocol",
    "decide",
    "decide_many",
]


@dataclass(frozen=True, kw_only=True, slots=True)
class Decision:
    outcome: str
    review_by: str | None  # set only when outcome is needs_review: who should act next
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...]
    protocol_program: str
    protocol_version: int
    decider: str | None  # the role that decides at this door under the protocol
    criteria_met: bool  # every rule passed (final-authority sign-off may still be pending)

    @property
    def deciding_reasons(self) -> tuple[Reason, ...]:
        """The reasons that produced the outcome (for eligible: every reason)."""
        return tuple(r for r in self.reasons if r.outcome == self.outcome)


def decide(protocol: Protocol, facts: Facts) -> Decision:
    return compile_protocol(protocol)(facts)


def decide_many(protocol: Protocol, facts: Iterable[Facts]) -> Iterator[Decision]:
    """Lazily decide many referrals with one compiled protocol (streams a million rows)."""
    compiled = compile_protocol(protocol)
    return map(compiled, facts)


@functools.lru_cache(maxsize=64)
def compile_protocol(protocol: Protocol) -> Callable[[Facts], Decision]:
    rules: list[tuple[frozenset[str], Rule]] = []
    decider_of = {door: protocol.authority.decider(door) for door in protocol.doors}

    def add(doors: Iterable[str], rule: Rule) -> None:
        rules.append((frozenset(doors), rule))

    add(DOORS, _door_rule(protocol))
    add(DOORS, _offence_rule(protocol))
    if protocol.quantity is not None:
        add(protocol.quantity.doors, _quantity_rule(protocol))
    if protocol.age.min is not None:
        add(DOORS, _age_rule("age.min", protocol.age.min, below=True))
    if protocol.age.max is not None:
        add(DOORS, _age_rule("age.max", protocol.age.max, below=False))
    for look in protocol.history:
        add(look.doors, _history_rule(look))
    for cond in protocol.conditions:
        add(cond.doors, _condition_rule(protocol, "condition", cond, cond.review_by))
    for cond in protocol.judgements:
        add(cond.doors, _condition_rule(protocol, "judgement", cond, cond.review_by or "officer"))
    if (pa := protocol.prior_activity) is not None:
        add(pa.doors, _prior_method_rule(pa.methods))
        add(pa.doors, _prior_recent_rule(pa.within_months))
        if pa.in_catchment:
            add(pa.doors, _prior_area_rule())

    auth = protocol.authority
    final_doors = frozenset(auth.final_doors) if auth.final else frozenset()
    final_reason = Reason(
        "authority.final",
        NEEDS_REVIEW,
        MSG_FINAL.format(role=ROLE_LABELS.get(auth.final or "", "").capitalize()),
        review_by=auth.final,
    )
    all_doors = frozenset(DOORS)
    program, version = protocol.program, protocol.version

    def run(facts: Facts) -> Decision:
        door = facts.door
        known_door = door in decider_of
        reasons = []
        for doors, rule in rules:
            # With the door unknown, door-specific rules cannot be placed; door.open already holds it back.
            if (door in doors) if known_door else (doors == all_doors):
                reason = rule(facts, door)
                if reason is not None:
                    reasons.append(reason)
        if door in final_doors and known_door:
            reasons.append(final_reason)
        return _aggregate(reasons, program, version, decider_of.get(door) if known_door else None)

    return run


def _aggregate(reasons: list[Reason], program: str, version: int, decider: str | None) -> Decision:
    ineligible = False
    reviewers: list[str] = []
    missing: list[str] = []
    criteria_met = True
    for r in reasons:
        if r.outcome == INELIGIBLE:
            ineligible = True
            criteria_met = False
        elif r.outcome == NEEDS_REVIEW:
            reviewers.append(r.review_by or decider or FALLBACK_REVIEWER)
            if r.rule_id != "authority.final":
                criteria_met = False
            missing.extend(m for m in r.missing if m not in missing)
    if ineligible:
        outcome, review_by = INELIGIBLE, None
    elif reviewers:
        # The lowest role acts first: the officer answers before the prosecutor signs off.
        outcome, review_by = NEEDS_REVIEW, min(reviewers, key=ROLES.index)
    else:
        outcome, review_by = ELIGIBLE, None
    return Decision(
        outcome=outcome,
        review_by=review_by,
        reasons=tuple(reasons),
        missing=tuple(missing),
        protocol_program=program,
        protocol_version=version,
        decider=decider,
        criteria_met=criteria_met,
    )
