"""Forms on the case page: each validates input and hands it to one action."""

from django import forms
from django.utils import timezone

from offramp.cases import outcomes
from offramp.cases.actions import ERR_ASSESSMENT_DATE_FUTURE, ERR_CONTACT_IN_FUTURE, ERR_SNAPSHOT_FUTURE
from offramp.cases.models import Contact, ExitReason, Goal, OutcomeSnapshot, Plan
from offramp.formbounds import PlausibleForm
from offramp.programs.rota import WEEKDAYS

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
DEFAULT_DURATION = 15  # minutes: a typical street or office contact


class PageForm(PlausibleForm):
    """A form that shares the case page with others: its ids are its own (contact_note, exit_note...)."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ContactForm(PageForm):
    """Quick entry from a phone: every field but the note has a default, so a typical contact is one tap."""

    id_prefix = "contact"
    future_errors = {"at": ERR_CONTACT_IN_FUTURE}

    kind = forms.ChoiceField(label="How", choices=Contact.Kind.choices, widget=forms.RadioSelect)
    successful = forms.TypedChoiceField(
        label="Reached the participant?",
        choices=[("yes", "Reached"), ("no", "Attempt only")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    at = forms.DateTimeField(
        label="When",
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    duration_minutes = forms.IntegerField(
        label="Minutes",
        min_value=0,
        max_value=24 * 60,
        required=False,
        initial=DEFAULT_DURATION,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    location = forms.CharField(label="Where", max_length=200, required=False)
    note = forms.CharField(
        label="Note (confidential)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    part2 = forms.BooleanField(
        label="The note mentions substance use (kept as 42 CFR Part 2 information)", required=False
    )

    def __init__(self, *args, last_kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The usual kind for this participant is the last one used; the time is now, to the minute.
        self.fields["kind"].initial = last_kind or Contact.Kind.IN_PERSON
        self.fields["at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class IntakeForm(PageForm):
    id_prefix = "intake"
    """Intake done now: nothing to fill in."""


class InactiveForm(PageForm):
    id_prefix = "inactive"
    reason = forms.CharField(label="Why inactive", max_length=200)


class ReengageForm(PageForm):
    id_prefix = "reengage"
    reason = forms.CharField(
        label="What brought the participant back (optional)", max_length=200, required=False
    )


class ExitForm(PageForm):
    id_prefix = "exit"
    exit_reason = forms.ChoiceField(label="Exit reason", choices=[("", "Choose a reason")])
    note = forms.CharField(label="Anything to add (optional)", max_length=200, required=False)

    def __init__(self, *args, labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = labels or dict(ExitReason.choices)  # the program's own wording, where it set some
        # A lapsed intake window is recorded by the intake clock, not chosen by staff.
        self.fields["exit_reason"].choices += [
            (value, labels.get(value, label))
            for value, label in ExitReason.choices
            if value != ExitReason.INTAKE_NOT_COMPLETED
        ]


# ---- the Individual Intervention Plan ----------------------------------------------------------

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class GoalAddForm(PageForm):
    id_prefix = "goal_new"
    in_own_words = forms.CharField(
        label="The goal, in the participant's own words",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Write it as they say it. No abstinence or compliance goal is set for them.",
    )
    area = forms.ChoiceField(label="Area of life", choices=[("", "Choose an area"), *Goal.Area.choices])
    target_date = forms.DateField(label="Target date (optional)", required=False, widget=DATE_INPUT)


class GoalEditForm(PlausibleForm):
    """One goal's words, area, status and date, and its steps' statuses, based on the version shown."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    in_own_words = forms.CharField(
        label="The goal, in the participant's own words", widget=forms.Textarea(attrs={"rows": 3})
    )
    area = forms.ChoiceField(label="Area of life", choices=Goal.Area.choices)
    status = forms.ChoiceField(label="Where it stands", choices=Goal.Progress.choices)
    target_date = forms.DateField(label="Target date (optional)", required=False, widget=DATE_INPUT)

    def __init__(self, *args, goal: Goal, steps=(), **kwargs):
        kwargs.setdefault("auto_id", f"goal{goal.pk}_%s")
        kwargs.setdefault(
            "initial",
            {
                "version": goal.version,
                "in_own_words": goal.in_own_words,
                "area": goal.area,
                "status": goal.status,
                "target_date": goal.target_date,
                **{f"step_{s.pk}": s.status for s in steps},
            },
        )
        super().__init__(*args, **kwargs)
        self.goal, self.steps = goal, list(steps)
        for step in self.steps:
            self.fields[f"step_{step.pk}"] = forms.ChoiceField(
                label=f"Step: {step.what}", choices=Goal.Progress.choices
            )

    def step_fields(self):
        return [self[f"step_{step.pk}"] for step in self.steps]

    def action_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["steps"] = {step.pk: data.pop(f"step_{step.pk}") for step in self.steps}
        return data


class StepForm(PlausibleForm):
    what = forms.CharField(label="What", max_length=300)
    who = forms.CharField(
        label="Who does it", max_length=100, help_text="The participant, the case manager, a provider…"
    )
    target_date = forms.DateField(label="By when (optional)", required=False, widget=DATE_INPUT)

    def __init__(self, *args, goal: Goal, **kwargs):
        kwargs.setdefault("auto_id", f"step{goal.pk}_%s")
        super().__init__(*args, **kwargs)
        self.goal = goal


class AgreementForm(PageForm):
    id_prefix = "agree"
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    how = forms.ChoiceField(
        label="How the participant agreed", choices=Plan.Agreement.choices, widget=forms.RadioSelect
    )
    at = forms.DateTimeField(
        label="When",
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class AssignForm(PageForm):
    """A supervisor's choice of case manager, each shown with their open cases."""

    id_prefix = "assign"
    case_manager = forms.TypedChoiceField(label="Case manager", coerce=int)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, managers=(), soft_limit: int = 20, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].choices = [("", "Choose a case manager")] + [
            (user.pk, _load_label(user, count, soft_limit)) for user, count in managers
        ]


def _load_label(user, count: int | None, soft_limit: int) -> str:
    name = user.get_full_name() or user.get_username()
    if count is None:  # not counted: the case page offers names; a search adds their caseloads
        return name
    return f"{name} ({count} open{', at or over the guide' if count >= soft_limit else ''})"


# ---- intake and assessment ---------------------------------------------------------------------

NO_ANSWER = ("", "No answer")


class AssessmentForm(PlausibleForm):
    """One assessment's questions, grouped by domain: every answer optional (the participant may decline).

    Fields are named `<domain>__<question>`; `answers()` gives them back as {domain: {question: answer}}.
    """

    future_errors = {"assessed_on": ERR_ASSESSMENT_DATE_FUTURE}

    assessed_on = forms.DateField(label="Date of the assessment", widget=DATE_INPUT)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, domains, **kwargs):
        kwargs.setdefault("auto_id", "assess_%s")
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()
        self.domains = domains
        for domain in domains:
            for question in domain.questions:
                self.fields[f"{domain.key}__{question.key}"] = _answer_field(question)

    def groups(self):
        """[(domain, [bound field])] for the template's fieldsets."""
        return [(d, [self[f"{d.key}__{q.key}"] for q in d.questions]) for d in self.domains]

    def answers(self) -> dict:
        answers: dict[str, dict] = {}
        for domain in self.domains:
            for question in domain.questions:
                answers.setdefault(domain.key, {})[question.key] = self.cleaned_data[
                    f"{domain.key}__{question.key}"
                ]
        return answers


def _answer_field(question) -> forms.Field:
    if question.kind == "text":
        return forms.CharField(
            label=question.label, required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
        )
    if question.kind == "yes_no":
        return forms.ChoiceField(
            label=question.label,
            required=False,
            choices=[*question.choices, NO_ANSWER],
            widget=forms.RadioSelect,
        )
    return forms.ChoiceField(label=question.label, required=False, choices=[NO_ANSWER, *question.choices])


def assessment_initial(assessment, values: dict) -> dict:
    initial = {"assessed_on": assessment.assessed_on, "version": assessment.version}
    for domain, given in values.items():
        initial.update({f"{domain}__{key}": value for key, value in given.items()})
    return initial


# ---- outcome snapshots -------------------------------------------------------------------------


class SnapshotForm(PageForm):
    """Housing, work, income, insurance and ID as of a date, prefilled from the last snapshot."""

    id_prefix = "snap"
    future_errors = {"as_of": ERR_SNAPSHOT_FUTURE}
    reason = forms.ChoiceField(
        label="Why now", choices=OutcomeSnapshot.Reason.choices, widget=forms.RadioSelect
    )
    as_of = forms.DateField(label="As of", widget=DATE_INPUT)
    living_situation = forms.TypedChoiceField(label="Where the participant is living", coerce=int)
    employment = forms.ChoiceField(
        label="Employment", choices=[("", "Choose one"), *outcomes.Employment.choices]
    )
    income_sources = forms.MultipleChoiceField(
        label="Income and benefits (none ticked: none)",
        required=False,
        choices=outcomes.IncomeSource.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    health_insurance = forms.ChoiceField(
        label="Health insurance", choices=[("", "Choose one"), *outcomes.Insurance.choices]
    )
    id_obtained = forms.BooleanField(label="Has a current photo ID", required=False)

    def __init__(self, *args, latest=None, monthly_due: bool = True, **kwargs):
        if latest is not None:
            kwargs.setdefault(
                "initial",
                {
                    "living_situation": latest.living_situation,
                    "employment": latest.employment,
                    "income_sources": latest.income_sources,
                    "health_insurance": latest.health_insurance,
                    "id_obtained": latest.id_obtained,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["living_situation"].choices = [("", "Choose one"), *outcomes.grouped_living_situations()]
        self.fields["reason"].initial = (
            OutcomeSnapshot.Reason.MONTHLY if monthly_due else OutcomeSnapshot.Reason.CHANGE
        )
        self.fields["as_of"].initial = timezone.localdate()


# ---- the on-call rota ----------------------------------------------------------------------

HOURS = [(h, f"{h:02d}:00") for h in range(24)]
END_HOURS = [(h, f"{h % 24:02d}:00" + (" (midnight)" if h == 24 else "")) for h in range(1, 25)]


class ShiftForm(PlausibleForm):
    user_id = forms.TypedChoiceField(label="Case manager", coerce=int)
    weekday = forms.TypedChoiceField(
        label="Weekday",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "Choose a day"), *enumerate(WEEKDAYS)],
    )
    start_hour = forms.TypedChoiceField(label="From", coerce=int, choices=HOURS, initial=8)
    end_hour = forms.TypedChoiceField(
        label="Until",
        coerce=int,
        choices=END_HOURS,
        initial=17,
        help_text="Earlier than the start: overnight",
    )
    fallback = forms.BooleanField(
        label="Fallback: on call whenever no shift covers the time (day and hours are ignored)",
        required=False,
    )

    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user_id"].choices = [("", "Choose a case manager"), *((u.pk, str(u)) for u in managers)]
