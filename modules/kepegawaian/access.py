"""Who may see and change which part of the organisation (STYLE.md: permission checks raise).

- admin pemda: the whole regency.
- admin OPD: the subtree of the unit in their AksesUnit row; nothing without one.
- pimpinan: sees the subtree of their AksesUnit unit, else of their own unit; changes nothing.
- pegawai and operator layanan: see their own unit's employees and their own profile.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from eoffice.accounts.models import User
from eoffice.core.errors import ApplicationError
from modules.kepegawaian.models import AksesUnit, Pegawai, Unit

Peran = User.Peran


@dataclass(frozen=True)
class Cakupan:
    """The part of the tree a user works on. `semua`: everything; else the subtree at `path`
    (empty path: nothing), or just one unit when `subtree` is false."""

    semua: bool = False
    path: str = ""
    unit_id: int | None = None
    subtree: bool = True

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


def cakupan_ubah(user: User) -> Cakupan:
    """Units the user may change (and whose employees and positions they may change)."""
    if user.peran == Peran.ADMIN_PEMDA:
        return Cakupan(semua=True)
    if user.peran == Peran.ADMIN_OPD:
        unit = _akses_unit(user)
        return Cakupan(path=unit.path, unit_id=unit.pk) if unit else Cakupan()
    return Cakupan()


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
