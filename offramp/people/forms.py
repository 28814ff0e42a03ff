from django import forms


class StatusLookupForm(forms.Form):
    last_name = forms.CharField(max_length=50, label="Last name")
    first_name = forms.CharField(max_length=50, required=False, label="First name (optional)")
    date_of_birth = forms.DateField(
        label="Date of birth", widget=forms.DateInput(attrs={"type": "date"}), help_text="Exact date of birth"
    )
