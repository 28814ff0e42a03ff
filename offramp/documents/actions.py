"""Keeping a document with a case: its type and size checked first, then sealed, stored and audited."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.models import Consent
from offramp.access.scope import Actor, action
from offramp.documents import sniff
from offramp.documents.models import Document
from offramp.documents.queries import case_for_documents

ERR_KIND = "Choose what kind of document this is."
ERR_DESCRIPTION = "Keep the description under 300 characters."
ERR_CONSENT = "That consent is not one of this participant's."
ERR_RELEASE_NEEDS_CONSENT = "A signed release is the copy of a consent: choose the consent it was signed for."


@action("documents.document_upload")
def document_upload(
    *,
    actor: Actor,
    case_id: int,
    name: str,
    data: bytes,
    kind: str,
    description: str = "",
    consent_id: int | None = None,
) -> Document:
    """Store one file with the case (the case team only). Anything refused stores nothing."""
    if kind not in Document.Kind.values:
        raise ValidationError(ERR_KIND)
    description = description.strip()
    if len(description) > 300:
        raise ValidationError(ERR_DESCRIPTION)
    try:
        found = sniff.sniff(data)
    except sniff.RefusedFile as exc:
        raise ValidationError(str(exc)) from None
    case = case_for_documents(actor, case_id, lock=True)
    consent = None
    if consent_id is not None:
        consent = Consent.objects.filter(
            program_id=actor.program_id, person_id=case.person_id, pk=consent_id
        ).first()
        if consent is None:
            raise ValidationError(ERR_CONSENT)
    if kind == Document.Kind.SIGNED_RELEASE and consent is None:
        raise ValidationError(ERR_RELEASE_NEEDS_CONSENT)
    document = Document.objects.create(
        program_id=case.program_id,
        case=case,
        consent=consent,
        kind=kind,
        name=sniff.clean_name(name, found.content_type),
        description=description,
        content_type=found.content_type,
        size=found.size,
        content=data,
        uploaded_at=timezone.now(),
        uploaded_by=actor.user if actor.user_id else None,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="Document",
        object_id=document.pk,
        detail={
            "case": case.pk,
            "kind": kind,
            "content_type": found.content_type,
            "size": found.size,
            "consent": consent.pk if consent else None,
            "person_id": case.person_id,
        },
    )
    return document
