"""After the surge: every acknowledged check-in is stored exactly once, nothing unacknowledged was
stored, and every stored check-in has its selfie in storage under its regency's prefix.

Usage: verify.py <results.json>; prints a JSON verdict and exits 1 when anything is off.
"""

import json
import sys
from collections import Counter

import django

import eoffice  # noqa: F401

django.setup()

from django.core.files.storage import default_storage  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from bench.presensi_surge.prepare import TENANTS  # noqa: E402
from modules.presensi.models import Presensi  # noqa: E402


def main(path: str) -> int:
    with open(path) as handle:
        acknowledged: dict[str, dict] = json.load(handle)["acknowledged"]
    by_host = {t[1]: t[0] for t in TENANTS}
    stored: Counter[str] = Counter()
    wrong_tenant, missing_files, wrong_prefix = 0, 0, 0
    for schema, *_ in TENANTS:
        with schema_context(schema):
            for client_uuid, swafoto in Presensi.objects.values_list("client_uuid", "swafoto"):
                stored[str(client_uuid)] += 1
                ack = acknowledged.get(str(client_uuid))
                if ack is not None and by_host[ack["host"]] != schema:
                    wrong_tenant += 1
                if not swafoto.startswith(f"tenants/{schema}/presensi/"):
                    wrong_prefix += 1
                elif not default_storage.exists(swafoto):
                    missing_files += 1
    lost = [u for u in acknowledged if stored[u] == 0]
    duplicated = [u for u, n in stored.items() if n > 1]
    unacknowledged = [u for u in stored if u not in acknowledged]
    verdict = {
        "acknowledged": len(acknowledged),
        "stored": sum(stored.values()),
        "lost": len(lost),
        "duplicated": len(duplicated),
        "stored_but_not_acknowledged": len(unacknowledged),
        "in_wrong_regency": wrong_tenant,
        "selfie_outside_prefix": wrong_prefix,
        "selfie_missing": missing_files,
    }
    verdict["ok"] = not (
        lost or duplicated or unacknowledged or wrong_tenant or wrong_prefix or missing_files
    )
    print(json.dumps(verdict))
    return 0 if verdict["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
