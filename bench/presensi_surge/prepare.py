"""Builds the surge benchmark's database: three regencies (WIB, WITA, WIT) with 5,000 employees in
all, each with an account and a signed-in session, an office geofence and a schedule open all day
(so the benchmark does not depend on the hour it runs). Clears earlier check-ins.

Run by run.py with the production settings; safe to run again. Writes the employees' sessions to
the CSV given as the first argument.
"""

import csv
import datetime
import sys

import django

import eoffice  # noqa: F401 - loads the settings first (Celery reads them)

django.setup()

from decimal import Decimal  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.cached_db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import schema_context, schema_exists  # noqa: E402

from eoffice.accounts.models import User  # noqa: E402
from modules.kepegawaian.models import Jabatan, Pegawai, Unit  # noqa: E402
from modules.presensi.models import JadwalHari, JadwalKerja, LokasiKantor, Presensi, StatusHarian  # noqa: E402
from tenants.models import Domain, Tenant  # noqa: E402
from tenants.services import platform_tenant_ensure  # noqa: E402

ROOT_DOMAIN = "surge.localhost"
# schema, host, name, code outside the real range, zone, office centre
TENANTS = [
    (
        "surge_wib",
        f"wib.{ROOT_DOMAIN}",
        "Kabupaten Surge WIB",
        "98.01",
        "Asia/Jakarta",
        ("-6.858600", "107.919600"),
    ),
    (
        "surge_wita",
        f"wita.{ROOT_DOMAIN}",
        "Kota Surge WITA",
        "98.71",
        "Asia/Makassar",
        ("-3.969800", "122.514900"),
    ),
    (
        "surge_wit",
        f"wit.{ROOT_DOMAIN}",
        "Kota Surge WIT",
        "98.72",
        "Asia/Jayapura",
        ("-2.533300", "140.716700"),
    ),
]
EMPLOYEES = 5000
UNITS_PER_TENANT = 25
PASSWORD = make_password(None)  # unusable: the benchmark signs in through sessions


def nip(tenant_index: int, n: int) -> str:
    # Valid shape: birth date, TMT CPNS, gender, sequence; unique per benchmark employee.
    birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=n % 9000)
    return f"{birth:%Y%m%d}{2000 + tenant_index:04d}{(n // 9000) + 1:02d}1{n % 1000:03d}"


def main(out_path: str) -> None:
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    platform_tenant_ensure(domain=ROOT_DOMAIN)
    rows: list[list[str]] = []
    per_tenant = [
        EMPLOYEES // len(TENANTS) + (1 if i < EMPLOYEES % len(TENANTS) else 0) for i in range(len(TENANTS))
    ]
    for index, ((schema, host, name, kode, zone, (lat, lon)), count) in enumerate(
        zip(TENANTS, per_tenant, strict=True)
    ):
        tenant = Tenant.objects.filter(schema_name=schema).first()
        if tenant is None:
            tenant = Tenant(
                schema_name=schema, name=name, kode=kode, jenis=Tenant.Jenis.KABUPATEN, timezone=zone
            )
            tenant.save(verbosity=0)
        if not schema_exists(schema):
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE SCHEMA "{schema}"')
        call_command("migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=0)
        connection.set_schema_to_public()
        Domain.objects.get_or_create(domain=host, defaults={"tenant": tenant, "is_primary": True})
        with schema_context(schema):
            Presensi.objects.all().delete()
            StatusHarian.objects.all().delete()
            root = Unit.objects.filter(parent__isnull=True).first()
            if root is None:
                root = Unit.objects.create(nama=f"Pemerintah {name}", jenis=Unit.Jenis.PEMDA)
                root.path, root.depth = f"{root.pk}.", 0
                root.save(update_fields=["path", "depth"])
            while Unit.objects.count() < UNITS_PER_TENANT + 1:
                unit = Unit.objects.create(
                    nama=f"Dinas {Unit.objects.count()}", jenis=Unit.Jenis.DINAS, parent=root
                )
                unit.path, unit.depth = f"{root.path}{unit.pk}.", 1
                unit.save(update_fields=["path", "depth"])
                Jabatan.objects.create(
                    nama=f"Pelaksana {unit.nama}", unit=unit, jenis="pelaksana", kelas_jabatan=7
                )
            units = list(Unit.objects.filter(depth=1).order_by("pk"))
            jabatan = {j.unit_id: j for j in Jabatan.objects.filter(unit__in=units)}
            if not LokasiKantor.objects.exists():
                LokasiKantor.objects.create(
                    nama=f"Kantor {name}",
                    unit=root,
                    latitude=Decimal(lat),
                    longitude=Decimal(lon),
                    radius_m=150,
                )
            if not JadwalKerja.objects.filter(nama="Surge: sepanjang hari").exists():
                # Open all day, every day, so the run never falls outside a window.
                jadwal = JadwalKerja.objects.create(
                    nama="Surge: sepanjang hari", jenis=JadwalKerja.Jenis.LIMA_HARI
                )
                JadwalHari.objects.bulk_create(
                    JadwalHari(
                        jadwal=jadwal, hari=d, jam_masuk=datetime.time(0, 0), jam_pulang=datetime.time(23, 59)
                    )
                    for d in range(7)
                )
            existing = Pegawai.objects.count()
            if existing < count:
                users = User.objects.bulk_create(
                    User(
                        username=nip(index, n),
                        email=f"{nip(index, n)}@{schema}.go.id",
                        nama=f"Pegawai Surge {n}",
                        password=PASSWORD,
                        peran=User.Peran.PEGAWAI,
                    )
                    for n in range(existing, count)
                )
                Pegawai.objects.bulk_create(
                    Pegawai(
                        user=user,
                        nip=user.username,
                        jenis_pegawai="pns",
                        nama=user.nama,
                        tanggal_lahir=datetime.date(1980, 1, 1),
                        jenis_kelamin="L",
                        golongan="III/a",
                        tmt_cpns=datetime.date(2010, 1, 1),
                        unit=units[i % len(units)],
                        jabatan=jabatan[units[i % len(units)].pk],
                    )
                    for i, user in enumerate(users, start=existing)
                )
            Session.objects.all().delete()
            sessions, cached = [], {}
            expire = timezone.now() + datetime.timedelta(hours=8)
            for user in User.objects.filter(peran=User.Peran.PEGAWAI, pegawai__isnull=False).order_by("pk")[
                :count
            ]:
                key = _session_key()
                data = {
                    "_auth_user_id": str(user.pk),
                    "_auth_user_backend": "eoffice.accounts.backends.AuthenticationBackend",
                    "_auth_user_hash": user.get_session_auth_hash(),
                }
                sessions.append(
                    Session(session_key=key, session_data=SessionStore().encode(data), expire_date=expire)
                )
                rows.append([host, key, _get_new_csrf_string(), user.username])
                cached[SessionStore(session_key=key).cache_key] = data
            Session.objects.bulk_create(sessions, batch_size=1000)
            # Phones open the app (today's schedule) before checking in, so in the morning every
            # session is already in the session cache, as it is here.
            caches[settings.SESSION_CACHE_ALIAS].set_many(cached, timeout=8 * 3600)
    with open(out_path, "w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    print(f"{len(rows)} employees in {len(TENANTS)} regencies", file=sys.stderr)


def _session_key() -> str:
    from django.utils.crypto import get_random_string

    return get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")


if __name__ == "__main__":
    main(sys.argv[1])
