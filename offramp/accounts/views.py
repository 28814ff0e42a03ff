from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from offramp.access.policy import ADMINISTER
from offramp.accounts import actions, forms, queries
from offramp.programs.roles import Role

STATUS_ACTIONS = {
    "unlock": (actions.user_unlock, "{user} was released and can sign in again."),
    "disable": (actions.user_disable, "{user} was disabled and signed out everywhere."),
    "enable": (actions.user_enable, "{user} was enabled."),
}


@require_GET
@login_required
def users(request):
    search = request.GET.get("q", "")[:100]
    page = queries.program_users(request.actor, search=search, page=request.GET.get("page", 1))
    context = {
        "page": page,
        "users": page.object_list,
        "search": search,
        "query_prefix": urlencode({"q": search}) + "&" if search else "",
        "demo_mode": settings.MODE == "demo",
    }
    return render(request, "accounts/users.html", context)


@require_POST
@login_required
def user_status(request, user_id: int):
    """An administrator releases a locked account, or disables or enables one."""
    action, done = STATUS_ACTIONS.get(request.POST.get("action", ""), (None, ""))
    if action is None:
        request.actor.require(*ADMINISTER)  # 404 for anyone but an administrator
        return HttpResponseBadRequest("Unknown action")
    try:
        user = action(actor=request.actor, user_id=user_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done.format(user=user))
    return redirect("accounts:users")


@require_GET
@login_required
def user_disable(request, user_id: int):
    """Asks before disabling: the account's name and roles, what disabling does, and the button."""
    account = queries.staff_member(request.actor, user_id)
    return render(request, "accounts/user_disable.html", {"account": account})


def _refused(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@login_required
def user_new(request):
    """An administrator creates a staff account with one role in the program (optionally temporary)."""
    actor = request.actor
    actor.require(*ADMINISTER)
    agencies = queries.program_agencies(actor)
    form = forms.StaffForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.staff_create(actor=actor, agency_id=data.pop("agency") or None, **data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"{user} can now sign in as {user.username}.")
            return redirect("accounts:users")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/user_new.html", {"form": form}, status=status)


ROLE_CHANGES = {
    "add": "{role} was added. {user} signs in again.",
    "remove": "{role} was removed. {user} signs in again.",
}


@login_required
def user_roles(request, user_id: int):
    """One staff member's roles in the program: add one, or remove one. Either signs them out everywhere."""
    actor = request.actor
    agencies = queries.program_agencies(actor) if actor.has(*ADMINISTER) else []
    errors = []
    if request.method == "POST":
        change = request.POST.get("change", "")
        if change not in ROLE_CHANGES:
            actor.require(*ADMINISTER)
            return HttpResponseBadRequest("Unknown change")
        try:
            if change == "add":
                form = forms.RoleAddForm(request.POST, agencies=agencies)
                if not form.is_valid():  # an unknown role or agency: say so like any refusal
                    raise ValidationError([e for field_errors in form.errors.values() for e in field_errors])
                role = form.cleaned_data["role"]
                user = actions.role_add(
                    actor=actor, user_id=user_id, role=role, agency_id=form.cleaned_data["agency"] or None
                )
            else:
                role = request.POST.get("role", "")
                user = actions.role_remove(actor=actor, user_id=user_id, role=role)
        except ValidationError as exc:
            errors = exc.messages
        else:
            label = dict(Role.choices).get(role, role)
            messages.success(request, ROLE_CHANGES[change].format(role=label, user=user))
            return redirect("accounts:user_roles", user_id=user_id)
    account = queries.staff_member(actor, user_id)
    context = {"account": account, "form": forms.RoleAddForm(agencies=agencies), "errors": errors}
    return render(request, "accounts/user_roles.html", context, status=400 if errors else 200)
