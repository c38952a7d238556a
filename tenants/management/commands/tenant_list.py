import json

from django.core.management.base import BaseCommand

from tenants.selectors import tenant_list, tenant_stats


class Command(BaseCommand):
    help = "List tenants with status, size, users, employees and migration state (--json for scripts)."

    def add_arguments(self, parser):
        parser.add_argument("--search", default="")
        parser.add_argument("--status", default="")
        parser.add_argument("--provinsi", default="")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, search: str, status: str, provinsi: str, json: bool, **options):
        tenants = list(tenant_list(search=search, status=status, provinsi=provinsi))
        stats = tenant_stats(tenants=tenants)
        rows = [
            {
                "kode": t.kode,
                "name": t.name,
                "schema": t.schema_name,
                "status": t.status,
                "host": str(t.get_primary_domain() or ""),
                "schema_bytes": stats[t.pk].schema_bytes,
                "users": stats[t.pk].users,
                "employees": stats[t.pk].employees,
                "migrations_pending": stats[t.pk].migrations_pending,
            }
            for t in tenants
        ]
        if json:
            self.stdout.write(_json_dumps(rows))
            return
        for row in rows:
            self.stdout.write(
                f"{row['kode']:<6} {row['schema']:<20} {row['status']:<12} {row['users']:>6} users "
                f"{row['employees']:>6} pegawai {row['schema_bytes'] // 1024:>8} KiB  "
                f"{'at head' if not row['migrations_pending'] else str(row['migrations_pending']) + ' pending'}  "
                f"{row['name']}"
            )


def _json_dumps(rows: list) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)
