"""The bounds that keep implausible input out of every form; Django forms only, no app imports.

Every form in offramp is a `PlausibleForm`, so no field takes a value the database or the people
reading it later cannot use: a date before 1900 or decades ahead, a date of birth in the future
(after the arrest it is entered for), a count beyond what a database integer holds, a megabyte
of text in a note. Each refusal is the field's own error, shown beside the field.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils import timezone

EARLIEST = dt.date(1900, 1, 1)
YEARS_AHEAD = 10  # follow-ups, target dates, consent expiry: no plan reaches further
OLDEST_AGE_YEARS = 120
INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # what every supported database holds in an integer column
NUMBER_LIMIT = 1e9  # grams, miles, coordinates: far beyond any real value, well inside a float
TEXT_LIMIT = 10_000  # characters in a note or a discussion: about four pages
# Fields that record something that has already happened: never in the future.
PAST_FIELDS = {"date_of_birth", "signed_on", "assessed_on", "prior_activity_date", "at", "as_of"}

ERR_TOO_EARLY = "Enter a date from 1900 onward."
ERR_TOO_LATE = "Enter a date within the next {years} years."
ERR_FUTURE = "This cannot be in the future."
ERR_NUL = "Remove the NUL character (\\x00): it cannot be stored."
ERR_BORN_TOO_EARLY = "Enter a date of birth within the last {years} years."


def _day(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _latest(years: int = YEARS_AHEAD) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year + years) if (today.month, today.day) != (2, 29) else today


def date_bounds(name: str, future_error: str = ERR_FUTURE):
    """A validator holding a date (or date and time) to plausible bounds for the field `name`."""

    def check(value) -> None:
        day, today = _day(value), timezone.localdate()
        if day < EARLIEST:
            raise ValidationError(ERR_TOO_EARLY, code="too_early")
        if name == "date_of_birth" and day.year < today.year - OLDEST_AGE_YEARS:
            raise ValidationError(ERR_BORN_TOO_EARLY.format(years=OLDEST_AGE_YEARS), code="too_early")
        # A contact logged late at night in another time zone may read as tomorrow: one day's grace.
        if name in PAST_FIELDS and day > today + dt.timedelta(days=1 if name == "at" else 0):
            raise ValidationError(future_error, code="future")
        if day > _latest():
            raise ValidationError(ERR_TOO_LATE.format(years=YEARS_AHEAD), code="too_late")

    return check


def bound_field(name: str, field: forms.Field, future_error: str = ERR_FUTURE) -> None:
    """Add the bounds a field's kind needs, where the field does not set tighter ones itself."""
    if isinstance(field, forms.DateField | forms.DateTimeField):
        field.validators.append(date_bounds(name, future_error))
    elif isinstance(field, forms.IntegerField):
        if field.max_value is None:
            field.max_value = INT_MAX
            field.validators.append(MaxValueValidator(INT_MAX))
        if field.min_value is None:
            field.min_value = INT_MIN
            field.validators.append(MinValueValidator(INT_MIN))
    elif isinstance(field, forms.FloatField | forms.DecimalField):
        if field.max_value is None:
            field.validators.append(MaxValueValidator(NUMBER_LIMIT))
        if field.min_value is None:
            field.validators.append(MinValueValidator(-NUMBER_LIMIT))
    elif isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = TEXT_LIMIT
        field.validators.append(MaxLengthValidator(TEXT_LIMIT))
        field.widget.attrs.setdefault("maxlength", str(TEXT_LIMIT))


class PlausibleForm(forms.Form):
    """A form whose every field refuses implausible values (see the module's docstring)."""

    # field -> the domain's own message for a date in the future, where the action has one
    future_errors: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            bound_field(name, field, self.future_errors.get(name, ERR_FUTURE))

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        # Django refuses NUL in text, but a date or a number field may parse round it: refuse it anywhere.
        for name in self.fields:
            raw = self[name].data
            values = raw if isinstance(raw, list | tuple) else [raw]
            if any(isinstance(v, str) and "\x00" in v for v in values) and name not in self.errors:
                self.add_error(name, ERR_NUL)
