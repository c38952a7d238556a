from django.core.management.base import BaseCommand, CommandError

from eoffice.core.errors import ApplicationError
from tenants.models import Wilayah
from tenants.services import AdminAccount, tenant_provision


class Command(BaseCommand):
    help = "Provision a kabupaten/kota from the template: manage.py tenant_provision 74.71 --subdomain kendari --admin-email …"

    def add_arguments(self, parser):
        parser.add_argument("kode", help="Kemendagri code of the kabupaten/kota, e.g. 74.71")
        parser.add_argument("--subdomain", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-nama", default="")
        parser.add_argument("--admin-username", default="", help="Default: admin.<subdomain>")

    def handle(
        self,
        *args,
        kode: str,
        subdomain: str,
        admin_email: str,
        admin_nama: str,
        admin_username: str,
        **options,
    ):
        wilayah = Wilayah.objects.filter(kode=kode, level=Wilayah.Level.KABUPATEN_KOTA).first()
        if wilayah is None:
            raise CommandError(f"{kode} is not a kabupaten/kota code in the wilayah list.")
        provinsi = (
            Wilayah.objects.filter(kode=wilayah.parent_kode).values_list("nama", flat=True).first() or ""
        )
        username = admin_username or f"admin.{subdomain}"
        try:
            tenant = tenant_provision(
                kode=wilayah.kode,
                name=wilayah.nama,
                jenis=wilayah.jenis,
                provinsi=provinsi,
                timezone=wilayah.timezone,
                subdomain=subdomain,
                admin=AdminAccount(
                    username=username, email=admin_email, nama=admin_nama or f"Admin {wilayah.nama}"
                ),
            )
        except ApplicationError as error:
            details = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.fields.items())
            raise CommandError(f"{error.message} {details}".strip()) from error
        self.stdout.write(
            f"{tenant.name} ready on {tenant.get_primary_domain()} (schema {tenant.schema_name}); "
            f"administrator {username} has no password yet: send a password reset to {admin_email}."
        )
