"""Forms of the news: they check input and say what is wrong, the services write."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from terrain.lib.html import plain_text, text_to_html
from terrain.lib.images import ACCEPTED_FORMATS
from terrain.news.services import ImageUpload


def body_to_html(value: str) -> str:
    """What the composer sent, as HTML.

    The Trix editor always sends HTML (every line inside a tag); without
    JavaScript the same field is a plain textarea, whose text is turned into
    paragraphs. Either way the service sanitises what it stores.
    """
    value = (value or "").strip()
    if not value or value.startswith("<"):
        return value
    return text_to_html(value)


class PostForm(forms.Form):
    """A new post: rich text and up to ``MAX_IMAGES_PER_POST`` images, each with its description.

    Images come as the file list ``images`` (one input, several files with
    JavaScript) and the descriptions as ``alt_1``, ``alt_2``… in the same order.
    After ``is_valid()``, ``uploads`` holds the ``ImageUpload`` list for the service.
    """

    body = forms.CharField(label=gettext_lazy("Your message"), required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.uploads: list[ImageUpload] = []

    @property
    def had_images(self) -> bool:
        """Files were sent: the browser will not send them again, the person must choose them again."""
        return bool(self.files and self.files.getlist("images"))

    def clean_body(self) -> str:
        return body_to_html(self.cleaned_data.get("body", ""))

    def clean(self):
        cleaned = super().clean()
        files = self._clean_uploads(limit=settings.MAX_IMAGES_PER_POST)
        if not self.errors and not files and not _has_text(cleaned.get("body", "")):
            self.add_error("body", _("Write something before publishing."))
        return cleaned

    def _clean_uploads(self, *, limit: int) -> list:
        """Check the files sent (at most ``limit``) and their descriptions ``alt_1``…; fill ``uploads``."""
        files = [f for f in (self.files.getlist("images") if self.files else []) if f]
        if len(files) > limit:
            if limit < settings.MAX_IMAGES_PER_POST:  # the post keeps some images already
                message = _("A post can carry at most %(max)s images: you can add %(room)s more; you chose %(count)s.")
            else:
                message = _("A post can carry at most %(max)s images; you chose %(count)s.")
            self.add_error(None, message % {"max": settings.MAX_IMAGES_PER_POST, "room": limit, "count": len(files)})
            return files
        for index, upload in enumerate(files, start=1):
            alt_text = (self.data.get(f"alt_{index}") or "").strip()[:500]
            name = upload.name or str(index)
            if not alt_text:
                self.add_error(
                    None,
                    _(
                        "Image %(number)s (%(name)s) has no description. Describe it in a few words: "
                        "the description is read aloud to people who cannot see the image."
                    )
                    % {"number": index, "name": name},
                )
                continue
            problem = _image_problem(upload)
            if problem:
                self.add_error(
                    None,
                    _("Image %(number)s (%(name)s): %(problem)s") % {"number": index, "name": name, "problem": problem},
                )
                continue
            self.uploads.append(ImageUpload(file=upload, alt_text=alt_text))
        return files


def _has_text(html: str) -> bool:
    return bool(plain_text(html))


def _image_problem(upload) -> str:
    """A cheap look at the file (size, then the header, never the pixels). The
    service decodes and re-encodes it afterwards."""
    limit = settings.MAX_IMAGE_BYTES
    if upload.size > limit:
        return _("it weighs %(size)s MB; the limit is %(limit)s MB. Send a smaller photo.") % {
            "size": round(upload.size / 1024 / 1024, 1),
            "limit": limit // 1024 // 1024,
        }
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            fmt = probe.format
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        fmt = None
    finally:
        upload.seek(0)
    if fmt not in ACCEPTED_FORMATS:
        return _("this file is not a photo we can read. Send a photo in JPEG, PNG, GIF or WebP format.")
    return ""


class PostEditForm(PostForm):
    """The author's changes to a published post: its text, and its images.

    Each current image comes with its description ``alt_<code>`` (to correct) and a box
    ``remove_<code>``; new images come as in ``PostForm`` (``images``, ``alt_1``…). After
    ``is_valid()``, ``kept`` maps the code of each image kept to its description, in order, and
    ``uploads`` holds the new ones.
    """

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        self.pictures = list(post.images.all())
        self.kept: dict[str, str] = {}

    def picture_fields(self) -> list[dict]:
        """Each current image with the description and the removal to show in the form."""
        sent = self.is_bound
        return [
            {
                "picture": picture,
                # A form that does not name the image (sent before images could change) keeps its description.
                "alt": self.data.get(f"alt_{picture.code}", picture.alt_text) if sent else picture.alt_text,
                "removed": sent and bool(self.data.get(f"remove_{picture.code}")),
            }
            for picture in self.pictures
        ]

    @property
    def room(self) -> int:
        """How many images may still be added."""
        return max(0, settings.MAX_IMAGES_PER_POST - len(self.pictures))

    def clean(self):
        cleaned = forms.Form.clean(self)
        for field in self.picture_fields():
            if not field["removed"]:
                self.kept[field["picture"].code] = (field["alt"] or "").strip()[:500]
        if not all(self.kept.values()):
            self.add_error(
                None, _("An image kept has no description. Describe it in a few words, or remove the image.")
            )
        files = self._clean_uploads(limit=settings.MAX_IMAGES_PER_POST - len(self.kept))
        if not self.errors and not files and not self.kept and not _has_text(cleaned.get("body", "")):
            self.add_error("body", _("Write something before publishing."))
        return cleaned


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Write a comment before sending.")},
    )
