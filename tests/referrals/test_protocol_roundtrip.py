"""serialise -> parse gives back exactly the same protocol, for TOML and YAML."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offramp.files.problems import InvalidFile
from offramp.referrals import nibrs, protocol
from offramp.referrals.protocol import (
    AgeLimits,
    Authority,
    Condition,
    ExtraFact,
    Lookback,
    Offence,
    PriorActivity,
    Protocol,
    QuantityLimit,
)

CODES = sorted(code for code, o in nibrs.OFFENCES.items() if o.current)
# Any text but NUL, which the loader refuses (PostgreSQL cannot store it).
ANY_TEXT = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=20
).filter(str.strip)
# YAML escapes some code points differently; printable text is what people write anyway.
PRINTABLE = st.text(st.characters(categories=("L", "N", "P", "Zs", "S")), min_size=1, max_size=20).filter(
    str.strip
)
IDS = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


def subset(values, *, min_size=0):
    return st.lists(st.sampled_from(values), unique=True, min_size=min_size).map(tuple)


@st.composite
def protocols(draw, text=ANY_TEXT):
    doors = draw(subset(protocol.DOORS, min_size=1))
    offences = tuple(
        draw(
            st.lists(
                st.builds(
                    Offence,
                    statute=text,
                    nibrs=st.sampled_from(CODES),
                    label=text,
                    doors=subset(protocol.DOORS, min_size=1),
                ),
                min_size=1,
                max_size=5,
                unique_by=lambda o: o.statute,
            )
        )
    )
    statutes = tuple(o.statute for o in offences)
    extra = tuple(
        draw(
            st.lists(
                st.builds(
                    ExtraFact,
                    name=IDS.filter(
                        lambda n: n not in protocol.KNOWN_FACTS and n not in protocol.FACT_FIELDS
                    ),
                    question=text,
                ),
                max_size=2,
                unique_by=lambda e: e.name,
            )
        )
    )
    facts = sorted(protocol.KNOWN_FACTS) + [e.name for e in extra]
    roles = st.sampled_from(protocol.ROLES)

    def conditions():
        return st.lists(
            st.builds(
                Condition,
                id=IDS,
                label=text,
                fact=st.sampled_from(facts),
                require=st.booleans(),
                when=st.none() | st.sampled_from(facts),
                statutes=subset(statutes),
                doors=subset(protocol.DOORS, min_size=1),
                review_by=st.none() | roles,
            ),
            max_size=3,
            unique_by=lambda c: c.id,
        ).map(tuple)

    low = draw(st.none() | st.integers(0, 60))
    high = draw(st.none() | st.integers(low or 0, 130))
    return Protocol(
        program=draw(IDS),
        version=draw(st.integers(1, 10**6)),
        label=draw(text),
        effective_from=draw(st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1))),
        doors=doors,
        intake_window_days=draw(st.integers(1, 365)),
        age=AgeLimits(min=low, max=high),
        authority=Authority(
            **{door: draw(roles) if door in doors else draw(st.none() | roles) for door in protocol.DOORS},
            final=draw(st.none() | roles),
            final_doors=draw(subset(protocol.DOORS, min_size=1)),
        ),
        quantity=draw(
            st.none()
            | st.builds(
                QuantityLimit,
                max_grams=st.floats(1e-6, 1e6, allow_nan=False, allow_infinity=False),
                inclusive=st.booleans(),
                applies_to=subset(CODES, min_size=1),
                exempt_substances=subset(protocol.SUBSTANCES),
                doors=subset(protocol.DOORS, min_size=1),
            )
        ),
        prior_activity=draw(
            st.none()
            | st.builds(
                PriorActivity,
                within_months=st.integers(1, 600),
                in_catchment=st.booleans(),
                methods=subset(protocol.VERIFICATION_METHODS, min_size=1),
                doors=subset(protocol.DOORS, min_size=1),
            )
        ),
        offences=offences,
        history=tuple(
            draw(
                st.lists(
                    st.builds(
                        Lookback,
                        id=IDS,
                        label=text,
                        classes=subset(CODES, min_size=1),
                        years=st.none() | st.integers(1, 100),
                        counts=subset(protocol.DISPOSITIONS, min_size=1),
                        doors=subset(protocol.DOORS, min_size=1),
                    ),
                    max_size=3,
                    unique_by=lambda h: h.id,
                )
            )
        ),
        conditions=draw(conditions()),
        judgements=draw(conditions()),
        extra_facts=extra,
    )


@settings(max_examples=150, deadline=None)
@given(protocols())
def test_it_round_trips_through_toml_exactly(p):
    assert protocol.from_dict(protocol.to_dict(p)) == p  # the generated protocol is valid
    assert protocol.parse_toml(protocol.to_toml(p)) == p


@settings(max_examples=75, deadline=None)
@given(protocols(text=PRINTABLE))
def test_it_round_trips_through_yaml_exactly(p):
    assert protocol.parse_yaml(protocol.to_yaml(p)) == p


def test_it_round_trips_the_shipped_examples():
    for name in ("seattle", "santa_fe", "san_francisco"):
        p = protocol.example(name)
        assert protocol.parse_toml(protocol.to_toml(p)) == p


def test_it_escapes_quotes_backslashes_and_control_characters():
    p = protocol.example("seattle")
    tricky = 'He said "no" \\ then\ttab\nline\x01\x7f é ☃'
    q = Protocol(**{**{f: getattr(p, f) for f in p.__dataclass_fields__}, "label": tricky})
    text = protocol.to_toml(q)
    assert protocol.parse_toml(text).label == tricky
    assert "\x01" not in text and "\x7f" not in text


def test_it_refuses_a_nul_character_even_escaped():
    p = protocol.example("seattle")
    q = Protocol(**{**{f: getattr(p, f) for f in p.__dataclass_fields__}, "label": "line\x00"})
    text = protocol.to_toml(q)
    assert "\x00" not in text  # written as an escape, so the file itself is clean
    with pytest.raises(InvalidFile, match="^label: contains a NUL character$"):
        protocol.parse_toml(text)


def test_it_writes_readable_sections_in_field_order():
    text = protocol.to_toml(protocol.example("santa_fe"))
    assert '"prescription_opioid_pill"' in text
    assert text.index("[age]") < text.index("[authority]") < text.index("[quantity]")
