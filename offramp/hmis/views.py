"""The project manager's HMIS export page: choose the reporting period, download the zip."""

import datetime as dt
import tempfile
from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from offramp.access.policy import IDENTIFY, OVERSEE
from offramp.formbounds import PlausibleForm
from offramp.hmis.actions import hmis_export


class PeriodForm(PlausibleForm):
    start = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="Last day", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("The first day must be on or before the last day.")
        return data


@login_required
def export(request):
    actor = request.actor
    actor.require(*IDENTIFY)
    actor.require(*OVERSEE)
    today = timezone.localdate()
    form = PeriodForm(request.POST or None, initial={"start": today - dt.timedelta(days=365), "end": today})
    if request.method == "POST" and form.is_valid():
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "hmis.zip"
            found = hmis_export(
                actor=actor, out=path, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
            )
            response = HttpResponse(path.read_bytes(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="hmis-{found["export_id"]}.zip"'
        return response
    status = 400 if request.method == "POST" else 200
    return render(request, "hmis/export.html", {"form": form}, status=status)
