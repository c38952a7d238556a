"""Benchmark: one month's TPP run for a regency of 10,000 employees with 22 working days of
attendance (220,000 StatusHarian rows), under an 80/10/10 Perbup (kinerja / disiplin / serapan
anggaran) with the month's serapan for 95% of the OPDs. Target: under 15 s, with a query count that does not grow
with the head count.

Not part of `make test` (bench/ is outside the test paths). Run it explicitly:

    TEST_DATABASE_NAME=bench_tpp .venv/bin/pytest bench/tpp/bench_tpp_run.py -q -s

It uses the suite's fixtures (real PostgreSQL, the demo regency Sumedang) inside a rolled-back
transaction, builds the data with bulk inserts, then times the services the pages call.
"""

import calendar
import datetime
import io
import random
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from modules.kepegawaian.access import Cakupan
from modules.kepegawaian.models import Jabatan, Pegawai, RiwayatGaji, Unit
from modules.kepegawaian.services import unit_path_for
from modules.presensi.models import PenutupanHari, StatusHarian
from modules.tpp.demo import perbup_demo_data
from modules.tpp.exports import payroll_xlsx
from modules.tpp.models import Hukdis, KinerjaBulanan, SerapanAnggaran, TppBaris, TppPeriode
from modules.tpp.selectors import rekap_per_opd
from modules.tpp.services import kinerja_set, perbup_tpp_create, serapan_anggaran_set, tpp_periode_hitung

TAHUN, BULAN = 2026, 3
OPD = 60
BIDANG_PER_OPD = 4


def _hari_kerja(tahun: int, bulan: int) -> list[datetime.date]:
    day = datetime.date(tahun, bulan, 1)
    days = []
    while day.month == bulan:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days[:22]


def _build(n: int, seed: int, prefix: str) -> list[int]:
    """n employees spread over OPD × bidang, with a month of statuses, kinerja, salary and a few sanctions."""
    rng = random.Random(seed)
    root = Unit.objects.create(nama=f"Pemda Bench {prefix}", jenis=Unit.Jenis.PEMDA)
    root.path, root.depth = unit_path_for(parent=None, unit_id=root.pk)
    root.save(update_fields=["path", "depth"])
    opds = Unit.objects.bulk_create(
        [Unit(nama=f"Dinas {prefix}{i}", jenis=Unit.Jenis.DINAS, parent=root) for i in range(OPD)]
    )
    for u in opds:
        u.path, u.depth = unit_path_for(parent=root, unit_id=u.pk)
    Unit.objects.bulk_update(opds, ["path", "depth"])
    # Realisasi serapan anggaran for 95% of the OPDs; the rest count 0 and are flagged.
    SerapanAnggaran.objects.bulk_create(
        [
            SerapanAnggaran(opd=o, tahun=TAHUN, bulan=BULAN, nilai=Decimal(rng.randint(6000, 10000)) / 100)
            for o in opds
            if rng.random() < 0.95
        ]
    )
    bidang = Unit.objects.bulk_create(
        [
            Unit(nama=f"Bidang {prefix}{o.pk}-{j}", jenis=Unit.Jenis.BIDANG, parent=o)
            for o in opds
            for j in range(BIDANG_PER_OPD)
        ]
    )
    for u in bidang:
        u.path, u.depth = unit_path_for(parent=u.parent, unit_id=u.pk)
    Unit.objects.bulk_update(bidang, ["path", "depth"])
    jabatan = Jabatan.objects.bulk_create(
        [
            Jabatan(
                nama=f"Jabatan {k}", unit=u, jenis=rng.choice(["pelaksana", "fungsional"]), kelas_jabatan=k
            )
            for u in bidang
            for k in (5, 7, 9, 11)
        ]
    )
    pegawai = []
    for i in range(n):
        jab = jabatan[i % len(jabatan)]
        lahir = datetime.date(1970 + i % 25, 1 + i % 12, 1 + i % 28)
        jenis = "cpns" if i % 20 == 0 else "pppk" if i % 7 == 0 else "pns"
        pegawai.append(
            Pegawai(
                # 18 digits, unique per run (birth date, run prefix, sequence); only the format is checked here.
                nip=f"{lahir:%Y%m%d}{prefix}{i:09d}",
                jenis_pegawai=jenis,
                nama=f"Pegawai Bench {prefix}{i}",
                tanggal_lahir=lahir,
                jenis_kelamin="L" if i % 2 else "P",
                golongan="IX" if jenis == "pppk" else rng.choice(["II/c", "III/a", "III/b", "III/c", "IV/a"]),
                tmt_golongan=datetime.date(2020, 4, 1),
                unit=jab.unit,
                jabatan=jab,
            )
        )
    pegawai = Pegawai.objects.bulk_create(pegawai, batch_size=2000)
    ids = [p.pk for p in pegawai]

    days = _hari_kerja(TAHUN, BULAN)
    statuses = []
    for pid in ids:
        for day in days:
            r = rng.random()
            if r < 0.005:
                statuses.append(StatusHarian(pegawai_id=pid, tanggal=day, status="tk"))
            elif r < 0.015:
                statuses.append(
                    StatusHarian(pegawai_id=pid, tanggal=day, status="izin", dokumen="surat izin")
                )
            elif r < 0.035:
                statuses.append(StatusHarian(pegawai_id=pid, tanggal=day, status="cuti", jenis_cuti="CT"))
            else:
                tl = rng.choice([1, 1, 2, 3, 4]) if r < 0.115 else 0
                psw = rng.choice([1, 2, 3, 4]) if 0.115 <= r < 0.145 else 0
                statuses.append(StatusHarian(pegawai_id=pid, tanggal=day, status="hadir", tl=tl, psw=psw))
    StatusHarian.objects.bulk_create(statuses, batch_size=10_000)
    KinerjaBulanan.objects.bulk_create(
        [
            KinerjaBulanan(
                pegawai_id=pid, tahun=TAHUN, bulan=BULAN, nilai=rng.randint(60, 100), sumber="impor"
            )
            for pid in ids
            if rng.random() < 0.97
        ],
        batch_size=5000,
    )
    RiwayatGaji.objects.bulk_create(
        [
            RiwayatGaji(pegawai_id=pid, jenis="kgb", golongan="III/a", mkg_tahun=4, gaji_pokok=2_964_000,
                        tmt=datetime.date(2024, 4, 1), sk_nomor="822/bench", sk_tanggal=datetime.date(2024, 2, 1))
            for pid in ids
        ],
        batch_size=5000,
    )  # fmt: skip
    Hukdis.objects.bulk_create(
        [
            Hukdis(
                pegawai_id=pid,
                kode_jenis="teguran_tertulis",
                tmt=datetime.date(TAHUN, BULAN - 1, 1),
                sk_nomor="800/b",
            )
            for pid in ids[::100]
        ]
    )
    return ids


@pytest.mark.django_db
def test_bench_tpp_month(sumedang):
    with schema_context(sumedang.schema_name):
        admin = User.objects.get(username="admin.sumedang")
        data = perbup_demo_data(nomor="Perbup Bench", berlaku_mulai=datetime.date(2026, 1, 1))
        data["parameter"].update(bobot_kinerja="80", bobot_disiplin="10", bobot_serapan="10")
        perbup_tpp_create(actor=admin, **data)
        # Presensi closed every day of the month (the nightly job); TPP refuses a month without.
        PenutupanHari.objects.bulk_create(
            [
                PenutupanHari(tanggal=datetime.date(TAHUN, BULAN, day))
                for day in range(1, calendar.monthrange(TAHUN, BULAN)[1] + 1)
            ],
            ignore_conflicts=True,
        )

        # A small regency first: the query count must be the same at 1,000 and at 10,000.
        t0 = time.perf_counter()
        small_ids = _build(1_000, seed=1, prefix="1")
        with CaptureQueriesContext(connection) as q_small:
            tpp_periode_hitung(actor=admin, tahun=TAHUN, bulan=BULAN)
        queries_small = len(q_small)
        # Start the large run from scratch too, so both counts are of a first computation.
        TppPeriode.objects.filter(tahun=TAHUN, bulan=BULAN).delete()

        big_ids = _build(9_000, seed=2, prefix="2")
        build_s = time.perf_counter() - t0
        total = len(small_ids) + len(big_ids)
        assert StatusHarian.objects.filter(tanggal__year=TAHUN, tanggal__month=BULAN).count() >= total * 22

        with CaptureQueriesContext(connection) as q_first:
            t = time.perf_counter()
            periode = tpp_periode_hitung(actor=admin, tahun=TAHUN, bulan=BULAN)
            hitung_s = time.perf_counter() - t
        with CaptureQueriesContext(connection) as q_again:
            t = time.perf_counter()
            tpp_periode_hitung(actor=admin, tahun=TAHUN, bulan=BULAN)
            ulang_s = time.perf_counter() - t

        t = time.perf_counter()
        kinerja_set(
            actor=admin, pegawai=Pegawai.objects.get(pk=big_ids[0]), tahun=TAHUN, bulan=BULAN, nilai="75"
        )
        koreksi_s = time.perf_counter() - t

        opd_besar = Pegawai.objects.select_related("unit__parent").get(pk=big_ids[0]).unit.parent
        t = time.perf_counter()
        serapan_anggaran_set(actor=admin, opd=opd_besar, tahun=TAHUN, bulan=BULAN, nilai="88,25")
        serapan_s = time.perf_counter() - t
        opd_lines = TppBaris.objects.filter(periode=periode, opd=opd_besar).count()

        t = time.perf_counter()
        rekap = rekap_per_opd(cakupan=Cakupan(semua=True), periode=periode)
        rekap_s = time.perf_counter() - t

        t = time.perf_counter()
        xlsx = payroll_xlsx(periode=periode, baris=TppBaris.objects.filter(periode=periode))
        xlsx_s = time.perf_counter() - t

        lines = TppBaris.objects.filter(periode=periode).count()
        print(
            "\n".join(
                [
                    "",
                    f"employees in run: {lines} (built {total} + demo data in {build_s:.1f} s)",
                    f"statuses in month: {StatusHarian.objects.filter(tanggal__year=TAHUN, tanggal__month=BULAN).count()}",
                    f"compute month (10k):        {hitung_s:.2f} s, {len(q_first)} queries",
                    f"recompute month (10k):      {ulang_s:.2f} s, {len(q_again)} queries",
                    f"compute month (1k):         {queries_small} queries",
                    f"one correction (kinerja):   {koreksi_s * 1000:.0f} ms",
                    f"one OPD's serapan ({opd_lines} lines recomputed): {serapan_s * 1000:.0f} ms",
                    f"recap per OPD ({len(rekap)} rows): {rekap_s * 1000:.0f} ms",
                    f"payroll xlsx ({len(io.BytesIO(xlsx).getvalue()) // 1024} KiB): {xlsx_s:.2f} s",
                ]
            )
        )
        assert lines >= total
        assert TppBaris.objects.filter(periode=periode, komponen_serapan__gt=0).count() > total * 0.8
        assert queries_small == len(q_first)
        assert hitung_s < 15
