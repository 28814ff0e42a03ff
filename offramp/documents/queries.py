"""A case's documents, for its case team only: every list and every download is audited.

The case team is a case manager on their own caseload and a supervisor anywhere in the program
(`offramp.access.policy.CASE_TEAM`). Everyone else, project managers included, gets the same
audited 404 as for a case that does not exist.
"""

from dataclasses import dataclass

from offramp.access.audit import Action, audit_record, audited_not_found
from offramp.access.models import Consent
from offramp.access.scope import Actor, trusted
from offramp.cases.models import Case
from offramp.cases.queries.scope import case_for
from offramp.documents.models import Document


def case_for_documents(actor: Actor, case_id: int, *, lock: bool = False) -> Case:
    """The case if the actor is on its case team, else an audited 404. Call inside trusted()."""
    refused = ("Document", f"case:{case_id}")
    return case_for(actor, case_id, change=True, lock=lock, refused_as=refused).case


@dataclass
class CaseDocuments:
    case: Case
    documents: list[Document]
    consents: list[Consent]  # the person's consents, to attach a signed release to


def documents_for(actor: Actor, case_id: int) -> CaseDocuments:
    """A case's documents (without their contents) and the person's consents; audited as a list."""
    with trusted("documents.documents_for"):
        case = case_for_documents(actor, case_id)
        documents = list(
            Document.objects.filter(program_id=actor.program_id, case=case)
            .defer("content")
            .select_related("uploaded_by", "consent")
        )
        consents = list(Consent.objects.filter(program_id=actor.program_id, person_id=case.person_id))
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="Document",
        object_id=f"case:{case.pk}",
        detail={"case": case.pk, "documents": [d.pk for d in documents], "person_id": case.person_id},
    )
    return CaseDocuments(case=case, documents=documents, consents=consents)


def document_for_download(actor: Actor, case_id: int, document_id: int) -> Document:
    """One document with its contents, for its case team; the download is audited, a refusal too."""
    with trusted("documents.document_for_download"):
        case = case_for_documents(actor, case_id)
        document = Document.objects.filter(program_id=actor.program_id, case=case, pk=document_id).first()
    if document is None:
        raise audited_not_found(actor, "Document", document_id, detail={"case": case.pk})
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="Document",
        object_id=document.pk,
        detail={"case": case.pk, "download": True, "kind": document.kind, "person_id": case.person_id},
    )
    return document
