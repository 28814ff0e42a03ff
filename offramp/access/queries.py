"""Checking the audit log's hash chain. Checking it is itself audited."""

from offramp.access.audit import HEAD_ID, Action, audit_record
from offramp.access.chain import ChainReport, verify_chain
from offramp.access.models import AuditChainHead, AuditEntry
from offramp.access.scope import Actor


def audit_chain_verify(*, actor: Actor) -> ChainReport:
    """Check the whole chain (every program: it is one chain), then record that it was checked."""
    entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
    report = verify_chain(entries, head=AuditChainHead.objects.filter(pk=HEAD_ID).first())
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="AuditEntry",
        outcome=AuditEntry.Outcome.OK if report.ok else AuditEntry.Outcome.FAILED,
        detail={"view": "audit_verify", "checked": report.checked, "problem": report.problem},
    )
    return report
