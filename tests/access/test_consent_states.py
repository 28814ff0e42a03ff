"""Property tests of the consent rule: one pure function decides every disclosure."""

import datetime as dt
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from offramp.access.consent import ConsentState, consent_may_revoke, consent_permits, consent_state
from offramp.access.policy import Category

BASE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
moments = st.integers(min_value=-1000, max_value=1000).map(lambda h: BASE + dt.timedelta(hours=h))
maybe = st.none() | moments


@st.composite
def consents(draw):
    return SimpleNamespace(
        signed_at=draw(moments),
        expires_at=draw(maybe),
        expiry_event_at=draw(maybe),
        revoked_at=draw(maybe),
        irrevocable_until_proceeding_ends=draw(st.booleans()),
        proceeding_ended_at=draw(maybe),
        recipient_class=draw(st.sampled_from(["prosecutor", "provider", "hmis"])),
        categories=draw(st.lists(st.sampled_from(Category.ALL), unique=True)),
    )


@given(consents(), moments)
def test_it_is_active_exactly_between_signature_and_the_first_end(consent, at):
    ends = [t for t in (consent.expires_at, consent.expiry_event_at, consent.revoked_at) if t is not None]
    expected = consent.signed_at <= at and all(at < end for end in ends)
    assert (consent_state(consent, at) == ConsentState.ACTIVE) is expected


@given(
    consents(), moments, st.sampled_from(Category.ALL), st.sampled_from(["prosecutor", "provider", "hmis"])
)
def test_it_permits_only_the_named_recipient_and_categories_while_active(consent, at, category, recipient):
    permitted = consent_permits(consent, recipient_class=recipient, category=category, at=at)
    assert permitted == (
        consent_state(consent, at) == ConsentState.ACTIVE
        and recipient == consent.recipient_class
        and category in consent.categories
    )


@given(consents(), moments, st.integers(min_value=0, max_value=2000))
def test_it_never_comes_back_once_revoked_or_expired(consent, at, later_hours):
    later = at + dt.timedelta(hours=later_hours)
    if consent_state(consent, at) in (ConsentState.REVOKED, ConsentState.EXPIRED):
        assert consent_state(consent, later) in (ConsentState.REVOKED, ConsentState.EXPIRED)
        assert not consent_permits(
            consent, recipient_class=consent.recipient_class, category=Category.STATUS, at=later
        )


@given(consents(), moments)
def test_it_holds_an_irrevocable_consent_until_its_proceeding_ends(consent, at):
    ended = consent.proceeding_ended_at is not None and consent.proceeding_ended_at <= at
    live = consent_state(consent, at) in (ConsentState.ACTIVE, ConsentState.PENDING)
    if consent.irrevocable_until_proceeding_ends:
        assert consent_may_revoke(consent, at) == (live and ended)
    else:
        assert consent_may_revoke(consent, at) == live
