"""The two pages measured: one that runs exactly one query in the tenant's schema, one that runs none."""

from django.http import HttpRequest, HttpResponse
from django.utils.html import escape

from modules.kepegawaian.models import Unit


def one_query(request: HttpRequest) -> HttpResponse:
    names = list(Unit.objects.order_by("urutan", "id").values_list("nama", flat=True)[:20])
    items = "".join(f"<li>{escape(name)}</li>" for name in names)
    return HttpResponse(f"<h1>{escape(request.tenant.name)}</h1><ul>{items}</ul>")  # type: ignore[attr-defined]


def no_query(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<h1>{escape(request.tenant.name)}</h1>")  # type: ignore[attr-defined]
