"""What an integration may do: its scopes, and the one role each scope acts with. No database.

A call acts with the role of the scope its endpoint needs and nothing more, so an integration
holding several scopes never reaches data through a role another endpoint needed.
"""

from offramp.programs.roles import Role

ELIGIBILITY = "eligibility:preview"
REFERRALS_WRITE = "referrals:write"
REFERRALS_READ = "referrals:read"
PROSECUTOR_STATUS = "status:prosecutor"
ARRESTS_WRITE = "arrests:write"
LEGAL_EVENTS_WRITE = "legal_events:write"
DIRECTORY_READ = "directory:read"

# scope -> (what it allows, in words for the administrator; the role a call with it acts as)
SCOPES: dict[str, tuple[str, str]] = {
    ELIGIBILITY: ("Preview an eligibility decision from facts (no participant data)", Role.OFFICER),
    REFERRALS_WRITE: ("Create referrals for the integration's agency", Role.OFFICER),
    REFERRALS_READ: ("Read the status of the referrals the integration's agency made", Role.OFFICER),
    PROSECUTOR_STATUS: ("Prosecutor's participant status lookup, consent-gated", Role.PROSECUTOR),
    ARRESTS_WRITE: ("Post arrests from the records system for continuous screening", Role.PROJECT_MANAGER),
    LEGAL_EVENTS_WRITE: ("Post legal-system events for the evaluation", Role.PROJECT_MANAGER),
    DIRECTORY_READ: ("Read the service directory (HSDS 3.0)", Role.OFFICER),
}
ALL = tuple(SCOPES)
# Scopes that act for an agency: the integration must name one.
NEEDS_AGENCY = frozenset({REFERRALS_WRITE, REFERRALS_READ})


def role_for(scope: str) -> str:
    return SCOPES[scope][1]
