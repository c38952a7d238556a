"""Signing in (allauth: NIP or e-mail with password) and loading the signed-in user."""

import functools
from typing import Any, cast

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.db import connection

from eoffice.accounts.models import User


@functools.cache
def _user_by_id_sql() -> tuple[str, list[str]]:
    fields = User._meta.concrete_fields
    qn = connection.ops.quote_name
    sql = (
        f"SELECT {', '.join(qn(cast(str, f.column)) for f in fields)} FROM {qn(User._meta.db_table)} "
        f"WHERE {qn(cast(str, User._meta.pk.column))} = %s"
    )
    return sql, [f.attname for f in fields]


class AuthenticationBackend(AllauthBackend):
    """allauth's sign-in. Every request loads its user from the session's user id; this backend
    does that with one hand-written statement instead of an ORM query, whose building costs more CPU
    than the database's answer (the morning check-in surge is thousands of such requests)."""

    def get_user(self, user_id: Any) -> User | None:
        sql, names = _user_by_id_sql()
        with connection.cursor() as cursor:
            cursor.execute(sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user = User.from_db(connection.alias, names, row)
        return user if self.user_can_authenticate(user) else None
