"""TPP pages: months and their review per OPD, corrections, lock/reopen, slips, kinerja, serapan
anggaran per OPD, Perbup.

Thin: parse, call one service or selector, render. An ApplicationError becomes a message on the
page (HTMX or not) with its 4xx status, never a 500.
"""

import datetime
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from eoffice.accounts.models import User
from eoffice.accounts.selectors import request_user
from eoffice.core.errors import ApplicationError
from modules.kepegawaian import access
from modules.kepegawaian.models import Pegawai
from modules.tpp import exports, selectors, services
from modules.tpp.forms import HukdisForm
from modules.tpp.models import Hukdis, KinerjaBulanan, PerbupTpp, TppBaris, TppPeriode

SESSION_IMPOR = "tpp_impor_kinerja"


def _bulan_diminta(request: HttpRequest) -> tuple[int, int]:
    """The sheet's month from `?tahun=&bulan=`; this month when absent or not a number."""
    today = timezone.localdate()
    try:
        tahun = _int(request.GET.get("tahun", today.year), "tahun")
        bulan = _int(request.GET.get("bulan", today.month), "bulan")
    except ApplicationError:
        return today.year, today.month
    return tahun, bulan


def _baris_simpan(
    request: HttpRequest, template: str, context: dict[str, Any], simpan: Callable[[], object]
) -> HttpResponse:
    """One row of an HTMX sheet saved in place: the row again, marked saved, or with the
    service's message and the value typed kept."""
    context["nilai"] = request.POST.get("nilai", "")
    try:
        simpan()
    except ApplicationError as exc:
        context["galat"] = exc.message
        return render(request, template, context, status=exc.status)
    context["tersimpan"] = True
    return render(request, template, context)


def _bulan_lalu() -> tuple[int, int]:
    """The month TPP is usually computed in: last month (paid in this one)."""
    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return last.year, last.month


def _int(value: Any, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ApplicationError(
            _("Isian %(field)s harus angka.") % {"field": field}, fields={field: [_("Harus angka.")]}
        ) from exc


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Months of TPP (admins and unit heads) and one's own slips (everyone)."""
    return _index_page(request)


def _tutup_presensi(exc: ApplicationError | None, *, tahun: int, bulan: int) -> dict[str, int] | None:
    """The close-the-month button's data when computing was refused for days presensi never closed."""
    if exc is None or exc.code != "presensi_belum_ditutup":
        return None
    return {"tahun": tahun, "bulan": bulan, "n": exc.extra["hari_belum_ditutup"]}


def _index_page(
    request: HttpRequest, *, status: int = 200, tutup_presensi: dict[str, int] | None = None
) -> HttpResponse:
    user = request_user(request)
    cakupan = access.cakupan_data_pribadi(user=user)
    tahun_lalu, bulan_lalu = _bulan_lalu()
    # After closing a month's presensi the form comes back filled in with that month.
    tahun = request.GET.get("tahun", tahun_lalu)
    bulan = request.GET.get("bulan", bulan_lalu)
    slip_list = (
        TppBaris.objects.filter(pegawai_id=cakupan.pegawai_id).select_related("periode")[:24]
        if cakupan.pegawai_id
        else []
    )
    return render(
        request,
        "tpp/index.html",
        {
            "cakupan": cakupan,
            "periode_list": TppPeriode.objects.select_related("perbup")[:24] if cakupan.boleh_kelola else [],
            "slip_list": slip_list,
            "tahun": request.POST.get("tahun", tahun),
            "bulan": request.POST.get("bulan", bulan),
            "is_admin_pemda": user.peran == User.Peran.ADMIN_PEMDA,
            "tutup_presensi": tutup_presensi,
        },
        status=status,
    )


@login_required
@require_POST
def hitung(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    try:
        tahun = _int(request.POST.get("tahun"), "tahun")
        bulan = _int(request.POST.get("bulan"), "bulan")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _index_page(request, status=exc.status)
    try:
        services.tpp_periode_hitung(actor=user, tahun=tahun, bulan=bulan)
    except ApplicationError as exc:
        tutup_presensi = _tutup_presensi(exc, tahun=tahun, bulan=bulan)
        existing = TppPeriode.objects.filter(tahun=tahun, bulan=bulan).first() if tutup_presensi else None
        if existing is not None:
            # Recomputing a month shown on its own page: the refusal and its button stay there.
            return _periode_page(request, existing, exc=exc)
        messages.error(request, exc.message)
        return _index_page(request, status=exc.status, tutup_presensi=tutup_presensi)
    messages.success(
        request, _("TPP bulan %(bulan)s/%(tahun)s selesai dihitung.") % {"bulan": bulan, "tahun": tahun}
    )
    return redirect("tpp:periode", tahun=tahun, bulan=bulan)


def _periode_or_404(tahun: int, bulan: int) -> TppPeriode:
    try:
        return selectors.periode_get(tahun=tahun, bulan=bulan)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc


@login_required
def periode(request: HttpRequest, tahun: int, bulan: int) -> HttpResponse:
    """Review screen: totals per OPD within the user's scope; admin pemda actions."""
    user = request_user(request)
    cakupan = access.cakupan_data_pribadi(user=user)
    if not cakupan.boleh_kelola:
        raise PermissionDenied
    return _periode_page(request, _periode_or_404(tahun, bulan))


def _periode_page(
    request: HttpRequest, obj: TppPeriode, *, exc: ApplicationError | None = None, alasan: str = ""
) -> HttpResponse:
    user = request_user(request)
    rekap = selectors.rekap_per_opd(cakupan=access.cakupan_data_pribadi(user=user), periode=obj)
    keys = ("jumlah", "serapan", "bruto", "hukdis", "bpjs", "pph", "netto", "perhatian")
    context = {
        "periode": obj,
        "rekap": rekap,
        "total": {key: sum(row[key] or 0 for row in rekap) for key in keys},
        "is_admin_pemda": user.peran == User.Peran.ADMIN_PEMDA,
        "ada_serapan": bool(obj.perbup.bobot_serapan),
        "alasan": alasan,
        "errors": exc.fields if exc else {},
        "tutup_presensi": _tutup_presensi(exc, tahun=obj.tahun, bulan=obj.bulan),
        "bulan_berjalan": services.bulan_berjalan(tahun=obj.tahun, bulan=obj.bulan),
    }
    if exc is not None:
        messages.error(request, exc.message)
    return render(request, "tpp/periode.html", context, status=exc.status if exc else 200)


@login_required
def periode_opd(request: HttpRequest, tahun: int, bulan: int, opd_id: int) -> HttpResponse:
    user = request_user(request)
    cakupan = access.cakupan_data_pribadi(user=user)
    if not cakupan.boleh_kelola:
        raise PermissionDenied
    obj = _periode_or_404(tahun, bulan)
    baris = selectors.baris_in_cakupan(cakupan=cakupan, periode=obj).filter(opd_id=opd_id)
    q = request.GET.get("q", "").strip()
    if q:
        baris = baris.filter(nama__icontains=q) | baris.filter(nip__startswith=q.replace(" ", ""))
    rows = list(baris.order_by("-perlu_perhatian", "-kelas_jabatan", "nama")[:500])
    if not rows and not q:
        raise Http404
    template = "tpp/_baris_rows.html" if request.headers.get("HX-Request") else "tpp/periode_opd.html"
    return render(
        request,
        template,
        {
            "periode": obj,
            "baris": rows,
            "opd_id": opd_id,
            "nama_opd": rows[0].nama_opd if rows else "",
            "ada_serapan": bool(obj.perbup.bobot_serapan),
            "q": q,
        },
    )


@login_required
@require_POST
def kunci(request: HttpRequest, tahun: int, bulan: int) -> HttpResponse:
    obj = _periode_or_404(tahun, bulan)
    try:
        services.tpp_periode_kunci(actor=request_user(request), periode=obj)
        messages.success(
            request, _("TPP bulan ini dikunci. Perubahan berikutnya harus membuka kembali dengan alasan.")
        )
    except ApplicationError as exc:
        return _periode_page(request, obj, exc=exc)
    return redirect("tpp:periode", tahun=tahun, bulan=bulan)


@login_required
@require_POST
def tutup_presensi(request: HttpRequest, tahun: int, bulan: int) -> HttpResponse:
    """Close the month's working days presensi never closed, then back to the month to compute it."""
    try:
        jumlah = services.tpp_presensi_tutup(actor=request_user(request), tahun=tahun, bulan=bulan)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _index_page(request, status=exc.status)
    messages.success(
        request,
        _("Presensi %(n)s hari kerja ditutup. TPP bulan %(bulan)s/%(tahun)s sekarang dapat dihitung.")
        % {"n": jumlah, "bulan": bulan, "tahun": tahun},
    )
    if TppPeriode.objects.filter(tahun=tahun, bulan=bulan).exists():
        return redirect("tpp:periode", tahun=tahun, bulan=bulan)
    return redirect(f"{reverse('tpp:index')}?tahun={tahun}&bulan={bulan}")


@login_required
@require_POST
def buka_kembali(request: HttpRequest, tahun: int, bulan: int) -> HttpResponse:
    obj = _periode_or_404(tahun, bulan)
    try:
        services.tpp_periode_buka_kembali(
            actor=request_user(request), periode=obj, alasan=request.POST.get("alasan", "")
        )
        messages.success(request, _("TPP bulan ini dibuka kembali untuk koreksi."))
    except ApplicationError as exc:
        return _periode_page(request, obj, exc=exc, alasan=request.POST.get("alasan", ""))
    return redirect("tpp:periode", tahun=tahun, bulan=bulan)


@login_required
def payroll_xlsx(request: HttpRequest, tahun: int, bulan: int) -> HttpResponse:
    user = request_user(request)
    if user.peran != User.Peran.ADMIN_PEMDA:
        raise PermissionDenied
    obj = _periode_or_404(tahun, bulan)
    content = exports.payroll_xlsx(periode=obj, baris=TppBaris.objects.filter(periode=obj))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="tpp-{tahun}-{bulan:02d}.xlsx"'
    return response


@login_required
def rekap_pdf(request: HttpRequest, tahun: int, bulan: int, opd_id: int) -> HttpResponse:
    user = request_user(request)
    cakupan = access.cakupan_data_pribadi(user=user)
    if not cakupan.boleh_kelola:
        raise PermissionDenied
    obj = _periode_or_404(tahun, bulan)
    rekap = [row for row in selectors.rekap_per_opd(cakupan=cakupan, periode=obj) if row["opd_id"] == opd_id]
    if not rekap:
        raise Http404
    baris = selectors.baris_in_cakupan(cakupan=cakupan, periode=obj).filter(opd_id=opd_id)
    pdf = exports.rekap_opd_pdf(periode=obj, opd=rekap[0], baris=baris, tenant=request.tenant)  # type: ignore[attr-defined]
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rekap-tpp-{tahun}-{bulan:02d}-{opd_id}.pdf"'
    return response


@login_required
def slip(request: HttpRequest, baris_id: int) -> HttpResponse:
    try:
        baris = selectors.baris_get_for(user=request_user(request), baris_id=baris_id)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc
    return render(request, "tpp/slip.html", {"baris": baris, "lines": selectors.slip_lines(baris=baris)})


@login_required
@require_http_methods(["GET", "POST"])
def kinerja(request: HttpRequest) -> HttpResponse:
    """The superior's kinerja sheet for a month: one input per employee in scope, saved per row (HTMX)."""
    user = request_user(request)
    cakupan = access.cakupan_data_pribadi(user=user)
    if not cakupan.boleh_kelola:
        raise PermissionDenied
    tahun, bulan = _bulan_diminta(request)
    if request.method == "POST":
        raw_id = request.POST.get("pegawai_id") or ""
        pegawai = (
            access.pegawai_in_cakupan(cakupan=cakupan).select_related("unit").filter(pk=int(raw_id)).first()
            if raw_id.isdigit()
            else None
        )
        if pegawai is None:
            raise Http404
        return _baris_simpan(
            request,
            "tpp/_kinerja_row.html",
            {"tahun": tahun, "bulan": bulan, "p": pegawai},
            lambda: services.kinerja_set(
                actor=user, pegawai=pegawai, tahun=tahun, bulan=bulan, nilai=request.POST.get("nilai")
            ),
        )
    pegawai_list = list(
        access.pegawai_in_cakupan(cakupan=cakupan)
        .filter(status=Pegawai.Status.AKTIF)
        .select_related("jabatan", "unit")
        .order_by("unit__path", "-jabatan__kelas_jabatan", "nama")[:500]
    )
    nilai = dict(
        KinerjaBulanan.objects.filter(tahun=tahun, bulan=bulan, pegawai__in=pegawai_list).values_list(
            "pegawai_id", "nilai"
        )
    )
    for p in pegawai_list:
        p.nilai_kinerja = nilai.get(p.pk)  # type: ignore[attr-defined]
    return render(request, "tpp/kinerja.html", {"tahun": tahun, "bulan": bulan, "pegawai_list": pegawai_list})


@login_required
@require_POST
def kinerja_impor(request: HttpRequest) -> HttpResponse:
    """Upload an e-Kinerja/SKP export → preview with every row checked; confirm applies all or none."""
    user = request_user(request)
    try:
        tahun = _int(request.POST.get("tahun"), "tahun")
        bulan = _int(request.POST.get("bulan"), "bulan")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("tpp:kinerja")
    if request.POST.get("konfirmasi"):
        stored = request.session.get(SESSION_IMPOR)
        if not stored or stored["tahun"] != tahun or stored["bulan"] != bulan:
            messages.error(request, _("Pratinjau impor sudah kedaluwarsa; unggah ulang berkasnya."))
            return redirect(f"{_kinerja_url()}?tahun={tahun}&bulan={bulan}")
        rows = [services.BarisImpor(**row) for row in stored["baris"]]
        try:
            jumlah = services.kinerja_impor_terapkan(actor=user, tahun=tahun, bulan=bulan, baris=rows)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return render(
                request,
                "tpp/impor_pratinjau.html",
                {"tahun": tahun, "bulan": bulan, "baris": rows},
                status=exc.status,
            )
        del request.session[SESSION_IMPOR]
        messages.success(request, _("%(n)s nilai kinerja diimpor.") % {"n": jumlah})
        return redirect(f"{_kinerja_url()}?tahun={tahun}&bulan={bulan}")
    upload = request.FILES.get("berkas")
    if upload is None:
        messages.error(request, _("Pilih berkas .xlsx atau .csv untuk diimpor."))
        return redirect(f"{_kinerja_url()}?tahun={tahun}&bulan={bulan}")
    if upload.size and upload.size > 5 * 1024 * 1024:
        messages.error(request, _("Berkas terlalu besar (maksimal 5 MB)."))
        return redirect(f"{_kinerja_url()}?tahun={tahun}&bulan={bulan}")
    try:
        rows = services.kinerja_impor_pratinjau(actor=user, nama_file=upload.name or "", isi=upload.read())
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(f"{_kinerja_url()}?tahun={tahun}&bulan={bulan}")
    request.session[SESSION_IMPOR] = {"tahun": tahun, "bulan": bulan, "baris": [row.__dict__ for row in rows]}
    return render(request, "tpp/impor_pratinjau.html", {"tahun": tahun, "bulan": bulan, "baris": rows})


@login_required
@require_http_methods(["GET", "POST"])
def serapan(request: HttpRequest) -> HttpResponse:
    """The regency admin's sheet of realisasi serapan anggaran per OPD for a month, saved per row
    (HTMX); a refused value comes back in its row with the message and what was typed."""
    user = request_user(request)
    if user.peran != User.Peran.ADMIN_PEMDA:
        raise PermissionDenied
    tahun, bulan = _bulan_diminta(request)
    if request.method == "POST":
        raw_id = request.POST.get("opd_id") or ""
        opd = selectors.opd_queryset().filter(pk=int(raw_id)).first() if raw_id.isdigit() else None
        if opd is None:
            raise Http404
        return _baris_simpan(
            request,
            "tpp/_serapan_row.html",
            {"tahun": tahun, "bulan": bulan, "opd": opd},
            lambda: services.serapan_anggaran_set(
                actor=user, opd=opd, tahun=tahun, bulan=bulan, nilai=request.POST.get("nilai")
            ),
        )
    periode_obj = TppPeriode.objects.select_related("perbup").filter(tahun=tahun, bulan=bulan).first()
    return render(
        request,
        "tpp/serapan.html",
        {
            "tahun": tahun,
            "bulan": bulan,
            "baris": selectors.serapan_anggaran_bulan(tahun=tahun, bulan=bulan),
            "periode": periode_obj,
        },
    )


def _kinerja_url() -> str:
    return reverse("tpp:kinerja")


@login_required
def perbup(request: HttpRequest) -> HttpResponse:
    """The regency's Perbup/Perwali on TPP, newest first, with every parameter."""
    user = request_user(request)
    if user.peran not in (User.Peran.ADMIN_PEMDA, User.Peran.ADMIN_OPD):
        raise PermissionDenied
    perbup_list = PerbupTpp.objects.prefetch_related("besaran", "potongan_band", "jenis_hukdis")
    today = timezone.localdate()
    berlaku = perbup_list.filter(berlaku_mulai__lte=today).first()
    return render(
        request, "tpp/perbup.html", {"perbup_list": perbup_list, "berlaku": berlaku, "today": today}
    )


def _perbup_form_context(source: PerbupTpp | None, data: Any = None) -> dict[str, Any]:
    """Values for the new-Perbup form: what the user typed, else the Perbup in force."""
    besaran = (
        {b.kelas_jabatan: b.besaran for b in source.besaran.all() if not b.jenis_jabatan and not b.jenis_unit}
        if source
        else {}
    )
    fields = []
    for name in services.PERBUP_FIELDS:
        model_field = cast(models.Field, PerbupTpp._meta.get_field(name))
        initial = getattr(source, name) if source else model_field.get_default()
        value = data.get(name, "") if data is not None else ("" if initial is None else str(initial))
        fields.append(
            {"name": name, "label": model_field.verbose_name, "value": value, "choices": model_field.choices}
        )
    kelas = [
        {"kelas": k, "value": data.get(f"besaran_{k}", "") if data is not None else besaran.get(k, "")}
        for k in range(1, 18)
    ]
    return {
        "source": source,
        "fields": fields,
        "kelas": kelas,
        "nomor": data.get("nomor", "") if data is not None else "",
        "berlaku_mulai": data.get("berlaku_mulai", "") if data is not None else "",
    }


@login_required
@require_http_methods(["GET", "POST"])
def perbup_baru(request: HttpRequest) -> HttpResponse:
    """A new Perbup/Perwali from a date, starting from the one in force: scalar parameters and base
    amounts per kelas are edited here; the TL/PSW table, sanctions and any per-kind/per-location
    amounts are carried over from the Perbup in force (the API takes them all)."""
    user = request_user(request)
    if user.peran != User.Peran.ADMIN_PEMDA:
        raise PermissionDenied
    source = (
        PerbupTpp.objects.filter(berlaku_mulai__lte=timezone.localdate())
        .prefetch_related("besaran", "potongan_band", "jenis_hukdis")
        .first()
        or PerbupTpp.objects.prefetch_related("besaran", "potongan_band", "jenis_hukdis").first()
    )
    if request.method == "GET":
        return render(request, "tpp/perbup_baru.html", _perbup_form_context(source))
    data = request.POST
    try:
        try:
            berlaku_mulai = datetime.date.fromisoformat(data.get("berlaku_mulai", ""))
        except ValueError as exc:
            raise ApplicationError(
                _("Tanggal berlaku tidak valid."),
                fields={"berlaku_mulai": [_("Isi tanggal dengan format TTTT-BB-HH.")]},
            ) from exc
        besaran: list[dict[str, Any]] = []
        for k in range(1, 18):
            raw = data.get(f"besaran_{k}", "").strip().replace(".", "")
            if not raw:
                continue
            if not raw.isdigit():
                raise ApplicationError(
                    _("Besaran kelas %(k)s harus angka rupiah tanpa desimal.") % {"k": k},
                    fields={f"besaran_{k}": [_("Isi angka rupiah, misalnya 5000000.")]},
                )
            besaran.append({"kelas_jabatan": k, "besaran": int(raw)})
        if source is not None:
            besaran += [
                {
                    "kelas_jabatan": b.kelas_jabatan,
                    "jenis_jabatan": b.jenis_jabatan,
                    "jenis_unit": b.jenis_unit,
                    "besaran": b.besaran,
                }
                for b in source.besaran.all()
                if b.jenis_jabatan or b.jenis_unit
            ]
        perbup = services.perbup_tpp_create(
            actor=user,
            nomor=data.get("nomor", "").strip(),
            berlaku_mulai=berlaku_mulai,
            parameter={name: data.get(name, "").strip() for name in services.PERBUP_FIELDS},
            besaran=besaran,
            potongan_band=[
                {"jenis": b.jenis, "band": b.band, "persen": b.persen} for b in source.potongan_band.all()
            ]
            if source
            else [],
            jenis_hukdis=[
                {"kode": h.kode, "nama": h.nama, "persen": h.persen, "bulan": h.bulan}
                for h in source.jenis_hukdis.all()
            ]
            if source
            else [],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        context = {**_perbup_form_context(source, data), "errors": exc.fields}
        return render(request, "tpp/perbup_baru.html", context, status=exc.status)
    messages.success(
        request,
        _("%(nomor)s disimpan, berlaku mulai %(tgl)s.")
        % {"nomor": perbup.nomor, "tgl": perbup.berlaku_mulai},
    )
    return redirect("tpp:perbup")


@login_required
@require_http_methods(["GET", "POST"])
def hukdis(request: HttpRequest) -> HttpResponse:
    """Disciplinary sanctions within the user's scope; the regency admin records new ones."""
    user = request_user(request)
    cakupan = access.cakupan_data_pribadi(user=user)
    if not cakupan.boleh_kelola:
        raise PermissionDenied
    boleh_catat = user.peran == User.Peran.ADMIN_PEMDA
    perbup = (
        PerbupTpp.objects.filter(berlaku_mulai__lte=timezone.localdate()).order_by("-berlaku_mulai").first()
    )
    form = HukdisForm(request.POST or None, perbup=perbup)
    status = 200
    if request.method == "POST":
        if not boleh_catat:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            pegawai = access.pegawai_in_cakupan(cakupan=cakupan).filter(nip=data["nip"]).first()
            if pegawai is None:
                form.add_error("nip", _("Tidak ada pegawai dengan NIP ini di daerah Anda."))
            else:
                try:
                    services.hukdis_create(
                        actor=user,
                        pegawai=pegawai,
                        kode_jenis=data["kode_jenis"],
                        tmt=data["tmt"],
                        sk_nomor=data["sk_nomor"],
                        keterangan=data["keterangan"],
                    )
                except ApplicationError as exc:
                    exc.add_to_form(form)
                else:
                    messages.success(request, _("Hukuman disiplin dicatat."))
                    return redirect("tpp:hukdis")
        status = 400
    daftar = (
        Hukdis.objects.filter(pegawai__in=access.pegawai_in_cakupan(cakupan=cakupan))
        .select_related("pegawai")
        .order_by("-tmt", "-id")[:200]
    )
    nama_jenis = {j.kode: j.nama for j in perbup.jenis_hukdis.all()} if perbup else {}
    for h in daftar:
        h.nama_jenis = nama_jenis.get(h.kode_jenis, h.kode_jenis)  # type: ignore[attr-defined]
    return render(
        request,
        "tpp/hukdis.html",
        {"form": form, "daftar": daftar, "boleh_catat": boleh_catat, "perbup": perbup},
        status=status,
    )
