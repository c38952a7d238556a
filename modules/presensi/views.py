"""Pages of presensi: the check-in app (PWA), the employee's history and corrections, and the
admin pages (locations, schedules and holidays, daily status and reviews, monthly recap)."""

import calendar
import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from eoffice.core.errors import ApplicationError
from eoffice.core.files import tenant_file_response
from modules.kepegawaian.access import cakupan_lihat, cakupan_ubah, is_admin
from modules.kepegawaian.models import Pegawai, Unit
from modules.presensi import exports, services
from modules.presensi.forms import (
    HariLiburForm,
    JadwalForm,
    JadwalUbahForm,
    KoreksiForm,
    LokasiForm,
    LokasiUbahForm,
    ShiftForm,
)
from modules.presensi.models import (
    HariLibur,
    JadwalKerja,
    KoreksiPresensi,
    LokasiKantor,
    Presensi,
    ShiftPegawai,
    StatusHarian,
)
from modules.presensi.selectors import (
    REKAP_KOLOM,
    hari_libur_map,
    pegawai_for_user,
    presensi_list,
    rekap_bulanan,
    status_harian_bulan,
    tenant_zone,
)

STATIC_DIR = settings.BASE_DIR / "frontend" / "dist"


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_admin(request.user):  # type: ignore[arg-type]
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _today() -> datetime.date:
    return timezone.localdate(timezone=tenant_zone())


def _month(request: HttpRequest) -> tuple[int, int]:
    raw = request.GET.get("bulan", "")
    try:
        parsed = datetime.datetime.strptime(raw, "%Y-%m")  # noqa: DTZ007 - a month, not a moment
        return parsed.year, parsed.month
    except ValueError:
        today = _today()
        return today.year, today.month


# ------------------------------------------------------------------------ the PWA -----------
@never_cache
@login_required
def app(request: HttpRequest) -> HttpResponse:
    """The check-in app. Standalone (no htmx/Alpine): one small script, installable as a PWA."""
    return render(request, "presensi/app.html", {"pegawai": pegawai_for_user(user=request.user)})


def manifest(request: HttpRequest) -> HttpResponse:
    tenant = request.tenant  # type: ignore[attr-defined]
    body = render(request, "presensi/manifest.webmanifest", {"tenant": tenant}).content
    return HttpResponse(body, content_type="application/manifest+json")


def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /presensi/ so its scope covers the app; the file itself is Vite's output."""
    path = STATIC_DIR / "presensi-sw.js"
    if not path.exists():
        raise Http404
    response = HttpResponse(path.read_bytes(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/presensi/"
    response["Cache-Control"] = "no-cache"
    return response


@login_required
def swafoto(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """A selfie, to its owner, their superior and admins of its unit. The row lives in this
    tenant's schema, so another regency's ids simply do not exist here."""
    row = get_object_or_404(Presensi.objects.select_related("pegawai__unit"), pk=pk)
    me = pegawai_for_user(user=request.user)
    scope = cakupan_lihat(request.user)  # type: ignore[arg-type]
    allowed = (me is not None and me.pk == row.pegawai_id) or scope.contains(row.pegawai.unit)
    if not allowed:
        raise Http404
    response = tenant_file_response(
        request, str(row.swafoto.name or ""), as_attachment=False, content_type="image/jpeg"
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


# ------------------------------------------------------------------------ employee ----------
@login_required
def riwayat(request: HttpRequest) -> HttpResponse:
    pegawai = pegawai_for_user(user=request.user)
    tahun, bulan = _month(request)
    if pegawai is None:
        return render(
            request, "presensi/riwayat.html", {"pegawai": None, "bulan": f"{tahun:04d}-{bulan:02d}"}
        )
    first = datetime.date(tahun, bulan, 1)
    last = datetime.date(tahun, bulan, calendar.monthrange(tahun, bulan)[1])
    statuses = {s.tanggal: s for s in status_harian_bulan(pegawai=pegawai, tahun=tahun, bulan=bulan)}
    checks: dict[datetime.date, list[Presensi]] = {}
    for c in presensi_list(pegawai=pegawai, mulai=first, sampai=last):
        checks.setdefault(c.tanggal, []).append(c)
    libur = hari_libur_map(mulai=first, sampai=last)
    days = []
    day = first
    while day <= last:
        days.append(
            {
                "tanggal": day,
                "status": statuses.get(day),
                "presensi": checks.get(day, []),
                "libur": libur.get(day, ""),
            }
        )
        day += datetime.timedelta(days=1)
    prev = (first - datetime.timedelta(days=1)).strftime("%Y-%m")
    nxt = (last + datetime.timedelta(days=1)).strftime("%Y-%m")
    return render(
        request,
        "presensi/riwayat.html",
        {
            "pegawai": pegawai,
            "days": days,
            "bulan": f"{tahun:04d}-{bulan:02d}",
            "first": first,
            "prev": prev,
            "next": nxt,
        },
    )


@login_required
def koreksi(request: HttpRequest) -> HttpResponse:
    pegawai = pegawai_for_user(user=request.user)
    form = KoreksiForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            d = form.cleaned_data
            services.koreksi_ajukan(
                user=request.user,
                tanggal=d["tanggal"],
                jenis=d["jenis"],
                jam=d["jam"],
                alasan=d["alasan"],
                nomor_dokumen=d["nomor_dokumen"],
                lampiran=d["lampiran"],
            )
        except ApplicationError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, _("Koreksi diajukan ke atasan Anda."))
            return redirect("presensi:koreksi")
    mine = KoreksiPresensi.objects.filter(pegawai=pegawai).order_by("-created_at")[:50] if pegawai else []
    inbox = (
        KoreksiPresensi.objects.filter(
            penyetuju=pegawai, status=KoreksiPresensi.Status.DIAJUKAN
        ).select_related("pegawai")
        if pegawai
        else []
    )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "presensi/koreksi.html",
        {"form": form, "mine": mine, "inbox": inbox, "pegawai": pegawai},
        status=status,
    )


@login_required
def koreksi_lampiran(request: HttpRequest, pk: int) -> FileResponse:
    """A correction's attachment, to the employee who sent it and the superior deciding it."""
    me = pegawai_for_user(user=request.user)
    if me is None:
        raise Http404
    row = get_object_or_404(KoreksiPresensi.objects.filter(Q(pegawai=me) | Q(penyetuju=me)), pk=pk)
    return tenant_file_response(request, str(row.lampiran.name or ""))


@require_POST
@login_required
def koreksi_putus(request: HttpRequest, pk: int) -> HttpResponse:
    pegawai = pegawai_for_user(user=request.user)
    row = get_object_or_404(KoreksiPresensi, pk=pk, penyetuju=pegawai)
    try:
        services.koreksi_putus(
            user=request.user,
            koreksi=row,
            setuju=request.POST.get("setuju") == "1",
            catatan=request.POST.get("catatan", ""),
        )
        messages.success(request, _("Keputusan koreksi disimpan; status harian dihitung ulang."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("presensi:koreksi")


# ------------------------------------------------------------------------ admin -------------
def _units_for(request: HttpRequest) -> Any:
    return Unit.objects.filter(cakupan_ubah(request.user).unit_filter()).order_by("path")  # type: ignore[arg-type]


@admin_required
def lokasi(request: HttpRequest) -> HttpResponse:
    units = _units_for(request)
    form = LokasiForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["unit"] is None and not cakupan_ubah(request.user).semua:  # type: ignore[arg-type]
            form.add_error("unit", _("Admin OPD harus memilih unit."))
        else:
            try:
                services.lokasi_create(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Lokasi kantor disimpan."))
                return redirect("presensi:lokasi")
    scope = cakupan_lihat(request.user)  # type: ignore[arg-type]
    rows = LokasiKantor.objects.select_related("unit").order_by("nama")
    if not scope.semua:
        # Not `Q(unit__isnull=True) | scope.unit_filter(...)` for everyone: for the regency admin
        # that filter is an empty Q(), and `Q(a) | Q()` is just Q(a), which hid every location
        # tied to a unit.
        rows = rows.filter(Q(unit__isnull=True) | scope.unit_filter("unit__"))
    ubah_ids = set(LokasiKantor.objects.filter(_ubah_filter(request)).values_list("pk", flat=True))
    return render(
        request,
        "presensi/lokasi.html",
        {"form": form, "rows": rows, "ubah_ids": ubah_ids},
        status=400 if form.errors else 200,
    )


def _ubah_filter(request: HttpRequest) -> Q:
    """Rows (schedules, locations) the admin may change: those of units in their scope; the
    regency-wide ones (no unit) only for the regency admin."""
    scope = cakupan_ubah(request.user)  # type: ignore[arg-type]
    if scope.semua:
        return Q()
    return Q(unit__isnull=False) & scope.unit_filter("unit__")


@admin_required
def lokasi_ubah(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(LokasiKantor.objects.filter(_ubah_filter(request)).select_related("unit"), pk=pk)
    initial = {
        "nama": row.nama,
        "unit": row.unit,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "radius_m": row.radius_m,
        "alamat": row.alamat,
        "aktif": row.aktif,
    }
    form = LokasiUbahForm(request.POST or None, units=_units_for(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["unit"] is None and not cakupan_ubah(request.user).semua:  # type: ignore[arg-type]
            form.add_error("unit", _("Admin OPD harus memilih unit."))
        else:
            try:
                services.lokasi_update(actor=request.user, lokasi=row, **form.cleaned_data)
            except ApplicationError as exc:
                exc.add_to_form(form)
            else:
                messages.success(
                    request, _("Lokasi kantor %(nama)s diperbarui.") % {"nama": form.cleaned_data["nama"]}
                )
                return redirect("presensi:lokasi")
    return render(
        request,
        "presensi/lokasi_ubah.html",
        {"form": form, "lokasi": row},
        status=400 if form.errors else 200,
    )


@admin_required
def jadwal_ubah(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(
        JadwalKerja.objects.filter(_ubah_filter(request)).select_related("unit").prefetch_related("hari"),
        pk=pk,
    )
    form = JadwalUbahForm(request.POST or None, jadwal=row)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        changes: dict[str, Any] = {}
        if form.hari:
            changes["hari"] = [services.HariKerja(h, d[f"masuk_{h}"], d[f"pulang_{h}"]) for h in form.hari]
        try:
            services.jadwal_update(
                actor=request.user,
                jadwal=row,
                nama=d["nama"],
                aktif=d["aktif"],
                berlaku_mulai=d["berlaku_mulai"],
                berlaku_sampai=d["berlaku_sampai"],
                **changes,
            )
        except ApplicationError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            exc.add_to_form(form)
        else:
            messages.success(request, _("Jadwal %(nama)s diperbarui.") % {"nama": d["nama"]})
            return redirect("presensi:jadwal")
    return render(
        request,
        "presensi/jadwal_ubah.html",
        {"form": form, "jadwal": row},
        status=400 if form.errors else 200,
    )


@admin_required
def jadwal(request: HttpRequest) -> HttpResponse:
    units = _units_for(request)
    form = JadwalForm(request.POST or None, units=units, prefix="jadwal")
    libur_form = HariLiburForm(request.POST or None, prefix="libur")
    shift_form = ShiftForm(request.POST or None, prefix="shift")
    if request.method == "POST" and request.POST.get("aksi") == "shift" and shift_form.is_valid():
        d = shift_form.cleaned_data
        pegawai = Pegawai.objects.select_related("unit").filter(nip=d["nip"]).first()
        if pegawai is None or not cakupan_ubah(request.user).contains(pegawai.unit):  # type: ignore[arg-type]
            shift_form.add_error("nip", _("Pegawai dengan NIP ini tidak ada di unit yang Anda kelola."))
        else:
            try:
                services.shift_assign(
                    actor=request.user,
                    pegawai=pegawai,
                    tanggal=d["tanggal"],
                    nama_shift=d["nama_shift"],
                    jam_masuk=d["jam_masuk"],
                    jam_pulang=d["jam_pulang"],
                )
            except ApplicationError as exc:
                shift_form.add_error(None, exc.message)
            else:
                messages.success(request, _("Shift disimpan."))
                return redirect("presensi:jadwal")
    if request.method == "POST" and request.POST.get("aksi") == "jadwal" and form.is_valid():
        d = form.cleaned_data
        hari = [services.HariKerja(i, d["masuk"], d["pulang"]) for i in range(4)]
        hari.append(services.HariKerja(4, d["masuk_jumat"], d["pulang_jumat"]))
        if d["jenis"] == JadwalKerja.Jenis.ENAM_HARI:
            hari.append(services.HariKerja(5, d["masuk_sabtu"], d["pulang_sabtu"]))
        try:
            services.jadwal_create(
                actor=request.user,
                nama=d["nama"],
                unit=d["unit"],
                jenis=d["jenis"],
                musim=d["musim"],
                berlaku_mulai=d["berlaku_mulai"],
                berlaku_sampai=d["berlaku_sampai"],
                hari=hari,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Jadwal disimpan."))
            return redirect("presensi:jadwal")
    if request.method == "POST" and request.POST.get("aksi") == "libur" and libur_form.is_valid():
        if not cakupan_ubah(request.user).semua:  # type: ignore[arg-type]
            raise PermissionDenied
        try:
            services.hari_libur_create(actor=request.user, **libur_form.cleaned_data)
        except ApplicationError as exc:
            libur_form.add_error(None, exc.message)
        else:
            messages.success(request, _("Hari libur disimpan."))
            return redirect("presensi:jadwal")
    tahun = _today().year
    context = {
        "form": form,
        "libur_form": libur_form,
        "shift_form": shift_form,
        "shifts": ShiftPegawai.objects.filter(tanggal__gte=_today())
        .select_related("pegawai")
        .order_by("tanggal")[:100],
        "jadwal_list": JadwalKerja.objects.select_related("unit").prefetch_related("hari"),
        "jadwal_ubah_ids": set(
            JadwalKerja.objects.filter(_ubah_filter(request)).values_list("pk", flat=True)
        ),
        "libur": sorted(
            hari_libur_map(mulai=datetime.date(tahun, 1, 1), sampai=datetime.date(tahun, 12, 31)).items()
        ),
        "override": HariLibur.objects.filter(tanggal__year=tahun),
        "tahun": tahun,
    }
    bound_invalid = request.method == "POST"
    return render(request, "presensi/jadwal.html", context, status=400 if bound_invalid else 200)


@admin_required
def harian(request: HttpRequest) -> HttpResponse:
    try:
        tanggal = datetime.date.fromisoformat(request.GET.get("tanggal", ""))
    except ValueError:
        tanggal = _today()
    scope = cakupan_lihat(request.user)  # type: ignore[arg-type]
    if request.method == "POST":
        aksi = request.POST.get("aksi")
        if aksi == "hitung":
            if scope.semua:
                n = services.status_harian_hitung_tanggal(tanggal=tanggal)
            else:
                unit = Unit.objects.filter(pk=scope.unit_id or 0).first()
                n = services.status_harian_hitung_tanggal(tanggal=tanggal, unit=unit) if unit else 0
            messages.success(request, _("Status %(n)s pegawai dihitung ulang.") % {"n": n})
        elif aksi in ("terima", "tolak"):
            raw = request.POST.get("presensi", "")
            if not raw.isdigit():
                raise Http404
            row = get_object_or_404(
                Presensi.objects.filter(scope.unit_filter("pegawai__unit__")), pk=int(raw)
            )
            try:
                services.presensi_tinjau(actor=request.user, presensi=row, diterima=aksi == "terima")
                messages.success(request, _("Tinjauan disimpan."))
            except ApplicationError as exc:
                messages.error(request, exc.message)
        return redirect(f"{request.path}?tanggal={tanggal.isoformat()}")
    rows = (
        StatusHarian.objects.filter(tanggal=tanggal)
        .filter(scope.unit_filter("pegawai__unit__"))
        .select_related("pegawai", "pegawai__unit")
        .order_by("pegawai__unit__path", "pegawai__nama")
    )
    review = (
        Presensi.objects.filter(status=Presensi.Status.PERLU_TINJAUAN)
        .filter(scope.unit_filter("pegawai__unit__"))
        .select_related("pegawai", "lokasi")
        .order_by("waktu")[:100]
    )
    return render(
        request,
        "presensi/harian.html",
        {
            "tanggal": tanggal,
            "rows": rows,
            "review": review,
            "prev": tanggal - datetime.timedelta(days=1),
            "next": tanggal + datetime.timedelta(days=1),
        },
    )


@login_required
def rekap(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (is_admin(user) or getattr(user, "peran", "") == "pimpinan"):  # type: ignore[arg-type]
        raise PermissionDenied
    scope = cakupan_lihat(user)  # type: ignore[arg-type]
    tahun, bulan = _month(request)
    units = Unit.objects.filter(scope.unit_filter()).order_by("path")
    unit = None
    raw_unit = request.GET.get("unit", "")
    if raw_unit:
        unit = units.filter(pk=int(raw_unit)).first() if raw_unit.isdigit() else None
        if unit is None:
            raise Http404
    elif not scope.semua:
        unit = units.filter(pk=scope.unit_id or 0).first()
        if unit is None:
            raise PermissionDenied
    rows = rekap_bulanan(tahun=tahun, bulan=bulan, unit=unit)
    pegawai_id = request.GET.get("pegawai", "")
    days: list[StatusHarian] = []
    title = _("Rekap presensi %(bulan)s %(unit)s") % {
        "bulan": f"{tahun:04d}-{bulan:02d}",
        "unit": unit.nama if unit else request.tenant.name,  # type: ignore[attr-defined]
    }
    if pegawai_id:
        # One employee's month, day by day (only within the user's scope: the rows above are).
        rows = [r for r in rows if str(r.pegawai.pk) == pegawai_id]
        if not rows:
            raise Http404
        days = list(status_harian_bulan(pegawai=rows[0].pegawai, tahun=tahun, bulan=bulan))
        title = _("Rekap presensi %(bulan)s %(nama)s") % {
            "bulan": f"{tahun:04d}-{bulan:02d}",
            "nama": rows[0].pegawai.nama_lengkap,
        }
    fmt = request.GET.get("format")
    filename = f"rekap-presensi-{tahun:04d}-{bulan:02d}"
    if fmt == "xlsx":
        response = HttpResponse(
            exports.rekap_xlsx(rows=rows, title=title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    context = {
        "rows": rows,
        "days": days,
        "kolom": REKAP_KOLOM,
        "title": title,
        "bulan": f"{tahun:04d}-{bulan:02d}",
        "units": units,
        "unit": unit,
    }
    if fmt == "pdf":
        response = HttpResponse(
            exports.rekap_pdf(context=context, request=request), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
    return render(request, "presensi/rekap.html", context)
