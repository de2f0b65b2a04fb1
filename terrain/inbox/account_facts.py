"""What the inbox says about each connected account on the accounts page: when it was last read,
or why it cannot be (registered in ``InboxConfig.ready`` with ``atelier.account_facts``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from terrain.atelier.account_facts import ERROR, INFO, OK, AccountFact
from terrain.inbox.models import Stream
from terrain.inbox.services import account_source, inbox_streams_of


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def reading_facts(accounts: Sequence) -> dict[int, list[AccountFact]]:
    """For each account the inbox reads: its last reading, or each failure with its reason. One query."""
    read = {account_source(account): account for account in accounts if inbox_streams_of(account)}
    streams: dict[int, list[Stream]] = defaultdict(list)
    for stream in Stream.objects.filter(source__in=read).order_by("name"):
        streams[read[stream.source].pk].append(stream)
    facts: dict[int, list[AccountFact]] = {}
    for account in read.values():
        mine = streams.get(account.pk, [])
        failing = [stream for stream in mine if stream.failures]
        said = set()
        found = []
        for stream in failing:
            if stream.last_error in said:
                continue
            said.add(stream.last_error)
            if stream.needs_permission:
                text = _("Its inbox cannot be read: %(error)s") % {"error": stream.last_error}
            else:
                text = ngettext(
                    "Reading its inbox failed: %(error)s. Next try: %(when)s.",
                    "Reading its inbox failed %(count)d times in a row: %(error)s. Next try: %(when)s.",
                    stream.failures,
                ) % {"count": stream.failures, "error": stream.last_error, "when": _when(stream.next_at)}
            found.append(AccountFact(text, ERROR, reconnect=stream.needs_permission))
        # The last reading stays said next to a failure: the comments may be read, the messages not.
        last = max((stream.read_at for stream in mine if stream.read_at), default=None)
        if last is not None:
            found.insert(0, AccountFact(_("Inbox: last read %(when)s.") % {"when": _when(last)}, OK))
        elif not found:
            found.append(AccountFact(_("Inbox: not read yet, the first reading comes within minutes."), INFO))
        facts[account.pk] = found
    return facts
