"""Self-service onboarding: application, e-mail verification, approval, provisioning, first sign-in."""

import re
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from eoffice.audit.services import audit_record
from eoffice.core.errors import ApplicationError
from tenants.models import ConfigTemplate, PlatformSetting, Registration, Tenant, Wilayah
from tenants.services import (
    AdminAccount,
    schema_name_for,
    site_url,
    subdomain_taken,
    subdomain_validate,
    tenant_host,
    tenant_provision,
)

VERIFY_SALT = "tenants.registration.verify"
LOGIN_SALT = "tenants.registration.login"
VERIFY_MAX_AGE = 48 * 3600  # the e-mail link works for two days
LOGIN_MAX_AGE = 3600  # the hand-over to the new host works for an hour, once
_PHONE_RE = re.compile(r"^\+?[0-9][0-9 -]{7,18}$")


def subdomain_suggest(*, nama: str) -> str:
    """`Kota Kendari` → `kendari`, `Kabupaten Bandung Barat` → `bandung-barat`."""
    base = re.sub(r"^(kabupaten|kab\.|kota)\s+", "", nama.strip().lower())
    slug = re.sub(r"[^a-z0-9]+", "-", base).strip("-")
    return slug[:32].strip("-")


def registration_create(
    *,
    wilayah_kode: str,
    nama_pemohon: str,
    jabatan_pemohon: str,
    email: str,
    email_konfirmasi: str,
    telepon: str,
    subdomain: str,
    terms_accepted: bool,
    config_template_id: int | None = None,
    verify_url: Any = None,
) -> Registration:
    """Record an application and e-mail the applicant a signed link that expires in 48 hours.

    `verify_url(token) -> str` builds the absolute link (the view knows the host)."""
    errors: dict[str, list[str]] = {}
    wilayah = Wilayah.objects.filter(kode=wilayah_kode.strip(), level=Wilayah.Level.KABUPATEN_KOTA).first()
    if wilayah is None:
        errors["wilayah"] = [_("Pilih kabupaten/kota dari daftar.")]
    elif Tenant.objects.filter(kode=wilayah.kode).exists():
        errors["wilayah"] = [_("%(nama)s sudah bergabung dengan platform.") % {"nama": wilayah.nama}]
    elif Registration.objects.filter(wilayah=wilayah, status__in=Registration.OPEN_STATUSES).exists():
        errors["wilayah"] = [_("%(nama)s sudah didaftarkan dan sedang diproses.") % {"nama": wilayah.nama}]
    for field, value, label in (
        ("nama_pemohon", nama_pemohon, _("Nama pemohon")),
        ("jabatan_pemohon", jabatan_pemohon, _("Jabatan pemohon")),
    ):
        if len(value.strip()) < 3:
            errors[field] = [_("%(label)s wajib diisi.") % {"label": label}]
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Alamat e-mail tidak valid.")]
    else:
        suffixes = tuple(getattr(settings, "ONBOARDING_EMAIL_SUFFIXES", (".go.id",)))
        if suffixes and not email.endswith(suffixes):
            errors["email"] = [
                _("Gunakan e-mail dinas (berakhiran %(suffix)s).") % {"suffix": ", ".join(suffixes)}
            ]
    if email_konfirmasi.strip().lower() != email:
        errors["email_konfirmasi"] = [_("Konfirmasi e-mail tidak sama dengan alamat e-mail.")]
    if not _PHONE_RE.match(telepon.strip()):
        errors["telepon"] = [_("Nomor telepon 8–19 angka, boleh diawali +.")]
    subdomain = subdomain.strip().lower() or (subdomain_suggest(nama=wilayah.nama) if wilayah else "")
    try:
        subdomain_validate(subdomain=subdomain)
    except ApplicationError as exc:
        errors["subdomain"] = exc.fields["subdomain"]
    else:
        if (
            subdomain_taken(subdomain=subdomain)
            or Registration.objects.filter(
                subdomain=subdomain, status__in=Registration.OPEN_STATUSES
            ).exists()
        ):
            errors["subdomain"] = [
                _("Subdomain “%(name)s” sudah dipakai; pilih nama lain.") % {"name": subdomain}
            ]
    if not terms_accepted:
        errors["terms"] = [_("Setujui ketentuan pemrosesan data untuk melanjutkan.")]
    template = None
    if config_template_id:
        template = ConfigTemplate.objects.filter(pk=config_template_id).first()
        if template is None:
            errors["config_template"] = [_("Templat konfigurasi tidak ditemukan.")]
    if errors:
        raise ApplicationError(_("Periksa kembali isian yang ditandai."), fields=errors)
    assert wilayah is not None
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                wilayah=wilayah,
                nama_pemohon=nama_pemohon.strip(),
                jabatan_pemohon=jabatan_pemohon.strip(),
                email=email,
                telepon=telepon.strip(),
                subdomain=subdomain,
                config_template=template,
                terms_accepted_at=timezone.now(),
            )
            audit_record(
                actor=None,
                action="registration.create",
                target=registration,
                after={"wilayah": wilayah.kode, "subdomain": subdomain, "email": email},
            )
            if verify_url is not None:
                link = verify_url(registration_verify_token(registration=registration))
                transaction.on_commit(lambda: _send_verification(registration=registration, link=link))
    except IntegrityError as exc:
        # A second submit raced past the checks; the partial unique constraints caught it.
        raise ApplicationError(
            _("Daerah atau subdomain ini baru saja didaftarkan."),
            code="registration_exists",
            fields={"wilayah": [_("Daerah ini sudah didaftarkan dan sedang diproses.")]},
            status=409,
        ) from exc
    return registration


def registration_verify_token(*, registration: Registration) -> str:
    # The e-mail is signed in: a link sent to one address proves nothing for another.
    return signing.dumps({"r": registration.pk, "e": registration.email}, salt=VERIFY_SALT, compress=True)


def _send_verification(*, registration: Registration, link: str) -> None:
    send_mail(
        subject=_("Verifikasi pendaftaran %(nama)s di e-Office Nusantara")
        % {"nama": registration.wilayah.nama},
        message=_(
            "Yth. %(nama)s,\n\nBuka tautan berikut untuk memverifikasi pendaftaran %(daerah)s "
            "(berlaku 48 jam, satu kali):\n\n%(link)s\n\nAbaikan e-mail ini bila Anda tidak mendaftar."
        )
        % {"nama": registration.nama_pemohon, "daerah": registration.wilayah.nama, "link": link},
        from_email=None,
        recipient_list=[registration.email],
    )


def registration_verify(*, token: str) -> Registration:
    """Confirm the applicant's e-mail; queue provisioning, or wait for an operator when required."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ApplicationError(
            _("Tautan verifikasi sudah kedaluwarsa (berlaku 48 jam). Silakan daftar ulang."),
            code="link_expired",
            status=400,
        ) from exc
    except signing.BadSignature as exc:
        raise ApplicationError(_("Tautan verifikasi tidak valid."), code="link_invalid", status=400) from exc
    with transaction.atomic():
        registration = Registration.objects.select_for_update().filter(pk=data.get("r")).first()
        if registration is None or registration.email != data.get("e"):
            raise ApplicationError(
                _("Tautan verifikasi tidak cocok dengan pendaftaran mana pun."),
                code="link_invalid",
                status=400,
            )
        if registration.verified_at is not None:
            raise ApplicationError(
                _("Tautan verifikasi ini sudah digunakan."),
                code="link_used",
                status=409,
                extra={"public_id": str(registration.public_id)},
            )
        if registration.status != Registration.Status.UNVERIFIED:
            raise ApplicationError(
                _("Pendaftaran ini tidak lagi menunggu verifikasi."), code="link_used", status=409
            )
        registration.verified_at = timezone.now()
        if PlatformSetting.load().require_approval:
            registration.status = Registration.Status.AWAITING_APPROVAL
        else:
            registration.status = Registration.Status.QUEUED
            _enqueue(registration)
        registration.save(update_fields=["verified_at", "status", "updated_at"])
        audit_record(
            actor=None,
            action="registration.verify",
            target=registration,
            after={"status": registration.status},
        )
    return registration


def registration_approve(*, registration: Registration, actor: User) -> Registration:
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status != Registration.Status.AWAITING_APPROVAL:
            raise ApplicationError(
                _("Pendaftaran ini tidak sedang menunggu persetujuan."), code="invalid_state", status=409
            )
        locked.status = Registration.Status.QUEUED
        locked.approved_at = timezone.now()
        locked.approved_by = str(actor)
        locked.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
        audit_record(actor=actor, action="registration.approve", target=locked)
        _enqueue(locked)
    return locked


def registration_reject(*, registration: Registration, actor: User, reason: str) -> Registration:
    if not reason.strip():
        raise ApplicationError(_("Sebutkan alasan penolakan."), fields={"reason": [_("Alasan wajib diisi.")]})
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status not in (
            Registration.Status.AWAITING_APPROVAL,
            Registration.Status.UNVERIFIED,
            Registration.Status.FAILED,
        ):
            raise ApplicationError(
                _("Pendaftaran ini tidak dapat ditolak lagi."), code="invalid_state", status=409
            )
        locked.status = Registration.Status.REJECTED
        locked.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="registration.reject", target=locked, reason=reason.strip())
    return locked


def registration_retry(*, registration: Registration, actor: User | None) -> Registration:
    """Queue a failed provisioning again (it left nothing behind)."""
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status != Registration.Status.FAILED:
            raise ApplicationError(
                _("Hanya penyiapan yang gagal yang dapat diulang."), code="invalid_state", status=409
            )
        locked.status = Registration.Status.QUEUED
        locked.step = Registration.Step.WAITING
        locked.save(update_fields=["status", "step", "updated_at"])
        audit_record(actor=actor, action="registration.retry", target=locked, before={"error": locked.error})
        _enqueue(locked)
    return locked


def _enqueue(registration: Registration) -> None:
    from tenants.tasks import registration_provision as task

    registration_id = registration.pk
    transaction.on_commit(lambda: task.delay(registration_id))


def registration_provision(*, registration_id: int) -> Registration:
    """The provisioning task's body. Idempotent: a second delivery (or a double click) finds the
    registration no longer queued and does nothing; a failure is recorded and can be retried."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update().select_related("wilayah").get(pk=registration_id)
        )
        if registration.status != Registration.Status.QUEUED:
            return registration
        registration.status = Registration.Status.PROVISIONING
        registration.attempts += 1
        registration.error = ""
        registration.save(update_fields=["status", "attempts", "error", "updated_at"])

    def on_step(step: str) -> None:
        Registration.objects.filter(pk=registration.pk).update(step=step, updated_at=timezone.now())

    wilayah = registration.wilayah
    province = Wilayah.objects.filter(kode=wilayah.parent_kode).values_list("nama", flat=True).first() or ""
    try:
        tenant = tenant_provision(
            kode=wilayah.kode,
            name=wilayah.nama,
            jenis=wilayah.jenis,
            provinsi=province,
            timezone=wilayah.timezone,
            subdomain=registration.subdomain,
            admin=AdminAccount(
                username=f"admin.{registration.subdomain}",
                email=registration.email,
                nama=registration.nama_pemohon,
            ),
            config=registration.config_template.config if registration.config_template else None,
            on_step=on_step,
        )
    except Exception as exc:  # recorded for the operator and the applicant; retryable
        message = exc.message if isinstance(exc, ApplicationError) else f"{type(exc).__name__}: {exc}"
        with transaction.atomic():
            Registration.objects.filter(pk=registration.pk).update(
                status=Registration.Status.FAILED,
                error=message[:2000],
                step=Registration.Step.WAITING,
                updated_at=timezone.now(),
            )
            audit_record(
                actor=None, action="registration.failed", target=registration, after={"error": message[:500]}
            )
        registration.refresh_from_db()
        return registration
    with transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(
            status=Registration.Status.DONE,
            step=Registration.Step.DONE,
            tenant=tenant,
            updated_at=timezone.now(),
        )
        audit_record(
            actor=None, action="registration.done", target=registration, after={"tenant": tenant.schema_name}
        )
        transaction.on_commit(lambda: _send_ready(registration=registration), robust=True)
    registration.refresh_from_db()
    return registration


def _send_ready(*, registration: Registration) -> None:
    """Tell the applicant their e-Office is ready: they may have left the progress page (an
    operator's approval can take days), and its one-time sign-in lasts an hour."""
    host = tenant_host(subdomain=registration.subdomain)
    token = registration_login_token(registration=registration)
    send_mail(
        subject=_("e-Office %(daerah)s siap digunakan") % {"daerah": registration.wilayah.nama},
        message=_(
            "Yth. %(nama)s,\n\ne-Office %(daerah)s sudah siap di %(alamat)s\n\n"
            "Masuk pertama kali sebagai administrator lewat tautan berikut (satu kali, berlaku satu "
            "jam sejak e-mail ini dikirim):\n%(masuk)s\n\n"
            "Sesudah itu, atau bila tautan itu sudah tidak berlaku, nama pengguna Anda %(pengguna)s; "
            "tetapkan kata sandi di %(sandi)s. Administrator wajib mengaktifkan autentikasi dua "
            "faktor saat pertama masuk."
        )
        % {
            "nama": registration.nama_pemohon,
            "daerah": registration.wilayah.nama,
            "alamat": site_url(host=host, path="/"),
            "masuk": site_url(host=host, path=reverse("pengaturan:handover", kwargs={"token": token})),
            "pengguna": f"admin.{registration.subdomain}",
            "sandi": site_url(host=host, path=reverse("account_reset_password")),
        },
        from_email=None,
        recipient_list=[registration.email],
    )


def registration_login_token(*, registration: Registration) -> str:
    return signing.dumps(
        {"r": registration.pk, "s": schema_name_for(subdomain=registration.subdomain)}, salt=LOGIN_SALT
    )


def registration_login_redeem(*, token: str, tenant: Tenant) -> User:
    """On the new host: sign the applicant in as its administrator, once, within the hour."""
    try:
        data = signing.loads(token, salt=LOGIN_SALT, max_age=LOGIN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ApplicationError(
            _("Tautan masuk sudah kedaluwarsa. Masuk dengan tautan “Lupa kata sandi”."),
            code="link_expired",
            status=400,
        ) from exc
    except signing.BadSignature as exc:
        raise ApplicationError(_("Tautan masuk tidak valid."), code="link_invalid", status=400) from exc
    if data.get("s") != tenant.schema_name:
        raise ApplicationError(_("Tautan masuk ini bukan untuk daerah ini."), code="link_invalid", status=400)
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update().filter(pk=data.get("r"), tenant=tenant).first()
        )
        if registration is None or registration.status != Registration.Status.DONE:
            raise ApplicationError(_("Tautan masuk tidak valid."), code="link_invalid", status=400)
        if registration.login_used_at is not None:
            raise ApplicationError(
                _("Tautan masuk ini sudah digunakan. Masuk dengan nama pengguna dan kata sandi Anda."),
                code="link_used",
                status=409,
            )
        registration.login_used_at = timezone.now()
        registration.save(update_fields=["login_used_at", "updated_at"])
    with schema_context(tenant.schema_name):
        user = User.objects.get(username=f"admin.{registration.subdomain}")
    return user
