"""Load the Kemendagri area list (tenants/reference/wilayah.csv) into tenants_wilayah with COPY."""

from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parents[1] / "reference" / "wilayah.csv"


def load(apps, schema_editor):
    cursor = schema_editor.connection.cursor()
    cursor.execute(
        "CREATE TEMP TABLE wilayah_import (kode text, nama text, level smallint, timezone text) ON COMMIT DROP"
    )
    with cursor.cursor.copy("COPY wilayah_import FROM STDIN (FORMAT csv, HEADER true)") as copy:
        copy.write(CSV.read_bytes())
    # The parent of PP.KK.CC.XNNN is everything before its last dot; provinces have none.
    cursor.execute(
        """
        INSERT INTO tenants_wilayah (kode, nama, level, timezone, parent_kode)
        SELECT kode, nama, level, timezone,
               CASE WHEN position('.' IN kode) = 0 THEN '' ELSE regexp_replace(kode, '\\.[^.]*$', '') END
        FROM wilayah_import
        ON CONFLICT (kode) DO UPDATE
            SET nama = EXCLUDED.nama, level = EXCLUDED.level, timezone = EXCLUDED.timezone,
                parent_kode = EXCLUDED.parent_kode
        """
    )
    cursor.execute("DROP TABLE wilayah_import")


def unload(apps, schema_editor):
    apps.get_model("tenants", "Wilayah").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("tenants", "0002_platform_reference_onboarding_config")]

    operations = [migrations.RunPython(load, unload)]
