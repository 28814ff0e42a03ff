from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from offramp.referrals import queries
from offramp.web.forms import int_param


@require_GET
@login_required
def my_referrals(request):
    page = queries.my_referrals(request.actor, page=int_param(request.GET.get("page"), default=1))
    return render(request, "referrals/my_referrals.html", {"page": page})
