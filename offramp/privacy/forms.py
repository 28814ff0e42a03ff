"""The consent form: each 42 CFR 2.31 element, validated again by `actions.consent_record`."""

from django import forms

from offramp.access.consent import CATEGORY_LABELS
from offramp.access.models import Consent
from offramp.formbounds import PlausibleForm
from offramp.privacy.actions import CONSENT_CATEGORIES, CONSENT_SIGNED_IN_FUTURE

DATE_INPUT = forms.DateInput(attrs={"type": "date"})

# The prosecutor-monitoring form (42 CFR 2.35): a court-ordered or court-supervised condition of
# diversion, irrevocable until the proceeding ends.
PROSECUTOR_MONITORING = {
    "recipient_class": Consent.Recipient.PROSECUTOR,
    "categories": ["participant_status", "legal"],
    "purpose": "Monitoring participation in LEAD while the criminal proceeding is pending",
    "irrevocable_until_proceeding_ends": True,
    "revocation_terms": "This consent cannot be revoked until the criminal proceeding it supports ends "
    "(final disposition or dismissal). After that, you may revoke it at any time, in writing or by "
    "telling your case manager.",
    "expiry_event": "when the criminal proceeding ends",
    "expiry_on": Consent.ExpiryOn.PROCEEDING_END,
}

# The public defender's legal coordination: the participant's own counsel, so an ordinary revocable
# consent, ending when they leave the program; legal coordination and who they are (the office
# cannot coordinate for "a participant").
DEFENDER_COORDINATION = {
    "recipient_class": Consent.Recipient.PUBLIC_DEFENDER,
    "categories": ["legal", "identity"],
    "purpose": "Coordinating my defence with my LEAD case manager while a charge is pending",
    "irrevocable_until_proceeding_ends": False,
    "revocation_terms": "You may revoke this consent at any time, in writing or by telling your case "
    "manager; what was already shared under it stays shared.",
    "expiry_event": "when I leave the program",
    "expiry_on": Consent.ExpiryOn.EXIT,
}
# The forms a consent can start from (`?form=NAME` on the consent page).
STARTING_FORMS = {"prosecutor": PROSECUTOR_MONITORING, "public_defender": DEFENDER_COORDINATION}


class ConsentForm(PlausibleForm):
    future_errors = {"signed_on": CONSENT_SIGNED_IN_FUTURE}
    discloser = forms.CharField(
        label="Who may disclose", max_length=200, initial=Consent._meta.get_field("discloser").default
    )
    categories = forms.MultipleChoiceField(
        label="What information",
        choices=[(c, CATEGORY_LABELS[c].capitalize()) for c in CONSENT_CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one kind of information the participant agreed to disclose."
        },
    )
    recipient_class = forms.ChoiceField(
        label="To whom",
        choices=Consent.Recipient.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who receives the information."},
    )
    recipient_name = forms.CharField(
        label="Recipient's name (optional)",
        max_length=200,
        required=False,
        help_text="A named person or organisation; leave empty when the consent names only the class above.",
    )
    purpose = forms.CharField(label="Purpose of the disclosure", max_length=200)
    revocation_terms = forms.CharField(
        label="The right to revoke, and how",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        initial=Consent._meta.get_field("revocation_terms").default,
    )
    irrevocable_until_proceeding_ends = forms.BooleanField(
        label="Irrevocable until the court proceeding ends (prosecutor monitoring, 42 CFR 2.35)",
        required=False,
    )
    expires_on = forms.DateField(
        label="Ends on (date)",
        required=False,
        widget=DATE_INPUT,
        help_text="Give a date, an event, or both: the first to come ends the consent.",
    )
    expiry_on = forms.ChoiceField(
        label="Ends with an event the program records",
        choices=[("", "No such event"), *Consent.ExpiryOn.choices],
        required=False,
        help_text="The consent ends by itself when the program records the exit or the proceeding's end.",
    )
    expiry_event = forms.CharField(
        label="Ends on (event)",
        max_length=200,
        required=False,
        help_text="The event in the participant's words, e.g. when I leave the program.",
    )
    signed_by = forms.CharField(
        label="Signed by",
        max_length=200,
        initial=Consent._meta.get_field("signed_by").default,
        help_text="The participant, or their legal representative (name them).",
    )
    signed_on = forms.DateField(label="Date signed", widget=DATE_INPUT)
