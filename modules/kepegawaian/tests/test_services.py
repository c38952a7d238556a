import datetime

import pytest
from django_tenants.utils import schema_context

from eoffice.audit.models import AuditEvent
from eoffice.core.errors import ApplicationError
from eoffice.nip_registry.models import NipTerdaftar
from modules.kepegawaian import services
from modules.kepegawaian.models import AksesUnit, Pegawai, PerubahanProfil, RiwayatJabatan, Unit, UnitRiwayat
from modules.kepegawaian.selectors import pegawai_get_for, pegawai_list
from modules.kepegawaian.tests.factories import JabatanFactory, PegawaiFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _tree():
    pemda = UnitFactory(nama="Pemda Uji", jenis=Unit.Jenis.PEMDA)
    dinkes = UnitFactory(nama="Dinas Kesehatan Uji", parent=pemda)
    bidang = UnitFactory(nama="Bidang P2P", parent=dinkes, jenis=Unit.Jenis.BIDANG)
    disdik = UnitFactory(nama="Dinas Pendidikan Uji", parent=pemda)
    return pemda, dinkes, bidang, disdik


def _admin_opd(unit: Unit):
    user = UserFactory(peran="admin_opd")
    AksesUnit.objects.create(user=user, unit=unit)
    return user


def test_pegawai_create_fills_from_nip_claims_registry_and_audits(sumedang):
    with schema_context(sumedang.schema_name):
        # given an admin pemda and a unit with a position
        admin = UserFactory(peran="admin_pemda")
        jabatan = JabatanFactory()
        # when an employee is registered with a NIP typed as printed
        pegawai = services.pegawai_create(
            actor=admin,
            nip="19880512 201001 2 003",
            jenis_pegawai="pns",
            nama="Rina Marlina",
            gelar_belakang="S.Kep.",
            golongan="III/b",
            unit=jabatan.unit,
            jabatan=jabatan,
        )
        # then birth date, gender and TMT CPNS come from the NIP, and the NIP is claimed platform-wide
        assert pegawai.nip == "198805122010012003"
        assert pegawai.tanggal_lahir == datetime.date(1988, 5, 12)
        assert pegawai.jenis_kelamin == "P"
        assert pegawai.tmt_cpns == datetime.date(2010, 1, 1)
        assert NipTerdaftar.objects.get(nip="198805122010012003").tenant == sumedang
        event = AuditEvent.objects.get(action="pegawai.create", target_id=str(pegawai.pk))
        assert event.after["nip"] == "198805122010012003" and event.actor_id == admin.pk


def test_pegawai_create_rejects_nip_held_by_another_regency(sumedang, kendari):
    with schema_context(kendari.schema_name):
        NipTerdaftar.objects.create(nip="198805122010012003", tenant=kendari)
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        unit = UnitFactory()
        # when / then
        with pytest.raises(ApplicationError) as exc:
            services.pegawai_create(
                actor=admin,
                nip="198805122010012003",
                jenis_pegawai="pns",
                nama="Rina",
                golongan="III/b",
                unit=unit,
            )
        assert exc.value.status == 409
        assert exc.value.fields["nip"] == [
            "NIP ini sudah terdaftar di Kota Kendari; pindahkan pegawai melalui mutasi antardaerah."
        ]
        assert not Pegawai.objects.filter(nip="198805122010012003").exists()


def test_pegawai_create_reports_every_field_problem(sumedang):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        unit = UnitFactory()
        other = JabatanFactory()
        with pytest.raises(ApplicationError) as exc:
            services.pegawai_create(
                actor=admin,
                nip="198613262015051001",
                jenis_pegawai="pns",
                nama="X",
                golongan="IX",
                nik="3211012609860000",
                unit=unit,
                jabatan=other,
                jenis_kelamin="L",
                tanggal_lahir=datetime.date(1986, 9, 26),
            )
        assert exc.value.status == 400
        assert exc.value.fields["nip"] == ["Tanggal lahir pada NIP tidak valid."]
        assert exc.value.fields["golongan"] == ["Golongan/ruang PNS harus I/a sampai IV/e."]
        assert exc.value.fields["nik"] == ["Nomor urut pada NIK tidak boleh 0000."]
        assert exc.value.fields["jabatan"] == ["Jabatan ini tidak berada di unit yang dipilih."]
        assert Pegawai.objects.filter(unit=unit).count() == 0


def test_pppk_needs_pppk_golongan(sumedang):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        unit = UnitFactory()
        with pytest.raises(ApplicationError) as exc:
            services.pegawai_create(
                actor=admin,
                nip="199203122021212001",
                jenis_pegawai="pppk",
                nama="Dewi",
                golongan="III/a",
                unit=unit,
            )
        assert exc.value.fields == {"golongan": ["Golongan PPPK harus I sampai XVII."]}
        pegawai = services.pegawai_create(
            actor=admin, nip="199203122021212001", jenis_pegawai="pppk", nama="Dewi", golongan="IX", unit=unit
        )
        assert pegawai.tmt_cpns is None and pegawai.jenis_kelamin == "P"


def test_admin_opd_cannot_edit_outside_subtree_and_nothing_changes(sumedang):
    with schema_context(sumedang.schema_name):
        # given an admin OPD of Dinas Kesehatan and an employee of Dinas Pendidikan
        _pemda, dinkes, bidang, disdik = _tree()
        admin = _admin_opd(dinkes)
        guru = PegawaiFactory(unit=disdik, nama="Guru Uji")
        events_before = AuditEvent.objects.count()
        # when they try to rename the employee, rename the other unit, or move it under their own
        for attempt in (
            lambda: services.pegawai_update(actor=admin, pegawai=guru, nama="Diubah"),
            lambda: services.unit_update(actor=admin, unit=disdik, nama="Diubah"),
            lambda: services.unit_move(actor=admin, unit=disdik, parent=bidang),
            lambda: services.jabatan_create(
                actor=admin, unit=disdik, nama="X", jenis="pelaksana", kelas_jabatan=5
            ),
        ):
            with pytest.raises(ApplicationError) as exc:
                attempt()
            assert exc.value.status == 403
        # then nothing changed
        guru.refresh_from_db()
        disdik.refresh_from_db()
        assert guru.nama == "Guru Uji"
        assert (disdik.nama, disdik.parent_id) == ("Dinas Pendidikan Uji", _pemda.pk)
        assert AuditEvent.objects.count() == events_before
        # but inside their subtree they can
        services.unit_update(actor=admin, unit=bidang, nama="Bidang Pencegahan Penyakit")
        assert Unit.objects.get(pk=bidang.pk).nama == "Bidang Pencegahan Penyakit"


def test_unit_move_rewrites_subtree_paths_and_keeps_history(sumedang):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        pemda, dinkes, bidang, disdik = _tree()
        seksi = UnitFactory(nama="Seksi Surveilans", parent=bidang, jenis=Unit.Jenis.SEKSI)
        # when the bidang moves to Dinas Pendidikan
        services.unit_move(actor=admin, unit=bidang, parent=disdik, berlaku_mulai=datetime.date(2026, 1, 1))
        # then the bidang and its seksi carry the new path and depth
        bidang.refresh_from_db()
        seksi.refresh_from_db()
        assert bidang.path == f"{pemda.pk}.{disdik.pk}.{bidang.pk}."
        assert seksi.path == f"{pemda.pk}.{disdik.pk}.{bidang.pk}.{seksi.pk}." and seksi.depth == 3
        riwayat = UnitRiwayat.objects.get(unit=bidang, jenis=UnitRiwayat.Jenis.PINDAH)
        assert (riwayat.induk_lama, riwayat.induk_baru) == ("Dinas Kesehatan Uji", "Dinas Pendidikan Uji")
        # and a unit cannot go under its own descendant
        with pytest.raises(ApplicationError) as exc:
            services.unit_move(actor=admin, unit=bidang, parent=seksi)
        assert exc.value.fields == {"parent": ["Pilih unit induk di luar cabang unit ini."]}


def test_unit_rename_records_history_and_riwayat_jabatan_keeps_old_name(sumedang):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        unit = UnitFactory(nama="Dinas Kominfo Lama")
        jabatan = JabatanFactory(unit=unit, nama="Pranata Komputer")
        pegawai = PegawaiFactory(unit=unit, jabatan=jabatan)
        services.riwayat_jabatan_add(
            actor=admin,
            pegawai=pegawai,
            jabatan=jabatan,
            tmt=datetime.date(2020, 1, 1),
            sk_nomor="821/1/2020",
            sk_tanggal=datetime.date(2019, 12, 20),
        )
        # when
        services.unit_update(
            actor=admin, unit=unit, nama="Dinas Komunikasi dan Informatika", dasar="Perbup 5/2026"
        )
        # then
        riwayat = UnitRiwayat.objects.get(unit=unit, jenis=UnitRiwayat.Jenis.GANTI_NAMA)
        assert (riwayat.nama_lama, riwayat.nama_baru, riwayat.dasar) == (
            "Dinas Kominfo Lama",
            "Dinas Komunikasi dan Informatika",
            "Perbup 5/2026",
        )
        assert RiwayatJabatan.objects.get(pegawai=pegawai).nama_unit == "Dinas Kominfo Lama"
        event = AuditEvent.objects.filter(action="unit.update", target_id=str(unit.pk)).get()
        assert (event.before["nama"], event.after["nama"]) == (
            "Dinas Kominfo Lama",
            "Dinas Komunikasi dan Informatika",
        )


def test_riwayat_pangkat_updates_current_golongan_only_when_latest(sumedang):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        pegawai = PegawaiFactory(golongan="III/a", tmt_golongan=datetime.date(2018, 4, 1))
        services.riwayat_pangkat_add(
            actor=admin,
            pegawai=pegawai,
            golongan="III/b",
            tmt=datetime.date(2022, 4, 1),
            sk_nomor="SK-1",
            sk_tanggal=datetime.date(2022, 3, 1),
            mkg_tahun=8,
        )
        services.riwayat_pangkat_add(
            actor=admin,
            pegawai=pegawai,
            golongan="II/d",
            tmt=datetime.date(2014, 4, 1),
            sk_nomor="SK-0",
            sk_tanggal=datetime.date(2014, 3, 1),
        )
        pegawai.refresh_from_db()
        assert (pegawai.golongan, pegawai.tmt_golongan, pegawai.mkg_tahun) == (
            "III/b",
            datetime.date(2022, 4, 1),
            8,
        )
        assert pegawai.riwayat_pangkat.count() == 2
        with pytest.raises(ApplicationError) as exc:
            services.riwayat_pangkat_add(
                actor=admin,
                pegawai=pegawai,
                golongan="III/c",
                tmt=datetime.date(2026, 4, 1),
                sk_nomor="",
                sk_tanggal=None,
                mkg_tahun=12,
            )
        assert exc.value.fields == {
            "sk_nomor": ["Nomor SK wajib diisi."],
            "sk_tanggal": ["Tanggal SK wajib diisi."],
        }


def test_one_head_position_per_unit(sumedang):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        unit = UnitFactory()
        services.jabatan_create(
            actor=admin, unit=unit, nama="Kepala Dinas", jenis="jpt", kelas_jabatan=14, is_kepala_unit=True
        )
        with pytest.raises(ApplicationError) as exc:
            services.jabatan_create(
                actor=admin,
                unit=unit,
                nama="Kepala Kedua",
                jenis="jpt",
                kelas_jabatan=14,
                is_kepala_unit=True,
            )
        assert exc.value.fields == {"is_kepala_unit": ["Unit ini sudah memiliki jabatan kepala unit."]}
        with pytest.raises(ApplicationError) as exc:
            services.jabatan_create(
                actor=admin, unit=unit, nama="Analis", jenis="fungsional", kelas_jabatan=18
            )
        assert exc.value.fields["kelas_jabatan"] == ["Kelas jabatan harus antara 1 dan 17."]


def test_pegawai_sees_only_own_unit_pimpinan_sees_subtree(sumedang):
    with schema_context(sumedang.schema_name):
        _pemda, dinkes, bidang, disdik = _tree()
        kepala = PegawaiFactory(
            unit=dinkes,
            jabatan=JabatanFactory(unit=dinkes, is_kepala_unit=True),
            user=UserFactory(peran="pimpinan"),
        )
        staf_bidang = PegawaiFactory(unit=bidang, user=UserFactory())
        rekan = PegawaiFactory(unit=bidang)
        guru = PegawaiFactory(unit=disdik)
        # pimpinan: own subtree
        assert set(pegawai_list(user=kepala.user)) == {kepala, staf_bidang, rekan}
        # pegawai: own unit only, and another unit's employee is not found
        assert set(pegawai_list(user=staf_bidang.user)) == {staf_bidang, rekan}
        with pytest.raises(ApplicationError) as exc:
            pegawai_get_for(user=staf_bidang.user, id=guru.pk)
        assert exc.value.status == 404
        assert pegawai_get_for(user=staf_bidang.user, id=staf_bidang.pk) == staf_bidang


def test_perubahan_profil_approved_applies_rejected_does_not(sumedang):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        pegawai = PegawaiFactory(user=UserFactory(), telepon="0811")
        request = services.perubahan_profil_ajukan(
            user=pegawai.user, data={"telepon": "081234567890", "gelar_belakang": "S.T."}, alasan="Lulus S1"
        )
        pegawai.refresh_from_db()
        assert pegawai.telepon == "0811"
        with pytest.raises(ApplicationError) as exc:
            services.perubahan_profil_ajukan(user=pegawai.user, data={"golongan": "IV/a"}, alasan="naik")
        assert exc.value.fields == {"golongan": ["Kolom ini hanya dapat diubah dengan SK."]}
        services.perubahan_profil_putuskan(actor=admin, perubahan=request, setuju=True)
        pegawai.refresh_from_db()
        assert (pegawai.telepon, pegawai.gelar_belakang) == ("081234567890", "S.T.")
        assert PerubahanProfil.objects.get(pk=request.pk).status == "disetujui"
        second = services.perubahan_profil_ajukan(
            user=pegawai.user, data={"nama": "Nama Lain"}, alasan="typo"
        )
        with pytest.raises(ApplicationError) as exc:
            services.perubahan_profil_putuskan(actor=admin, perubahan=second, setuju=False)
        assert exc.value.fields == {"catatan": ["Alasan penolakan wajib diisi."]}
        services.perubahan_profil_putuskan(actor=admin, perubahan=second, setuju=False, catatan="Sesuai KTP")
        pegawai.refresh_from_db()
        assert pegawai.nama != "Nama Lain"


def test_peran_set_admin_opd_needs_unit_and_only_admin_pemda_assigns(sumedang):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        user = UserFactory()
        unit = UnitFactory()
        with pytest.raises(ApplicationError) as exc:
            services.peran_set(actor=admin, user=user, peran="admin_opd")
        assert exc.value.fields == {"unit": ["Pilih OPD yang dikelola admin ini."]}
        services.peran_set(actor=admin, user=user, peran="admin_opd", unit=unit)
        assert AksesUnit.objects.get(user=user).unit == unit
        with pytest.raises(ApplicationError) as exc:
            services.peran_set(actor=user, user=admin, peran="pegawai")
        assert exc.value.status == 403
        admin.refresh_from_db()
        assert admin.peran == "admin_pemda"


def test_nik_area_code_must_be_a_kecamatan_in_the_reference_table(sumedang):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        unit = UnitFactory()
        data = {"jenis_pegawai": "pns", "nama": "Rina", "golongan": "III/a", "unit": unit}
        # 32.11.99 is no kecamatan of Sumedang
        with pytest.raises(ApplicationError) as exc:
            services.pegawai_create(actor=admin, nip="198805122010012003", nik="3211995205880001", **data)
        assert exc.value.fields == {
            "nik": ["Kode wilayah 32.11.99 pada NIK tidak terdaftar sebagai kecamatan."]
        }
        # 32.11.01 (Wado) is; a woman's NIK has 40 added to the day
        pegawai = services.pegawai_create(
            actor=admin, nip="198805122010012003", nik="3211015205880001", **data
        )
        assert pegawai.nik == "3211015205880001"
        event = AuditEvent.objects.get(action="pegawai.create", target_id=str(pegawai.pk))
        assert event.after["nik"] == "************0001"


def test_duplicate_unit_name_under_same_parent_is_reported_on_nama(sumedang):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_pemda")
        parent = UnitFactory()
        services.unit_create(actor=admin, nama="Bidang Kembar", jenis="bidang", parent=parent)
        with pytest.raises(ApplicationError) as exc:
            services.unit_create(actor=admin, nama="Bidang Kembar", jenis="bidang", parent=parent)
        assert exc.value.fields == {"nama": ["Sudah ada unit dengan nama ini di bawah unit induk yang sama."]}
        assert Unit.objects.filter(parent=parent, nama="Bidang Kembar").count() == 1
