"""`Case.last_contact_at`: the latest successful contact, stored on the case so lists sort and filter
on an indexed column instead of a subquery per case.

Every writer of contacts calls `last_contact_refresh` for the cases it touched, in its own
transaction; the migration that added the column fills it with `last_contact_fill`. One UPDATE
with a correlated subquery (served by the contact index on case, successful, at) on SQLite and
PostgreSQL alike.
"""

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from offramp.cases.models import Case, Contact

BATCH = 5000


def last_contact_fill(case_model, contact_model, case_ids: Iterable[int] | None = None) -> int:
    """Set each case's last_contact_at from its contacts; every case, or those in `case_ids`.

    Takes the models so the migration can pass its historical ones. Callers with the live models
    run inside the access layer's trusted() (actions do). Returns the number of cases updated.
    """
    latest = (
        contact_model.objects.filter(case=OuterRef("pk"), successful=True).order_by("-at").values("at")[:1]
    )
    if case_ids is None:
        return case_model.objects.update(last_contact_at=Subquery(latest))
    ids = list(case_ids)
    updated = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        updated += case_model.objects.filter(pk__in=chunk).update(last_contact_at=Subquery(latest))
    return updated


def last_contact_refresh(case_ids: Iterable[int]) -> int:
    """After contacts of these cases were recorded, changed or removed: their stored last contact."""
    return last_contact_fill(Case, Contact, case_ids)
