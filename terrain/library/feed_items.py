"""The library in the feed (``feed.items``): someone added files.

Files added by the same person in the same cooperative within the same hour make one card
("added 3 files"), the newest standing for them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terrain.feed.items import ItemKind, ModelRows, load_rows, register
from terrain.library.models import File
from terrain.library.tools import LIBRARY

FILE_ADDED = "library_file_added"


def _group(activity):
    return ("library", activity.cooperative_id, activity.actor_id, activity.created_at.strftime("%Y%m%d%H"))


def _url(activity) -> str:
    from django.urls import reverse

    return reverse("library:file", args=[activity.target.code])


register(
    ItemKind(
        verb=FILE_ADDED,
        label=_("added a file"),
        model=File,
        broadcast=True,
        # Read with the page's activities; a file removed since is not shown.
        statements=ModelRows(File, where="t.deleted_at IS NULL"),
        load=load_rows,
        template="library/_feed_files_added.html",
        group=_group,
        url=_url,
        tool=LIBRARY,
    )
)
