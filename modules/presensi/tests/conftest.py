"""Fixtures for presensi tests: a regency with an office, the default schedule and employees."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from eoffice.accounts.models import User
from modules.kepegawaian.models import Pegawai
from modules.kepegawaian.tests.factories import JabatanFactory, PegawaiFactory, UnitFactory
from modules.presensi.selectors import presensi_cache_clear
from modules.presensi.services import jadwal_default_ensure, lokasi_create

KANTOR_LAT = Decimal("-6.858600")
KANTOR_LON = Decimal("107.919600")


def jpeg_bytes(size: tuple[int, int] = (64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 150, 100)).save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def selfie() -> SimpleUploadedFile:
    return SimpleUploadedFile("swafoto.jpg", jpeg_bytes(), content_type="image/jpeg")


def user_for(pegawai: Pegawai, peran: str = User.Peran.PEGAWAI) -> User:
    user = User.objects.create_user(
        username=pegawai.nip,
        email=f"{pegawai.nip}@uji.go.id",
        nama=pegawai.nama,
        password="eoffice-demo-2026",
        peran=peran,
    )
    pegawai.user = user
    pegawai.save(update_fields=["user"])
    return user


@dataclass
class Kantor:
    tenant: Any
    unit: Any
    lokasi: Any
    kepala: Pegawai
    kepala_user: User
    pegawai: Pegawai
    user: User


def kantor_setup(tenant: Any) -> Kantor:
    """Call inside schema_context(tenant): one unit with a head and a staff member, an office
    with a 100 m geofence and the Perpres 21/2023 schedule (Ramadan 2026: 18 Feb–19 Mar)."""
    unit = UnitFactory(nama="Dinas Komunikasi dan Informatika")
    kepala = PegawaiFactory(
        unit=unit, jabatan=JabatanFactory(unit=unit, is_kepala_unit=True, kelas_jabatan=12)
    )
    pegawai = PegawaiFactory(unit=unit, tmt_cpns=datetime.date(2015, 5, 1))
    kepala_user = user_for(kepala, User.Peran.PIMPINAN)
    user = user_for(pegawai)
    lokasi = lokasi_create(
        actor=None,
        nama="Kantor Diskominfo",
        latitude=KANTOR_LAT,
        longitude=KANTOR_LON,
        radius_m=100,
        unit=unit,
    )
    jadwal_default_ensure(actor=None, ramadan=(datetime.date(2026, 2, 18), datetime.date(2026, 3, 19)))
    return Kantor(tenant, unit, lokasi, kepala, kepala_user, pegawai, user)


@pytest.fixture(autouse=True)
def _fresh_presensi_cache():
    # The check-in path caches calendars per process; each test's rolled-back data must not leak.
    presensi_cache_clear()
    yield
    presensi_cache_clear()


@pytest.fixture
def kantor(sumedang):
    with schema_context(sumedang.schema_name):
        yield kantor_setup(sumedang)
