"""django-axes with allauth's login form.

allauth authenticates with `username=` or `email=` credentials, while the form field is `login`;
without this, axes records no user name and would lock by address alone. A NIP typed as printed
(`19860926 201505 1 001`) counts as the same login as the NIP without spaces.
"""

import re

from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email") or credentials.get("login")
    if not value:
        data = getattr(request, "data", None) or request.POST
        value = data.get("login") or data.get("username")
    if not value:
        return None
    value = str(value).strip().lower()
    return value.replace(" ", "") if re.fullmatch(r"[\d ]+", value) else value
