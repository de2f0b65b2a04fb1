"""Signing in with e-mail and password (Django's ModelBackend), and the member of every request.

Every page of a signed-in member loads them from their session. The ORM spent
four times longer building that ``SELECT`` than the database took to answer it;
here it is one statement whose text never changes (``lib.rows``), compiled or
prepared once per connection. It also reads what the menu shows about them
(``core.menu``: unread notifications, the workshop link), a round trip less per page.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db import connection

from terrain.accounts.models import User
from terrain.core.menu import facts_columns, remember_facts
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
        names, facts = facts_columns()
        columns = f"{select.columns}, {facts}" if names else select.columns
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM {User._meta.db_table} u WHERE u.id = %(user)s",  # noqa: S608 (names only)
                {"user": pk},
            )
            row = cursor.fetchone()
        if row is None:
            return None
        ((user,),) = select.instances([row])
        if not self.user_can_authenticate(user):
            return None
        remember_facts(user, names, row[select.width :])
        return user
