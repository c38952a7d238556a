"""The demo history `make run` seeds: last month's TPP worked through."""

import datetime

from django.utils import timezone
from django_tenants.utils import schema_context

from modules.kepegawaian.models import Pegawai
from modules.presensi.demo import demo_history as presensi_demo_history
from modules.tpp.demo import tpp_demo_history
from modules.tpp.models import KinerjaBulanan, TppBaris, TppPeriode


def test_demo_history_computes_last_month_with_every_employees_kinerja(sumedang):
    with schema_context(sumedang.schema_name):
        # given the demo regency with its attendance history (every day of last month closed)
        presensi_demo_history(sumedang)
        last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        # when the TPP history is added (twice: the second run changes nothing)
        tpp_demo_history(sumedang)
        computed_at = TppPeriode.objects.get(tahun=last.year, bulan=last.month).dihitung_pada
        tpp_demo_history(sumedang)
        # then last month is computed, unlocked, for every active employee, each with a score
        periode = TppPeriode.objects.get(tahun=last.year, bulan=last.month)
        assert (periode.status, periode.dihitung_pada) == (TppPeriode.Status.DIHITUNG, computed_at)
        aktif = set(Pegawai.objects.filter(status=Pegawai.Status.AKTIF).values_list("pk", flat=True))
        lines = TppBaris.objects.filter(periode=periode)
        assert set(lines.values_list("pegawai_id", flat=True)) == aktif
        assert not lines.filter(kinerja_nilai__isnull=True).exists()
        scores = list(
            KinerjaBulanan.objects.filter(tahun=last.year, bulan=last.month).values_list("nilai", flat=True)
        )
        assert len(scores) == len(aktif) and all(60 <= s <= 100 for s in scores)
        assert lines.filter(netto__gt=0).count() == len(aktif)
