from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from django import forms

from offramp.accounts.lockout import ACCOUNT_LOCKED, account_for_login
from offramp.accounts.mfa import demo_totp_code

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
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            account = account_for_login(self.cleaned_data.get("login", ""))
            if account is not None and account.locked_at is not None:
                raise forms.ValidationError(ACCOUNT_LOCKED, code="locked") from None
            raise
        # allauth hands back a user whose password matched but whom the backend refused: a locked one.
        if self.user is not None and self.user.locked_at is not None:
            raise forms.ValidationError(ACCOUNT_LOCKED, code="locked")
        return cleaned


class AuthenticateForm(AllauthAuthenticateForm):
    """allauth's second-factor form; on a demo site it shows a demo account's current code."""

    @property
    def demo_code(self) -> str | None:
        return demo_totp_code(self.user)
