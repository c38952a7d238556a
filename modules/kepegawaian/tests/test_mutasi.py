import datetime

import pytest
from django_tenants.utils import schema_context

from eoffice.audit.models import AuditEvent
from eoffice.core.errors import ApplicationError
from eoffice.nip_registry.models import NipTerdaftar
from modules.kepegawaian import mutasi, services
from modules.kepegawaian.models import Mutasi, Pegawai
from modules.kepegawaian.tests.factories import JabatanFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
NIP = "198805122010012003"
SK = {
    "sk_nomor": "800/12/BKPSDM/2026",
    "sk_tanggal": datetime.date(2026, 6, 1),
    "tmt": datetime.date(2026, 7, 1),
}


def _release_from_sumedang(sumedang, kendari):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        jabatan = JabatanFactory(nama="Perawat Ahli Muda", unit=UnitFactory(nama="RSUD Sumedang Uji"))
        pegawai = services.pegawai_create(
            actor=admin,
            nip=NIP,
            jenis_pegawai="pns",
            nama="Rina Marlina",
            golongan="III/c",
            unit=jabatan.unit,
            jabatan=jabatan,
        )
        services.riwayat_pangkat_add(
            actor=admin,
            pegawai=pegawai,
            golongan="III/c",
            tmt=datetime.date(2022, 4, 1),
            sk_nomor="SK-P-1",
            sk_tanggal=datetime.date(2022, 3, 1),
            mkg_tahun=12,
        )
        services.riwayat_jabatan_add(
            actor=admin,
            pegawai=pegawai,
            jabatan=jabatan,
            tmt=datetime.date(2021, 1, 1),
            sk_nomor="SK-J-1",
            sk_tanggal=datetime.date(2020, 12, 1),
        )
        released = mutasi.pegawai_mutasi_lepas(actor=admin, pegawai=pegawai, tujuan=kendari, **SK)
    return released


def test_transfer_moves_employee_with_history_and_audits_both_sides(sumedang, kendari):
    # given Sumedang released an employee to Kendari
    _release_from_sumedang(sumedang, kendari)
    with schema_context(sumedang.schema_name):
        assert Pegawai.objects.get(nip=NIP).status == Pegawai.Status.MUTASI_KELUAR
    # when Kendari receives them into one of its units
    with schema_context(kendari.schema_name):
        admin = UserFactory(peran="admin_pemda")
        jabatan = JabatanFactory(nama="Perawat Ahli Muda", unit=UnitFactory(nama="RSUD Kendari Uji"))
        received = mutasi.pegawai_mutasi_terima(
            actor=admin, nip="19880512 201001 2 003", unit=jabatan.unit, jabatan=jabatan, **SK
        )
        # then Kendari holds them, with their history and a new position entry
        assert (received.nama, received.golongan, received.status) == ("Rina Marlina", "III/c", "aktif")
        assert list(received.riwayat_pangkat.values_list("sk_nomor", flat=True)) == ["SK-P-1"]
        assert list(received.riwayat_jabatan.order_by("tmt").values_list("nama_unit", flat=True)) == [
            "RSUD Sumedang Uji",
            "RSUD Kendari Uji",
        ]
        assert Mutasi.objects.get(nip=NIP, arah="masuk").daerah_nama == "Kabupaten Sumedang"
        assert (
            AuditEvent.objects.filter(action="pegawai.mutasi_terima", target_id=str(received.pk)).count() == 1
        )
    with schema_context(sumedang.schema_name):
        keluar = Mutasi.objects.get(nip=NIP, arah="keluar")
        assert keluar.status == Mutasi.Status.SELESAI
        assert AuditEvent.objects.filter(action="pegawai.mutasi_lepas").count() == 1
        assert (
            AuditEvent.objects.filter(action="pegawai.mutasi_selesai", target_id=str(keluar.pk)).count() == 1
        )
    # and the registry names Kendari
    assert NipTerdaftar.objects.get(nip=NIP).tenant == kendari


def test_receiving_without_release_changes_nothing(sumedang, kendari):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        services.pegawai_create(
            actor=admin, nip=NIP, jenis_pegawai="pns", nama="Rina", golongan="III/c", unit=UnitFactory()
        )
    with schema_context(kendari.schema_name):
        admin = UserFactory(peran="admin_pemda")
        unit = UnitFactory()
        with pytest.raises(ApplicationError) as exc:
            mutasi.pegawai_mutasi_terima(actor=admin, nip=NIP, unit=unit, **SK)
        assert exc.value.status == 404
        assert exc.value.fields == {"nip": ["NIP ini belum dilepas ke daerah Anda oleh daerah asalnya."]}
        assert not Pegawai.objects.filter(nip=NIP).exists()
    assert NipTerdaftar.objects.get(nip=NIP).tenant == sumedang
    with schema_context(sumedang.schema_name):
        assert Pegawai.objects.get(nip=NIP).status == "aktif"


def test_release_can_be_withdrawn_and_only_admin_pemda_releases(sumedang, kendari):
    released = _release_from_sumedang(sumedang, kendari)
    with schema_context(sumedang.schema_name):
        opd = UserFactory(peran="admin_opd")
        pegawai = Pegawai.objects.get(nip=NIP)
        with pytest.raises(ApplicationError) as exc:
            mutasi.pegawai_mutasi_batal(actor=opd, mutasi=released)
        assert exc.value.status == 403
        admin = UserFactory(peran="admin_pemda")
        mutasi.pegawai_mutasi_batal(actor=admin, mutasi=released)
        pegawai.refresh_from_db()
        assert pegawai.status == "aktif"
    with schema_context(kendari.schema_name):
        with pytest.raises(ApplicationError):
            mutasi.pegawai_mutasi_terima(
                actor=UserFactory(peran="admin_pemda"), nip=NIP, unit=UnitFactory(), **SK
            )
