"""A demonstration keyword watch for the hospital section, with what it "found".

The watch is saved through the service (its streams exist, as in use); its matches are
stored as if a reading had brought them (``services.store_page`` with a page written here),
so that the inbox shows "veille" items without any network. Its streams are set to wait a
day: the demo never fetches the news site nor searches a network it is not connected to.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone

from terrain.inbox import feeds, services
from terrain.inbox.models import Stream, Watch
from terrain.inbox.watching import watch_save
from terrain.networks.base import InboundItem, InboundPage

NAME = "Hôpital Nord"
FEED = "https://www.laprovence.example/marseille/rss.xml"
EMPLOYER = "CHU Nord"
# (hours ago, stream, author, handle, text, address)
FOUND = [
    (
        30,
        "feed",
        "La Provence (exemple)",
        "",
        "Au CHU Nord, les soignants de nuit réclament des remplaçants\n"
        "La section syndicale dénonce des équipes à deux au lieu de trois pendant les congés.",
        "https://www.laprovence.example/marseille/chu-nord-soignants-nuit",
    ),
    (
        20,
        "mastodon",
        "Camille R.",
        "@camille@piaille.example",
        "Encore 4 h d'attente aux urgences du CHU Nord cette nuit. Les équipes font ce qu'elles peuvent. #grève",
        "https://piaille.example/@camille/1001",
    ),
    (
        8,
        "mastodon",
        "Collectif Santé 13",
        "@sante13@mastodon.example",
        "Soutien aux collègues de la {name} : rassemblement jeudi 12 h devant l'entrée principale.",
        "https://mastodon.example/@sante13/2002",
    ),
    (
        3,
        "feed",
        "La Provence (exemple)",
        "",
        "Grève au CHU Nord : la direction propose une réunion lundi\n"
        "Les représentants du personnel seront reçus après le préavis déposé mercredi.",
        "https://www.laprovence.example/marseille/greve-chu-nord-reunion",
    ),
]


def load(world) -> None:
    structure = world.structures["hopital"]
    if Watch.objects.filter(structure=structure, name=NAME).exists():
        return
    by = world.people["animatrice"]
    terms = [structure.name, EMPLOYER, "#grève"]
    watch = watch_save(
        structure=structure, by=by, name=NAME, terms=terms, networks=["mastodon", "bluesky"], feeds=[FEED]
    )
    now = timezone.now()
    found_in_feed = 0
    for index, (hours, where, author, handle, text, url) in enumerate(FOUND):
        text = text.format(name=structure.name)
        found = feeds.terms_found(text, terms) or [EMPLOYER]
        if where == "feed":
            found_in_feed += 1
            name, matched = f"feed:{FEED}", ", ".join(found)
            cursor = json.dumps({"etag": "", "modified": "", "found": found_in_feed})
        else:  # a search stream reads one term: the item is counted under it
            name, matched, cursor = f"search:{where}:{found[0]}", found[0], ""
        stream = services.stream_for(services.watch_source(watch), name)
        item = InboundItem(
            remote_id=f"demo-{index}",
            kind="watch",
            text=text,
            created_at=now - timedelta(hours=hours),
            author_name=author,
            author_handle=handle,
            url=url,
        )
        services.store_page(
            stream=stream,
            page=InboundPage(items=(item,), cursor=cursor or stream.cursor),
            structure=structure,
            watch=watch,
            network="" if where == "feed" else where,
            matched={item.remote_id: matched},
        )
    # As if read an hour ago; nothing is fetched before tomorrow.
    Stream.objects.filter(source=services.watch_source(watch)).update(
        read_at=now - timedelta(hours=1), next_at=now + timedelta(days=1)
    )
