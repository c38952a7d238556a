"""Users. The table exists in the public schema (platform operators) and in every tenant schema
(that regency's employees and admins), so an account never spans two regencies."""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    class Peran(models.TextChoices):
        ADMIN_PEMDA = "admin_pemda", _("Admin pemda")
        ADMIN_OPD = "admin_opd", _("Admin OPD")
        PIMPINAN = "pimpinan", _("Pimpinan")
        PEGAWAI = "pegawai", _("Pegawai")
        OPERATOR_LAYANAN = "operator_layanan", _("Operator layanan")

    # Employees sign in with their NIP as the user name; others with a short login name.
    username = models.CharField(
        _("NIP / nama pengguna"),
        max_length=150,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9._-]+$",
                _("Hanya huruf, angka, titik, garis bawah dan tanda hubung, tanpa spasi."),
            )
        ],
        error_messages={"unique": _("NIP / nama pengguna ini sudah terdaftar.")},
    )
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    nama = models.CharField(_("nama lengkap"), max_length=200)
    email = models.EmailField(
        _("alamat e-mail"), unique=True, error_messages={"unique": _("Alamat e-mail ini sudah terdaftar.")}
    )
    peran = models.CharField(_("peran"), max_length=20, choices=Peran.choices, default=Peran.PEGAWAI)

    objects: ClassVar[UserManager["User"]] = UserManager()  # type: ignore[assignment]

    REQUIRED_FIELDS = ["email", "nama"]

    class Meta:
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama or self.username

    def get_full_name(self) -> str:
        return self.nama

    def get_short_name(self) -> str:
        return self.nama.split(" ")[0] if self.nama else self.username

    @property
    def is_tenant_admin(self) -> bool:
        return self.peran == self.Peran.ADMIN_PEMDA


def user_display(user: User) -> str:
    """How allauth names a user in messages: their name, else their login."""
    return user.nama or user.username
