from django import forms

from offramp.formbounds import PlausibleForm

MAX_EXPORT_BYTES = 512 * 1024 * 1024
MAX_MAPPING_BYTES = 256 * 1024
ERR_EXPORT_SIZE = "The file is larger than 512 MB; use `offramp council-report` instead."
ERR_MAPPING_SIZE = "The file is larger than 256 KB."
ERR_MAPPING_TEXT = "The mapping must be a UTF-8 text file (TOML)."


class CouncilReportForm(PlausibleForm):
    """The two raw exports the council report is made from, each with its column mapping."""

    arrests = forms.FileField(
        label="Arrests from the records system (CSV)",
        help_text="One row per arrest, screened against the current protocol version.",
    )
    arrests_mapping = forms.FileField(label="Column mapping of the arrests (TOML)")
    records = forms.FileField(
        label="Legal-system records (CSV)",
        help_text="Arrests, bookings, charges and jail stays of the people already in the evaluation.",
    )
    records_mapping = forms.FileField(label="Column mapping of the legal records (TOML)")

    def _export(self, name):
        upload = self.cleaned_data[name]
        if upload.size > MAX_EXPORT_BYTES:
            raise forms.ValidationError(ERR_EXPORT_SIZE)
        return upload

    def _mapping(self, name):
        upload = self.cleaned_data[name]
        if upload.size > MAX_MAPPING_BYTES:
            raise forms.ValidationError(ERR_MAPPING_SIZE)
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(ERR_MAPPING_TEXT) from None

    def clean_arrests(self):
        return self._export("arrests")

    def clean_records(self):
        return self._export("records")

    def clean_arrests_mapping(self):
        return self._mapping("arrests_mapping")

    def clean_records_mapping(self):
        return self._mapping("records_mapping")
