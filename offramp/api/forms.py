from django import forms

from offramp.api import scopes
from offramp.formbounds import PlausibleForm


class IntegrationForm(PlausibleForm):
    name = forms.CharField(max_length=100, help_text="Shown in the audit log for every call it makes")
    agency = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, help_text="Needed for the referral scopes"
    )
    scopes = forms.MultipleChoiceField(
        choices=[(name, f"{name}: {words}") for name, (words, _role) in scopes.SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.IntegerField(label="Expires after (days)", min_value=1, max_value=730, initial=365)
    rate_per_minute = forms.IntegerField(label="Calls a minute", min_value=1, max_value=10_000, initial=120)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "No agency")] + [(a.pk, a.name) for a in agencies]
