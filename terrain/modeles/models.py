from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from terrain.core.models import CodeField, TimeStamped
from terrain.modeles.fields import Field


def template_file_path(instance, filename: str) -> str:
    # An opaque name: the uploader's file name says nothing here, the extension comes from the content.
    return f"modeles/{instance.code}-{instance.file_version}.{instance.source}"


class DocumentTemplate(TimeStamped):
    """A model of a letter, a tract or statutes, with fields that members fill in.

    Its source is an uploaded DOCX or ODT (``file``, in private storage) or rich text written in
    the app (``body_html``, sanitised). ``fields`` lists the fields found in the source, in
    order, with the labels the animateurs gave them (``fields.Field.as_dict``). Members' answers
    are never stored: they go into the files they download.
    """

    class Kind(models.TextChoices):
        TRACT = "tract", _("Tract")
        LETTER = "letter", _("Letter")
        STATUTES = "statutes", _("Statutes")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        DOCX = "docx", _("Word document (.docx)")
        ODT = "odt", _("LibreOffice document (.odt)")
        WRITTEN = "written", _("Written in Terrain")

    code = CodeField()
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", on_delete=models.CASCADE, related_name="document_templates"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LETTER)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    file = models.FileField(upload_to=template_file_path, blank=True)
    # Bumped with each new file: a new upload gets a new name, the old one is deleted on commit.
    file_version = models.PositiveIntegerField(default=1)
    body_html = models.TextField(_("text"), blank=True)
    # The source's plain text (for the search).
    text = models.TextField(blank=True)
    fields = models.JSONField(default=list)
    # Offered to the cooperatives of the structures below this cooperative's structure (a
    # federation's letter reaches every section, including the ones created later).
    offered_below = models.BooleanField(_("offer it to the structures below"), default=False)

    class Meta:
        verbose_name = _("template")
        verbose_name_plural = _("templates")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["cooperative", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def field_list(self) -> list[Field]:
        return [Field.from_dict(item) for item in self.fields]

    @property
    def is_written(self) -> bool:
        return self.source == self.Source.WRITTEN

    @property
    def formats(self) -> list[str]:
        """The editable formats a member may download."""
        return ["docx", "odt"] if self.is_written else [self.source]


class SavedAnswers(models.Model):
    """A member's answers to a template, kept only because they ticked "keep my answers" (by
    default nothing is kept); shown to them alone, deleted when they untick it or forget them."""

    template = models.ForeignKey(DocumentTemplate, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Field name -> the answer as typed (a date as YYYY-MM-DD).
    values = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["template", "user"], name="modeles_answers_once")]
