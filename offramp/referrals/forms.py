"""The officer's referral forms (built from the program's current protocol) and the protocol upload."""

import re
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
    facts_needed,
    history_needed,
    offence_needed,
    prior_activity_needed,
    quantity_needed,
)

# How the person came to the program, in the officer's words (the protocol calls these doors).
DOOR_CHOICES = {
    "arrest": "Arrest diversion: instead of booking",
    "social_contact": "Social contact: no arrest, prior activity known",
    "community": "Community referral: someone else referred the person",
}
DOOR_NAMES = {
    "arrest": "an arrest diversion",
    "social_contact": "a social contact",
    "community": "a community referral",
}
YES_NO = [("", "Not known"), ("yes", "Yes"), ("no", "No")]
MAX_PROTOCOL_BYTES = 256 * 1024

ERR_HOW = "Choose how the person came to the program."
ERR_OFFENCE_NEEDED = "The offence is needed for {door}."
ERR_INCIDENT_NEEDED = "The incident number is needed for an arrest diversion."
ERR_REFERRER_NEEDED = "Who referred the person is needed for a community referral."
ERR_PHONE = "Enter a phone number of digits, spaces and + ( ) - only."


class PersonForm(PlausibleForm):
    last_name = forms.CharField(max_length=50, label="Last name")
    first_name = forms.CharField(max_length=50, required=False, label="First name")
    date_of_birth = forms.DateField(label="Date of birth", widget=forms.DateInput(attrs={"type": "date"}))
    # One key per referral form: a resubmission of the same form finds the referral it made.
    key = forms.CharField(max_length=64, widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex)
    # The officer's answer to "possible existing participant": a signed token, or "new" (matches.py).
    match = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)


class FactsForm(PlausibleForm):
    """Screen 2. First how the person came and the offence (`scope_only`); then only the questions
    the protocol's rules ask for that door and offence, with door and offence carried hidden."""

    def __init__(
        self, *args, protocol: Protocol, areas: tuple[str, ...] = (), scope_only: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.protocol = protocol
        self.scope_only = scope_only
        source = self.data if self.is_bound else self.initial
        door = source.get("door") or ""
        self.door = door if door in protocol.doors else ""
        statute = source.get("statute") or ""
        known = {o.statute for o in protocol.offences}
        self.statute = statute if statute in known and offence_needed(self.door) else None
        f = self.fields
        hidden = {} if scope_only else {"widget": forms.HiddenInput}
        f["door"] = forms.ChoiceField(
            label="How did the person come to the program?",
            widget=forms.RadioSelect,
            choices=[(d, DOOR_CHOICES[d]) for d in protocol.doors],
            error_messages={"required": ERR_HOW, "invalid_choice": ERR_HOW},
        )
        f["statute"] = forms.ChoiceField(
            required=False,
            label="Offence",
            help_text="Not asked for a community referral",
            choices=[("", "Choose the offence")]
            + [(o.statute, f"{o.label} ({o.statute})") for o in protocol.offences],
        )
        if hidden:
            f["door"].widget = forms.HiddenInput()
            f["statute"].widget = forms.HiddenInput()
        self.fact_names: list[str] = []
        self.looks: list = []
        if scope_only or not self.door:
            return
        if self.door != "community":
            f["incident_number"] = forms.CharField(
                max_length=64,
                required=False,
                label="Incident number",
                help_text="Needed for an arrest diversion" if self.door == "arrest" else "",
            )
        if quantity_needed(protocol, self.door, self.statute):
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
        if self.door == "community":
            f["referrer_name"] = forms.CharField(
                max_length=200, required=False, label="Who referred the person?"
            )
            f["referrer_agency"] = forms.CharField(
                max_length=200, required=False, label="Their agency or organisation"
            )
            f["referrer_phone"] = forms.CharField(
                max_length=32,
                required=False,
                label="Their phone",
                widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            )
        f["location"] = forms.CharField(max_length=200, required=False, label="Where are you?")
        if areas:  # the program's own areas (its `areas` setting), so the equity audit groups by one name
            f["area"] = forms.ChoiceField(
                choices=[("", "Not listed"), *((name, name) for name in areas)],
                required=False,
                label="Precinct or beat",
            )
        else:
            f["area"] = forms.CharField(max_length=64, required=False, label="Precinct or beat")
        self.fact_names = facts_needed(protocol, self.door, self.statute)
        for name in self.fact_names:
            f[f"fact_{name}"] = forms.ChoiceField(
                required=False, label=protocol.question(name), choices=YES_NO, widget=forms.RadioSelect
            )
        self.looks = history_needed(protocol, self.door)
        for look in self.looks:
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
        if prior_activity_needed(protocol, self.door):
            f["prior_activity_date"] = forms.DateField(
                required=False,
                label="Date of the verified prior activity",
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            f["prior_activity_method"] = forms.ChoiceField(
                required=False,
                label="How it was verified",
                choices=[("", "Not recorded")] + [(m, t.capitalize()) for m, t in METHOD_LABELS.items()],
            )
            f["prior_activity_in_catchment"] = forms.ChoiceField(
                required=False,
                label="Was it inside the catchment area?",
                choices=YES_NO,
                widget=forms.RadioSelect,
            )

    @property
    def door_label(self) -> str:
        return DOOR_CHOICES.get(self.door, "")

    @property
    def offence_label(self) -> str:
        found = next((o for o in self.protocol.offences if o.statute == self.statute), None)
        return f"{found.label} ({found.statute})" if found else ""

    def clean_referrer_phone(self):
        phone = self.cleaned_data["referrer_phone"].strip()
        if phone and (not re.fullmatch(r"[0-9 +()\-.]{7,32}", phone) or sum(c.isdigit() for c in phone) < 7):
            raise forms.ValidationError(ERR_PHONE)
        return phone

    def clean(self):
        data = super().clean()
        door = data.get("door")
        if not door:
            return data
        if offence_needed(door):
            if not data.get("statute"):
                self.add_error("statute", ERR_OFFENCE_NEEDED.format(door=DOOR_NAMES[door]))
        else:
            data["statute"] = ""
        if self.scope_only:
            return data
        if door == "arrest" and not (data.get("incident_number") or "").strip():
            self.add_error("incident_number", ERR_INCIDENT_NEEDED)
        if door == "community" and not (data.get("referrer_name") or "").strip():
            self.add_error("referrer_name", ERR_REFERRER_NEEDED)
        return data

    def mark_missing(self, decision) -> int:
        """Put each fact still missing at the question on this screen that asks it; how many."""
        marked = 0
        for reason in decision.reasons:
            if reason.outcome != "needs_review":
                continue
            for name in reason.missing:
                field = name if name in self.fields else f"fact_{name}"
                if field in self.fields and field not in self.errors:
                    self.add_error(field, reason.message)
                    marked += 1
        return marked

    def question_fields(self):
        return [self[f"fact_{name}"] for name in self.fact_names]

    def history_fields(self):
        return [self[f"history_{look.id}"] for look in self.looks]

    def draft(self, person: dict) -> ReferralDraft:
        data = self.cleaned_data

        def yes_no(value):
            return {"yes": True, "no": False}.get(value)

        return ReferralDraft(
            first_name=person["first_name"],
            last_name=person["last_name"],
            date_of_birth=person["date_of_birth"],
            door=data["door"],
            statute=data.get("statute") or None,
            quantity_grams=data.get("quantity_grams"),
            substance=data.get("substance") or None,
            incident_number=data.get("incident_number") or "",
            location=data["location"],
            area=data["area"],
            flags={name: yes_no(data.get(f"fact_{name}")) for name in self.fact_names},
            history={look.id: data.get(f"history_{look.id}", "") for look in self.looks},
            prior_activity_date=data.get("prior_activity_date"),
            prior_activity_method=data.get("prior_activity_method") or None,
            prior_activity_in_catchment=yes_no(data.get("prior_activity_in_catchment")),
            referrer_name=(data.get("referrer_name") or "").strip(),
            referrer_agency=(data.get("referrer_agency") or "").strip(),
            referrer_phone=data.get("referrer_phone") or "",
        )


class ReviewForm(PlausibleForm):
    """A reviewer's answer to one decision that needs review by their role."""

    outcome = forms.ChoiceField(
        label="Your decision",
        choices=[("approved", "Approve"), ("declined", "Decline")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose approve or decline.",
            "invalid_choice": "Choose approve or decline.",
        },
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to decline; the officer and the case manager read it.",
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
