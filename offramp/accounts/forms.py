from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from django import forms

from offramp.accounts.lockout import ACCOUNT_LOCKED
from offramp.accounts.mfa import demo_totp_code
from offramp.formbounds import PlausibleForm
from offramp.programs.roles import Role

BANNER_NOT_ACKNOWLEDGED = "Confirm that you have read the notice above before signing in."


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form, plus the use notice every user acknowledges before signing in (CJIS 5.5.4)."""

    acknowledge = forms.BooleanField(
        label="I have read this notice and agree to its terms",
        error_messages={"required": BANNER_NOT_ACKNOWLEDGED},
    )

    def clean(self):
        if self.errors:  # the notice was not acknowledged: do not even try the password
            return self.cleaned_data
        # A wrong password gets allauth's one answer whether the name is an account, a locked account
        # or nothing at all: the lock is told only to someone who knows the password.
        cleaned = super().clean()
        # allauth hands back a user whose password matched but whom the backend refused: a locked one.
        if self.user is not None and self.user.locked_at is not None:
            raise forms.ValidationError(ACCOUNT_LOCKED, code="locked")
        return cleaned


class AuthenticateForm(AllauthAuthenticateForm):
    """allauth's second-factor form; on a demo site it shows a demo account's current code.

    An account locked while at this step (wrong codes count toward the lockout) is refused even
    with the right code.
    """

    def clean_code(self) -> str:
        self._refuse_locked()
        return super().clean_code()  # a wrong code fires allauth's signal: offramp.accounts.signals counts it

    def _refuse_locked(self) -> None:
        self.user.refresh_from_db(fields=["locked_at"])
        if self.user.locked_at is not None:
            raise forms.ValidationError(ACCOUNT_LOCKED, code="locked")

    @property
    def demo_code(self) -> str | None:
        return demo_totp_code(self.user)


class _AgencyChoice(PlausibleForm):
    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "None")] + [(a.pk, str(a)) for a in agencies]


class StaffForm(_AgencyChoice):
    """A new staff account; `accounts.actions.staff_create` checks it again."""

    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    username = forms.CharField(label="Username", max_length=150)
    email = forms.EmailField(label="Email", required=False)
    role = forms.ChoiceField(label="Role", choices=Role.choices, widget=forms.RadioSelect)
    agency = forms.ChoiceField(label="Agency (optional)", required=False)
    password = forms.CharField(
        label="First password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Give it to the person in confidence. They set up a second factor when they first sign in.",
    )
    temporary = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        hours = settings.TEMPORARY_ACCOUNT_HOURS
        self.fields["temporary"].label = f"Temporary account: disabled {hours} hours after it is created"


class RoleAddForm(_AgencyChoice):
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    agency = forms.ChoiceField(label="Agency (optional)", required=False)
