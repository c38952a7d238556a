"""Reads on kepegawaian: the organisation tree, positions and employees."""

from collections.abc import Callable
from functools import lru_cache

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from eoffice.accounts.models import User
from eoffice.core.errors import ApplicationError
from modules.kepegawaian import access
from modules.kepegawaian.models import Jabatan, Pegawai, PerubahanProfil, Unit


def unit_ancestor_ids(*, unit: Unit) -> list[int]:
    """Ids from the root down to `unit` itself, read from the materialised path."""
    return [int(part) for part in unit.path.split(".") if part]


def kepala_unit_of(*, unit_id: int) -> Pegawai | None:
    """The active holder of the unit's head position (is_kepala_unit), if any."""
    return (
        Pegawai.objects.filter(
            jabatan__unit_id=unit_id,
            jabatan__is_kepala_unit=True,
            jabatan__aktif=True,
            status=Pegawai.Status.AKTIF,
        )
        .select_related("jabatan", "unit")
        .order_by("id")
        .first()
    )


def atasan_for(*, pegawai: Pegawai) -> Pegawai | None:
    """The employee's superior: the head of their unit, or, when they are that head (or the unit
    has none), the head of the nearest ancestor unit. None at the top of the tree."""
    unit = pegawai.unit
    ancestors = unit_ancestor_ids(unit=unit) or [unit.pk]
    heads = {
        head.jabatan.unit_id: head  # type: ignore[union-attr]
        for head in Pegawai.objects.filter(
            jabatan__unit_id__in=ancestors,
            jabatan__is_kepala_unit=True,
            jabatan__aktif=True,
            status=Pegawai.Status.AKTIF,
        )
        .exclude(pk=pegawai.pk)
        .select_related("jabatan", "unit")
        .order_by("-id")
    }
    for unit_id in reversed(ancestors):
        head = heads.get(unit_id)
        if head is not None:
            return head
    return None


@lru_cache(maxsize=1)
def kecamatan_kode_set() -> frozenset[str]:
    """Every kecamatan code (PP.KK.CC) in the platform's Kemendagri reference table (public schema).

    Reference data changes with a new Kepmendagri, shipped as a migration, so a process-wide
    cache is safe."""
    wilayah = apps.get_model("tenants", "Wilayah")
    return frozenset(wilayah.objects.filter(level=3).values_list("kode", flat=True))


def unit_list(*, user: User, q: str = "", parent_id: int | None = None, jenis: str = "") -> QuerySet[Unit]:
    """Units the user may see: their scope and the ancestors that lead to it (for the tree)."""
    scope = access.cakupan_lihat(user)
    qs = Unit.objects.select_related("parent")
    if not scope.semua:
        ancestor_ids = [int(p) for p in scope.path.split(".") if p]
        qs = qs.filter(scope.unit_filter() | Q(pk__in=ancestor_ids))
    if q:
        qs = qs.filter(Q(nama__icontains=q) | Q(singkatan__icontains=q) | Q(kode__startswith=q))
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    if jenis:
        qs = qs.filter(jenis=jenis)
    return qs.order_by("path")


def unit_get_for(*, user: User, id: int) -> Unit:  # noqa: A002
    unit = Unit.objects.select_related("parent").filter(pk=id).first()
    if unit is None or not (
        access.cakupan_lihat(user).contains(unit) or access.cakupan_ubah(user).contains(unit)
    ):
        raise ApplicationError(_("Unit tidak ditemukan."), code="not_found", status=404)
    return unit


def jabatan_list(*, user: User, unit_id: int | None = None, q: str = "") -> QuerySet[Jabatan]:
    scope = access.cakupan_lihat(user)
    qs = Jabatan.objects.select_related("unit").filter(scope.unit_filter("unit__"))
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if q:
        qs = qs.filter(nama__icontains=q)
    return qs


def jabatan_get_for(*, user: User, id: int) -> Jabatan:  # noqa: A002
    jabatan = Jabatan.objects.select_related("unit").filter(pk=id).first()
    if jabatan is None or not access.cakupan_lihat(user).contains(jabatan.unit):
        raise ApplicationError(_("Jabatan tidak ditemukan."), code="not_found", status=404)
    return jabatan


def pegawai_list(
    *,
    user: User,
    q: str = "",
    unit_id: int | None = None,
    subtree: bool = True,
    jenis_pegawai: str = "",
    golongan: str = "",
    status: str = "",
) -> QuerySet[Pegawai]:
    """Employees the user may see, filtered. `q` searches name and NIP."""
    scope = access.cakupan_lihat(user)
    qs = Pegawai.objects.select_related("unit", "jabatan").filter(scope.unit_filter("unit__"))
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None:
            return qs.none()
        qs = qs.filter(unit__path__startswith=unit.path) if subtree else qs.filter(unit=unit)
    if q:
        digits = q.replace(" ", "")
        qs = (
            qs.filter(Q(nama__icontains=q) | Q(nip__startswith=digits))
            if digits.isdigit()
            else qs.filter(nama__icontains=q)
        )
    if jenis_pegawai:
        qs = qs.filter(jenis_pegawai=jenis_pegawai)
    if golongan:
        qs = qs.filter(golongan=golongan)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("nama", "nip")


def pegawai_get_for(*, user: User, id: int) -> Pegawai:  # noqa: A002
    """One employee, if the user may see them (themselves, or inside their scope)."""
    pegawai = Pegawai.objects.select_related("unit", "jabatan", "user").filter(pk=id).first()
    if pegawai is None:
        raise ApplicationError(_("Pegawai tidak ditemukan."), code="not_found", status=404)
    own = access.pegawai_of(user)
    if own is not None and own.pk == pegawai.pk:
        return pegawai
    if not access.cakupan_lihat(user).contains(pegawai.unit):
        raise ApplicationError(_("Pegawai tidak ditemukan."), code="not_found", status=404)
    return pegawai


def pegawai_nik_visibility(*, user: User) -> Callable[[Pegawai], bool]:
    """NIK is personal data (UU 27/2022): only the employee and admins over their unit see it.
    Scopes are read once, so a list costs no query per row."""
    own = access.pegawai_of(user)
    own_id = own.pk if own is not None else None
    ubah = access.cakupan_ubah(user)
    return lambda p: p.pk == own_id or ubah.contains(p.unit)


def pegawai_may_see_nik(*, user: User, pegawai: Pegawai) -> bool:
    return pegawai_nik_visibility(user=user)(pegawai)


def pegawai_nip_visibility(*, user: User) -> Callable[[Pegawai], bool]:
    """Whether `user` sees a given employee's NIP in full. A colleague's NIP is shown to the
    employee, their admins and the heads above them; other employees of the unit see it masked
    (UU 27/2022: only who needs it). Scopes are read once, so a list costs no query per row."""
    own = access.pegawai_of(user)
    own_id = own.pk if own is not None else None
    if user.peran in (User.Peran.ADMIN_PEMDA, User.Peran.ADMIN_OPD, User.Peran.PIMPINAN):
        lihat, ubah = access.cakupan_lihat(user), access.cakupan_ubah(user)
        return lambda p: p.pk == own_id or lihat.contains(p.unit) or ubah.contains(p.unit)
    return lambda p: p.pk == own_id


def pegawai_may_see_nip(*, user: User, pegawai: Pegawai) -> bool:
    return pegawai_nip_visibility(user=user)(pegawai)


def pegawai_may_edit(*, user: User, pegawai: Pegawai) -> bool:
    return access.cakupan_ubah(user).contains(pegawai.unit)


def perubahan_profil_list(*, user: User, status: str = "") -> QuerySet[PerubahanProfil]:
    """Requests the user decides (admins, within scope), or their own (employees)."""
    qs = PerubahanProfil.objects.select_related("pegawai", "pegawai__unit", "diputuskan_oleh")
    if access.is_admin(user):
        qs = qs.filter(access.cakupan_ubah(user).unit_filter("pegawai__unit__"))
    else:
        own = access.pegawai_of(user)
        qs = qs.filter(pegawai=own) if own else qs.none()
    if status:
        qs = qs.filter(status=status)
    return qs


def perubahan_profil_get_for(*, user: User, id: int) -> PerubahanProfil:  # noqa: A002
    item = perubahan_profil_list(user=user).filter(pk=id).first()
    if item is None:
        raise ApplicationError(_("Permintaan tidak ditemukan."), code="not_found", status=404)
    return item
