"""Writes on notifications: sending (idempotent per recipient, kind and object) and marking read.

Producers (KGB reminders, cuti decisions, …) call `notifikasi_kirim` inside the transaction that
makes the change: the row commits with the change or not at all, so a rolled-back approval never
notifies and a failed periodic run notifies on its retry. What leaves the database (the e-mail)
goes only after commit, through a Celery task that carries the regency's schema.

No audit rows here: a notification changes none of the regency's data; the change it reports
is audited by its producer.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eoffice.accounts.models import User
from eoffice.core.errors import ApplicationError
from eoffice.notifications.models import Notifikasi


@contextmanager
def bahasa_daerah() -> Iterator[None]:
    """Write notification texts in the regency's language, not in whatever language the person
    whose action produced them happens to use (the texts are stored and read by someone else)."""
    from tenants.selectors import tenant_current

    with translation.override(tenant_current().language or settings.LANGUAGE_CODE):
        yield


def _tautan_check(tautan: str) -> None:
    # Only paths inside the regency's own site: a notification never sends anyone elsewhere.
    if tautan and (not tautan.startswith("/") or tautan.startswith("//") or "\\" in tautan):
        raise ApplicationError(
            _("Tautan notifikasi harus alamat di dalam situs ini (diawali /)."),
            fields={"tautan": [_("Isi alamat halaman yang diawali /.")]},
        )


def _email_antre(*, notifikasi: Notifikasi) -> None:
    from eoffice.notifications.tasks import notifikasi_email_task

    notifikasi_id = notifikasi.pk
    # robust: a broker that cannot be reached must not turn the committed change into an error
    # page; the notification is in the list anyway, only its e-mail copy is lost (and logged).
    transaction.on_commit(lambda: notifikasi_email_task.delay(notifikasi_id=notifikasi_id), robust=True)


def notifikasi_kirim(
    *,
    penerima: Iterable[User],
    jenis: str,
    judul: str,
    isi: str = "",
    tautan: str = "",
    objek: models.Model | None = None,
) -> list[Notifikasi]:
    """Notify each active recipient once; returns the notifications made now.

    With `objek`, a recipient gets at most one notification of this `jenis` about that object:
    calling again (a periodic job's next run, a retried request) makes nothing new. Recipients
    with an e-mail address also get an e-mail, queued after commit.
    """
    jenis = jenis.strip()
    judul = judul.strip()[:200]
    if not jenis or not judul:
        raise ApplicationError(_("Notifikasi memerlukan jenis dan judul."), code="invalid")
    _tautan_check(tautan)
    objek_tipe = objek._meta.label_lower if objek is not None else ""
    objek_id = str(objek.pk) if objek is not None else ""
    dibuat: list[Notifikasi] = []
    seen: set[int] = set()
    for user in penerima:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if (
            objek is not None
            and Notifikasi.objects.filter(
                penerima=user, jenis=jenis, objek_tipe=objek_tipe, objek_id=objek_id
            ).exists()
        ):
            continue
        notifikasi = Notifikasi(
            penerima=user,
            jenis=jenis,
            judul=judul,
            isi=isi.strip(),
            tautan=tautan,
            objek_tipe=objek_tipe,
            objek_id=objek_id,
        )
        try:
            # A savepoint: losing a race to a concurrent run must not spoil the caller's transaction.
            with transaction.atomic():
                notifikasi.save()
        except IntegrityError:
            continue
        dibuat.append(notifikasi)
        if user.email:
            _email_antre(notifikasi=notifikasi)
    return dibuat


def notifikasi_tandai_dibaca(*, user: User, notifikasi_id: int) -> Notifikasi:
    """Mark one of the user's own notifications read (idempotent: the first reading time stays).
    Someone else's notification is "not found", never "forbidden"."""
    from eoffice.notifications.selectors import notifikasi_get_for

    notifikasi = notifikasi_get_for(user=user, notifikasi_id=notifikasi_id)
    if notifikasi.dibaca_pada is None:
        now = timezone.now()
        # A conditional UPDATE instead of a row lock: two tabs marking the same row agree.
        Notifikasi.objects.filter(pk=notifikasi.pk, dibaca_pada__isnull=True).update(dibaca_pada=now)
        notifikasi.refresh_from_db(fields=["dibaca_pada"])
    return notifikasi


def notifikasi_tandai_semua_dibaca(*, user: User) -> int:
    """Mark all of the user's unread notifications read; returns how many were unread."""
    return Notifikasi.objects.filter(penerima=user, dibaca_pada__isnull=True).update(
        dibaca_pada=timezone.now()
    )


def _situs(tautan: str) -> str:
    """The full address of a path on this regency's own host (an e-mail has no request)."""
    from tenants.selectors import tenant_current
    from tenants.services import site_url

    domain = tenant_current().get_primary_domain()
    return tautan if domain is None else site_url(host=domain.domain, path=tautan)


def notifikasi_email_kirim(*, notifikasi_id: int) -> bool:
    """Mail one notification to its recipient; True when sent now.

    Idempotent (Celery may deliver a task twice): a notification already mailed, gone, or whose
    recipient has no address or is inactive is skipped. The row lock keeps two workers from both
    sending; `email_dikirim_pada` commits only after the mail server accepted the message.
    """
    from tenants.selectors import tenant_current

    with transaction.atomic(), bahasa_daerah():
        notifikasi = (
            Notifikasi.objects.select_for_update(of=("self",))
            .select_related("penerima")
            .filter(pk=notifikasi_id)
            .first()
        )
        if notifikasi is None or notifikasi.email_dikirim_pada is not None:
            return False
        penerima = notifikasi.penerima
        if not penerima.email or not penerima.is_active:
            return False
        tenant_name = tenant_current().name
        bagian = [_("Yth. %(nama)s,") % {"nama": penerima.nama or penerima.username}, notifikasi.judul]
        if notifikasi.isi:
            bagian.append(notifikasi.isi)
        if notifikasi.tautan:
            bagian.append(_("Buka: %(alamat)s") % {"alamat": _situs(notifikasi.tautan)})
        bagian.append(
            _("Pesan ini dikirim otomatis oleh e-Office %(daerah)s; jangan dibalas.")
            % {"daerah": tenant_name}
        )
        send_mail(
            subject=f"[{tenant_name}] {notifikasi.judul}",
            message="\n\n".join(bagian),
            from_email=None,
            recipient_list=[penerima.email],
        )
        notifikasi.email_dikirim_pada = timezone.now()
        notifikasi.save(update_fields=["email_dikirim_pada"])
    return True
