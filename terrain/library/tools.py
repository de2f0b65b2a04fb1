"""The library is a tool of a cooperative (``cooperatives.tools``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terrain.cooperatives.tools import Tool, register

LIBRARY = "library"

register(
    Tool(
        key=LIBRARY,
        label=_("Library"),
        url_name="library:home",
        order=40,
        description=_("Folders of documents, photos, audio and video, with versions, previews and a photo gallery."),
    )
)
