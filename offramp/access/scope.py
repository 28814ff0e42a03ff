"""Who is acting, and the guard that keeps participant data behind the queries layer.

Participant-data models use `GuardedManager` as their default manager. Its
querysets can only be built inside `trusted()`, which the queries and actions
modules enter after deciding what the actor may see. A view that reaches for
`Person.objects` directly gets an `UnscopedAccess` error in development and
tests instead of silently leaking another caseload.
"""

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from django.db import models, transaction
from django.http import Http404

from offramp.access.policy import Scope, scope_of
from offramp.programs.models import Membership, Program
from offramp.programs.roles import Role

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound=models.Model)

_trusted: contextvars.ContextVar[str | None] = contextvars.ContextVar("offramp_trusted", default=None)


class UnscopedAccess(RuntimeError):
    """Participant data was queried outside the access layer."""


@contextmanager
def trusted(reason: str) -> Iterator[None]:
    """Allow participant-data querysets to be built; `reason` names the caller for debugging."""
    token = _trusted.set(reason)
    try:
        yield
    finally:
        _trusted.reset(token)


@contextmanager
def acting(reason: str) -> Iterator[None]:
    """One change of state: a transaction, inside the access layer under `reason`.

    A refusal audited inside it (`access.audit.audited_not_found`) is rolled back with the rest, so it
    is written again once this block has rolled back: a refused read is always in the log. (Inside an
    enclosing action, that one rolls back as well and writes it again in its turn.)
    """
    try:
        with transaction.atomic(), trusted(reason):
            yield
    except Http404 as refused:
        record_again = getattr(refused, "record_again", None)
        if record_again is not None:
            record_again()
        raise


def action(reason: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Make a function an action: its whole body `acting(reason)`. Each action still writes its own
    audit entry; this only replaces the `with acting(reason):` that would otherwise open it."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            with acting(reason):
                return function(*args, **kwargs)

        return run

    return decorate


class GuardedManager(models.Manager[M]):
    def get_queryset(self) -> models.QuerySet[M]:
        if _trusted.get() is None:
            raise UnscopedAccess(
                f"{self.model.__name__} was queried outside the access layer; "
                "read it through a queries module and change it through an actions module"
            )
        return super().get_queryset()


@dataclass(frozen=True)
class Actor:
    """The acting user in one program, with their roles there and where the request came from."""

    user: Any
    program: Program | None
    roles: frozenset[str] = field(default_factory=frozenset)
    source_address: str = ""
    label: str = ""
    programs: tuple[
        Program, ...
    ] = ()  # every program the user holds an active role in (for the switch control)

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

    @property
    def program_id(self) -> int | None:
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
    def member_of(
        cls,
        user: Any,
        program: Program | None = None,
        *,
        prefer_program_id: int | None = None,
        source_address: str = "",
    ) -> "Actor":
        """The user's actor from their active memberships, in one query.

        In `program` when given (with no roles if they hold none there); otherwise in the program
        `prefer_program_id` names if they belong to it, else their first program, else none.
        """
        if user is None or not user.is_authenticated:
            return cls(user=None, program=None, source_address=source_address)
        memberships = list(Membership.objects.filter(user=user, is_active=True).select_related("program"))
        programs = {m.program_id: m.program for m in memberships}
        if program is None:
            chosen = prefer_program_id if prefer_program_id in programs else next(iter(programs), None)
            program = programs.get(chosen) if chosen is not None else None
        roles = frozenset(m.role for m in memberships if program is not None and m.program_id == program.pk)
        every = tuple(sorted(programs.values(), key=lambda p: (p.name, p.pk)))
        return cls(user=user, program=program, roles=roles, source_address=source_address, programs=every)

    @classmethod
    def system(cls, label: str, program: Program | None = None) -> "Actor":
        """A command-line or background actor, audited under its label."""
        return cls(user=None, program=program, roles=frozenset(Role), label=f"system:{label}")
