"""Who may see and change which part of the organisation (STYLE.md: permission checks raise).

One scope type, `Cakupan`, answers three questions:

`cakupan_lihat` (whose employee data a user may see):
- admin pemda: the whole regency.
- admin OPD: the subtree of the unit in their AksesUnit row; nothing without one.
- pimpinan: sees the subtree of their AksesUnit unit, else of their own unit; changes nothing.
- pegawai and operator layanan: see their own unit's employees and their own profile.

`cakupan_ubah` (which units a user may change): admin pemda everything, admin OPD their AksesUnit
subtree, nobody else anything.

`pengelola_unit` (who manages a unit's personnel matters, such as its KGB letters): every
active admin pemda, and each active admin OPD whose AksesUnit subtree holds the unit; the
reverse of `cakupan_ubah`.

`cakupan_data_pribadi` (whose personal records, such as TPP slips, kinerja and KGB, a user may
see; TPP and KGB let a scope wider than oneself manage them too):
- admin pemda: everyone.
- admin OPD and pimpinan: their `cakupan_lihat` subtree.
- the holder of a unit-head position (`Jabatan.is_kepala_unit`, the atasan who scores kinerja),
  whatever their role: their unit's subtree.
- everyone else: only themself.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from eoffice.accounts.models import User
from eoffice.core.errors import ApplicationError
from modules.kepegawaian.models import AksesUnit, Pegawai, Unit

Peran = User.Peran


@dataclass(frozen=True)
class Cakupan:
    """The part of the tree a user works on. `semua`: everything; else the subtree at `path`
    (empty path: no unit), or just one unit when `subtree` is false. `pegawai_id` is the user's
    own employee record (set by `cakupan_data_pribadi`): with no unit it is all the scope holds."""

    semua: bool = False
    path: str = ""
    unit_id: int | None = None
    subtree: bool = True
    pegawai_id: int | None = None

    @property
    def boleh_kelola(self) -> bool:
        """The scope reaches beyond the user's own record (everything, or a unit)."""
        return self.semua or bool(self.path)

    def unit_filter(self, prefix: str = "") -> Q:
        if self.semua:
            return Q()
        if not self.path:
            return Q(pk__in=[])
        if self.subtree:
            return Q(**{f"{prefix}path__startswith": self.path})
        return Q(**{f"{prefix}pk": self.unit_id})

    def contains(self, unit: Unit) -> bool:
        if self.semua:
            return True
        if not self.path:
            return False
        return unit.path.startswith(self.path) if self.subtree else unit.pk == self.unit_id

    def pegawai_filter(self, *, unit_prefix: str = "unit__", pegawai_field: str = "pk") -> Q:
        """Rows about employees in scope: those in the scope's units or, with no unit, the user's own.
        `unit_prefix` leads to the row's unit, `pegawai_field` names the employee's id."""
        if self.semua:
            return Q()
        if self.path:
            return self.unit_filter(unit_prefix)
        if self.pegawai_id is not None:
            return Q(**{pegawai_field: self.pegawai_id})
        return Q(pk__in=[])

    def mencakup(self, *, unit: Unit, pegawai_id: int) -> bool:
        """One record (of employee `pegawai_id`, filed under `unit`): in the units, or the user's own."""
        return self.contains(unit) or (self.pegawai_id is not None and pegawai_id == self.pegawai_id)


def pegawai_of(user: User) -> Pegawai | None:
    try:
        return user.pegawai
    except Pegawai.DoesNotExist:
        return None


def _akses_unit(user: User) -> Unit | None:
    akses = AksesUnit.objects.select_related("unit").filter(user=user).first()
    return akses.unit if akses else None


def cakupan_lihat(user: User) -> Cakupan:
    """Units whose employees the user may see."""
    if user.peran == Peran.ADMIN_PEMDA:
        return Cakupan(semua=True)
    if user.peran in (Peran.ADMIN_OPD, Peran.PIMPINAN):
        unit = _akses_unit(user)
        if unit is None and user.peran == Peran.PIMPINAN:
            own = pegawai_of(user)
            unit = own.unit if own else None
        return Cakupan(path=unit.path, unit_id=unit.pk) if unit else Cakupan()
    own = pegawai_of(user)
    if own is None:
        return Cakupan()
    return Cakupan(path=own.unit.path, unit_id=own.unit_id, subtree=False)


def cakupan_data_pribadi(*, user: User) -> Cakupan:
    """Whose personal records (TPP slips and kinerja, KGB) `user` may see; the rules are in the
    module docstring. Admin pemda costs no query; everyone else one or two."""
    if not user.is_authenticated:
        raise PermissionDenied
    if user.peran == Peran.ADMIN_PEMDA:
        return Cakupan(semua=True)
    own = Pegawai.objects.filter(user=user).select_related("jabatan__unit").first()
    own_id = own.pk if own else None
    if user.peran in (Peran.ADMIN_OPD, Peran.PIMPINAN):
        lihat = cakupan_lihat(user)
        if lihat.path:
            return Cakupan(path=lihat.path, unit_id=lihat.unit_id, pegawai_id=own_id)
    if own is not None and own.jabatan is not None and own.jabatan.is_kepala_unit:
        unit = own.jabatan.unit
        return Cakupan(path=unit.path, unit_id=unit.pk, pegawai_id=own_id)
    return Cakupan(pegawai_id=own_id)


def pegawai_in_cakupan(*, cakupan: Cakupan) -> QuerySet[Pegawai]:
    """The employees a scope covers (for `cakupan_data_pribadi`: whose records the user may see)."""
    return Pegawai.objects.filter(cakupan.pegawai_filter())


def cakupan_ubah(user: User) -> Cakupan:
    """Units the user may change (and whose employees and positions they may change)."""
    if user.peran == Peran.ADMIN_PEMDA:
        return Cakupan(semua=True)
    if user.peran == Peran.ADMIN_OPD:
        unit = _akses_unit(user)
        return Cakupan(path=unit.path, unit_id=unit.pk) if unit else Cakupan()
    return Cakupan()


def pengelola_unit(*, unit: Unit) -> QuerySet[User]:
    """The active admins who manage `unit`: every admin pemda, and each admin OPD whose AksesUnit
    unit is the unit itself or one of its ancestors (its path a prefix of the unit's, as
    `Cakupan.contains` judges for `cakupan_ubah`). One query, ordered by id."""
    parts = [p for p in unit.path.split(".") if p]
    prefixes = [".".join(parts[: i + 1]) + "." for i in range(len(parts))]
    return User.objects.filter(
        Q(peran=Peran.ADMIN_PEMDA) | Q(peran=Peran.ADMIN_OPD, akses_unit__unit__path__in=prefixes),
        is_active=True,
    ).order_by("pk")


def forbidden(message: str | None = None) -> ApplicationError:
    return ApplicationError(
        message or _("Anda tidak berwenang mengubah data di luar unit kerja Anda."),
        code="forbidden",
        status=403,
    )


def access_unit_ubah(*, user: User, unit: Unit) -> None:
    """Raise unless `user` may change `unit` (and what sits in it)."""
    if not cakupan_ubah(user).contains(unit):
        raise forbidden()


def access_admin_pemda(*, user: User) -> None:
    if user.peran != Peran.ADMIN_PEMDA:
        raise forbidden(_("Hanya admin pemda yang dapat melakukan tindakan ini."))


def is_admin(user: User) -> bool:
    return user.peran in (Peran.ADMIN_PEMDA, Peran.ADMIN_OPD)
