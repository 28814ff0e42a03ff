"""Checking the audit log's hash chain. Checking it is itself audited."""

from offramp.access.audit import HEAD_ID, Action, audit_record
from offramp.access.chain import ChainReport, verify_chain
from offramp.access.models import AuditChainHead, AuditEntry
from offramp.access.scope import Actor
from offramp.access.seal import audit_seal


def audit_chain_verify(*, actor: Actor) -> ChainReport:
    """Seal what is waiting, then check the whole chain (every program: it is one chain) and each entry
    still unsealed against its own content hash; then record that it was checked.

    The head is read first and the walk stops at it, so a sealer running meanwhile (which only adds
    entries after the head) cannot make an intact chain look cut short.
    """
    audit_seal()
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    sealed = AuditEntry.objects.filter(seq__isnull=False)
    if head is not None:
        sealed = sealed.filter(seq__lte=head.seq)
    report = verify_chain(
        sealed.order_by("seq").iterator(chunk_size=2000),
        head=head,
        unsealed=AuditEntry.objects.filter(seq__isnull=True).order_by("id").iterator(chunk_size=2000),
    )
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="AuditEntry",
        outcome=AuditEntry.Outcome.OK if report.ok else AuditEntry.Outcome.FAILED,
        detail={"view": "audit_verify", "checked": report.checked, "problem": report.problem},
    )
    return report
