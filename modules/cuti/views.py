"""Pages of cuti: the employee's balance, requests and form; the approver's inbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eoffice.core.errors import ApplicationError
from eoffice.core.files import tenant_file_response
from modules.cuti.forms import PermohonanForm
from modules.cuti.models import MutasiSaldoCuti, PermohonanCuti
from modules.cuti.selectors import (
    cuti_tahunan_menunggu,
    permohonan_get_for,
    permohonan_list_for,
    permohonan_menunggu_keputusan,
)
from modules.cuti.services import cuti_ajukan, cuti_batal, cuti_putus, saldo_cuti_buka
from modules.presensi.selectors import pegawai_for_user, tenant_zone


@login_required
def daftar(request: HttpRequest) -> HttpResponse:
    pegawai = pegawai_for_user(user=request.user)
    form = PermohonanForm(request.POST or None, request.FILES or None)
    if pegawai is None:
        return render(request, "cuti/daftar.html", {"pegawai": None, "form": form})
    if request.method == "POST" and form.is_valid():
        try:
            cuti_ajukan(user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, _("Permohonan cuti diajukan ke atasan Anda."))
            return redirect("cuti:daftar")
    today = timezone.localdate(timezone=tenant_zone())
    tahun = today.year
    saldo = saldo_cuti_buka(pegawai=pegawai, tahun=tahun)
    context = {
        "pegawai": pegawai,
        "form": form,
        "today": today,
        "tahun": tahun,
        "saldo": saldo,
        "menunggu": cuti_tahunan_menunggu(pegawai=pegawai, tahun=tahun),
        "ledger": MutasiSaldoCuti.objects.filter(pegawai=pegawai, tahun=tahun),
        "rows": permohonan_list_for(pegawai=pegawai)[:50],
    }
    return render(request, "cuti/daftar.html", context, status=400 if form.errors else 200)


@login_required
def persetujuan(request: HttpRequest) -> HttpResponse:
    pegawai = pegawai_for_user(user=request.user)
    rows = permohonan_menunggu_keputusan(penyetuju=pegawai) if pegawai else PermohonanCuti.objects.none()
    return render(request, "cuti/persetujuan.html", {"rows": rows})


def _get(request: HttpRequest, pk: int) -> PermohonanCuti:
    pegawai = pegawai_for_user(user=request.user)
    if pegawai is None:
        raise Http404
    try:
        return permohonan_get_for(pegawai=pegawai, pk=pk)
    except PermohonanCuti.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def lampiran(request: HttpRequest, pk: int) -> FileResponse:
    """A request's attachment, to the employee and the approvers of that request."""
    return tenant_file_response(request, str(_get(request, pk).lampiran.name or ""))


@require_POST
@login_required
def putus(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        cuti_putus(
            user=request.user,
            permohonan=_get(request, pk),
            setuju=request.POST.get("setuju") == "1",
            catatan=request.POST.get("catatan", ""),
        )
        messages.success(request, _("Keputusan cuti disimpan."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("cuti:persetujuan")


@require_POST
@login_required
def batal(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        cuti_batal(user=request.user, permohonan=_get(request, pk), alasan=request.POST.get("alasan", ""))
        messages.success(request, _("Permohonan cuti dibatalkan."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("cuti:daftar")
