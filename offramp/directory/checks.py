"""One HSDS value: its type, format and enumeration. Pure functions, no database."""

import datetime as dt
import math
import re

from offramp.directory.hsds import F

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# A pragmatic address check: something@domain.tld, no spaces (RFC 5322 allows more than mail systems do).
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")  # RFC 3986: a scheme, then no white space
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")

NOT_TEXT = "must be text"
NOT_NUMBER = "must be a number"
NOT_UUID = "must be a UUID such as 3f7b145d-84af-42d7-8fae-eaca714b02b2"
NOT_EMAIL = "must be an email address"
NOT_URI = "must be a URI with a scheme, such as https://example.org"
NOT_DATE = "must be a date as YYYY-MM-DD"
NOT_TIME = "must be a time of day as HH:MM or HH:MM:SS"
NOT_DATETIME = "must be a date and time as YYYY-MM-DDTHH:MM:SS (with an optional zone)"
NOT_IN_ENUM = "must be one of: {choices}"


def _valid_date(text: str) -> bool:
    if not DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _valid_time(text: str) -> bool:
    match = TIME.match(text)
    if not match:
        return False
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    return hour < 24 and minute < 60 and second < 61  # 60: a leap second


def _valid_datetime(text: str) -> bool:
    if len(text) < 11 or text[10] not in "Tt " or not _valid_date(text[:10]):
        return False
    return _valid_time(text[11:])


FORMAT_CHECKS = {
    "uuid": (lambda v: bool(UUID.match(v)), NOT_UUID),
    "email": (lambda v: bool(EMAIL.match(v)), NOT_EMAIL),
    "uri": (lambda v: bool(URI.match(v)), NOT_URI),
    "date": (_valid_date, NOT_DATE),
    "time": (_valid_time, NOT_TIME),
    "datetime": (_valid_datetime, NOT_DATETIME),
}


def coerce(field: F, value, *, from_text: bool):
    """(value, error): the stored form of one value, or why it is refused.

    `from_text` is true for CSV cells, where every value is text and an empty cell
    means no value. In JSON a null is read as no value too. No value is (None, None).
    """
    if value is None or (from_text and value == ""):
        return None, None
    if field.kind == "number":
        if from_text:
            try:
                number = float(value)
            except ValueError:
                return None, NOT_NUMBER
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, NOT_NUMBER
        else:
            number = float(value)
        if not math.isfinite(number):
            return None, NOT_NUMBER
        return number, None
    if not isinstance(value, str):
        return None, NOT_TEXT
    check = FORMAT_CHECKS.get(field.kind)
    if check and not check[0](value):
        return None, check[1]
    if field.enum and value not in field.enum:
        return None, NOT_IN_ENUM.format(choices=", ".join(field.enum))
    if field.kind == "uuid":
        value = value.lower()  # identifiers compare without case (RFC 4122)
    return value, None


def number_out(value: float):
    """A stored number as HSDS writes it: 12 rather than 12.0."""
    return int(value) if float(value).is_integer() else value
