"""The upload form: the file's size is checked before it is read; its type by the action, from its bytes."""

from django import forms

from offramp.documents import sniff
from offramp.documents.models import Document
from offramp.formbounds import PlausibleForm

ERR_NO_FILE = "Choose the file to upload."


class UploadForm(PlausibleForm):
    file = forms.FileField(
        label="File",
        help_text=f"{sniff.ACCEPTED.capitalize()}; at most 10 MB.",
        required=False,
        error_messages={"empty": sniff.ERR_EMPTY},
    )
    kind = forms.ChoiceField(label="What it is", choices=[("", "Choose…"), *Document.Kind.choices])
    consent = forms.TypedChoiceField(
        label="Signed copy of the consent (for a signed release)",
        coerce=int,
        empty_value=None,
        required=False,
    )
    description = forms.CharField(label="Description (optional)", max_length=300, required=False)

    def __init__(self, *args, consents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].choices = [("", "Not a signed release")] + [
            (c.pk, f"{c.get_recipient_class_display()}: {c.purpose} (signed {c.signed_at:%b %-d, %Y})")
            for c in consents
        ]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            raise forms.ValidationError(ERR_NO_FILE)
        try:
            sniff.check_size(upload.size)  # before reading a byte of it
        except sniff.RefusedFile as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload
