from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eoffice.accounts.models import User
from eoffice.audit.services import audit_record
from eoffice.core.errors import ApplicationError


def user_change_password(*, user: User, current_password: str, new_password: str) -> None:
    """Change one's own password; the current one must be given and the new one must be strong."""
    if not user.check_password(current_password):
        raise ApplicationError(
            _("Kata sandi saat ini salah."),
            fields={"current_password": [_("Kata sandi saat ini salah.")]},
        )
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise ApplicationError(
            _("Kata sandi baru belum memenuhi syarat."), fields={"new_password": list(exc.messages)}
        ) from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action="user.password_change", target=user)
