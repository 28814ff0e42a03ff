from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from offramp.access.policy import Category
from offramp.people import queries
from offramp.people.forms import StatusLookupForm


@require_GET
@login_required
def lookup(request):
    request.actor.require(Category.STATUS)
    form = StatusLookupForm(request.GET or None)
    answers = None
    if form.is_valid():
        answers = queries.status_lookup(
            request.actor,
            last_name=form.cleaned_data["last_name"],
            first_name=form.cleaned_data["first_name"],
            date_of_birth=form.cleaned_data["date_of_birth"],
        )
    return render(request, "people/lookup.html", {"form": form, "answers": answers})
