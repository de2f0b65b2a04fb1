"""Signing in with e-mail and password (Django's ModelBackend), and the member of every request.

Every page of a signed-in member loads them from their session. The ORM spent
four times longer building that ``SELECT`` than the database took to answer it;
here it is one statement whose text never changes (``lib.rows``), compiled or
prepared once per connection.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db import connection

from terrain.accounts.models import User
from terrain.lib.rows import Table, joined

# The path sessions name (settings.AUTHENTICATION_BACKENDS), and the one a session
# opened without a password check must name.
MEMBER_BACKEND = "terrain.accounts.backends.MemberBackend"


class MemberBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        select = joined(connection, Table(User, "u"))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {select.columns} FROM {User._meta.db_table} u WHERE u.id = %s", [pk])  # noqa: S608
            rows = select.instances(cursor.fetchall())
        user = rows[0][0] if rows else None
        return user if user is not None and self.user_can_authenticate(user) else None
