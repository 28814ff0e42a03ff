"""Passwords: at least 8 characters, not on the dated banned list, which is never over 90 days old."""

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from offramp.accounts.passwords import BANNED_PASSWORD, BannedPasswordValidator, banned_list

MAX_AGE_DAYS = 90


def test_it_ships_a_banned_list_updated_in_the_last_90_days():
    updated, words = banned_list()
    age = (dt.date.today() - updated).days
    assert 0 <= age <= MAX_AGE_DAYS, (
        f"offramp/accounts/banned_passwords.txt was last updated {age} days ago: review it against current "
        "breach lists and update its date"
    )
    assert len(words) > 100


@pytest.mark.parametrize("password", ["password", "Offramp2026!", "LEAD", "policeofficer1", "Welcome123"])
def test_it_refuses_a_banned_password_and_its_obvious_variants(password):
    with pytest.raises(ValidationError) as raised:
        BannedPasswordValidator().validate(password)
    assert raised.value.messages == [BANNED_PASSWORD]


@pytest.mark.parametrize(
    "password",
    ["short1!", "offramp99", "12345678901", "p@ssw0rd!!"],
    ids=["short", "banned", "numeric", "common"],
)
def test_it_applies_every_rule_in_the_settings(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_it_welcomes_a_passphrase():
    validate_password("kettle orchard lantern river")
