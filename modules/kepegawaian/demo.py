"""Demo data for the demo regencies: a few OPD, positions and employees, and the demo employee
account linked to its Pegawai record (same NIP), so every module has people to work with."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from eoffice.accounts.models import User
from eoffice.nip_registry.services import nip_claim
from modules.kepegawaian.models import Jabatan, Pegawai, RiwayatJabatan, RiwayatPangkat, Unit
from modules.kepegawaian.services import unit_path_for
from tenants.models import Tenant


@dataclass(frozen=True)
class DemoPegawai:
    nip: str
    nama: str
    gelar_belakang: str
    golongan: str
    jabatan: str  # key into the positions below
    tempat_lahir: str


# NIPs follow DOMAIN.md's layout (birth date, TMT CPNS, gender, sequence); made up for the demo.
@dataclass(frozen=True)
class DemoDaerah:
    opd: tuple[str, str]
    pegawai: list[DemoPegawai]


DEMO: dict[str, DemoDaerah] = {
    "32.11": DemoDaerah(
        opd=("Dinas Komunikasi dan Informatika", "Diskominfosanditik"),
        pegawai=[
            DemoPegawai("197504122000031002", "Dadang Suherman", "S.T., M.Si.", "IV/b", "kepala", "Sumedang"),
            DemoPegawai("198102152005012003", "Euis Komariah", "S.Kom.", "III/d", "kabid", "Bandung"),
            DemoPegawai("198609262015051001", "Asep Hidayat", "S.Kom.", "III/b", "pranata", "Sumedang"),
            DemoPegawai("199207082020122004", "Siti Nurhaliza", "A.Md.", "II/c", "pelaksana", "Garut"),
        ],
    ),
    "74.71": DemoDaerah(
        opd=("Dinas Komunikasi dan Informatika", "Diskominfo"),
        pegawai=[
            DemoPegawai(
                "197611032001121001", "La Ode Muhammad Rusdin", "S.Sos., M.Si.", "IV/b", "kepala", "Raha"
            ),
            DemoPegawai("198304172008011002", "Andi Syahrul", "S.T.", "III/d", "kabid", "Kendari"),
            DemoPegawai("199001152019032002", "Wa Ode Nurhayati", "S.E.", "III/a", "pranata", "Baubau"),
            DemoPegawai("199405202022032001", "Nur Aisyah", "S.Kom.", "III/a", "pelaksana", "Kendari"),
        ],
    ),
}


def _unit(nama: str, jenis: str, parent: Unit | None, singkatan: str = "") -> Unit:
    unit = Unit.objects.filter(parent=parent, nama=nama).first()
    if unit is None:
        unit = Unit.objects.create(nama=nama, jenis=jenis, parent=parent, singkatan=singkatan)
        unit.path, unit.depth = unit_path_for(parent=parent, unit_id=unit.pk)
        unit.save(update_fields=["path", "depth"])
    return unit


def demo_seed(tenant: Tenant) -> None:
    """Called inside the tenant's schema by tenants.demo, once, when the regency is new."""
    spec = DEMO.get(tenant.kode or "")
    if spec is None:
        return
    with transaction.atomic():
        root = Unit.objects.filter(parent__isnull=True, jenis=Unit.Jenis.PEMDA).order_by("id").first()
        if root is None:
            root = _unit(f"Pemerintah {tenant.name}", Unit.Jenis.PEMDA, None)
        nama_opd, singkatan = spec.opd
        opd = _unit(nama_opd, Unit.Jenis.DINAS, root, singkatan)
        bidang = _unit("Bidang Aplikasi Informatika", Unit.Jenis.BIDANG, opd, "Aptika")
        _unit("Sekretariat Daerah", Unit.Jenis.SEKRETARIAT, root, "Setda")
        _unit("Badan Kepegawaian dan Pengembangan SDM", Unit.Jenis.BADAN, root, "BKPSDM")
        positions = {
            "kepala": (opd, "Kepala Dinas Komunikasi dan Informatika", Jabatan.Jenis.JPT, 14, True, ""),
            "kabid": (bidang, "Kepala Bidang Aplikasi Informatika", Jabatan.Jenis.ADMINISTRATOR, 11, True, ""),
            "pranata": (bidang, "Pranata Komputer Ahli Pertama", Jabatan.Jenis.FUNGSIONAL, 8, False,
                        Jabatan.Jenjang.AHLI_PERTAMA),
            "pelaksana": (bidang, "Pengelola Sistem Informasi", Jabatan.Jenis.PELAKSANA, 7, False, ""),
        }  # fmt: skip
        jabatan = {}
        for key, (unit, nama, jenis, kelas, kepala, jenjang) in positions.items():
            jabatan[key], _created = Jabatan.objects.get_or_create(
                unit=unit, nama=nama,
                defaults={"jenis": jenis, "kelas_jabatan": kelas, "is_kepala_unit": kepala, "jenjang": jenjang},
            )  # fmt: skip
        for item in spec.pegawai:
            if Pegawai.objects.filter(nip=item.nip).exists():
                continue
            n = item.nip
            lahir = datetime.date(int(n[:4]), int(n[4:6]), int(n[6:8]))
            tmt_cpns = datetime.date(int(n[8:12]), int(n[12:14]), 1)
            post = jabatan[item.jabatan]
            # The last rank change four years after CPNS, with the masa kerja counted from CPNS: always
            # in the past for the demo NIPs (TMT CPNS 2000–2022).
            tmt_golongan = datetime.date(tmt_cpns.year + 4, 4, 1)
            pegawai = Pegawai.objects.create(
                nip=n, jenis_pegawai=Pegawai.JenisPegawai.PNS, nama=item.nama, gelar_belakang=item.gelar_belakang,
                tempat_lahir=item.tempat_lahir, tanggal_lahir=lahir, jenis_kelamin="L" if n[14] == "1" else "P",
                golongan=item.golongan, tmt_golongan=tmt_golongan, mkg_tahun=4,
                tmt_cpns=tmt_cpns, tmt_pns=datetime.date(tmt_cpns.year + 1, tmt_cpns.month, 1), unit=post.unit,
                jabatan=post, user=User.objects.filter(username=n).first(),
            )  # fmt: skip
            nip_claim(nip=n, tenant=tenant)
            RiwayatPangkat.objects.create(
                pegawai=pegawai, golongan=item.golongan, tmt=tmt_golongan, mkg_tahun=4,
                sk_nomor=f"823/{n[-3:]}/BKPSDM/{tmt_golongan.year}",
                sk_tanggal=tmt_golongan - datetime.timedelta(days=30),
            )  # fmt: skip
            RiwayatJabatan.objects.create(
                pegawai=pegawai, jabatan=post, nama_jabatan=post.nama, nama_unit=post.unit.nama,
                tmt=datetime.date(2023, 1, 2), sk_nomor=f"821/{n[-3:]}/BKPSDM/2022", sk_tanggal=datetime.date(2022, 12, 20),
            )  # fmt: skip
