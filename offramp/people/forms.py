from django import forms

from offramp.formbounds import PlausibleForm
from offramp.people import hmis


class StatusLookupForm(PlausibleForm):
    last_name = forms.CharField(max_length=50, label="Last name")
    first_name = forms.CharField(max_length=50, required=False, label="First name (optional)")
    date_of_birth = forms.DateField(
        label="Date of birth", widget=forms.DateInput(attrs={"type": "date"}), help_text="Exact date of birth"
    )


RACE_CHOICES = [(field, label) for field, (_column, label) in hmis.RACE_FIELDS.items()]
PROFILE_FIELDS = (
    "legal_first_name",
    "legal_middle_name",
    "legal_last_name",
    "preferred_name",
    "date_of_birth",
    "dob_data_quality",
    "sex",
    "gender",
    "race_none",
    "additional_race_ethnicity",
    "veteran_status",
    "language",
    "phone",
    "whereabouts",
    "emergency_contact_name",
    "emergency_contact_relationship",
    "emergency_contact_phone",
)


def _coded(choices, *, required=False, blank_label="Not recorded"):
    return forms.TypedChoiceField(
        choices=[("", blank_label), *choices], coerce=int, required=required, empty_value=None
    )


class ProfileForm(PlausibleForm):
    """The participant's profile, as the case team records it (HMIS FY2026 codes where HMIS has one)."""

    legal_first_name = forms.CharField(max_length=50, label="Legal first name")
    legal_middle_name = forms.CharField(max_length=50, required=False, label="Legal middle name")
    legal_last_name = forms.CharField(max_length=50, label="Legal last name")
    preferred_name = forms.CharField(max_length=100, required=False, label="Preferred name")
    aliases = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Other names (aliases)",
        help_text="One a line: first name, then last name (a street name may be one word)",
    )
    date_of_birth = forms.DateField(
        required=False, label="Date of birth", widget=forms.DateInput(attrs={"type": "date"})
    )
    dob_data_quality = _coded(hmis.DOBDataQuality.choices, required=True)
    dob_data_quality.label = "Date of birth quality"
    races = forms.MultipleChoiceField(
        choices=RACE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Race and ethnicity (all that apply)",
    )
    race_none = _coded(hmis.RaceNone.choices, blank_label="(none of these)")
    race_none.label = "If none is chosen"
    additional_race_ethnicity = forms.CharField(
        max_length=100, required=False, label="Race and ethnicity in their own words"
    )
    sex = _coded(hmis.Sex.choices)
    sex.label = "Sex"
    gender = forms.CharField(max_length=100, required=False, label="Gender (their own words)")
    veteran_status = _coded(hmis.NoYesReasons.choices, required=True)
    veteran_status.label = "Veteran"
    language = forms.CharField(max_length=64, required=False, label="Preferred language")
    phone = forms.CharField(max_length=32, required=False, label="Phone")
    whereabouts = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Where to find them (kept encrypted)",
    )
    emergency_contact_name = forms.CharField(max_length=100, required=False, label="Emergency contact")
    emergency_contact_relationship = forms.CharField(max_length=64, required=False, label="Relationship")
    emergency_contact_phone = forms.CharField(max_length=32, required=False, label="Emergency contact phone")

    def clean(self):
        data = super().clean()
        if data.get("races") and data.get("race_none"):
            self.add_error("race_none", "Leave this empty when a race or ethnicity is chosen.")
        return data

    def clean_aliases(self) -> list[tuple[str, str]]:
        names = []
        for number, line in enumerate(self.cleaned_data["aliases"].splitlines(), start=1):
            words = line.split()
            if not words:
                continue
            first, last = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else (words[0], "")
            if len(first) > 50 or len(last) > 50:
                raise forms.ValidationError(f"Line {number}: a name part is longer than 50 characters.")
            names.append((first, last))
        return names


class LinkForm(PlausibleForm):
    other_case = forms.IntegerField(min_value=1, label="Case number of the other record", help_text="As #123")
    reason = forms.CharField(max_length=300, required=False, label="Why they are one person")
    again = forms.BooleanField(required=False, label="Link them again (they were split before)")


class SplitForm(PlausibleForm):
    reason = forms.CharField(max_length=300, required=False, label="Why they are two people")


class ConfirmForm(PlausibleForm):
    reason = forms.CharField(
        max_length=300,
        required=False,
        label="Why they are one person",
        help_text="What you checked: an ID seen, the date of birth and an alias",
    )


class DismissForm(PlausibleForm):
    reason = forms.CharField(max_length=300, required=False, label="Why they are two people")
