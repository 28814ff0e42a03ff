"""Properties of the engine that must hold for any protocol and any facts."""

import dataclasses
import datetime as dt

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from offramp.referrals import nibrs, protocol
from offramp.referrals.eligibility import (
    ELIGIBLE,
    INELIGIBLE,
    NEEDS_REVIEW,
    OUTCOMES,
    Facts,
    HistoryEntry,
    compile_protocol,
    decide,
    decide_many,
)
from offramp.referrals.protocol import Condition, Lookback

EXAMPLES = [protocol.example(name) for name in ("seattle", "santa_fe", "san_francisco")]
RANK = {INELIGIBLE: 0, NEEDS_REVIEW: 1, ELIGIBLE: 2}
CODES = sorted(code for code, o in nibrs.OFFENCES.items() if o.current)
FACT_NAMES = sorted(protocol.KNOWN_FACTS)
DATES = st.dates(dt.date(1995, 1, 1), dt.date(2025, 12, 31))
# History drawn mostly from codes the examples care about, so look-backs actually fire.
HISTORY_CODES = st.sampled_from(["120", "13A", "09A", "200", "11A", "520", "35A", "40A"]) | st.sampled_from(
    CODES
)

PROPERTY = settings(max_examples=120, deadline=None)


@st.composite
def facts_for(draw, p):
    statutes = [o.statute for o in p.offences] + ["NOT ON THE LIST"]
    use_dob = draw(st.booleans())
    history = draw(
        st.none()
        | st.lists(
            st.builds(
                HistoryEntry,
                nibrs=HISTORY_CODES,
                date=DATES,
                disposition=st.sampled_from(protocol.DISPOSITIONS),
            ),
            max_size=4,
        ).map(tuple)
    )
    return Facts(
        door=draw(st.none() | st.sampled_from(protocol.DOORS)),
        statute=draw(st.none() | st.sampled_from(statutes)),
        quantity_grams=draw(st.none() | st.floats(0, 12, allow_nan=False)),
        substance=draw(st.none() | st.sampled_from(protocol.SUBSTANCES)),
        # Only one source of age, so blanking it leaves age unknown (see the blanking property).
        age=None if use_dob else draw(st.none() | st.integers(12, 80)),
        date_of_birth=draw(st.none() | DATES) if use_dob else None,
        incident_date=draw(st.none() | st.dates(dt.date(2015, 1, 1), dt.date(2025, 12, 31))),
        history=history,
        prior_activity_date=draw(st.none() | DATES),
        prior_activity_method=draw(st.none() | st.sampled_from(protocol.VERIFICATION_METHODS)),
        prior_activity_in_catchment=draw(st.none() | st.booleans()),
        flags=draw(st.dictionaries(st.sampled_from(FACT_NAMES), st.booleans())),
    )


@st.composite
def cases(draw):
    p = draw(st.sampled_from(EXAMPLES))
    return p, draw(facts_for(p))


@st.composite
def mostly_clean_cases(draw):
    """Cases that are often eligible, so the monotonicity properties have something to lose."""
    p = draw(st.sampled_from(EXAMPLES))
    offence = draw(st.sampled_from(p.offences))
    clean = dict.fromkeys(FACT_NAMES, False) | {"amenable": True, "subsistence": True}
    f = Facts(
        door="arrest",
        statute=offence.statute,
        quantity_grams=draw(st.floats(0, 8, allow_nan=False)),
        substance=draw(st.sampled_from(protocol.SUBSTANCES)),
        age=draw(st.integers(15, 70)),
        incident_date=dt.date(2024, 6, 1),
        history=tuple(draw(st.lists(st.builds(HistoryEntry, nibrs=HISTORY_CODES, date=DATES), max_size=2))),
        flags=clean,
    )
    return p, f


@st.composite
def stricter(draw, p):
    """The same protocol with one more exclusion; never more lenient."""
    kinds = ["history_class", "history_years", "new_lookback", "condition", "age_min", "final", "close_door"]
    if len(p.offences) > 1:
        kinds.append("remove_offence")
    if p.quantity is not None:
        kinds += ["lower_grams", "not_inclusive", "weigh_more", "drop_exemption"]
    if p.history:
        kinds.append("count_more")
    if len(p.doors) > 1:
        kinds.append("close_door")
    kind = draw(st.sampled_from(kinds))
    replace = dataclasses.replace
    if kind in ("history_class", "history_years", "count_more") and p.history:
        i = draw(st.integers(0, len(p.history) - 1))
        look = p.history[i]
        if kind == "history_class":
            look = replace(look, classes=tuple(dict.fromkeys((*look.classes, draw(HISTORY_CODES)))))
        elif kind == "history_years" and look.years is not None:
            look = replace(look, years=min(100, look.years + draw(st.integers(1, 20))))
        elif kind == "count_more":
            look = replace(
                look,
                counts=tuple(dict.fromkeys((*look.counts, draw(st.sampled_from(protocol.DISPOSITIONS))))),
            )
        return replace(p, history=(*p.history[:i], look, *p.history[i + 1 :]))
    if kind in ("history_class", "history_years", "count_more", "new_lookback"):
        look = Lookback(
            id="added",
            label="Added",
            classes=(draw(HISTORY_CODES),),
            years=draw(st.none() | st.integers(1, 30)),
        )
        return replace(p, history=(*p.history, look))
    if kind == "condition":
        cond = Condition(
            id="added", label="Added", fact=draw(st.sampled_from(FACT_NAMES)), require=draw(st.booleans())
        )
        return replace(p, conditions=(*p.conditions, cond))
    if kind == "age_min":
        return replace(p, age=replace(p.age, min=max(p.age.min or 0, draw(st.integers(0, 60)))))
    if kind == "final":
        return replace(p, authority=replace(p.authority, final=draw(st.sampled_from(protocol.ROLES))))
    if kind == "close_door" and len(p.doors) > 1:
        door = draw(st.sampled_from(p.doors))
        return replace(p, doors=tuple(d for d in p.doors if d != door))
    if kind == "remove_offence":
        gone = draw(st.sampled_from(p.offences)).statute
        keep = tuple(o for o in p.offences if o.statute != gone)

        def unfilter(c):  # a condition limited to the removed offence now applies to all: stricter still
            return replace(c, statutes=tuple(s for s in c.statutes if s != gone))

        return replace(
            p,
            offences=keep,
            conditions=tuple(map(unfilter, p.conditions)),
            judgements=tuple(map(unfilter, p.judgements)),
        )
    q = p.quantity
    if kind == "lower_grams":
        q = replace(q, max_grams=q.max_grams * draw(st.floats(0.05, 1.0)))
    elif kind == "not_inclusive":
        q = replace(q, inclusive=False)
    elif kind == "weigh_more":
        q = replace(q, applies_to=tuple(dict.fromkeys((*q.applies_to, draw(st.sampled_from(CODES))))))
    elif kind == "drop_exemption":
        q = replace(q, exempt_substances=())
    return replace(p, quantity=q)


@PROPERTY
@given(st.data())
def test_it_never_makes_a_referral_more_eligible_by_adding_an_exclusion(data):
    p, f = data.draw(st.one_of(cases(), mostly_clean_cases()))
    strict = data.draw(stricter(p))
    protocol.from_dict(protocol.to_dict(strict))  # still a valid protocol
    before, after = decide(p, f), decide(strict, f)
    assert RANK[after.outcome] <= RANK[before.outcome]
    if before.outcome == INELIGIBLE:
        assert after.outcome == INELIGIBLE


@PROPERTY
@given(cases())
def test_it_decides_the_same_way_every_time(case):
    p, f = case
    fresh = compile_protocol.__wrapped__(p)  # bypass the cache: a second, independent compile
    assert decide(p, f) == decide(p, f) == fresh(f)


@PROPERTY
@given(cases())
def test_it_explains_every_outcome(case):
    p, f = case
    d = decide(p, f)
    assert d.outcome in OUTCOMES
    assert (d.protocol_program, d.protocol_version) == (p.program, p.version)
    outcomes = {r.outcome for r in d.reasons}
    if d.outcome == INELIGIBLE:
        assert INELIGIBLE in outcomes and d.review_by is None
    elif d.outcome == NEEDS_REVIEW:
        assert INELIGIBLE not in outcomes and NEEDS_REVIEW in outcomes
        assert d.review_by in protocol.ROLES
    else:
        assert outcomes == {ELIGIBLE} and d.review_by is None and d.missing == () and d.criteria_met
    assert all(r.message and r.rule_id for r in d.reasons)


@PROPERTY
@given(cases())
def test_it_never_finds_a_referral_eligible_while_a_fact_is_missing(case):
    p, f = case
    d = decide(p, f)
    missing_in_reasons = {m for r in d.reasons for m in r.missing}
    assert set(d.missing) == missing_in_reasons
    if d.missing:
        assert d.outcome != ELIGIBLE


@PROPERTY
@given(cases(), st.data())
def test_it_never_lets_a_blanked_fact_through(case, data):
    p, f = case
    before = decide(p, f)
    names = [fl.name for fl in dataclasses.fields(Facts) if fl.name != "flags"]
    name = data.draw(st.sampled_from(names + [f"flag:{k}" for k in f.flags]))
    if name.startswith("flag:"):
        blank = dataclasses.replace(f, flags={k: v for k, v in f.flags.items() if k != name[5:]})
    else:
        assume(getattr(f, name) is not None)
        blank = dataclasses.replace(f, **{name: None})
    after = decide(p, blank)
    if before.outcome != ELIGIBLE:
        assert after.outcome != ELIGIBLE
    else:
        assert after.outcome in (ELIGIBLE, NEEDS_REVIEW)
        if after.outcome == NEEDS_REVIEW:
            assert after.missing


@PROPERTY
@given(cases())
def test_it_never_finds_an_arrest_eligible_when_the_prosecutor_has_final_authority(case):
    p, f = case
    p = dataclasses.replace(
        p, authority=dataclasses.replace(p.authority, final="prosecutor", final_doors=("arrest",))
    )
    d = decide(p, dataclasses.replace(f, door="arrest"))
    assert d.outcome != ELIGIBLE
    if d.criteria_met:
        assert (d.outcome, d.review_by) == (NEEDS_REVIEW, "prosecutor")


@settings(max_examples=30, deadline=None)
@given(st.lists(cases(), max_size=20))
def test_it_decides_a_batch_the_same_as_one_at_a_time(batch):
    for p in EXAMPLES:
        facts = [f for q, f in batch if q is p]
        assert list(decide_many(p, facts)) == [decide(p, f) for f in facts]
