"""The administrator's integrations page: issue a token (shown once), see the integrations, revoke one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from offramp.access.policy import ADMINISTER
from offramp.api import actions, forms, queries


@login_required
def integrations(request):
    actor = request.actor
    actor.require(*ADMINISTER)
    form = forms.IntegrationForm(request.POST or None, agencies=queries.agencies_for(actor))
    token = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            integration, token = actions.integration_issue(
                actor=actor,
                name=data["name"],
                scopes=data["scopes"],
                days=data["days"],
                agency_id=data["agency"],
                rate_per_minute=data["rate_per_minute"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            form = forms.IntegrationForm(agencies=queries.agencies_for(actor))
            messages.success(request, f"{integration.name} can call the API with the token below.")
    status = 400 if request.method == "POST" and token is None else 200
    context = {"form": form, "token": token, "integrations": queries.integrations_for(actor)}
    response = render(request, "api/integrations.html", context, status=status)
    if token:
        response["Cache-Control"] = "no-store"  # the token is on this page only once
    return response


@require_POST
@login_required
def integration_revoke(request, integration_id: int):
    integration = actions.integration_revoke(actor=request.actor, integration_id=integration_id)
    messages.success(request, f"{integration.name}'s token is revoked; its calls are refused from now on.")
    return redirect("api_admin:integrations")
