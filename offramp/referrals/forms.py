"""The officer's referral forms (built from the program's current protocol) and the protocol upload."""

import uuid

from django import forms

from offramp.formbounds import PlausibleForm
from offramp.referrals.eligibility_rules import METHOD_LABELS, _substance_label
from offramp.referrals.protocol import SUBSTANCES, Protocol
from offramp.referrals.referral_facts import (
    HISTORY_CLEAR,
    HISTORY_FOUND,
    HISTORY_NOT_CHECKED,
    ReferralDraft,
    facts_asked,
)

DOOR_CHOICES = {"arrest": "Arrest diversion", "social_contact": "Social contact", "community": "Community"}
YES_NO = [("", "Not known"), ("yes", "Yes"), ("no", "No")]
MAX_PROTOCOL_BYTES = 256 * 1024


class PersonForm(PlausibleForm):
    last_name = forms.CharField(max_length=50, label="Last name")
    first_name = forms.CharField(max_length=50, required=False, label="First name")
    date_of_birth = forms.DateField(label="Date of birth", widget=forms.DateInput(attrs={"type": "date"}))
    # One key per referral form: a resubmission of the same form finds the referral it made.
    key = forms.CharField(max_length=64, widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex)
    # The officer's answer to "possible existing participant": a signed token, or "new" (matches.py).
    match = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)


class FactsForm(PlausibleForm):
    """The door and the offence facts; the yes/no questions come from the protocol."""

    def __init__(self, *args, protocol: Protocol, **kwargs):
        super().__init__(*args, **kwargs)
        self.protocol = protocol
        f = self.fields
        f["door"] = forms.ChoiceField(
            label="Door", widget=forms.RadioSelect, choices=[(d, DOOR_CHOICES[d]) for d in protocol.doors]
        )
        f["statute"] = forms.ChoiceField(
            label="Offence",
            choices=[("", "Choose the offence")]
            + [(o.statute, f"{o.label} ({o.statute})") for o in protocol.offences],
        )
        f["incident_number"] = forms.CharField(
            max_length=64, required=False, label="Incident number", help_text="Needed for an arrest diversion"
        )
        if protocol.quantity is not None:
            f["quantity_grams"] = forms.FloatField(
                required=False,
                min_value=0,
                label="Quantity (grams)",
                widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            )
            f["substance"] = forms.ChoiceField(
                required=False,
                label="Substance",
                choices=[("", "Not known")] + [(s, _substance_label(s)) for s in SUBSTANCES],
            )
        f["location"] = forms.CharField(max_length=200, required=False, label="Where are you?")
        f["area"] = forms.CharField(max_length=64, required=False, label="Precinct or beat")
        self.fact_names = facts_asked(protocol)
        for name in self.fact_names:
            f[f"fact_{name}"] = forms.ChoiceField(
                required=False, label=protocol.question(name), choices=YES_NO, widget=forms.RadioSelect
            )
        for look in protocol.history:
            f[f"history_{look.id}"] = forms.ChoiceField(
                required=False,
                label=f"Records check: {look.label}",
                widget=forms.RadioSelect,
                choices=[
                    (HISTORY_NOT_CHECKED, "Not checked"),
                    (HISTORY_CLEAR, "None found"),
                    (HISTORY_FOUND, "Found"),
                ],
            )
        if protocol.prior_activity is not None:
            f["prior_activity_date"] = forms.DateField(
                required=False,
                label="Social contact: date of the verified prior activity",
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            f["prior_activity_method"] = forms.ChoiceField(
                required=False,
                label="Social contact: how it was verified",
                choices=[("", "Not recorded")] + [(m, t.capitalize()) for m, t in METHOD_LABELS.items()],
            )
            f["prior_activity_in_catchment"] = forms.ChoiceField(
                required=False,
                label="Social contact: was it inside the catchment area?",
                choices=YES_NO,
                widget=forms.RadioSelect,
            )

    def question_fields(self):
        return [self[f"fact_{name}"] for name in self.fact_names]

    def history_fields(self):
        return [self[f"history_{look.id}"] for look in self.protocol.history]

    def draft(self, person: dict) -> ReferralDraft:
        data = self.cleaned_data

        def yes_no(value):
            return {"yes": True, "no": False}.get(value)

        return ReferralDraft(
            first_name=person["first_name"],
            last_name=person["last_name"],
            date_of_birth=person["date_of_birth"],
            door=data["door"],
            statute=data["statute"],
            quantity_grams=data.get("quantity_grams"),
            substance=data.get("substance") or None,
            incident_number=data["incident_number"],
            location=data["location"],
            area=data["area"],
            flags={name: yes_no(data.get(f"fact_{name}")) for name in self.fact_names},
            history={look.id: data.get(f"history_{look.id}", "") for look in self.protocol.history},
            prior_activity_date=data.get("prior_activity_date"),
            prior_activity_method=data.get("prior_activity_method") or None,
            prior_activity_in_catchment=yes_no(data.get("prior_activity_in_catchment")),
        )


class ProtocolUploadForm(PlausibleForm):
    file = forms.FileField(label="Protocol file (TOML)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PROTOCOL_BYTES:
            raise forms.ValidationError("The file is larger than 256 KB.")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text.") from None


MAX_ARRESTS_BYTES = 512 * 1024 * 1024


class ScreeningUploadForm(PlausibleForm):
    """An export of arrests, its column mapping and the protocol version to screen it against."""

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.TypedChoiceField(
            label="Protocol version",
            coerce=int,
            choices=[(v.version, f"Version {v.version}: {v.label}") for v in versions],
        )
        self.fields["arrests"] = forms.FileField(
            label="Arrests (CSV export with a header row)",
            help_text="One row per arrest. Nothing is stored unless every row reads.",
        )
        self.fields["mapping"] = forms.FileField(
            label="Column mapping (TOML)", help_text="Which column holds which fact; see the example mapping."
        )

    def clean_arrests(self):
        upload = self.cleaned_data["arrests"]
        if upload.size > MAX_ARRESTS_BYTES:
            raise forms.ValidationError("The file is larger than 512 MB; use `offramp screen` instead.")
        return upload

    def clean_mapping(self):
        upload = self.cleaned_data["mapping"]
        if upload.size > MAX_PROTOCOL_BYTES:
            raise forms.ValidationError("The file is larger than 256 KB.")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text.") from None
