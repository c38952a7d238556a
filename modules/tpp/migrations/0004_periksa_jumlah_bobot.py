"""Data check before the weights must add up to 100 (0005): every existing Perbup has
bobot_serapan 0 (0003's default), so its kinerja + disiplin must already be 100. The service has
always required that; a row that does not (edited by hand in the database) stops the migration
here with the Perbup named, instead of an anonymous constraint error in 0005."""

from django.db import migrations
from django.db.models import F


def periksa(apps, schema_editor):
    PerbupTpp = apps.get_model("tpp", "PerbupTpp")
    salah = list(
        PerbupTpp.objects.annotate(jumlah=F("bobot_kinerja") + F("bobot_disiplin") + F("bobot_serapan"))
        .exclude(jumlah=100)
        .values_list("nomor", "jumlah")
    )
    if salah:
        daftar = "; ".join(f"{nomor}: {jumlah}" for nomor, jumlah in salah)
        raise RuntimeError(
            f"Bobot Perbup TPP berikut tidak berjumlah 100 (perbaiki dulu, lalu ulangi migrasi): {daftar}"
        )


class Migration(migrations.Migration):
    rollout_reviewed = (
        "Reads tpp_perbuptpp only (a handful of rows per regency) and writes nothing; it fails "
        "before 0005 rather than letting 0005 fail on an anonymous constraint error."
    )
    dependencies = [
        ("tpp", "0003_perbup_bobot_serapan_serapan_anggaran"),
    ]

    operations = [
        migrations.RunPython(periksa, migrations.RunPython.noop),
    ]
