from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from eoffice.core.modules import menu_for


def platform(request: HttpRequest) -> dict[str, Any]:
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    context: dict[str, Any] = {"tenant": tenant, "local_now": timezone.localtime()}
    if tenant is not None and not tenant.is_public and user is not None and user.is_authenticated:
        context["module_menu"] = menu_for(tenant, user)
    return context
