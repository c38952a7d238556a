"""Demo TPP for a demo regency: a Perbup shaped like the common tables in DOMAIN.md and, with
`demo_seed --history`, last month worked through."""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from eoffice.accounts.models import User
from modules.kepegawaian.models import Pegawai
from modules.presensi.selectors import tenant_zone
from modules.tpp.models import KinerjaBulanan, PerbupTpp, TppPeriode

# Base amounts per kelas jabatan, in the range DOMAIN.md cites (Rp3,185,000 for kelas 1 up to
# Rp43,125,000 for kelas 16); demo figures, not any regency's actual Perbup.
BESARAN_DEMO = {
    1: 3_185_000, 2: 3_400_000, 3: 3_650_000, 4: 3_900_000, 5: 4_200_000, 6: 4_550_000,
    7: 4_950_000, 8: 5_400_000, 9: 6_000_000, 10: 6_800_000, 11: 8_000_000, 12: 10_000_000,
    13: 13_000_000, 14: 18_000_000, 15: 26_000_000, 16: 43_125_000, 17: 50_000_000,
}  # fmt: skip

HUKDIS_DEMO = [
    ("teguran_lisan", "teguran lisan", 20, 1),
    ("teguran_tertulis", "teguran tertulis", 30, 2),
    ("pernyataan_tidak_puas", "pernyataan tidak puas secara tertulis", 40, 3),
    ("pemotongan_tukin_25", "pemotongan tunjangan kinerja 25%", 50, 6),
    ("penurunan_jabatan", "penurunan jabatan setingkat lebih rendah", 75, 12),
    ("pemberhentian", "pemberhentian", 100, 12),
]


def perbup_demo_data(
    *, nomor: str = "Perbup Nomor 10 Tahun 2025", berlaku_mulai: datetime.date
) -> dict[str, Any]:
    """Arguments for `perbup_tpp_create`: 60/40 weights and the common TL/PSW table."""
    band = {1: "0.5", 2: "1", 3: "1.5", 4: "2"}
    return {
        "nomor": nomor,
        "judul": "Pemberian Tambahan Penghasilan Pegawai Aparatur Sipil Negara",
        "berlaku_mulai": berlaku_mulai,
        "parameter": {
            "bobot_kinerja": "60",
            "bobot_disiplin": "40",
            "potongan_tk_per_hari": "3",
            "potongan_izin_per_hari": "0",
            "potongan_disiplin_maks": "100",
            "persen_cpns": "80",
            "bpjs_persen_total": "5",
            "bpjs_persen_pegawai": "1",
            "bpjs_batas_atas": 12_000_000,
            "pajak_perlakuan": PerbupTpp.PerlakuanPajak.DIPOTONG,
            "tarif_pph_gol_iv": "15",
            "tarif_pph_gol_iii": "5",
            "tarif_pph_lainnya": "0",
        },
        "besaran": [{"kelas_jabatan": kelas, "besaran": nilai} for kelas, nilai in BESARAN_DEMO.items()],
        "potongan_band": [
            {"jenis": jenis, "band": b, "persen": persen}
            for jenis in ("tl", "psw")
            for b, persen in band.items()
        ],
        "jenis_hukdis": [
            {"kode": kode, "nama": nama, "persen": persen, "bulan": bulan}
            for kode, nama, persen, bulan in HUKDIS_DEMO
        ],
    }


def tpp_demo_seed(tenant: Any) -> None:
    """ModuleSpec.demo_seed hook: the demo regency's Perbup TPP, in force from 1 January 2025."""
    from modules.tpp.services import perbup_tpp_create

    if PerbupTpp.objects.exists():
        return
    admin = User.objects.filter(peran=User.Peran.ADMIN_PEMDA).order_by("id").first()
    if admin is None:
        return
    kota = "Perwali" if tenant.jenis == "kota" else "Perbup"
    with transaction.atomic():
        perbup_tpp_create(
            actor=admin,
            **perbup_demo_data(
                nomor=f"{kota} {tenant.name} Nomor 10 Tahun 2024", berlaku_mulai=datetime.date(2025, 1, 1)
            ),
        )


def tpp_demo_history(tenant: Any) -> None:
    """ModuleSpec.demo_history hook, after presensi's (which closes last month's days): each
    active employee's kinerja score for last month, as superiors enter them (mostly 80–100, a
    few lower; deterministic per regency), and last month's TPP computed by the admin pemda, so
    the review page and every employee's slip show a worked month. The month stays unlocked,
    for the admin to review and lock."""
    from modules.tpp.services import tpp_periode_hitung

    today = timezone.localdate(timezone=tenant_zone())
    last = today.replace(day=1) - datetime.timedelta(days=1)
    admin = User.objects.filter(peran=User.Peran.ADMIN_PEMDA).order_by("id").first()
    if admin is None or TppPeriode.objects.filter(tahun=last.year, bulan=last.month).exists():
        return
    rng = random.Random(f"{getattr(tenant, 'schema_name', '')}-kinerja")
    with transaction.atomic():
        KinerjaBulanan.objects.bulk_create(
            [
                KinerjaBulanan(
                    pegawai=pegawai,
                    tahun=last.year,
                    bulan=last.month,
                    nilai=Decimal(rng.randint(60, 79) if rng.random() < 0.1 else rng.randint(80, 100)),
                    sumber=KinerjaBulanan.Sumber.ATASAN,
                )
                for pegawai in Pegawai.objects.filter(status=Pegawai.Status.AKTIF)
            ],
            ignore_conflicts=True,
        )
        tpp_periode_hitung(actor=admin, tahun=last.year, bulan=last.month)
