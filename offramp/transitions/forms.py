"""Forms for service referrals: each validates input and hands it to one `transition_*` action."""

from django import forms

from offramp.cases.models import Goal
from offramp.formbounds import PlausibleForm

OVERRIDE_HELP = (
    "Only without the participant's consent for this provider: a case supervisor writes why the referral "
    "must go anyway. The override is kept in the audit log."
)


class ReferralForm(PlausibleForm):
    service = forms.CharField(required=False, widget=forms.HiddenInput)  # an HSDS service id, from the search
    provider_name = forms.CharField(
        label="Provider (if not in the directory)",
        max_length=200,
        required=False,
        help_text="Leave empty when you picked a service above.",
    )
    area = forms.ChoiceField(label="Area of need", choices=Goal.Area.choices)
    need = forms.CharField(label="What the participant is asking for", max_length=300, required=False)
    follow_up_on = forms.DateField(
        label="Follow up on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    refer_now = forms.BooleanField(label="Send the referral to the provider now", required=False)
    override_reason = forms.CharField(
        label="Override reason (case supervisor)",
        required=False,
        help_text=OVERRIDE_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UpdateForm(PlausibleForm):
    to_status = forms.ChoiceField(label="New status", required=False, widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason (needed when declined)", max_length=300, required=False)
    provider_response = forms.CharField(
        label="The provider's response", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up_on = forms.DateField(
        label="Follow up on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    override_reason = forms.CharField(
        label="Override reason (case supervisor)",
        required=False,
        help_text=OVERRIDE_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, next_statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [("", "No change"), *next_statuses]
        self.fields["to_status"].initial = ""


class TransferForm(PlausibleForm):
    to_manager = forms.TypedChoiceField(label="Move the case to", coerce=int)
    reason = forms.CharField(label="Why the case is moving", max_length=300)

    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_manager"].choices = [("", "Choose a case manager"), *managers]


class TransferDecisionForm(PlausibleForm):
    decision = forms.ChoiceField(
        label="Decision", choices=[("accept", "Accept"), ("decline", "Decline")], widget=forms.RadioSelect
    )
    reason = forms.CharField(label="Reason (needed to decline)", max_length=300, required=False)
    confirm = forms.BooleanField(label="Past the soft caseload limit: move it anyway", required=False)
