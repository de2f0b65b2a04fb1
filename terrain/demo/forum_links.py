"""Demo of the links between the toolbox apps: a library file attached to a forum topic.

(The answered topic on night overtime is left for the demo's animatrice to put in the FAQ with
"Ajouter à la FAQ".) Runs after the forum's and the library's demo."""

from __future__ import annotations

from terrain.forum.models import Topic
from terrain.library.models import File


def load(world) -> None:
    cooperative = world.structures["hopital"].cooperative
    topic = Topic.objects.filter(cooperative=cooperative, title__startswith="Vote sur le préavis").first()
    minutes = File.objects.filter(cooperative=cooperative, name="Réunion direction du 12 mars.pdf").first()
    if topic is not None and minutes is not None:
        topic.attachments.add(minutes)
