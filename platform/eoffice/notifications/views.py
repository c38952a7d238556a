"""The notification pages: the user's list, opening one (marks it read, goes to its page), and
"tandai semua dibaca" (HTMX swaps the list; without JavaScript the page reloads)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from eoffice.accounts.selectors import request_user
from eoffice.core.errors import ApplicationError
from eoffice.notifications import selectors, services

PER_HALAMAN = 20


def _context(request: HttpRequest) -> dict[str, object]:
    user = request_user(request)
    page = Paginator(selectors.notifikasi_list_for(user=user), PER_HALAMAN).get_page(request.GET.get("page"))
    return {"page": page, "belum_dibaca": selectors.notifikasi_belum_dibaca_count(user=user)}


@login_required
def daftar(request: HttpRequest) -> HttpResponse:
    return render(request, "notifikasi/daftar.html", _context(request))


@login_required
@require_POST
def buka(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notifikasi = services.notifikasi_tandai_dibaca(user=request_user(request), notifikasi_id=pk)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc
    tautan = notifikasi.tautan
    # Stored links are paths (checked when sent); checked again so this can never redirect away.
    if tautan and url_has_allowed_host_and_scheme(tautan, allowed_hosts={request.get_host()}):
        return redirect(tautan)
    return redirect("notifikasi:daftar")


@login_required
@require_POST
def baca_semua(request: HttpRequest) -> HttpResponse:
    services.notifikasi_tandai_semua_dibaca(user=request_user(request))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "notifikasi/_daftar.html", {**_context(request), "oob_lonceng": True})
    return redirect("notifikasi:daftar")
