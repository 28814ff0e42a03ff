"""Reads of referrals for an acting user."""

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Subquery

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.cases.models import Case
from offramp.referrals.models import Referral

PAGE_SIZE = 25


def my_referrals(actor: Actor, *, page: int = 1) -> Page:
    """The referrals this user made, newest first, with what became of each (status and intake date only)."""
    actor.require(Category.OWN_REFERRALS, Scope.OWN)
    with trusted("referrals.my_referrals"):
        latest_case = Case.objects.filter(referral=OuterRef("pk")).order_by("-opened_at")
        referrals = (
            Referral.objects.filter(program_id=actor.program_id, referring_officer_id=actor.user_id)
            .select_related("person")
            .annotate(
                case_status=Subquery(latest_case.values("status")[:1]),
                intake_completed_at=Subquery(latest_case.values("intake_completed_at")[:1]),
            )
            .order_by("-referred_at", "-id")
        )
        result = Paginator(referrals, PAGE_SIZE).get_page(page)
        result.object_list = list(result.object_list)
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="Referral",
        detail={"view": "my_referrals", "ids": [r.pk for r in result.object_list]},
    )
    return result
