from pathlib import Path

from django import forms

from offramp.formbounds import PlausibleForm

EXAMPLES = Path(__file__).resolve().parent / "examples"
SUFFIXES = (".csv", ".xlsx", ".xls", ".ods")
MAX_UPLOAD = 200 * 1024 * 1024  # a 100,000-case export with its contacts is a few tens of megabytes
ERR_SUFFIX = "Upload a .csv, .xlsx, .xls or .ods file."
ERR_SIZE = "The file is larger than 200 MB."
ERR_CONTACTS_MAPPING = "Give the contacts file's mapping too."


def _file_check(upload):
    if Path(upload.name).suffix.lower() not in SUFFIXES:
        raise forms.ValidationError(ERR_SUFFIX)
    if upload.size > MAX_UPLOAD:
        raise forms.ValidationError(ERR_SIZE)
    return upload


def example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


class ProgramImportForm(PlausibleForm):
    file = forms.FileField(label="Caseload export (.csv, .xlsx, .xls or .ods), one row per case")
    mapping = forms.CharField(
        label="Its column mapping (TOML)",
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        max_length=20_000,
    )
    contacts = forms.FileField(label="Contacts export, one row per contact (optional)", required=False)
    contacts_mapping = forms.CharField(
        label="The contacts' column mapping (TOML)",
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        max_length=20_000,
        required=False,
    )

    def clean_file(self):
        return _file_check(self.cleaned_data["file"])

    def clean_contacts(self):
        upload = self.cleaned_data.get("contacts")
        return _file_check(upload) if upload else None

    def clean(self):
        data = super().clean()
        if data.get("contacts") and not (data.get("contacts_mapping") or "").strip():
            self.add_error("contacts_mapping", ERR_CONTACTS_MAPPING)
        return data
