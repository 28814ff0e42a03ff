from django import forms

from offramp.directory.queries import DEFAULT_MILES, SearchFilter
from offramp.formbounds import PlausibleForm


class SearchForm(PlausibleForm):
    q = forms.CharField(label="Words (service or organization)", required=False, max_length=100)
    need = forms.ChoiceField(label="Need", required=False)
    language = forms.ChoiceField(label="Language", required=False)
    latitude = forms.FloatField(label="Near: latitude", required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label="Near: longitude", required=False, min_value=-180, max_value=180)
    miles = forms.FloatField(
        label="Within (miles)", required=False, min_value=0.1, max_value=100, initial=DEFAULT_MILES
    )

    BOTH = "Give both latitude and longitude, or neither."

    def __init__(self, *args, needs=(), languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", "Any need"), *needs]
        self.fields["language"].choices = [("", "Any language"), *((n, n) for n in languages)]
        for name in ("latitude", "longitude", "miles"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "any"})

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(self.BOTH)
        return data

    def search_filter(self) -> SearchFilter:
        data = self.cleaned_data
        return SearchFilter(
            text=data.get("q") or "",
            need=data.get("need") or "",
            language=data.get("language") or "",
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            miles=data.get("miles") or DEFAULT_MILES,
        )


class UploadForm(PlausibleForm):
    file = forms.FileField(
        label="HSDS file (.json, or a .zip of CSV files with datapackage.json)",
        help_text="A service or organization (compound JSON), a list of them, or a tabular data package.",
    )
