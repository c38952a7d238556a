"""KGB pages: upcoming raises per unit, a raise's letter (draft, postpone, issue), the PDF.

Thin: parse, call one service or selector, render. Refusals show on the page with their 4xx status.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eoffice.accounts.models import User
from eoffice.accounts.selectors import request_user
from eoffice.core.errors import ApplicationError
from modules.kepegawaian.access import cakupan_data_pribadi
from modules.kepegawaian.models import Pegawai
from modules.kgb import selectors, services
from modules.kgb.documents import surat_kgb_pdf
from modules.kgb.models import Kgb


def _date(value: str | None, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError as exc:
        raise ApplicationError(
            _("Tanggal tidak valid."), fields={field: [_("Isi tanggal dengan format TTTT-BB-HH.")]}
        ) from exc


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Overdue raises first, then upcoming KGB within 12 months grouped by unit, plus drafts
    awaiting signature."""
    user = request_user(request)
    today = timezone.localdate()
    rencana = selectors.kgb_mendatang(user=user, hari_ini=today, sampai=today + datetime.timedelta(days=366))
    terlambat = [row for row in rencana if row.terlambat]
    groups: dict[str, list[Any]] = {}
    for row in rencana:
        if not row.terlambat:
            groups.setdefault(row.pegawai.unit.nama, []).append(row)
    cakupan = cakupan_data_pribadi(user=user)
    return render(
        request,
        "kgb/index.html",
        {
            "groups": groups,
            "terlambat": terlambat,
            "today": today,
            "draf_list": selectors.kgb_list(user=user, status=Kgb.Status.DRAF).order_by("tmt")[:200]
            if cakupan.boleh_kelola
            else [],
            "boleh_kelola": cakupan.boleh_kelola,
        },
    )


def _detail_context(request: HttpRequest, kgb: Kgb) -> dict[str, Any]:
    penandatangan = (
        Pegawai.objects.filter(status=Pegawai.Status.AKTIF, jabatan__is_kepala_unit=True)
        .select_related("jabatan")
        .order_by("jabatan__unit__path")[:200]
    )
    return {
        "kgb": kgb,
        "penandatangan_list": penandatangan,
        "predikat_choices": Kgb.Predikat.choices,
        "boleh_kelola": request_user(request).peran in (User.Peran.ADMIN_PEMDA, User.Peran.ADMIN_OPD),
        "form": request.POST,
        "errors": {},
    }


def _kgb_or_404(request: HttpRequest, kgb_id: int) -> Kgb:
    try:
        return selectors.kgb_get_for(user=request_user(request), kgb_id=kgb_id)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc


@login_required
def detail(request: HttpRequest, kgb_id: int) -> HttpResponse:
    return render(request, "kgb/detail.html", _detail_context(request, _kgb_or_404(request, kgb_id)))


@login_required
@require_POST
def buat_draf(request: HttpRequest, pegawai_id: int) -> HttpResponse:
    """Prepare the draft letter now instead of waiting for T−120."""
    user = request_user(request)
    pegawai_qs = Pegawai.objects.filter(pk=pegawai_id)
    rencana_list = selectors.rencana_list(pegawai_qs=pegawai_qs)
    rencana = rencana_list[0] if rencana_list else None
    if rencana is None or not cakupan_data_pribadi(user=user).boleh_kelola:
        raise Http404
    try:
        if user.peran not in (User.Peran.ADMIN_PEMDA, User.Peran.ADMIN_OPD):
            raise ApplicationError(_("Hanya admin kepegawaian yang mengelola KGB."), status=403)
        kgb = services.kgb_draf_buat(rencana=rencana, actor=user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("kgb:index")
    return redirect("kgb:detail", kgb_id=kgb.pk)


@login_required
@require_POST
def terbitkan(request: HttpRequest, kgb_id: int) -> HttpResponse:
    kgb = _kgb_or_404(request, kgb_id)
    try:
        tanggal_surat = _date(request.POST.get("tanggal_surat"), "tanggal_surat")
        raw_signer = request.POST.get("penandatangan") or ""
        penandatangan = (
            Pegawai.objects.select_related("jabatan").filter(pk=int(raw_signer)).first()
            if raw_signer.isdigit()
            else None
        )
        if penandatangan is None:
            raise ApplicationError(_("Pilih penandatangan."), fields={"penandatangan": [_("Wajib dipilih.")]})
        services.kgb_terbitkan(
            actor=request_user(request),
            kgb=kgb,
            nomor_surat=request.POST.get("nomor_surat", ""),
            tanggal_surat=tanggal_surat,
            penandatangan=penandatangan,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        context = _detail_context(request, kgb)
        context["errors"] = exc.fields
        return render(request, "kgb/detail.html", context, status=exc.status)
    messages.success(request, _("Surat pemberitahuan KGB diterbitkan dan gaji baru dicatat di riwayat gaji."))
    return redirect("kgb:detail", kgb_id=kgb.pk)


@login_required
@require_POST
def tunda(request: HttpRequest, kgb_id: int) -> HttpResponse:
    kgb = _kgb_or_404(request, kgb_id)
    try:
        services.kgb_tunda(
            actor=request_user(request),
            kgb=kgb,
            alasan=request.POST.get("alasan", ""),
            ditunda_sampai=_date(request.POST.get("ditunda_sampai"), "ditunda_sampai"),
            predikat_kinerja=request.POST.get("predikat_kinerja", ""),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        context = _detail_context(request, kgb)
        context["errors"] = exc.fields
        return render(request, "kgb/detail.html", context, status=exc.status)
    messages.success(request, _("KGB ditunda."))
    return redirect("kgb:detail", kgb_id=kgb.pk)


@login_required
def surat_pdf(request: HttpRequest, kgb_id: int) -> HttpResponse:
    kgb = _kgb_or_404(request, kgb_id)
    pdf = surat_kgb_pdf(kgb=kgb, tenant=request.tenant)  # type: ignore[attr-defined]
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="pemberitahuan-kgb-{kgb.pegawai.nip}-{kgb.tmt:%Y%m}.pdf"'
    )
    return response
