from eoffice.nip_registry.models import NipTerdaftar
from tenants.models import Tenant


def nip_holder(*, nip: str) -> Tenant | None:
    """The regency that holds `nip` now, if any."""
    row = NipTerdaftar.objects.select_related("tenant").filter(nip=nip).first()
    return row.tenant if row else None


def nip_holders(*, nips: list[str]) -> dict[str, int]:
    """NIP → tenant id for those of `nips` already registered (bulk check for imports)."""
    result: dict[str, int] = {}
    for start in range(0, len(nips), 5000):
        chunk = nips[start : start + 5000]
        result.update(NipTerdaftar.objects.filter(nip__in=chunk).values_list("nip", "tenant_id"))
    return result
