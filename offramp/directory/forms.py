from django import forms

from offramp.directory.queries import DEFAULT_MILES, SearchFilter
from offramp.formbounds import PlausibleForm


class SearchForm(PlausibleForm):
    q = forms.CharField(label="Words (service or organization)", required=False, max_length=100)
    need = forms.ChoiceField(label="Need", required=False)
    language = forms.ChoiceField(label="Language", required=False)
    place = forms.ChoiceField(
        label="Near", required=False, help_text="A town, postal code or place in the directory"
    )
    miles = forms.FloatField(
        label="Within (miles)", required=False, min_value=0.1, max_value=100, initial=DEFAULT_MILES
    )

    UNKNOWN_PLACE = "Choose a place from the list."

    def __init__(self, *args, needs=(), languages=(), places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = places or {}
        self.fields["need"].choices = [("", "Any need"), *needs]
        self.fields["language"].choices = [("", "Any language"), *((n, n) for n in languages)]
        towns = [(k, v[0]) for k, v in self.places.items() if not k.startswith("location:")]
        spots = [(k, v[0]) for k, v in self.places.items() if k.startswith("location:")]
        self.fields["place"].choices = [
            ("", "Anywhere"),
            *((("Towns and postal codes", towns),) if towns else ()),
            *((("Places in the directory", spots),) if spots else ()),
        ]
        self.fields["place"].error_messages["invalid_choice"] = self.UNKNOWN_PLACE
        self.fields["miles"].widget.attrs.update({"inputmode": "decimal", "step": "any"})

    def search_filter(self) -> SearchFilter:
        data = self.cleaned_data
        point = self.places.get(data.get("place") or "")
        return SearchFilter(
            text=data.get("q") or "",
            need=data.get("need") or "",
            language=data.get("language") or "",
            latitude=point[1] if point else None,
            longitude=point[2] if point else None,
            miles=data.get("miles") or DEFAULT_MILES,
        )


class UploadForm(PlausibleForm):
    file = forms.FileField(
        label="HSDS file (.json, or a .zip of CSV files with datapackage.json)",
        help_text="A service or organization (compound JSON), a list of them, or a tabular data package.",
    )
