from django import forms
from django.utils import timezone

from offramp.formbounds import PlausibleForm


class MeetingForm(PlausibleForm):
    held_on = forms.DateField(label="Meeting date", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = today or timezone.localdate()


class DiscussionForm(PlausibleForm):
    discussion = forms.CharField(
        label="Discussion",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen by the case team only. No substance-use detail.",
    )


class DecisionForm(PlausibleForm):
    text = forms.CharField(
        label="Decision",
        max_length=500,
        help_text="Seen by the case team only.",
    )


class ActionItemForm(PlausibleForm):
    """One form for the whole agenda: the page stays the same size whatever the number of attendees.

    The agenda item is checked by the action (it must be on this meeting's agenda), so a posted form
    needs no agenda read to validate; the page sets the choices when it shows the form.
    """

    item = forms.IntegerField(label="About", required=False, widget=forms.Select)
    owner = forms.TypedChoiceField(label="Who", coerce=int)
    what = forms.CharField(
        label="What is asked of them",
        max_length=300,
        help_text="The owner sees this. Write nothing they may not know: no clinical detail.",
    )
    due_on = forms.DateField(label="Due", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, attendees=(), **kwargs):
        super().__init__(*args, prefix="action", **kwargs)
        self.fields["owner"].choices = [("", "Choose someone")] + [
            (u.pk, u.get_full_name() or u.get_username()) for u in attendees
        ]

    def show_items(self, items) -> "ActionItemForm":
        self.fields["item"].widget.choices = [("", "No participant (seen by every attendee)")] + [
            (item.pk, f"{item.participant.label}: {item.flag_label}") for item in items
        ]
        return self
