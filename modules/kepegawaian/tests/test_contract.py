import time

import pytest
from django_tenants.utils import schema_context

from modules.kepegawaian.models import Jabatan, Pegawai, Unit
from modules.kepegawaian.selectors import atasan_for
from modules.kepegawaian.services import unit_skeleton_seed
from modules.kepegawaian.tests.factories import JabatanFactory, PegawaiFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _wilayah(kecamatan: int, desa_per_kecamatan: int) -> list[tuple[str, str, int]]:
    # An imaginary regency 99.99, so the tenant's own skeleton (seeded at provisioning) is untouched.
    rows: list[tuple[str, str, int]] = [("99.99", "Kota Uji", 2)]
    for k in range(1, kecamatan + 1):
        rows.append((f"99.99.{k:02d}", f"Kecamatan Uji {k}", 3))
        for d in range(1, desa_per_kecamatan + 1):
            prefix = "1" if d % 2 else "2"
            rows.append((f"99.99.{k:02d}.{prefix}{d:03d}", f"Desa Uji {k}-{d}", 4))
    return rows


def _clear_units() -> None:
    for depth in Unit.objects.order_by("-depth").values_list("depth", flat=True).distinct():
        Unit.objects.filter(depth=depth).delete()


def test_unit_skeleton_seed_builds_tree_with_paths(kendari):
    # given a schema without any unit and a wilayah list of 2 kecamatan with 3 villages each
    wilayah = _wilayah(2, 3)
    with schema_context(kendari.schema_name):
        Pegawai.objects.all().delete()
        Jabatan.objects.all().delete()
        _clear_units()
        # when
        root = unit_skeleton_seed(nama_pemda="Pemerintah Kota Uji", wilayah=wilayah)
        # then
        assert root.nama == "Pemerintah Kota Uji"
        assert root.jenis == Unit.Jenis.PEMDA and root.path == f"{root.pk}." and root.depth == 0
        kecamatan = list(Unit.objects.filter(jenis=Unit.Jenis.KECAMATAN).order_by("kode"))
        assert [k.kode for k in kecamatan] == ["99.99.01", "99.99.02"]
        assert all(k.path == f"{root.pk}.{k.pk}." and k.depth == 1 for k in kecamatan)
        kel = Unit.objects.get(kode="99.99.01.1001")
        assert kel.jenis == Unit.Jenis.KELURAHAN
        assert kel.parent == kecamatan[0]
        assert kel.path == f"{root.pk}.{kecamatan[0].pk}.{kel.pk}." and kel.depth == 2
        assert Unit.objects.get(kode="99.99.02.2002").jenis == Unit.Jenis.DESA
        assert Unit.objects.count() == 1 + 2 + 6


def test_unit_skeleton_seed_is_idempotent_and_fast_for_300_villages(kendari):
    # given a regency-sized wilayah list: 26 kecamatan, 12 villages each (312)
    wilayah = _wilayah(26, 12)
    with schema_context(kendari.schema_name):
        had_root = Unit.objects.filter(parent__isnull=True, jenis=Unit.Jenis.PEMDA).exists()
        before = Unit.objects.count()
        started = time.perf_counter()
        # when it is seeded twice
        root = unit_skeleton_seed(nama_pemda="Pemerintah Kota Uji", wilayah=wilayah)
        elapsed = time.perf_counter() - started
        again = unit_skeleton_seed(nama_pemda="Pemerintah Kota Uji", wilayah=wilayah)
        # then the new units exist once, under the existing root, built well under a second
        assert again == root
        assert Unit.objects.count() == before + (0 if had_root else 1) + 26 + 312
        assert Unit.objects.filter(kode__startswith="99.99.", path__startswith=root.path).count() == 26 + 312
        assert elapsed < 1.0


def test_atasan_for_is_head_of_own_unit_then_nearest_ancestor(sumedang):
    with schema_context(sumedang.schema_name):
        # given a dinas with a head, a bidang with a head, and a seksi without a head
        dinas = UnitFactory(nama="Dinas Kominfo")
        bidang = UnitFactory(nama="Bidang Aptika", parent=dinas, jenis=Unit.Jenis.BIDANG)
        seksi = UnitFactory(nama="Seksi Infrastruktur", parent=bidang, jenis=Unit.Jenis.SEKSI)
        kadis = PegawaiFactory(
            unit=dinas, jabatan=JabatanFactory(unit=dinas, is_kepala_unit=True, kelas_jabatan=14)
        )
        kabid = PegawaiFactory(unit=bidang, jabatan=JabatanFactory(unit=bidang, is_kepala_unit=True))
        staf_bidang = PegawaiFactory(unit=bidang)
        staf_seksi = PegawaiFactory(unit=seksi)
        # when / then
        assert atasan_for(pegawai=staf_bidang) == kabid
        assert atasan_for(pegawai=kabid) == kadis
        assert atasan_for(pegawai=staf_seksi) == kabid
        assert atasan_for(pegawai=kadis) is None


def test_atasan_for_skips_inactive_head(sumedang):
    with schema_context(sumedang.schema_name):
        # given a bidang whose head has retired
        dinas = UnitFactory()
        bidang = UnitFactory(parent=dinas)
        kadis = PegawaiFactory(unit=dinas, jabatan=JabatanFactory(unit=dinas, is_kepala_unit=True))
        PegawaiFactory(
            unit=bidang,
            jabatan=JabatanFactory(unit=bidang, is_kepala_unit=True),
            status=Pegawai.Status.PENSIUN,
        )
        staf = PegawaiFactory(unit=bidang)
        # when / then the head of the dinas is the superior
        assert atasan_for(pegawai=staf) == kadis
