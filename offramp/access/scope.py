"""Who is acting, and the guard that keeps participant data behind the queries layer.

Participant-data models use `GuardedManager` as their default manager. Its
querysets can only be built inside `trusted()`, which the queries and actions
modules enter after deciding what the actor may see. A view that reaches for
`Person.objects` directly gets an `UnscopedAccess` error in development and
tests instead of silently leaking another caseload.
"""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import models
from django.http import Http404

from offramp.access.policy import Scope, scope_of

_trusted: contextvars.ContextVar[str | None] = contextvars.ContextVar("offramp_trusted", default=None)


class UnscopedAccess(RuntimeError):
    """Participant data was queried outside the access layer."""


@contextmanager
def trusted(reason: str):
    """Allow participant-data querysets to be built; `reason` names the caller for debugging."""
    token = _trusted.set(reason)
    try:
        yield
    finally:
        _trusted.reset(token)


class GuardedManager(models.Manager):
    def get_queryset(self):
        if _trusted.get() is None:
            raise UnscopedAccess(
                f"{self.model.__name__} was queried outside the access layer; "
                "read it through a queries module and change it through an actions module"
            )
        return super().get_queryset()


@dataclass(frozen=True)
class Actor:
    """The acting user in one program, with their roles there and where the request came from."""

    user: object | None
    program: object | None
    roles: frozenset = field(default_factory=frozenset)
    source_address: str = ""
    label: str = ""

    @property
    def user_id(self):
        return getattr(self.user, "pk", None)

    @property
    def program_id(self):
        return getattr(self.program, "pk", None)

    def scope(self, category: str) -> Scope:
        return scope_of(self.roles, category)

    def has(self, category: str, at_least: Scope = Scope.LIMITED) -> bool:
        return self.program is not None and self.scope(category) >= at_least

    def require(self, category: str, at_least: Scope = Scope.LIMITED) -> Scope:
        """The actor's scope on a category, or 404: a page the role may not see does not exist for it."""
        if not self.has(category, at_least):
            raise Http404("Not found")
        return self.scope(category)

    @classmethod
    def system(cls, label: str, program=None) -> "Actor":
        """A command-line or background actor, audited under its label."""
        from offramp.access.roles import Role

        return cls(user=None, program=program, roles=frozenset(Role), label=f"system:{label}")
