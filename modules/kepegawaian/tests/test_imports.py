import io

import pytest
from django_tenants.utils import schema_context
from openpyxl import Workbook, load_workbook

from eoffice.audit.models import AuditEvent
from eoffice.core.errors import ApplicationError
from eoffice.nip_registry.models import NipTerdaftar
from modules.kepegawaian import imports
from modules.kepegawaian.models import AksesUnit, Jabatan, Pegawai, Unit
from modules.kepegawaian.tests.factories import JabatanFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "nip",
    "jenis_pegawai",
    "nama",
    "golongan",
    "unit",
    "jabatan",
    "jenis_jabatan",
    "kelas_jabatan",
    "nik",
]


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rows(unit_kode: str) -> list[list]:
    return [
        [
            "198805122010012003",
            "pns",
            "Rina Marlina",
            "III/b",
            unit_kode,
            "Perawat Ahli Pertama",
            "fungsional",
            8,
            "",
        ],
        ["19880512 201001 1 004", "pns", "Budi", "III/b", unit_kode, "Perawat Ahli Pertama", "", "", ""],
        ["198813122010011005", "pns", "Tanggal Salah", "III/b", unit_kode, "", "", "", ""],
        ["198805122010011006", "pns", "", "V/z", "Unit Tidak Ada", "", "", "", "3211010000000001"],
        ["198805122010012003", "pns", "Duplikat", "III/b", unit_kode, "", "", "", ""],
        ["199203122021212001", "pppk", "Dewi PPPK", "IX", unit_kode, "Penata Layanan", "pelaksana", "40", ""],
    ]


def test_preview_reports_every_row_by_column_and_writes_nothing(sumedang):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        UnitFactory(nama="RSUD Uji", kode="RSUD-UJI")
        before = (Pegawai.objects.count(), Jabatan.objects.count(), NipTerdaftar.objects.count())
        # when
        preview = imports.pegawai_preview(
            user=admin, content=_xlsx(_rows("RSUD-UJI")), nama_berkas="pegawai.xlsx"
        )
        # then
        assert preview.jumlah == 6
        assert [row.nomor for row in preview.valid] == [2, 3]
        problems = {row.nomor: row.masalah for row in preview.bermasalah}
        assert problems[4] == {"nip": ["Tanggal lahir pada NIP tidak valid."]}
        assert problems[5]["nama"] == ["Nama wajib diisi."]
        assert problems[5]["unit"] == ["Unit “Unit Tidak Ada” tidak ditemukan."]
        assert problems[5]["golongan"] == ["Golongan/ruang PNS harus I/a sampai IV/e."]
        assert problems[5]["nik"] == ["Tanggal lahir pada NIK tidak valid."]
        assert problems[6] == {"nip": ["NIP yang sama sudah ada di baris 2."]}
        assert problems[7] == {"kelas_jabatan": ["Kelas jabatan harus antara 1 dan 17."]}
        assert (Pegawai.objects.count(), Jabatan.objects.count(), NipTerdaftar.objects.count()) == before


def test_apply_writes_valid_rows_creates_positions_and_reports_the_rest(sumedang):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        unit = UnitFactory(nama="RSUD Uji", kode="RSUD-UJI")
        # when
        result = imports.pegawai_apply(
            user=admin, content=_xlsx(_rows("RSUD-UJI")), nama_berkas="pegawai.xlsx"
        )
        # then
        assert result.diterapkan == 2
        assert [item["baris"] for item in result.masalah] == [4, 5, 6, 7]
        rina = Pegawai.objects.get(nip="198805122010012003")
        budi = Pegawai.objects.get(nip="198805122010011004")
        assert rina.jabatan == budi.jabatan
        assert (rina.jabatan.nama, rina.jabatan.kelas_jabatan, rina.jabatan.unit) == (
            "Perawat Ahli Pertama",
            8,
            unit,
        )
        assert rina.jenis_kelamin == "P" and budi.jenis_kelamin == "L"
        assert NipTerdaftar.objects.filter(nip__in=[rina.nip, budi.nip], tenant=sumedang).count() == 2
        assert (
            AuditEvent.objects.filter(
                action="pegawai.create", target_id__in=[str(rina.pk), str(budi.pk)]
            ).count()
            == 2
        )
        # and importing the same file again applies nothing new
        again = imports.pegawai_apply(
            user=admin, content=_xlsx(_rows("RSUD-UJI")), nama_berkas="pegawai.xlsx"
        )
        assert again.diterapkan == 0
        assert again.masalah[0] == {"baris": 2, "kolom": {"nip": ["NIP ini sudah terdaftar di daerah ini."]}}


def test_csv_with_semicolons_and_admin_opd_scope(sumedang):
    with schema_context(sumedang.schema_name):
        dinas = UnitFactory(nama="Dinas Uji Cakupan", kode="DUC")
        other = UnitFactory(nama="Dinas Lain Uji", kode="DLU")
        JabatanFactory(unit=dinas, nama="Pengadministrasi")
        admin = UserFactory(peran="admin_opd")
        AksesUnit.objects.create(user=admin, unit=dinas)
        content = (
            b"nip;jenis_pegawai;nama;golongan;unit;jabatan\n"
            b"198805122010012003;pns;Di Dalam;II/c;DUC;Pengadministrasi\n"
            b"198805122010011004;pns;Di Luar;II/c;DLU;\n"
        )
        result = imports.pegawai_apply(user=admin, content=content, nama_berkas="pegawai.csv")
        assert result.diterapkan == 1
        assert result.masalah == [{"baris": 3, "kolom": {"unit": ["Unit “DLU” di luar cakupan Anda."]}}]
        assert not Pegawai.objects.filter(unit=other).exists()


def test_bad_files_are_refused_with_field_berkas(sumedang):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        for content, name, message in (
            (
                b"bukan excel",
                "pegawai.xlsx",
                "Berkas tidak dapat dibaca. Pastikan memakai templat yang disediakan.",
            ),
            (b"nip,nama\n1,2\n", "pegawai.pdf", "Format berkas harus .xlsx atau .csv."),
            (
                b"nip,nama\n",
                "pegawai.csv",
                "Kolom wajib tidak ada di baris judul: jenis_pegawai, golongan, unit.",
            ),
        ):
            with pytest.raises(ApplicationError) as exc:
                imports.pegawai_preview(user=admin, content=content, nama_berkas=name)
            assert exc.value.message == message
            assert "berkas" in exc.value.fields


def test_pegawai_cannot_import(sumedang):
    with schema_context(sumedang.schema_name):
        with pytest.raises(ApplicationError) as exc:
            imports.pegawai_preview(user=UserFactory(), content=b"", nama_berkas="x.csv")
        assert exc.value.status == 403


def test_unit_import_allows_parent_from_earlier_row_and_template_roundtrip(sumedang):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        UnitFactory(nama="Dinas Induk Uji", kode="DIU")
        content = (
            b"kode,nama,singkatan,jenis,induk\n"
            b"DIU-1,Bidang Satu,B1,bidang,DIU\n"
            b"DIU-1-1,Seksi Satu,,seksi,Bidang Satu\n"
            b",Seksi Tanpa Jenis,,entah,DIU-1\n"
        )
        result = imports.unit_apply(user=admin, content=content, nama_berkas="unit.csv")
        assert result.diterapkan == 2
        assert result.masalah == [{"baris": 4, "kolom": {"jenis": ["Jenis unit tidak dikenal."]}}]
        seksi = Unit.objects.get(kode="DIU-1-1")
        assert seksi.parent.kode == "DIU-1" and seksi.depth == seksi.parent.depth + 1
        # the template opens and names every column
        template = load_workbook(io.BytesIO(imports.template_file(jenis="pegawai", format="xlsx")))
        assert [c.value for c in template.worksheets[0][1]] == [k.key for k in imports.PEGAWAI_KOLOM]
        assert template.sheetnames == ["Data", "Petunjuk"]


def test_import_task_applies_once(sumedang, settings, tmp_path):
    from django.core.files.base import ContentFile

    from modules.kepegawaian.models import ImportBerkas
    from modules.kepegawaian.tasks import import_run

    settings.MEDIA_ROOT = tmp_path
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        UnitFactory(nama="Unit Tugas Uji", kode="UTU")
        upload = ImportBerkas(jenis="pegawai", nama_berkas="besar.csv", dibuat_oleh=admin, jumlah_baris=2)
        upload.berkas.save(
            "besar.csv",
            ContentFile(
                b"nip,jenis_pegawai,nama,golongan,unit\n198805122010012003,pns,Rina,III/a,UTU\n,pns,X,III/a,UTU\n"
            ),
            save=False,
        )
        upload.save()
        # when the task runs, and runs again (a redelivered message)
        first = import_run(upload_id=upload.pk)
        second = import_run(upload_id=upload.pk)
        # then the rows were applied once and the problems kept
        assert (first.status, first.jumlah_diterapkan) == ("selesai", 1)
        assert first.masalah == [{"baris": 3, "kolom": {"nip": ["NIP harus 18 digit angka."]}}]
        assert second.jumlah_diterapkan == 1 and second.selesai_at == first.selesai_at
        assert Pegawai.objects.filter(nip="198805122010012003").count() == 1
        assert str(upload.berkas.name).startswith("tenants/sumedang/kepegawaian/import/")
