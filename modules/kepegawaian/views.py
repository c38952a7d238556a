"""Pages of kepegawaian: employee list and profile, own profile with change requests, the
organisation tree, change-request decisions and the spreadsheet import with its preview."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from eoffice.accounts.selectors import request_user
from eoffice.core.errors import ApplicationError
from eoffice.core.observability import mask_identifier
from modules.kepegawaian import access, forms, imports, selectors, services
from modules.kepegawaian.models import Golongan, ImportBerkas, Pegawai, PerubahanProfil, Unit

# Files with more rows than this are applied by a background task, not in the request.
ASYNC_ROWS = 2000


def _partial(request: HttpRequest, partial: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """An HTMX request gets the fragment; a plain form post (no JavaScript) the whole page."""
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, partial, context, status=status)
    return render(request, "kepegawaian/halaman.html", {**context, "partial": partial}, status=status)


def _forbidden(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return render(request, "errors/403.html", {"message": exc.message}, status=exc.status)


def _nik_shown(request: HttpRequest, pegawai: Pegawai) -> str:
    if not pegawai.nik:
        return ""
    if selectors.pegawai_may_see_nik(user=request_user(request), pegawai=pegawai):
        return pegawai.nik
    return mask_identifier(pegawai.nik)


@login_required
@require_GET
def pegawai_list(request: HttpRequest) -> HttpResponse:
    params = request.GET
    try:
        unit_id = int(params["unit"]) if params.get("unit", "").isdigit() else None
        items = selectors.pegawai_list(
            user=request_user(request), q=params.get("q", "").strip(), unit_id=unit_id,
            jenis_pegawai=params.get("jenis_pegawai", ""), golongan=params.get("golongan", ""),
            status=params.get("status", ""),
        )  # fmt: skip
    except ApplicationError as exc:
        return _forbidden(request, exc)
    page = Paginator(items, 50).get_page(params.get("page"))
    visible = selectors.pegawai_nip_visibility(user=request_user(request))
    for pegawai in page.object_list:
        pegawai.nip_shown = pegawai.nip_display if visible(pegawai) else mask_identifier(pegawai.nip)  # type: ignore[attr-defined]
    keep = params.copy()
    keep.pop("page", None)
    context = {
        "page": page,
        "querystring": keep.urlencode(),
        "q": params.get("q", ""),
        "filters": params,
        "jenis_choices": Pegawai.JenisPegawai.choices,
        "golongan_choices": Golongan.choices,
        "status_choices": Pegawai.Status.choices,
        "is_admin": access.is_admin(request_user(request)),
    }
    template = "kepegawaian/_pegawai_rows.html" if request.htmx else "kepegawaian/pegawai_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _profil_context(request: HttpRequest, pegawai: Pegawai) -> dict[str, Any]:
    return {
        "pegawai": pegawai,
        "nik": _nik_shown(request, pegawai),
        "nip_shown": pegawai.nip_display
        if selectors.pegawai_may_see_nip(user=request_user(request), pegawai=pegawai)
        else mask_identifier(pegawai.nip),
        "atasan": selectors.atasan_for(pegawai=pegawai),
        "riwayat_pangkat": pegawai.riwayat_pangkat.all(),
        "riwayat_jabatan": pegawai.riwayat_jabatan.all(),
        "riwayat_gaji": pegawai.riwayat_gaji.all(),
    }


@login_required
@require_GET
def pegawai_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        pegawai = selectors.pegawai_get_for(user=request_user(request), id=pk)
    except ApplicationError as exc:
        return render(request, "errors/404.html", {"message": exc.message}, status=exc.status)
    context = _profil_context(request, pegawai)
    context["may_edit"] = selectors.pegawai_may_edit(user=request_user(request), pegawai=pegawai)
    return render(request, "kepegawaian/pegawai_detail.html", context)


@login_required
@require_GET
def profil_saya(request: HttpRequest) -> HttpResponse:
    pegawai = access.pegawai_of(request_user(request))
    if pegawai is None:
        return render(request, "kepegawaian/profil_kosong.html", status=404)
    context = _profil_context(request, pegawai)
    context.update(
        {
            "permintaan": selectors.perubahan_profil_list(user=request_user(request))[:10],
            "fields": _perubahan_fields(pegawai),
            "errors": {},
        }
    )
    return render(request, "kepegawaian/profil.html", context)


def _perubahan_fields(pegawai: Pegawai, values: dict[str, str] | None = None) -> list[dict[str, str]]:
    labels = {f.name: f.verbose_name for f in Pegawai._meta.fields}
    return [
        {
            "name": name,
            "label": str(labels[name]),
            "current": _nik_masked(pegawai.nik) if name == "nik" else getattr(pegawai, name),
            "value": (values or {}).get(name, ""),
        }
        for name in services.PROFIL_DAPAT_DIAJUKAN
    ]


def _nik_masked(nik: str) -> str:
    return mask_identifier(nik) if nik else ""


@login_required
@require_POST
def perubahan_ajukan(request: HttpRequest) -> HttpResponse:
    pegawai = access.pegawai_of(request_user(request))
    if pegawai is None:
        return render(request, "kepegawaian/profil_kosong.html", status=404)
    data = {name: request.POST.get(name, "").strip() for name in services.PROFIL_DAPAT_DIAJUKAN}
    data = {name: value for name, value in data.items() if value}
    alasan = request.POST.get("alasan", "")
    try:
        services.perubahan_profil_ajukan(user=request_user(request), data=data, alasan=alasan)
    except ApplicationError as exc:
        context = {
            "fields": _perubahan_fields(pegawai, data),
            "errors": exc.fields,
            "message": exc.message,
            "alasan": alasan,
        }
        return render(request, "kepegawaian/_perubahan_form.html", context, status=exc.status)
    messages.success(request, _("Permintaan perubahan terkirim; admin akan memeriksanya."))
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = request.build_absolute_uri("/kepegawaian/profil/")
        return response
    return redirect("kepegawaian:profil")


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    error: ApplicationError | None = None
    if request.method == "POST":
        try:
            _unit_form(request)
            messages.success(request, _("Unit tersimpan."))
            return redirect("kepegawaian:unit-tree")
        except ApplicationError as exc:
            error = exc
    units = list(selectors.unit_list(user=request_user(request), q=request.GET.get("q", "")))
    scope = access.cakupan_ubah(request_user(request))
    rows = [{"unit": u, "indent": u.depth, "may_edit": scope.contains(u)} for u in units]
    context = {
        "rows": rows,
        "jenis_choices": Unit.Jenis.choices,
        "editable": [u for u in units if scope.contains(u)],
        "error": error,
        "q": request.GET.get("q", ""),
    }
    return render(request, "kepegawaian/unit_tree.html", context, status=error.status if error else 200)


def _unit_form(request: HttpRequest) -> None:
    post = request.POST
    action = post.get("action")
    if action == "create":
        parent_id = post.get("parent", "")
        parent = Unit.objects.filter(pk=parent_id).first() if parent_id.isdigit() else None
        if parent is None:
            raise ApplicationError(_("Pilih unit induk."), fields={"parent": [_("Pilih unit induk.")]})
        services.unit_create(
            actor=request_user(request), nama=post.get("nama", ""), jenis=post.get("jenis", ""), parent=parent,
            singkatan=post.get("singkatan", ""), kode=post.get("kode", ""),
        )  # fmt: skip
    elif action == "rename":
        unit = (
            Unit.objects.filter(pk=post.get("unit") or 0).first() if post.get("unit", "").isdigit() else None
        )
        if unit is None:
            raise ApplicationError(_("Pilih unit."), fields={"unit": [_("Pilih unit.")]})
        nama = post.get("nama", "").strip()
        if not nama:
            raise ApplicationError(
                _("Nama baru wajib diisi."), fields={"nama": [_("Nama baru wajib diisi.")]}
            )
        services.unit_update(actor=request_user(request), unit=unit, nama=nama, dasar=post.get("dasar", ""))
    elif action == "move":
        ids = [post.get("unit", ""), post.get("parent", "")]
        unit, parent = (Unit.objects.filter(pk=i).first() if i.isdigit() else None for i in ids)
        if unit is None or parent is None:
            raise ApplicationError(
                _("Pilih unit dan unit induk barunya."), fields={"parent": [_("Wajib dipilih.")]}
            )
        services.unit_move(actor=request_user(request), unit=unit, parent=parent, dasar=post.get("dasar", ""))
    else:
        raise ApplicationError(_("Tindakan tidak dikenal."))


@login_required
@require_GET
def perubahan_list(request: HttpRequest) -> HttpResponse:
    if not access.is_admin(request_user(request)):
        return _forbidden(request, access.forbidden(_("Halaman ini untuk admin.")))
    status = request.GET.get("status", PerubahanProfil.Status.DIAJUKAN)
    items = selectors.perubahan_profil_list(user=request_user(request), status=status)
    return render(
        request,
        "kepegawaian/perubahan_list.html",
        {"items": items[:200], "status": status, "status_choices": PerubahanProfil.Status.choices},
    )


@login_required
@require_POST
def perubahan_putuskan(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = selectors.perubahan_profil_get_for(user=request_user(request), id=pk)
        item = services.perubahan_profil_putuskan(
            actor=request_user(request), perubahan=item, setuju=request.POST.get("setuju") == "1",
            catatan=request.POST.get("catatan", ""),
        )  # fmt: skip
    except ApplicationError as exc:
        return render(request, "kepegawaian/_perubahan_row.html", {"error": exc.message, "item": None},
                      status=exc.status)  # fmt: skip
    return render(request, "kepegawaian/_perubahan_row.html", {"item": item})


@login_required
@require_GET
def impor(request: HttpRequest) -> HttpResponse:
    if not access.is_admin(request_user(request)):
        return _forbidden(request, access.forbidden(_("Halaman ini untuk admin.")))
    recent = ImportBerkas.objects.filter(dibuat_oleh=request_user(request))[:10]
    return render(
        request, "kepegawaian/impor.html", {"recent": recent, "jenis": request.GET.get("jenis", "pegawai")}
    )


@login_required
@require_POST
def impor_pratinjau(request: HttpRequest) -> HttpResponse:
    jenis = request.POST.get("jenis", "pegawai")
    berkas = request.FILES.get("berkas")
    context: dict[str, Any] = {"jenis": jenis}
    if jenis not in ImportBerkas.Jenis.values:
        context["error"] = ApplicationError(
            _("Jenis data tidak dikenal."), fields={"jenis": [_("Pilih pegawai atau unit.")]}
        )
        return _partial(request, "kepegawaian/_impor_hasil.html", context, status=400)
    if berkas is None:
        context["error"] = ApplicationError(
            _("Pilih berkas xlsx atau CSV."), fields={"berkas": [_("Wajib diisi.")]}
        )
        return _partial(request, "kepegawaian/_impor_hasil.html", context, status=400)
    content = berkas.read()
    nama_berkas = (berkas.name or "berkas")[:255]
    try:
        preview_fn = imports.pegawai_preview if jenis == "pegawai" else imports.unit_preview
        preview = preview_fn(user=request_user(request), content=content, nama_berkas=nama_berkas)
    except ApplicationError as exc:
        context["error"] = exc
        return _partial(request, "kepegawaian/_impor_hasil.html", context, status=exc.status)
    upload = ImportBerkas(
        jenis=jenis, nama_berkas=nama_berkas, dibuat_oleh=request_user(request), jumlah_baris=preview.jumlah,
        jumlah_valid=len(preview.valid), masalah=[row.as_dict() for row in preview.bermasalah],
    )  # fmt: skip
    upload.berkas.save(nama_berkas, ContentFile(content), save=False)
    upload.save()
    kolom = imports.PEGAWAI_KOLOM if jenis == "pegawai" else imports.UNIT_KOLOM
    context.update({"upload": upload, "preview": preview, "kolom": [k.key for k in kolom]})
    return _partial(request, "kepegawaian/_impor_hasil.html", context)


@login_required
@require_POST
def impor_terapkan(request: HttpRequest, pk: str) -> HttpResponse:
    upload = get_object_or_404(ImportBerkas, pk=pk, dibuat_oleh=request_user(request))
    if upload.status != ImportBerkas.Status.PRATINJAU:
        return _partial(request, "kepegawaian/_impor_terapkan.html", {"upload": upload})
    if upload.jumlah_baris > ASYNC_ROWS:
        from modules.kepegawaian.tasks import import_apply

        ImportBerkas.objects.filter(pk=upload.pk).update(status=ImportBerkas.Status.DIPROSES)
        transaction.on_commit(lambda: import_apply.delay(str(upload.pk)))
        upload.refresh_from_db()
        return _partial(request, "kepegawaian/_impor_terapkan.html", {"upload": upload})
    from modules.kepegawaian.tasks import import_run

    upload = import_run(upload_id=upload.pk)
    return _partial(request, "kepegawaian/_impor_terapkan.html", {"upload": upload})


@login_required
@require_GET
def templat(request: HttpRequest, jenis: str, fmt: str) -> HttpResponse:
    from modules.kepegawaian.apis import _download

    return _download(imports.template_file(jenis=jenis, format=fmt), f"templat-{jenis}.{fmt}", fmt)


@login_required
@require_GET
def ekspor(request: HttpRequest, jenis: str, fmt: str) -> HttpResponse:
    from modules.kepegawaian.apis import _download

    if not access.is_admin(request_user(request)):
        return _forbidden(request, access.forbidden(_("Halaman ini untuk admin.")))
    if jenis == "pegawai":
        items = selectors.pegawai_list(user=request_user(request)).select_related("jabatan", "unit")
        content = imports.pegawai_export(pegawai=items.iterator(chunk_size=2000), format=fmt, show_nik=True)
    else:
        scope = access.cakupan_ubah(request_user(request))
        content = imports.unit_export(units=selectors.unit_list(user=request_user(request)).filter(scope.unit_filter()),
                                      format=fmt)  # fmt: skip
    stamp = timezone.localdate().isoformat()
    return _download(content, f"{jenis}-{stamp}.{fmt}", fmt)


@login_required
def pegawai_baru(request: HttpRequest) -> HttpResponse:
    """Register one employee (admins, inside their scope)."""
    if not access.is_admin(request_user(request)):
        return _forbidden(request, access.forbidden(_("Halaman ini untuk admin.")))
    units = Unit.objects.filter(
        access.cakupan_ubah(request_user(request)).unit_filter(), aktif=True
    ).order_by("path")
    form = forms.PegawaiForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            pegawai = services.pegawai_create(actor=request_user(request), **form.cleaned_data)
        except ApplicationError as exc:
            exc.add_to_form(form, {"unit_id": "unit", "jabatan_id": "jabatan"})
        else:
            messages.success(request, _("Pegawai %(nama)s terdaftar.") % {"nama": pegawai.nama_lengkap})
            return redirect("kepegawaian:pegawai-detail", pk=pegawai.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "kepegawaian/form_page.html",
                  {"form": form, "title": _("Daftarkan pegawai"), "submit": _("Simpan")}, status=status)  # fmt: skip


@login_required
def mutasi_page(request: HttpRequest) -> HttpResponse:
    """Transfers between regencies: release (keluar) and receive (masuk); admin pemda only."""
    from modules.kepegawaian import mutasi as mutasi_services
    from modules.kepegawaian.models import Mutasi
    from tenants.selectors import tenant_current

    if request_user(request).peran != "admin_pemda":
        return _forbidden(
            request, access.forbidden(_("Hanya admin pemda yang mengelola mutasi antardaerah."))
        )
    action = request.POST.get("action") if request.method == "POST" else None
    lepas = forms.MutasiLepasForm(request.POST if action == "lepas" else None, current=tenant_current(),
                                  prefix="lepas")  # fmt: skip
    terima = forms.MutasiTerimaForm(request.POST if action == "terima" else None, prefix="terima")
    status = 200
    if action == "lepas" and lepas.is_valid():
        data = lepas.cleaned_data
        pegawai = Pegawai.objects.filter(nip=data["nip"].replace(" ", "")).select_related("unit").first()
        try:
            if pegawai is None:
                raise ApplicationError(
                    _("Pegawai tidak ditemukan."), fields={"nip": [_("NIP tidak terdaftar di sini.")]}
                )
            mutasi_services.pegawai_mutasi_lepas(
                actor=request_user(request), pegawai=pegawai, tujuan=data["tujuan"], sk_nomor=data["sk_nomor"],
                sk_tanggal=data["sk_tanggal"], tmt=data["tmt"],
            )  # fmt: skip
        except ApplicationError as exc:
            exc.add_to_form(lepas)
        else:
            messages.success(request, _("Pegawai dilepas; daerah tujuan dapat menerimanya sekarang."))
            return redirect("kepegawaian:mutasi")
    elif action == "terima" and terima.is_valid():
        data = terima.cleaned_data
        try:
            pegawai = mutasi_services.pegawai_mutasi_terima(actor=request_user(request), **data)
        except ApplicationError as exc:
            exc.add_to_form(terima)
        else:
            messages.success(request, _("Pegawai %(nama)s diterima.") % {"nama": pegawai.nama_lengkap})
            return redirect("kepegawaian:pegawai-detail", pk=pegawai.pk)
    if action:
        status = 400
    return render(request, "kepegawaian/mutasi.html",
                  {"lepas": lepas, "terima": terima, "items": Mutasi.objects.all()[:100]}, status=status)  # fmt: skip


@login_required
def peran_page(request: HttpRequest) -> HttpResponse:
    """Roles and their unit scope; admin pemda only."""
    from eoffice.accounts.models import User
    from modules.kepegawaian.models import AksesUnit

    if request_user(request).peran != "admin_pemda":
        return _forbidden(request, access.forbidden(_("Hanya admin pemda yang mengatur peran.")))
    form = forms.PeranForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.peran_set(actor=request_user(request), **form.cleaned_data)
        except ApplicationError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, _("Peran tersimpan."))
            return redirect("kepegawaian:peran")
    scopes = dict(AksesUnit.objects.values_list("user_id", "unit__nama"))
    users = [
        {"user": u, "unit": scopes.get(u.pk, "")}
        for u in User.objects.exclude(peran=User.Peran.PEGAWAI).order_by("peran", "nama")
    ]
    return render(request, "kepegawaian/peran.html", {"form": form, "users": users},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


_EDIT_FIELDS = [f for f in services.PEGAWAI_EDITABLE]


@login_required
def pegawai_ubah(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an employee's data (admins, inside their scope)."""
    user = request_user(request)
    try:
        pegawai = selectors.pegawai_get_for(user=user, id=pk)
    except ApplicationError as exc:
        return render(request, "errors/404.html", {"message": exc.message}, status=exc.status)
    if not selectors.pegawai_may_edit(user=user, pegawai=pegawai):
        return _forbidden(request, access.forbidden())
    units = Unit.objects.filter(access.cakupan_ubah(user).unit_filter(), aktif=True).order_by("path")
    initial = {name: getattr(pegawai, name) for name in _EDIT_FIELDS}
    form = forms.PegawaiUbahForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.pegawai_update(actor=user, pegawai=pegawai, **form.cleaned_data)
        except ApplicationError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, _("Data pegawai tersimpan."))
            return redirect("kepegawaian:pegawai-detail", pk=pegawai.pk)
    title = _("Ubah data %(nama)s") % {"nama": pegawai.nama_lengkap}
    return render(request, "kepegawaian/form_page.html", {"form": form, "title": title, "submit": _("Simpan")},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@login_required
def pegawai_riwayat(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a rank or position change with its SK (admins, inside their scope)."""
    user = request_user(request)
    try:
        pegawai = selectors.pegawai_get_for(user=user, id=pk)
    except ApplicationError as exc:
        return render(request, "errors/404.html", {"message": exc.message}, status=exc.status)
    if not selectors.pegawai_may_edit(user=user, pegawai=pegawai):
        return _forbidden(request, access.forbidden())
    action = request.POST.get("action") if request.method == "POST" else None
    jabatan_qs = selectors.jabatan_list(user=user).filter(aktif=True, unit__in=Unit.objects.filter(
        access.cakupan_ubah(user).unit_filter()))  # fmt: skip
    pangkat = forms.RiwayatPangkatForm(request.POST if action == "pangkat" else None, prefix="pangkat")
    jabatan = forms.RiwayatJabatanForm(request.POST if action == "jabatan" else None, prefix="jabatan",
                                       jabatan=jabatan_qs)  # fmt: skip
    form = pangkat if action == "pangkat" else jabatan if action == "jabatan" else None
    if form is not None and form.is_valid():
        try:
            if action == "pangkat":
                services.riwayat_pangkat_add(actor=user, pegawai=pegawai, **form.cleaned_data)
            else:
                services.riwayat_jabatan_add(actor=user, pegawai=pegawai, **form.cleaned_data)
        except ApplicationError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, _("Riwayat tersimpan."))
            return redirect("kepegawaian:pegawai-detail", pk=pegawai.pk)
    return render(request, "kepegawaian/riwayat_form.html", {"pegawai": pegawai, "pangkat": pangkat,
                  "jabatan": jabatan}, status=400 if form is not None else 200)  # fmt: skip
