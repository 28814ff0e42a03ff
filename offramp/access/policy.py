"""The permission matrix, as data.

One table says what each role may see of each category of data, and how far:
the queries layer asks `scope_of(roles, category)` and filters accordingly.
`docs/permissions.md` documents this same table, and a test keeps the two equal.
"""

from collections.abc import Iterable
from enum import IntEnum
from typing import NamedTuple, Protocol

from offramp.programs.roles import Role


class Scope(IntEnum):
    """How much of a category a role sees; a larger value sees more."""

    NONE = 0
    LIMITED = 1  # a reduced view: status and dates only, or the minimum for a lookup
    OWN = 2  # records the user is responsible for (own caseload, own referrals)
    PROGRAM = 3  # every record in the user's program


class Category:
    STATUS = "participant_status"  # whether a person is an active participant
    OWN_REFERRALS = "own_referrals"  # a referrer's own referrals and their outcome
    IDENTITY = "identity"  # names, aliases, date of birth, demographics
    CASE_RECORD = "case_record"  # intake, plan, contacts, service referrals (without notes)
    NOTES = "narrative_notes"  # confidential narrative notes
    PART2 = "substance_use"  # 42 CFR Part 2 information
    LEGAL = "legal"  # pending cases, warrants, legal coordination
    DEIDENTIFIED = "deidentified"  # de-identified analysis data
    PROGRAM_CONFIG = "program_config"  # the program's rules and configuration
    USERS = "users"  # staff accounts and roles
    AUDIT = "audit_log"  # the audit log, read only

    ALL = (
        STATUS,
        OWN_REFERRALS,
        IDENTITY,
        CASE_RECORD,
        NOTES,
        PART2,
        LEGAL,
        DEIDENTIFIED,
        PROGRAM_CONFIG,
        USERS,
        AUDIT,
    )


N, L, O, P = Scope.NONE, Scope.LIMITED, Scope.OWN, Scope.PROGRAM  # noqa: E741  (one letter keeps the table readable)
_ROLES = (
    Role.OFFICER,
    Role.SERGEANT,
    Role.CASE_MANAGER,
    Role.CASE_SUPERVISOR,
    Role.PROJECT_MANAGER,
    Role.PROSECUTOR,
    Role.PUBLIC_DEFENDER,
    Role.EVALUATOR,
    Role.SYSTEM_ADMIN,
)

# Columns follow _ROLES: officer, sergeant, case manager, supervisor, project manager, prosecutor,
# public defender, evaluator, admin. A sergeant sees what an officer sees; the review queue is theirs
# besides. The public defender mirrors the prosecutor in legal coordination, without the lookup.
_TABLE = {
    Category.STATUS: (L, L, P, P, P, L, N, N, N),
    Category.OWN_REFERRALS: (O, O, O, O, O, N, N, N, N),
    Category.IDENTITY: (L, L, O, P, P, L, L, N, N),
    Category.CASE_RECORD: (N, N, O, P, P, N, N, N, N),
    Category.NOTES: (N, N, O, P, N, N, N, N, N),
    Category.PART2: (N, N, O, P, N, N, N, N, N),
    Category.LEGAL: (N, N, O, P, P, L, L, N, N),
    Category.DEIDENTIFIED: (N, N, N, N, P, N, N, P, N),
    Category.PROGRAM_CONFIG: (N, N, N, N, P, N, N, N, P),
    Category.USERS: (N, N, N, N, N, N, N, N, P),
    Category.AUDIT: (N, N, N, P, P, N, N, N, P),
}

MATRIX: dict[str, dict[str, Scope]] = {
    category: dict(zip(_ROLES, row, strict=True)) for category, row in _TABLE.items()
}

# Disclosures to the prosecutor and the public defender are consent-gated (42 CFR Part 2): even a
# LIMITED status answer needs an active consent naming the prosecutor's office; the public defender's
# legal coordination (and a name in it) needs one naming the public defender's office. The defender
# has no participant lookup (status: no) and sees status and dates only inside legal coordination.
CONSENT_GATED = {
    (Role.PROSECUTOR, Category.STATUS),
    (Role.PROSECUTOR, Category.IDENTITY),
    (Role.PUBLIC_DEFENDER, Category.IDENTITY),
    (Role.PUBLIC_DEFENDER, Category.LEGAL),
}


def scope_of(roles: Iterable[str], category: str) -> Scope:
    """The widest scope any of these roles has on the category."""
    return max((MATRIX[category][role] for role in roles), default=Scope.NONE)


class Need(NamedTuple):
    """What a page asks of the actor before it reads anything: `actor.require(*need)`."""

    category: str
    at_least: Scope


# The pages' needs, by name, so views ask for them without spelling out the matrix.
ADMINISTER = Need(Category.USERS, Scope.PROGRAM)  # staff accounts and roles
CONFIGURE = Need(Category.PROGRAM_CONFIG, Scope.PROGRAM)  # protocols, screening, the directory, the demo
EVALUATE = Need(Category.DEIDENTIFIED, Scope.PROGRAM)  # de-identified data and studies
REFER = Need(Category.OWN_REFERRALS, Scope.OWN)  # an officer's own referrals
LOOK_UP = Need(Category.STATUS, Scope.LIMITED)  # whether a person is an active participant
OVERSEE = Need(Category.CASE_RECORD, Scope.PROGRAM)  # all the program's cases: overview, reports
IDENTIFY = Need(Category.IDENTITY, Scope.PROGRAM)  # every participant's identity: exports that name people
FIND = Need(Category.IDENTITY, Scope.OWN)  # participants' names, on the actor's own caseload at least


class Acting(Protocol):
    """What the policy reads of an actor (`offramp.access.scope.Actor`, which builds on this module)."""

    @property
    def roles(self) -> frozenset[str]: ...

    @property
    def program(self) -> object | None: ...

    def has(self, category: str, at_least: Scope = ...) -> bool: ...


# Case work is changed by the case team: a case manager on their own caseload, a supervisor anywhere in
# the program. A project manager reads case records (without notes) but does not write them.
CASE_TEAM = frozenset({Role.CASE_MANAGER, Role.CASE_SUPERVISOR})


def case_team_scope(actor: Acting) -> Scope:
    """How far the actor may change case work: own caseload, the program, or none."""
    return scope_of(actor.roles & CASE_TEAM, Category.CASE_RECORD) if actor.program else Scope.NONE


def may_assign(actor: Acting) -> bool:
    """Only a supervisor who sees the whole program puts cases on caseloads."""
    return Role.CASE_SUPERVISOR in actor.roles and actor.has(Category.CASE_RECORD, Scope.PROGRAM)


def may_override_consent(actor: Acting) -> bool:
    """Only a case supervisor sends a service referral on without the participant's consent, with a
    written reason (offramp/transitions); the override is audited."""
    return Role.CASE_SUPERVISOR in actor.roles


# Who reviews a decision that "needs review by" a role: the holders of that role. The protocols name
# these (offramp.referrals.protocol.ROLES); "officer" is never a queue: the officer answers on the spot.
REVIEWERS = frozenset({Role.SERGEANT, Role.PROJECT_MANAGER, Role.PROSECUTOR})


def reviewer_roles(actor: Acting) -> frozenset[str]:
    """The roles whose review queue the actor works: the reviewing roles the actor holds in the program."""
    return frozenset(actor.roles & REVIEWERS) if actor.program else frozenset()
