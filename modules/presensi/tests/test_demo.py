"""The demo regencies come with an office location and the national default schedule."""

import datetime

from django_tenants.utils import schema_context

from modules.presensi.demo import ramadan_estimate
from modules.presensi.models import JadwalKerja, LokasiKantor


def test_demo_regencies_have_an_office_and_the_perpres_schedule(sumedang, kendari):
    for tenant, nama in ((sumedang, "Kantor Bupati Sumedang"), (kendari, "Balai Kota Kendari")):
        with schema_context(tenant.schema_name):
            assert list(LokasiKantor.objects.values_list("nama", "radius_m")) == [(nama, 100)]
            normal = JadwalKerja.objects.get(unit__isnull=True, musim="normal")
            hours = sorted((h.hari, h.jam_masuk, h.jam_pulang) for h in normal.hari.all())
            assert hours == [
                (0, datetime.time(7, 30), datetime.time(16, 0)),
                (1, datetime.time(7, 30), datetime.time(16, 0)),
                (2, datetime.time(7, 30), datetime.time(16, 0)),
                (3, datetime.time(7, 30), datetime.time(16, 0)),
                (4, datetime.time(7, 30), datetime.time(16, 30)),
            ]
            # Ramadan seasons of this year and the next.
            assert JadwalKerja.objects.filter(unit__isnull=True, musim="ramadan").count() == 2


def test_ramadan_estimate_ends_the_day_before_idul_fitri():
    assert ramadan_estimate(2026) == (datetime.date(2026, 2, 19), datetime.date(2026, 3, 20))


def test_ramadan_estimate_uses_the_packages_estimated_dates_for_future_years():
    assert ramadan_estimate(2027) == (datetime.date(2027, 2, 8), datetime.date(2027, 3, 9))


def test_demo_history_closes_every_day_since_last_month_with_mostly_present_employees(sumedang):
    from django.utils import timezone

    from modules.kepegawaian.models import Pegawai
    from modules.presensi.demo import demo_history
    from modules.presensi.models import PenutupanHari, Presensi, StatusHarian
    from modules.tpp.services import hari_kerja_belum_ditutup

    with schema_context(sumedang.schema_name):
        # given the demo regency as the test suite seeds it (no history)
        assert not Presensi.objects.exists()
        today = timezone.localdate()
        mulai = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        # when make run adds the history (twice: the second run adds nothing)
        demo_history(sumedang)
        stored = Presensi.objects.count()
        demo_history(sumedang)
        # then every day from the first of last month to yesterday is closed, TPP finds no gap,
        # and on working days most employees were present
        closed = set(PenutupanHari.objects.values_list("tanggal", flat=True))
        assert closed == {mulai + datetime.timedelta(days=n) for n in range((today - mulai).days)}
        assert hari_kerja_belum_ditutup(awal=mulai, akhir=today, hari_ini=today) == []
        assert Presensi.objects.count() == stored > 0
        kerja = StatusHarian.objects.exclude(status="libur")
        assert kerja.filter(status="hadir").count() > 0.8 * kerja.count()
        assert kerja.filter(status="tk").exists() or kerja.filter(tl__gt=0).exists()
        assert set(kerja.values_list("pegawai_id", flat=True)) == set(
            Pegawai.objects.filter(status="aktif").values_list("pk", flat=True)
        )
