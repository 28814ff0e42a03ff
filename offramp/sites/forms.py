"""The program settings form, one field per entry of the settings table."""

from django import forms

from offramp.cases import questions
from offramp.formbounds import PlausibleForm, bound_field
from offramp.programs import configuration

MULTILINE = ("shifts", "pairs", "labels", "areas")


class ProgramSettingsForm(PlausibleForm):
    """Text fields only: the settings table's types parse and check them (programs/actions.py)."""

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        stored = program.configuration or {}
        for setting in configuration.SETTINGS_LIST:
            if not setting.on_page:
                continue
            widget = forms.Textarea(attrs={"rows": 4}) if setting.kind in MULTILINE else forms.TextInput()
            self.fields[setting.key] = forms.CharField(
                label=setting.label,
                required=False,
                strip=True,
                initial=setting.as_text(stored.get(setting.key)),
                help_text=f"{setting.help} Default: {setting.shown_default}. Allowed: {setting.allowed}.",
                widget=widget,
            )
            bound_field(setting.key, self.fields[setting.key])

    def groups(self) -> list[tuple[str, list]]:
        groups = [
            (label, [self[s.key] for s in settings if s.on_page])
            for label, settings in configuration.grouped()
        ]
        return [(label, fields) for label, fields in groups if fields]


class QuestionsForm(PlausibleForm):
    """One text box per group of questions; saving makes a new version (past answers keep theirs)."""

    GROUPS = ((questions.CRITICAL_GROUP, "Critical-needs check"), *questions.DOMAINS)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        own = program.setting("assessment_questions") or {}
        for key, label in self.GROUPS:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                initial=questions.as_lines(own[key]) if key in own else "",
                help_text="Shipped: "
                + " · ".join(q["label"] for q in questions.DEFAULT_QUESTIONS.get(key, [])),
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            bound_field(key, self.fields[key])

    def question_set(self) -> dict:
        """The program's set from the page: each group typed in, parsed; ValidationError on a bad line."""
        return {
            key: questions.parse_lines(key, self.cleaned_data[key])
            for key, _label in self.GROUPS
            if self.cleaned_data[key].strip()
        }


class ProgramForm(PlausibleForm):
    name = forms.CharField(label="Program name", max_length=200)
    slug = forms.CharField(
        label="Short name", max_length=50, help_text="Letters, digits and hyphens, e.g. king-county"
    )
    jurisdiction = forms.CharField(label="Jurisdiction", max_length=200, required=False)
    time_zone = forms.CharField(label="Time zone", max_length=64, initial="America/Los_Angeles")
    manager_first_name = forms.CharField(label="Project manager's first name", max_length=150)
    manager_last_name = forms.CharField(label="Project manager's last name", max_length=150)
    manager_username = forms.CharField(label="Project manager's username", max_length=150)
    manager_email = forms.EmailField(label="Project manager's email")
    manager_password = forms.CharField(
        label="First password",
        widget=forms.PasswordInput(render_value=False),
        help_text="Hand it over in person; they choose their own at first sign-in.",
    )
