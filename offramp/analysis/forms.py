from django import forms

from offramp.formbounds import PlausibleForm


class StudyForm(PlausibleForm):
    toml = forms.CharField(
        label="Study definition (TOML)",
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}),
        help_text="Arms, index date, covariates, outcomes, follow-up, matching, costs and analysis; "
        "see the example below it and the evaluation guide.",
    )


class ImportForm(PlausibleForm):
    file = forms.FileField(label="Export file (.csv or .parquet)")
    mapping = forms.CharField(
        label="Column mapping (TOML)", widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"})
    )
    source = forms.CharField(label="Where the file came from", max_length=200, required=False)


class LinkDecisionForm(PlausibleForm):
    link = forms.IntegerField(min_value=1)
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
