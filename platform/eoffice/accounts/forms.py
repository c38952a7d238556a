import re

from allauth.account.forms import LoginForm as AllauthLoginForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    """Sign in by NIP or e-mail; a NIP typed as printed (`19860926 201505 1 001`) also works."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("NIP atau e-mail")
        self.fields["login"].widget.attrs.update(
            {"placeholder": _("NIP atau e-mail"), "autocomplete": "username"}
        )
        self.fields["password"].label = _("Kata sandi")
        self.fields["password"].widget.attrs["placeholder"] = ""
        # The page shows its own "forgot password" link under the form.
        self.fields["password"].help_text = ""

    def clean_login(self) -> str:
        login = super().clean_login()
        if re.fullmatch(r"[\d ]+", login):
            login = login.replace(" ", "")
        return login
