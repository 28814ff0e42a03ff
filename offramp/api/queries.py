"""Reads of integrations (program configuration) for the administrator's page."""

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor
from offramp.api.models import Integration
from offramp.programs.models import Agency


def integrations_for(actor: Actor) -> list[Integration]:
    actor.require(Category.USERS, Scope.PROGRAM)
    found = list(Integration.objects.filter(program_id=actor.program_id).select_related("agency"))
    audit_record(
        actor=actor, action=Action.LIST, object_type="Integration", detail={"ids": [i.pk for i in found]}
    )
    return found


def agencies_for(actor: Actor) -> list[Agency]:
    actor.require(Category.USERS, Scope.PROGRAM)
    return list(Agency.objects.filter(program_id=actor.program_id).order_by("name"))
