from django.conf import settings
from django.db import models

from offramp.access.fieldcrypt import EncryptedBytesField, EncryptedTextField
from offramp.access.models import ProgramScoped


class Document(ProgramScoped):
    """A file the case team keeps with a case: a signed form, an ID scan, a letter, a signed release.

    The file, its name and its description are sealed with the field keys (AES-256-GCM,
    offramp/access/fieldcrypt.py), so the database holds no readable copy and `offramp keys rotate`
    re-seals them. `content_type` is what the bytes were found to be, never what the browser said.
    Lists defer `content`: a row is read whole only to be downloaded.
    """

    class Kind(models.TextChoices):
        SIGNED_FORM = "signed_form", "Signed form"
        SIGNED_RELEASE = "signed_release", "Signed release of information"
        ID = "id", "ID document or scan"
        LETTER = "letter", "Letter"
        OTHER = "other", "Something else"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="documents")
    # The consent this is the signed copy of (42 CFR 2.31), when it is one.
    consent = models.ForeignKey(
        "access.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = EncryptedTextField(help_text="The file's name, as uploaded (cleaned)")
    description = EncryptedTextField(blank=True)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField(help_text="Bytes")
    content = EncryptedBytesField()
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["case", "uploaded_at"], name="document_case")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.size} bytes)"
