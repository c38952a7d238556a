"""Background work of the tenants app. Tasks run in the public schema and are idempotent."""

from celery import shared_task


@shared_task(name="tenants.registration_provision", acks_late=True)
def registration_provision(registration_id: int) -> str:
    """Provision the tenant of a verified (and, if required, approved) registration."""
    from tenants.onboarding import registration_provision as provision

    registration = provision(registration_id=registration_id)
    if registration.status == registration.Status.DONE:
        # The applicant already sees "done"; put back the spare schema this tenant may have taken.
        from tenants.provisioning import spare_pool_fill

        spare_pool_fill()
    return registration.status


@shared_task(name="tenants.spare_pool_refill")
def spare_pool_refill() -> int:
    """Top the pool of pre-migrated spare schemas back up after provisioning took one."""
    from tenants.provisioning import spare_pool_fill

    return spare_pool_fill()
