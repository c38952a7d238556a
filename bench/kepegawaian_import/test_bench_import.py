"""Benchmark: import 10,000 employees from one xlsx file (preview, then apply) into a regency.

Not collected by `make test` (bench/ is outside the test paths). Run:

    TEST_DATABASE_NAME=bench_kepegawaian .venv/bin/pytest bench/kepegawaian_import -s -q

It builds a realistic file (50 units, 100 positions created on the fly, valid NIPs and NIKs),
then times reading + checking every row (preview) and writing the valid rows (apply, including
the platform NIP registry and one audit row per employee) inside the Kendari demo regency.
"""

import datetime
import io
import time

import pytest
from django_tenants.utils import schema_context
from openpyxl import Workbook

from eoffice.audit.models import AuditEvent
from eoffice.nip_registry.models import NipTerdaftar
from modules.kepegawaian import imports
from modules.kepegawaian.models import Jabatan, Pegawai
from modules.kepegawaian.tests.factories import UnitFactory, UserFactory

ROWS = 10_000
UNITS = 50
GOLONGAN = ["II/a", "II/b", "II/c", "III/a", "III/b", "III/c", "III/d", "IV/a"]


def _nip(i: int) -> tuple[str, datetime.date, str]:
    lahir = datetime.date(1965 + i % 35, 1 + (i // 35) % 12, 1 + (i // 420) % 28)
    gender = "1" if i % 2 else "2"
    return f"{lahir:%Y%m%d}{lahir.year + 24}{1 + i % 12:02d}{gender}{1 + i // 11760:03d}", lahir, gender


def _workbook(unit_codes: list[str]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append(["nip", "jenis_pegawai", "nik", "nama", "gelar_belakang", "tempat_lahir", "golongan",
                  "tmt_golongan", "mkg_tahun", "unit", "jabatan", "jenis_jabatan", "kelas_jabatan", "email"])  # fmt: skip
    seen = set()
    for i in range(ROWS):
        nip, lahir, gender = _nip(i)
        assert nip not in seen
        seen.add(nip)
        day = lahir.day + (40 if gender == "2" else 0)
        nik = f"747101{day:02d}{lahir:%m}{lahir:%y}{1 + i % 9999:04d}"
        sheet.append([
            nip, "pns", nik, f"Pegawai Bench {i}", "S.E.", "Kendari", GOLONGAN[i % len(GOLONGAN)],
            datetime.date(2020, 4, 1), 6, unit_codes[i % UNITS], f"Jabatan Bench {i % 20}",
            "pelaksana" if i % 3 else "fungsional", 5 + i % 8, f"pegawai{i}@bench.go.id",
        ])  # fmt: skip
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_10000_employees(kendari):
    with schema_context(kendari.schema_name):
        admin = UserFactory(peran="admin_pemda")
        units = [UnitFactory(nama=f"Unit Bench {u}", kode=f"B{u:03d}") for u in range(UNITS)]
        started = time.perf_counter()
        content = _workbook([u.kode for u in units])
        built = time.perf_counter() - started

        started = time.perf_counter()
        preview = imports.pegawai_preview(user=admin, content=content, nama_berkas="bench.xlsx")
        preview_seconds = time.perf_counter() - started
        assert len(preview.valid) == ROWS, preview.bermasalah[:3]

        started = time.perf_counter()
        result = imports.pegawai_apply(user=admin, content=content, nama_berkas="bench.xlsx")
        apply_seconds = time.perf_counter() - started

        assert result.diterapkan == ROWS and result.masalah == []
        assert Pegawai.objects.filter(nama__startswith="Pegawai Bench").count() == ROWS
        positions = {(i % UNITS, i % 20) for i in range(ROWS)}  # (unit, position) pairs the file names
        assert Jabatan.objects.filter(nama__startswith="Jabatan Bench").count() == len(positions)
        assert NipTerdaftar.objects.filter(tenant=kendari).count() >= ROWS
        assert AuditEvent.objects.filter(action="pegawai.create", actor_id=admin.pk).count() == ROWS
    print(
        f"\nkepegawaian import, {ROWS} rows, {len(content) / 1e6:.1f} MB xlsx (built in {built:.1f} s)"
        f"\n  preview (read + check every row): {preview_seconds:.1f} s"
        f"\n  apply (read + check + write):     {apply_seconds:.1f} s"
    )
    assert apply_seconds < 60
