"""Identity numbers of ASN and citizens, validated exactly as DOMAIN.md ("Identity numbers").

No check digits exist, so validation is structural: every embedded date must be a real date,
the gender digit must be 1 or 2, and the sequence must start at 1. Each problem is reported
against the field that holds it, in words the admin can act on.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_DIGITS_18 = re.compile(r"^\d{18}$")
_DIGITS_16 = re.compile(r"^\d{16}$")
# An ASN is appointed at 18 at the earliest (UU 20/2023 ASN: minimum age for CPNS/PPPK).
_MIN_AGE_MONTHS = 18 * 12


def normalise_number(value: str) -> str:
    """Drop the spaces, dots and dashes people type into NIP/NIK (`19860926 201505 1 001`)."""
    return re.sub(r"[\s.\-]", "", value or "")


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _today() -> datetime.date:
    return timezone.localdate()


@dataclass(frozen=True)
class NipInfo:
    tanggal_lahir: datetime.date
    jenis_kelamin: str  # "L" or "P", as Pegawai.JenisKelamin
    # PNS: TMT CPNS (1st of the month). PPPK: 1 January of the appointment year.
    tmt: datetime.date
    urut: int


def nip_problems(nip: str, *, jenis_pegawai: str = "pns") -> list[str]:
    """Every problem of a NIP (PNS/CPNS) or NI PPPK (`jenis_pegawai="pppk"`), in reading order."""
    if not _DIGITS_18.match(nip or ""):
        return [_("NIP harus 18 digit angka.")]
    problems: list[str] = []
    lahir = _date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    if lahir is None or lahir.year < 1900 or lahir > _today():
        problems.append(_("Tanggal lahir pada NIP tidak valid."))
    if jenis_pegawai == "pppk":
        # NI PPPK: birth date (8), appointment year (4), a 2-digit code, gender (1), sequence (3).
        tahun = int(nip[8:12])
        if tahun > _today().year + 1:
            problems.append(_("Tahun pengangkatan pada NI PPPK tidak valid."))
        elif lahir is not None and tahun - lahir.year < 18:
            problems.append(_("Tahun pengangkatan pada NI PPPK kurang dari 18 tahun setelah tanggal lahir."))
        if nip[12:14] == "00":
            problems.append(_("Kode pengadaan pada NI PPPK tidak valid."))
    else:
        # NIP: digits 9–14 are TMT CPNS as YYYYMM.
        tahun, bulan = int(nip[8:12]), int(nip[12:14])
        if not 1 <= bulan <= 12:
            problems.append(_("Bulan TMT CPNS pada NIP harus 01–12."))
        elif (tahun, bulan) > (_today().year + 1, 12):
            problems.append(_("TMT CPNS pada NIP tidak valid."))
        elif lahir is not None and (tahun * 12 + bulan) - (lahir.year * 12 + lahir.month) < _MIN_AGE_MONTHS:
            problems.append(_("TMT CPNS pada NIP kurang dari 18 tahun setelah tanggal lahir."))
    if nip[14] not in "12":
        problems.append(_("Digit jenis kelamin pada NIP harus 1 (laki-laki) atau 2 (perempuan)."))
    if nip[15:] == "000":
        problems.append(_("Nomor urut pada NIP tidak boleh 000."))
    return problems


def nip_parse(nip: str, *, jenis_pegawai: str = "pns") -> NipInfo:
    """The facts inside a valid NIP/NI PPPK; raises ValidationError on the field `nip`."""
    problems = nip_problems(nip, jenis_pegawai=jenis_pegawai)
    if problems:
        raise ValidationError({"nip": problems})
    lahir = datetime.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    tmt = datetime.date(int(nip[8:12]), 1 if jenis_pegawai == "pppk" else int(nip[12:14]), 1)
    return NipInfo(
        tanggal_lahir=lahir, jenis_kelamin="L" if nip[14] == "1" else "P", tmt=tmt, urut=int(nip[15:])
    )


@dataclass(frozen=True)
class NikInfo:
    kode_kecamatan: str  # "PP.KK.CC"
    tanggal_lahir: datetime.date
    jenis_kelamin: str


def _nik_birth_date(day: int, month: int, yy: int) -> datetime.date | None:
    # DDMMYY with a two-digit year: the latest century that does not put the birth in the future.
    today = _today()
    for century in (2000, 1900):
        candidate = _date(century + yy, month, day)
        if candidate is not None and candidate <= today:
            return candidate
    return None


def nik_problems(nik: str, *, kecamatan_exists: Callable[[str], bool] | None = None) -> list[str]:
    """Every problem of a NIK. `kecamatan_exists(kode)` checks the area code ("PP.KK.CC")."""
    if not _DIGITS_16.match(nik or ""):
        return [_("NIK harus 16 digit angka.")]
    problems: list[str] = []
    kode = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
    if kecamatan_exists is not None and not kecamatan_exists(kode):
        problems.append(
            _("Kode wilayah %(kode)s pada NIK tidak terdaftar sebagai kecamatan.") % {"kode": kode}
        )
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    # Women have 40 added to the day of birth (Permendagri on NIK).
    if day > 40:
        day -= 40
    if _nik_birth_date(day, month, yy) is None:
        problems.append(_("Tanggal lahir pada NIK tidak valid."))
    if nik[12:] == "0000":
        problems.append(_("Nomor urut pada NIK tidak boleh 0000."))
    return problems


def nik_parse(nik: str) -> NikInfo:
    problems = nik_problems(nik)
    if problems:
        raise ValidationError({"nik": problems})
    day = int(nik[6:8])
    kelamin = "P" if day > 40 else "L"
    lahir = _nik_birth_date(day - 40 if day > 40 else day, int(nik[8:10]), int(nik[10:12]))
    assert lahir is not None
    return NikInfo(
        kode_kecamatan=f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}", tanggal_lahir=lahir, jenis_kelamin=kelamin
    )


def pegawai_identity_problems(
    *,
    nip: str,
    jenis_pegawai: str,
    tanggal_lahir: datetime.date | None,
    jenis_kelamin: str,
    nik: str = "",
    kecamatan_exists: Callable[[str], bool] | None = None,
) -> dict[str, list[str]]:
    """Problems per field for an employee's identity: NIP/NI PPPK, NIK, and their agreement with
    the birth date and gender typed in the form."""
    errors: dict[str, list[str]] = {}
    nip_errors = nip_problems(nip, jenis_pegawai=jenis_pegawai)
    if nip_errors:
        errors["nip"] = nip_errors
    else:
        info = nip_parse(nip, jenis_pegawai=jenis_pegawai)
        if tanggal_lahir is not None and tanggal_lahir != info.tanggal_lahir:
            errors["tanggal_lahir"] = [_("Tanggal lahir tidak sesuai dengan tanggal lahir pada NIP.")]
        if jenis_kelamin and jenis_kelamin != info.jenis_kelamin:
            errors["jenis_kelamin"] = [_("Jenis kelamin tidak sesuai dengan digit jenis kelamin pada NIP.")]
    if nik:
        nik_errors = nik_problems(nik, kecamatan_exists=kecamatan_exists)
        if nik_errors:
            errors["nik"] = nik_errors
        else:
            nik_info = nik_parse(nik)
            if jenis_kelamin and jenis_kelamin != nik_info.jenis_kelamin:
                errors.setdefault("nik", []).append(
                    _("Jenis kelamin pada NIK tidak sesuai dengan data pegawai.")
                )
            elif tanggal_lahir is not None and tanggal_lahir != nik_info.tanggal_lahir:
                errors.setdefault("nik", []).append(
                    _("Tanggal lahir pada NIK tidak sesuai dengan data pegawai.")
                )
    return errors
