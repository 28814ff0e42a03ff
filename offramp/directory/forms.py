from django import forms

from offramp.directory.queries import AREA, DEFAULT_MILES, SearchFilter
from offramp.formbounds import PlausibleForm


class PlaceField(forms.ChoiceField):
    """A place from the list by its key, or a program area by its name, whatever the case: a link
    from a referral's area (`?place=North precinct`) searches near that area."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area_names: dict[str, str] = {}  # casefolded name -> key

    def to_python(self, value):
        value = super().to_python(value).strip()
        return self.area_names.get(value.casefold(), value)

    def bound_data(self, data, initial):
        """The list shows the area chosen by name as selected."""
        return self.to_python(data) if isinstance(data, str) else data


class SearchForm(PlausibleForm):
    q = forms.CharField(label="Words (service or organization)", required=False, max_length=100)
    need = forms.ChoiceField(label="Need", required=False)
    language = forms.ChoiceField(label="Language", required=False)
    place = PlaceField(
        label="Near",
        required=False,
        help_text="One of the program's areas, a town, postal code or place in the directory",
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
        areas = [(k, v[0]) for k, v in self.places.items() if k.startswith(AREA)]
        towns = [(k, v[0]) for k, v in self.places.items() if k.startswith(("town:", "postal:"))]
        spots = [(k, v[0]) for k, v in self.places.items() if k.startswith("location:")]
        self.fields["place"].choices = [
            ("", "Anywhere"),
            *((("The program's areas", areas),) if areas else ()),
            *((("Towns and postal codes", towns),) if towns else ()),
            *((("Places in the directory", spots),) if spots else ()),
        ]
        self.fields["place"].error_messages["invalid_choice"] = self.UNKNOWN_PLACE
        self.fields["place"].area_names = {label.casefold(): key for key, label in areas}
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
