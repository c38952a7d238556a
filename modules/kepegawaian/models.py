"""Kepegawaian: the organisation tree, positions and employees. Every module keys on Pegawai.

Rules in DOMAIN.md ("Organisation and people", "Identity numbers").
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eoffice.core.files import tenant_path


class Unit(models.Model):
    """A node of the organisation tree: Pemda → OPD → bidang → seksi/subbag; kecamatan → kelurahan/desa."""

    class Jenis(models.TextChoices):
        PEMDA = "pemda", _("Pemerintah daerah")
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        KANTOR = "kantor", _("Kantor")
        RSUD = "rsud", _("RSUD")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")
        DESA = "desa", _("Desa")
        BAGIAN = "bagian", _("Bagian")
        BIDANG = "bidang", _("Bidang")
        SUBBAGIAN = "subbagian", _("Subbagian")
        SEKSI = "seksi", _("Seksi")
        UPTD = "uptd", _("UPTD")
        SEKOLAH = "sekolah", _("Sekolah")
        PUSKESMAS = "puskesmas", _("Puskesmas")

    nama = models.CharField(_("nama unit"), max_length=200)
    singkatan = models.CharField(_("singkatan"), max_length=30, blank=True)
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis.choices)
    # Kemendagri area code for kecamatan/kelurahan/desa units (e.g. 74.71.01.1001), else a local code.
    kode = models.CharField(_("kode"), max_length=20, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("unit induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of ids ("12.40.41.") so a subtree is one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    urutan = models.PositiveIntegerField(_("urutan"), default=0)
    aktif = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit organisasi")
        verbose_name_plural = _("unit organisasi")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "nama"],
                name="unit_nama_unik_per_induk",
                violation_error_message=_("Sudah ada unit dengan nama ini di bawah unit induk yang sama."),
            )
        ]

    def __str__(self) -> str:
        return self.nama


class Jabatan(models.Model):
    """A position in a unit. Kelas jabatan 1–17 is the key for TPP; eselon is legacy."""

    class Jenis(models.TextChoices):
        JPT = "jpt", _("Jabatan pimpinan tinggi")
        ADMINISTRATOR = "administrator", _("Administrator")
        PENGAWAS = "pengawas", _("Pengawas")
        FUNGSIONAL = "fungsional", _("Fungsional")
        PELAKSANA = "pelaksana", _("Pelaksana")

    class Jenjang(models.TextChoices):
        # Jenjang of jabatan fungsional; decides the retirement age (BUP).
        PEMULA = "pemula", _("Pemula")
        TERAMPIL = "terampil", _("Terampil")
        MAHIR = "mahir", _("Mahir")
        PENYELIA = "penyelia", _("Penyelia")
        AHLI_PERTAMA = "ahli_pertama", _("Ahli Pertama")
        AHLI_MUDA = "ahli_muda", _("Ahli Muda")
        AHLI_MADYA = "ahli_madya", _("Ahli Madya")
        AHLI_UTAMA = "ahli_utama", _("Ahli Utama")

    nama = models.CharField(_("nama jabatan"), max_length=255)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="jabatan")
    jenis = models.CharField(_("jenis jabatan"), max_length=20, choices=Jenis.choices)
    jenjang = models.CharField(_("jenjang fungsional"), max_length=20, choices=Jenjang.choices, blank=True)
    kelas_jabatan = models.PositiveSmallIntegerField(_("kelas jabatan"))
    eselon = models.CharField(_("eselon"), max_length=10, blank=True)
    # The head of the unit (kepala): approves leave, attendance corrections and kinerja.
    is_kepala_unit = models.BooleanField(_("kepala unit"), default=False)
    aktif = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["unit__path", "-kelas_jabatan", "nama"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kelas_jabatan__gte=1, kelas_jabatan__lte=17),
                name="jabatan_kelas_1_17",
                violation_error_message=_("Kelas jabatan harus antara 1 dan 17."),
            )
        ]

    def __str__(self) -> str:
        return self.nama


class Golongan(models.TextChoices):
    """Golongan/ruang PNS (I/a–IV/e) and golongan PPPK (I–XVII)."""

    I_A = "I/a", "I/a"
    I_B = "I/b", "I/b"
    I_C = "I/c", "I/c"
    I_D = "I/d", "I/d"
    II_A = "II/a", "II/a"
    II_B = "II/b", "II/b"
    II_C = "II/c", "II/c"
    II_D = "II/d", "II/d"
    III_A = "III/a", "III/a"
    III_B = "III/b", "III/b"
    III_C = "III/c", "III/c"
    III_D = "III/d", "III/d"
    IV_A = "IV/a", "IV/a"
    IV_B = "IV/b", "IV/b"
    IV_C = "IV/c", "IV/c"
    IV_D = "IV/d", "IV/d"
    IV_E = "IV/e", "IV/e"
    P_I = "I", "I"
    P_II = "II", "II"
    P_III = "III", "III"
    P_IV = "IV", "IV"
    P_V = "V", "V"
    P_VI = "VI", "VI"
    P_VII = "VII", "VII"
    P_VIII = "VIII", "VIII"
    P_IX = "IX", "IX"
    P_X = "X", "X"
    P_XI = "XI", "XI"
    P_XII = "XII", "XII"
    P_XIII = "XIII", "XIII"
    P_XIV = "XIV", "XIV"
    P_XV = "XV", "XV"
    P_XVI = "XVI", "XVI"
    P_XVII = "XVII", "XVII"


class Pegawai(models.Model):
    """An ASN (PNS, CPNS or PPPK) of this regency, identified by NIP (or NI PPPK)."""

    class JenisPegawai(models.TextChoices):
        PNS = "pns", _("PNS")
        CPNS = "cpns", _("CPNS")
        PPPK = "pppk", _("PPPK")

    class JenisKelamin(models.TextChoices):
        LAKI_LAKI = "L", _("Laki-laki")
        PEREMPUAN = "P", _("Perempuan")

    class Status(models.TextChoices):
        AKTIF = "aktif", _("Aktif")
        CLTN = "cltn", _("Cuti di luar tanggungan negara")
        DIBERHENTIKAN_SEMENTARA = "diberhentikan_sementara", _("Diberhentikan sementara")
        PENSIUN = "pensiun", _("Pensiun")
        MUTASI_KELUAR = "mutasi_keluar", _("Mutasi keluar")
        MENINGGAL = "meninggal", _("Meninggal dunia")
        DIBERHENTIKAN = "diberhentikan", _("Diberhentikan")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pegawai",
    )
    # NIP for PNS/CPNS, NI PPPK for PPPK: 18 digits, stored without spaces.
    nip = models.CharField(
        _("NIP / NI PPPK"),
        max_length=18,
        unique=True,
        error_messages={"unique": _("NIP ini sudah terdaftar.")},
    )
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    jenis_pegawai = models.CharField(_("jenis pegawai"), max_length=4, choices=JenisPegawai.choices)
    gelar_depan = models.CharField(_("gelar depan"), max_length=50, blank=True)
    nama = models.CharField(_("nama"), max_length=200)
    gelar_belakang = models.CharField(_("gelar belakang"), max_length=100, blank=True)
    tempat_lahir = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    tanggal_lahir = models.DateField(_("tanggal lahir"))
    jenis_kelamin = models.CharField(_("jenis kelamin"), max_length=1, choices=JenisKelamin.choices)
    golongan = models.CharField(_("golongan/ruang"), max_length=5, choices=Golongan.choices)
    tmt_golongan = models.DateField(_("TMT golongan"), null=True, blank=True)
    # Masa kerja golongan as stated in the last SK pangkat or KGB, counted from `tmt_golongan`.
    mkg_tahun = models.PositiveSmallIntegerField(_("masa kerja golongan (tahun)"), default=0)
    mkg_bulan = models.PositiveSmallIntegerField(_("masa kerja golongan (bulan)"), default=0)
    tmt_cpns = models.DateField(_("TMT CPNS"), null=True, blank=True)
    tmt_pns = models.DateField(_("TMT PNS"), null=True, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="pegawai")
    jabatan = models.ForeignKey(
        Jabatan,
        verbose_name=_("jabatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pegawai",
    )
    status = models.CharField(
        _("status kepegawaian"), max_length=30, choices=Status.choices, default=Status.AKTIF
    )
    email = models.EmailField(_("e-mail"), blank=True)
    telepon = models.CharField(_("telepon"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["nama"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nip__regex=r"^\d{18}$"),
                name="pegawai_nip_18_digit",
                violation_error_message=_("NIP harus 18 digit angka."),
            ),
            models.CheckConstraint(
                condition=models.Q(nik="") | models.Q(nik__regex=r"^\d{16}$"),
                name="pegawai_nik_16_digit",
                violation_error_message=_("NIK harus 16 digit angka."),
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.nama_lengkap

    @property
    def nama_lengkap(self) -> str:
        """Name with academic titles: `Dr. Asep Hidayat, S.Kom., M.T.`"""
        name = f"{self.gelar_depan} {self.nama}".strip()
        return f"{name}, {self.gelar_belakang}" if self.gelar_belakang else name

    @property
    def nip_display(self) -> str:
        """NIP as printed: `19860926 201505 1 001`."""
        n = self.nip
        return f"{n[:8]} {n[8:14]} {n[14]} {n[15:]}" if len(n) == 18 else n


class RiwayatPangkat(models.Model):
    """Rank (golongan) history: each change with TMT and SK."""

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="riwayat_pangkat")
    golongan = models.CharField(_("golongan/ruang"), max_length=5, choices=Golongan.choices)
    tmt = models.DateField(_("TMT"))
    mkg_tahun = models.PositiveSmallIntegerField(_("masa kerja golongan (tahun)"), default=0)
    mkg_bulan = models.PositiveSmallIntegerField(_("masa kerja golongan (bulan)"), default=0)
    sk_nomor = models.CharField(_("nomor SK"), max_length=100)
    sk_tanggal = models.DateField(_("tanggal SK"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pegawai", "-tmt"]
        constraints = [
            models.UniqueConstraint(fields=["pegawai", "tmt"], name="riwayat_pangkat_unik_per_tmt")
        ]

    def __str__(self) -> str:
        return f"{self.golongan} TMT {self.tmt}"


class RiwayatJabatan(models.Model):
    """Position history: each appointment with TMT and SK."""

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="riwayat_jabatan")
    jabatan = models.ForeignKey(Jabatan, null=True, blank=True, on_delete=models.SET_NULL)
    # Names as they were at the time, so renaming a unit or position never rewrites history.
    nama_jabatan = models.CharField(_("nama jabatan"), max_length=255)
    nama_unit = models.CharField(_("nama unit"), max_length=200)
    tmt = models.DateField(_("TMT"))
    sk_nomor = models.CharField(_("nomor SK"), max_length=100)
    sk_tanggal = models.DateField(_("tanggal SK"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pegawai", "-tmt"]

    def __str__(self) -> str:
        return f"{self.nama_jabatan} TMT {self.tmt}"


class RiwayatGaji(models.Model):
    """Salary history (gaji pokok): KGB and rank changes, each with TMT and SK."""

    class Jenis(models.TextChoices):
        PANGKAT = "pangkat", _("Kenaikan pangkat")
        KGB = "kgb", _("Kenaikan gaji berkala")
        PENGANGKATAN = "pengangkatan", _("Pengangkatan")
        LAINNYA = "lainnya", _("Lainnya")

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="riwayat_gaji")
    jenis = models.CharField(_("jenis"), max_length=15, choices=Jenis.choices)
    golongan = models.CharField(_("golongan/ruang"), max_length=5, choices=Golongan.choices)
    mkg_tahun = models.PositiveSmallIntegerField(_("masa kerja golongan (tahun)"))
    mkg_bulan = models.PositiveSmallIntegerField(_("masa kerja golongan (bulan)"), default=0)
    gaji_pokok = models.PositiveBigIntegerField(_("gaji pokok (Rp)"))
    tmt = models.DateField(_("TMT"))
    sk_nomor = models.CharField(_("nomor SK"), max_length=100)
    sk_tanggal = models.DateField(_("tanggal SK"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pegawai", "-tmt"]
        constraints = [models.UniqueConstraint(fields=["pegawai", "tmt", "jenis"], name="riwayat_gaji_unik")]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} TMT {self.tmt}"


class UnitRiwayat(models.Model):
    """A rename or move of a unit, so the tree's past stays readable (letters and SKs cite old names)."""

    class Jenis(models.TextChoices):
        DIBUAT = "dibuat", _("Dibuat")
        GANTI_NAMA = "ganti_nama", _("Ganti nama")
        PINDAH = "pindah", _("Pindah induk")
        NONAKTIF = "nonaktif", _("Dinonaktifkan")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="riwayat")
    jenis = models.CharField(_("jenis perubahan"), max_length=15, choices=Jenis.choices)
    nama_lama = models.CharField(_("nama lama"), max_length=200, blank=True)
    nama_baru = models.CharField(_("nama baru"), max_length=200, blank=True)
    induk_lama = models.CharField(_("induk lama"), max_length=200, blank=True)
    induk_baru = models.CharField(_("induk baru"), max_length=200, blank=True)
    berlaku_mulai = models.DateField(_("berlaku mulai"))
    dasar = models.CharField(_("dasar (nomor Perda/Perbup)"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat unit")
        verbose_name_plural = _("riwayat unit")
        ordering = ["unit", "-berlaku_mulai", "-id"]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.nama_baru or self.nama_lama}"


class AksesUnit(models.Model):
    """The unit subtree a role works on: admin OPD edits only inside it; pimpinan sees it.

    User.peran says what someone is; this row says where. An admin OPD without one can do nothing.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("akun"), on_delete=models.CASCADE, related_name="akses_unit"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="akses")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cakupan unit")
        verbose_name_plural = _("cakupan unit")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.unit_id}"


class PerubahanProfil(models.Model):
    """An employee's request to correct their own profile; an admin approves or rejects it."""

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", _("Diajukan")
        DISETUJUI = "disetujui", _("Disetujui")
        DITOLAK = "ditolak", _("Ditolak")

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="perubahan_profil")
    # {"field": "new value"} for the fields an employee may ask to change.
    data = models.JSONField(_("perubahan"))
    alasan = models.TextField(_("alasan"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DIAJUKAN)
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diputuskan_at = models.DateTimeField(null=True, blank=True)
    catatan = models.TextField(_("catatan admin"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("permintaan perubahan profil")
        verbose_name_plural = _("permintaan perubahan profil")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pegawai"],
                condition=models.Q(status="diajukan"),
                name="perubahan_profil_satu_diajukan",
                violation_error_message=_("Masih ada permintaan perubahan profil yang belum diputuskan."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.pegawai_id} {self.status}"


class Mutasi(models.Model):
    """One side of a transfer between regencies: released here (keluar) or received here (masuk).

    The platform-wide NIP registry says which regency holds the NIP now; the employee's data and
    history travel as `snapshot` from the releasing schema to the receiving one.
    """

    class Arah(models.TextChoices):
        KELUAR = "keluar", _("Mutasi keluar")
        MASUK = "masuk", _("Mutasi masuk")

    class Status(models.TextChoices):
        DILEPAS = "dilepas", _("Dilepas, menunggu diterima")
        SELESAI = "selesai", _("Selesai")
        DIBATALKAN = "dibatalkan", _("Dibatalkan")

    arah = models.CharField(_("arah"), max_length=6, choices=Arah.choices)
    nip = models.CharField(_("NIP / NI PPPK"), max_length=18, db_index=True)
    pegawai = models.ForeignKey(
        Pegawai, null=True, blank=True, on_delete=models.SET_NULL, related_name="mutasi"
    )
    # The other regency, by its Kemendagri code (public schema id may differ per environment).
    daerah_kode = models.CharField(_("kode daerah asal/tujuan"), max_length=10)
    daerah_nama = models.CharField(_("daerah asal/tujuan"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    sk_nomor = models.CharField(_("nomor SK"), max_length=100)
    sk_tanggal = models.DateField(_("tanggal SK"))
    tmt = models.DateField(_("TMT"))
    snapshot = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    selesai_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mutasi antardaerah")
        verbose_name_plural = _("mutasi antardaerah")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nip"],
                condition=models.Q(arah="keluar", status="dilepas"),
                name="mutasi_satu_pelepasan_terbuka",
                violation_error_message=_("Pegawai ini sudah dilepas dan menunggu diterima."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_arah_display()} {self.daerah_nama}"


def _import_upload_to(instance: "ImportBerkas", filename: str) -> str:
    return tenant_path("kepegawaian", "import", str(instance.pk), filename)


class ImportBerkas(models.Model):
    """An uploaded spreadsheet between its dry-run preview and its application."""

    class Jenis(models.TextChoices):
        PEGAWAI = "pegawai", _("Pegawai")
        UNIT = "unit", _("Unit organisasi")

    class Status(models.TextChoices):
        PRATINJAU = "pratinjau", _("Pratinjau")
        DIPROSES = "diproses", _("Sedang diproses")
        SELESAI = "selesai", _("Selesai")
        GAGAL = "gagal", _("Gagal")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    jenis = models.CharField(_("jenis data"), max_length=10, choices=Jenis.choices)
    nama_berkas = models.CharField(_("nama berkas"), max_length=255)
    berkas = models.FileField(_("berkas"), upload_to=_import_upload_to, max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PRATINJAU)
    jumlah_baris = models.PositiveIntegerField(default=0)
    jumlah_valid = models.PositiveIntegerField(default=0)
    jumlah_diterapkan = models.PositiveIntegerField(default=0)
    # Per row: {"baris": n, "kolom": {"nip": ["..."]}} for every row that was not applied.
    masalah = models.JSONField(default=list, blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    selesai_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("impor data kepegawaian")
        verbose_name_plural = _("impor data kepegawaian")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.nama_berkas
