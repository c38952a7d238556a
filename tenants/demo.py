"""The demo regencies `make run` brings up, seeded through the same services as real ones."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from eoffice.core.modules import all_modules
from tenants.models import Tenant
from tenants.services import AdminAccount, platform_tenant_ensure, tenant_host, tenant_provision, user_create

DEMO_PASSWORD = "eoffice-demo-2026"  # local demo data only; `demo_seed` refuses to run without DEBUG


@dataclass(frozen=True)
class DemoRegency:
    kode: str
    name: str
    jenis: str
    provinsi: str
    timezone: str
    subdomain: str
    employee_nip: str
    employee_nama: str


DEMO_REGENCIES = (
    DemoRegency(
        kode="32.11",
        name="Kabupaten Sumedang",
        jenis=Tenant.Jenis.KABUPATEN,
        provinsi="Jawa Barat",
        timezone=Tenant.Zona.WIB,
        subdomain="sumedang",
        employee_nip="198609262015051001",
        employee_nama="Asep Hidayat, S.Kom.",
    ),
    DemoRegency(
        kode="74.71",
        name="Kota Kendari",
        jenis=Tenant.Jenis.KOTA,
        provinsi="Sulawesi Tenggara",
        timezone=Tenant.Zona.WITA,
        subdomain="kendari",
        employee_nip="199001152019032002",
        employee_nama="Wa Ode Nurhayati, S.E.",
    ),
)

OPERATOR_USERNAME = "operator"


@dataclass(frozen=True)
class DemoLogin:
    url: str
    role: str
    login: str
    password: str


def demo_seed(*, history: bool = False) -> list[DemoLogin]:
    """Create the platform tenant, an operator and the demo regencies if missing; list the logins.
    `history`: new regencies also get each module's worked history (`ModuleSpec.demo_history`)."""
    port = settings.DEMO_PORT
    logins: list[DemoLogin] = []
    platform_tenant_ensure(domain=settings.ROOT_DOMAIN)
    with transaction.atomic():
        if not User.objects.filter(username=OPERATOR_USERNAME).exists():
            operator = user_create(
                username=OPERATOR_USERNAME,
                email=f"operator@{settings.ROOT_DOMAIN}",
                nama="Operator Platform",
                password=DEMO_PASSWORD,
            )
            operator.is_staff = True
            operator.is_superuser = True
            operator.save(update_fields=["is_staff", "is_superuser"])
    logins.append(
        DemoLogin(f"http://{settings.ROOT_DOMAIN}:{port}/", "operator", OPERATOR_USERNAME, DEMO_PASSWORD)
    )
    for regency in DEMO_REGENCIES:
        admin_username = f"admin.{regency.subdomain}"
        if not Tenant.objects.filter(kode=regency.kode).exists():
            # The same path as a real regency: template copy, administrator, organisation
            # skeleton from the wilayah data, default configuration.
            tenant = tenant_provision(
                kode=regency.kode,
                name=regency.name,
                jenis=regency.jenis,
                provinsi=regency.provinsi,
                timezone=regency.timezone,
                subdomain=regency.subdomain,
                admin=AdminAccount(
                    username=admin_username,
                    email=f"admin@{regency.subdomain}.go.id",
                    nama=f"Admin {regency.name}",
                    password=DEMO_PASSWORD,
                ),
            )
            with schema_context(tenant.schema_name), transaction.atomic():
                user_create(
                    username=regency.employee_nip,
                    email=f"pegawai@{regency.subdomain}.go.id",
                    nama=regency.employee_nama,
                    password=DEMO_PASSWORD,
                )
                for spec in all_modules():
                    if spec.demo_seed:
                        import_string(spec.demo_seed)(tenant)
                for spec in all_modules():
                    if history and spec.demo_history:
                        import_string(spec.demo_history)(tenant)
        url = f"http://{tenant_host(subdomain=regency.subdomain)}:{port}/"
        logins.append(DemoLogin(url, "admin pemda", admin_username, DEMO_PASSWORD))
        logins.append(DemoLogin(url, "pegawai", regency.employee_nip, DEMO_PASSWORD))
    return logins
