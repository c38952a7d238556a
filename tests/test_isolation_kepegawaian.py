"""Kepegawaian data never crosses regencies: Sumedang's units, employees and exports stay on
Sumedang's host, even for Kendari's admin pemda who can see everything in Kendari."""

import pytest
from django_tenants.utils import schema_context

from conftest import host_client
from eoffice.accounts.models import User
from modules.kepegawaian.models import Pegawai, Unit
from modules.kepegawaian.tests.factories import PegawaiFactory, UnitFactory

pytestmark = pytest.mark.django_db
SUMEDANG_NIP = "198609262015051001"


def _admin_client(tenant):
    client = host_client(tenant)
    with schema_context(tenant.schema_name):
        client.force_login(User.objects.get(username=f"admin.{tenant.schema_name}"))
    return client


def test_sumedang_employees_and_units_are_invisible_on_kendari(sumedang, kendari):
    # given a marked unit and employee in Sumedang
    with schema_context(sumedang.schema_name):
        unit = UnitFactory(nama="Dinas Rahasia Sumedang")
        pegawai = PegawaiFactory(unit=unit, nama="Hanya Di Sumedang")
        sumedang_ids = (unit.pk, pegawai.pk)
    client = _admin_client(kendari)
    # when Kendari's admin lists, searches, fetches by id and exports
    listing = client.get("/api/v1/kepegawaian/pegawai/", {"q": "Hanya Di Sumedang"}).json()
    by_nip = client.get("/api/v1/kepegawaian/pegawai/", {"q": SUMEDANG_NIP}).json()
    units = client.get("/api/v1/kepegawaian/units/", {"q": "Rahasia"}).json()
    export = client.get("/api/v1/kepegawaian/export/pegawai.csv").content.decode("utf-8-sig")
    page = client.get("/kepegawaian/", {"q": "Hanya"}).content.decode()
    # then nothing of Sumedang appears
    assert listing["count"] == 0 and by_nip["count"] == 0 and units["count"] == 0
    assert "Hanya Di Sumedang" not in export and SUMEDANG_NIP not in export
    assert "Hanya Di Sumedang" not in page
    with schema_context(kendari.schema_name):
        if Pegawai.objects.filter(pk=sumedang_ids[1]).exists():
            # the same id may exist in Kendari's own table; it must then be Kendari's own record
            assert (
                client.get(f"/api/v1/kepegawaian/pegawai/{sumedang_ids[1]}/").json()["nama"]
                != "Hanya Di Sumedang"
            )
        else:
            assert client.get(f"/api/v1/kepegawaian/pegawai/{sumedang_ids[1]}/").status_code == 404
        if not Unit.objects.filter(pk=sumedang_ids[0]).exists():
            assert client.get(f"/api/v1/kepegawaian/units/{sumedang_ids[0]}/").status_code == 404


def test_demo_employee_profile_is_per_regency(sumedang, kendari):
    # each demo employee is linked to the Pegawai with their own NIP, on their own host only
    for tenant, nip in ((sumedang, SUMEDANG_NIP), (kendari, "199001152019032002")):
        client = host_client(tenant)
        with schema_context(tenant.schema_name):
            client.force_login(User.objects.get(username=nip))
        assert client.get("/api/v1/kepegawaian/profil/").json()["nip"] == nip
    with schema_context(kendari.schema_name):
        assert not Pegawai.objects.filter(nip=SUMEDANG_NIP).exists()
