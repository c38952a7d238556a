"""The operator's rollout console in a real browser, after a real (no-op) rollout."""

import threading

from django.db import connections

from tests.e2e.conftest import SCREENSHOTS


def _in_worker(function):
    """Another thread with its own, committing connection (the live server cannot see this test's)."""
    outcome = {}

    def run():
        try:
            outcome["result"] = function()
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


def _operator_session_and_rollout() -> tuple[str, int, int]:
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from eoffice.accounts.models import User
    from tenants.operations.rollout import RolloutOptions, rollout_run

    operator = User.objects.get(username="operator")
    totp = Authenticator.objects.create(user=operator, type=Authenticator.Type.TOTP, data={"secret": "e2e"})
    session = SessionStore()
    session[SESSION_KEY] = str(operator.pk)
    session[BACKEND_SESSION_KEY] = "eoffice.accounts.backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = operator.get_session_auth_hash()
    session.create()
    rollout = rollout_run(
        plan_kwargs={"schemas": ["sumedang", "kendari"], "managed": []},
        options=RolloutOptions(workers=2),
        started_by="operator",
    )
    return session.session_key, totp.pk, rollout.pk


def _cleanup(session_key: str, totp_id: int, rollout_id: int) -> None:
    from allauth.mfa.models import Authenticator
    from django.contrib.sessions.models import Session

    from tenants.operations.models import Rollout, SchemaState

    Rollout.objects.filter(pk=rollout_id).delete()
    SchemaState.objects.filter(
        last_rollout__isnull=True, schema_name__in=["public", "sumedang", "kendari"]
    ).delete()
    Authenticator.objects.filter(pk=totp_id).delete()
    Session.objects.filter(session_key=session_key).delete()


def test_operator_sees_schema_heads_and_wave_progress(page, live_url):
    session_key, totp_id, rollout_id = _in_worker(_operator_session_and_rollout)
    try:
        page.context.add_cookies([{"name": "sessionid", "value": session_key, "url": live_url()}])
        page.goto(live_url() + "/operator/rollouts/")
        assert page.locator("h1").inner_text() == "Rollout migrasi"
        assert page.get_by_text(f"Rollout #{rollout_id}").is_visible()
        assert page.locator("#rollout-progress progress").count() >= 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "operator-rollouts.png"), full_page=True)
    finally:
        _in_worker(lambda: _cleanup(session_key, totp_id, rollout_id))


def test_operator_sees_backups_and_a_verified_restore(page, live_url, settings, tmp_path):
    settings.TENANT_BACKUP_BUCKET = ""
    settings.TENANT_BACKUP_LOCAL_DIR = tmp_path / "backups"

    def make() -> tuple[str, int, int, int]:
        from tenants.models import Tenant
        from tenants.operations.backups import backup_create, backup_restore

        session_key, totp_id, rollout_id = _operator_session_and_rollout()
        backup = backup_create(tenant=Tenant.objects.get(schema_name="kendari"), requested_by="operator")
        restore = backup_restore(backup=backup, requested_by="operator")
        return session_key, totp_id, rollout_id, restore.pk

    def clean(session_key: str, totp_id: int, rollout_id: int, restore_id: int) -> None:
        from tenants.operations.backups import restore_discard
        from tenants.operations.models import Backup, Restore

        restore = Restore.objects.get(pk=restore_id)
        restore_discard(restore=restore)
        Backup.objects.filter(pk=restore.backup_id).delete()
        restore.delete()
        _cleanup(session_key, totp_id, rollout_id)

    session_key, totp_id, rollout_id, restore_id = _in_worker(make)
    try:
        page.context.add_cookies([{"name": "sessionid", "value": session_key, "url": live_url()}])
        page.goto(live_url() + "/operator/backups/")
        assert page.locator("h1").inner_text() == "Cadangan tenant"
        assert page.get_by_text("Ketik “kendari” untuk menukar").is_visible()
        # the swap button stays disabled until the schema name is typed
        swap = page.get_by_role("button", name="Tukar dengan skema aktif")
        assert swap.is_disabled()
        page.get_by_label("Ketik “kendari” untuk menukar").fill("kendari")
        assert swap.is_enabled()
        page.screenshot(path=str(SCREENSHOTS / "operator-backups.png"), full_page=True)
    finally:
        _in_worker(lambda: clean(session_key, totp_id, rollout_id, restore_id))
