"""Navigation per role: each user sees links only to the pages their roles open."""

from django.urls import reverse

from offramp.access.policy import Category, Scope, may_assign, reviewer_roles
from offramp.cases.wording import exit_reason_labels, status_labels

# (url name, label, category, minimum scope), in order: a user lands on the first they may open.
NAV = (
    ("web:day", "Today", Category.CASE_RECORD, Scope.OWN),
    ("cases:caseload", "Caseload", Category.CASE_RECORD, Scope.OWN),
    ("cases:overview", "Program overview", Category.CASE_RECORD, Scope.PROGRAM),
    ("reports:dashboard", "Program dashboard", Category.CASE_RECORD, Scope.PROGRAM),
    ("reports:funder", "Funder's quarterly measures", Category.CASE_RECORD, Scope.PROGRAM),
    ("referrals:mine", "My referrals", Category.OWN_REFERRALS, Scope.OWN),
    ("people:lookup", "Participant lookup", Category.STATUS, Scope.LIMITED),
    ("directory:search", "Find a service", Category.CASE_RECORD, Scope.OWN),
    # The case team (case managers, supervisors) are the roles that read narrative notes.
    ("access:consents_expiring", "Consents ending", Category.NOTES, Scope.OWN),
    ("people:suggestions", "Possible duplicates", Category.NOTES, Scope.OWN),
    ("referrals:new", "New referral", Category.OWN_REFERRALS, Scope.OWN),
    ("notifications:inbox", "Notifications", Category.STATUS, Scope.LIMITED),
    ("workgroup:meetings", "Workgroup", Category.STATUS, Scope.LIMITED),
    ("legal:list", "Legal coordination", Category.LEGAL, Scope.LIMITED),
    ("web:evaluation", "Evaluation", Category.DEIDENTIFIED, Scope.PROGRAM),
    ("accounts:users", "Users", Category.USERS, Scope.PROGRAM),
    ("api_admin:integrations", "Integrations", Category.USERS, Scope.PROGRAM),
    ("referrals:protocols", "Eligibility protocol", Category.PROGRAM_CONFIG, Scope.PROGRAM),
    ("referrals:screening", "Batch screening", Category.PROGRAM_CONFIG, Scope.PROGRAM),
    ("referrals:continuous", "Continuous screening", Category.PROGRAM_CONFIG, Scope.PROGRAM),
    ("planning:plan", "Plan a LEAD program", Category.PROGRAM_CONFIG, Scope.PROGRAM),
    ("directory:manage", "Service directory", Category.PROGRAM_CONFIG, Scope.PROGRAM),
    ("hmis:export", "HMIS export", Category.IDENTITY, Scope.PROGRAM),
    ("bulk:import", "Import a caseload", Category.IDENTITY, Scope.PROGRAM),
    ("sites:settings", "Program settings", Category.PROGRAM_CONFIG, Scope.PROGRAM),
    ("sites:questions", "Assessment questions", Category.PROGRAM_CONFIG, Scope.PROGRAM),
    ("access:audit", "Audit log", Category.AUDIT, Scope.PROGRAM),
)


def navigation(request):
    actor = getattr(request, "actor", None)
    if actor is None or not request.user.is_authenticated:
        return {}
    links = [
        {
            "url": reverse(name),
            "label": label,
            "current": request.resolver_match is not None and request.resolver_match.view_name == name,
        }
        for name, label, category, scope in NAV
        if actor.has(category, scope)
    ]
    if reviewer_roles(actor):  # decisions waiting for the user's role (a sergeant, the prosecutor)
        current = (
            request.resolver_match is not None and request.resolver_match.view_name == "referrals:reviews"
        )
        links.insert(0, {"url": reverse("referrals:reviews"), "label": "Review queue", "current": current})
    if may_assign(actor):  # a case supervisor decides the case team's transfers
        current = (
            request.resolver_match is not None and request.resolver_match.view_name == "transitions:transfers"
        )
        links.append({"url": reverse("transitions:transfers"), "label": "Case transfers", "current": current})
    if getattr(request.user, "is_host_admin", False):
        current = request.resolver_match is not None and request.resolver_match.view_name in (
            "sites:host",
            "sites:program_new",
        )
        links.append({"url": reverse("sites:host"), "label": "Programs", "current": current})
    # The participant search in every staff page's header: for roles that may see identities.
    # Statuses and exit reasons in the program's words, for every page: `wording.status|get_item:...`.
    wording = {"status": status_labels(actor.program), "exit": exit_reason_labels(actor.program)}
    return {
        "nav_links": links,
        "actor": actor,
        "may_search": actor.has(Category.IDENTITY, Scope.OWN),
        "wording": wording,
    }


def landing_url(actor) -> str | None:
    """The first page in the navigation that this actor may open."""
    for name, _label, category, scope in NAV:
        if actor.has(category, scope):
            return reverse(name)
    if getattr(actor.user, "is_host_admin", False):
        return reverse("sites:host")
    return None
