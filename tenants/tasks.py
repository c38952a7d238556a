"""Background work of the tenants app. Tasks run in the public schema and are idempotent."""

from celery import shared_task


@shared_task(name="tenants.registration_provision", acks_late=True)
def registration_provision(registration_id: int) -> str:
    """Provision the tenant of a verified (and, if required, approved) registration."""
    from tenants.onboarding import registration_provision as provision

    registration = provision(registration_id=registration_id)
    return registration.status


@shared_task(name="tenants.spare_pool_refill")
def spare_pool_refill() -> int:
    """Top the pool of pre-migrated spare schemas back up after provisioning took one."""
    from tenants.provisioning import spare_pool_fill

    return spare_pool_fill()


@shared_task(name="tenants.delete_expired")
def delete_expired() -> int:
    """Drop archived tenants whose retention period is over (run daily by beat)."""
    from django.utils import timezone

    from tenants.models import Tenant
    from tenants.services import tenant_delete_expired

    expired = Tenant.objects.filter(status=Tenant.Status.ARCHIVED, delete_after__lte=timezone.now())
    count = 0
    for tenant in expired:
        tenant_delete_expired(tenant=tenant, actor=None, reason="Masa retensi berakhir")
        count += 1
    return count
