from django import forms

from offramp.formbounds import PlausibleForm


class HoldForm(PlausibleForm):
    case = forms.IntegerField(
        label="Case number", min_value=1, help_text="The number in the case page's address, /cases/<number>/"
    )
    reason = forms.CharField(label="What the hold is for (the litigation, request or order)", max_length=300)


class ReleaseForm(PlausibleForm):
    reason = forms.CharField(label="Why the hold is released", max_length=300)
