"""The plan's change URLs, for the tests that post to them."""

from django.urls import reverse

# Each change of the plan has its own URL; a change the page does not offer is answered 400.
PLAN_URLS = {
    "goal_add": "cases:plan_goal_add",
    "goal_edit": "cases:plan_goal_edit",
    "step_add": "cases:plan_step_add",
    "agree": "cases:plan_agree",
}


def plan_url(case, change):
    if change in PLAN_URLS:
        return reverse(PLAN_URLS[change], args=[case.pk])
    return reverse("cases:plan_unknown", args=[case.pk, change])
