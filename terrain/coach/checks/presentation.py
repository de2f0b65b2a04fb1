"""What the reader sees before reading: length per network, pictures and their
descriptions, hashtags."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.translation import gettext as _

from terrain.coach.text import Draft
from terrain.coach.types import ADVICE, WARNING, Flag, ImageInfo, Limit

MAX_HASHTAGS = 3
# Descriptions that describe nothing: a file name or the word "image".
_EMPTY_ALT = re.compile(
    r"^\s*(?:image|photo|img|picture|illustration|visuel|dsc|pxl)?[\s_\-\d]*(?:\.\w{3,4})?\s*$", re.I
)


def too_long(draft: Draft, *, limits: Sequence[Limit], **_inputs) -> list[Flag]:
    return [
        Flag(
            code="too_long",
            severity=WARNING,
            message=_(
                "Too long for %(network)s: %(count)d characters for %(maximum)d allowed. The network will refuse "
                "the post or cut it."
            )
            % {"network": limit.network, "count": limit.count, "maximum": limit.maximum},
            suggestion=_(
                "Remove %(excess)d characters, or write a shorter variant for %(network)s that keeps the request "
                "and the link."
            )
            % {"excess": limit.count - limit.maximum, "network": limit.network},
        )
        for limit in limits
        if limit.count > limit.maximum
    ]


def images(draft: Draft, *, images: Sequence[ImageInfo], **_inputs) -> list[Flag]:
    if not images:
        return [
            Flag(
                code="no_image",
                severity=ADVICE,
                message=_(
                    "Posts with a picture are seen and shared far more often: a photo of the team, "
                    "of the rally, or a simple visual with the date."
                ),
                suggestion=_("Add an image, and describe it for people who cannot see it."),
            )
        ]
    flags = []
    for position, image in enumerate(images, start=1):
        if _EMPTY_ALT.match(image.alt or ""):
            flags.append(
                Flag(
                    code="image_without_alt",
                    severity=WARNING,
                    message=_(
                        "Image %(position)d has no description. Blind and partially sighted colleagues hear it "
                        "through a screen reader: without a description, they miss what it shows."
                    )
                    % {"position": position},
                    suggestion=_(
                        "Describe what the image shows in one sentence, and copy any text written on it "
                        "(date, place, slogan)."
                    ),
                    excerpt=image.alt,
                )
            )
    return flags


def too_many_hashtags(draft: Draft, **_inputs) -> list[Flag]:
    if len(draft.hashtags) <= MAX_HASHTAGS:
        return []
    first_extra = draft.hashtags[MAX_HASHTAGS]
    return [
        Flag(
            code="too_many_hashtags",
            severity=ADVICE,
            message=_(
                "%(count)d hashtags: past %(maximum)d the post looks like advertising, some networks show it less, "
                "and screen readers read every one of them aloud."
            )
            % {"count": len(draft.hashtags), "maximum": MAX_HASHTAGS},
            suggestion=_(
                "Keep the two or three that people really follow (the movement, the company, the town), "
                "written with capitals inside: #GrèveDu12Mars."
            ),
            excerpt=" ".join(tag.text for tag in draft.hashtags),
            start=first_extra.start,
            end=draft.hashtags[-1].end,
        )
    ]
