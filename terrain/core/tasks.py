from __future__ import annotations

from django.conf import settings
from django.core.mail import get_connection
from django_tasks import task

from terrain.core.mail import data_to_message


@task()
def deliver_email(data: dict) -> None:
    """Send one queued message through the real delivery backend."""
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
    data_to_message(data, connection=connection).send()
