"""The tractothèque: tracts (a library file with themes, a date and a structure), the offers a
structure makes of them to its sub-structures' cooperatives, and what those did with them.

A tract's bytes are its library ``File``'s: the tractothèque adds what makes a file a tract.
Downloads are the library's ``FileDownload`` rows of that file (with the cooperative it was
downloaded through); reuses are counted here (``TractReuse``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terrain.core.models import CodeField, TimeStamped


class Tract(TimeStamped):
    code = CodeField()
    # The cooperative whose tract it is (the source); other cooperatives get it through offers.
    cooperative = models.ForeignKey("cooperatives.Cooperative", on_delete=models.CASCADE, related_name="tracts")
    file = models.ForeignKey("library.File", on_delete=models.CASCADE, related_name="tracts", verbose_name=_("file"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("short description"), max_length=1000, blank=True)
    # The themes as typed (first spelling kept), one per line; ``TractTheme`` holds their folded keys.
    themes_text = models.TextField(blank=True, editable=False)
    date = models.DateField(_("date"), help_text=_("The day of the action, or of the publication."))
    # The structure it is from: the cooperative's, or one where the author holds a mandate.
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tracts",
        verbose_name=_("from the structure"),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # When the source cooperative first offered it to its sub-structures (None: never). A
    # sub-structure created afterwards is offered it when its facilitators open their
    # tractothèque (``services.tract_offers_catch_up``).
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tract")
        verbose_name_plural = _("tracts")
        ordering = ["-date", "-created_at", "-id"]
        indexes = [models.Index(fields=["cooperative", "-date"], name="tracts_coop_date")]

    def __str__(self) -> str:
        return self.title

    @property
    def themes(self) -> list[str]:
        return [line for line in self.themes_text.splitlines() if line]


class TractTheme(models.Model):
    """One theme of a tract, folded ("Santé au travail" -> "sante au travail") for the filter."""

    tract = models.ForeignKey(Tract, on_delete=models.CASCADE, related_name="theme_rows")
    key = models.CharField(max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tract", "key"], name="tracts_theme_unique")]
        indexes = [models.Index(fields=["key", "tract"], name="tracts_theme_key")]


class TractOffer(models.Model):
    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", pgettext_lazy("tract offer status", "Accepted")
        DECLINED = "declined", _("Declined")

    # The tract as seen in the receiving cooperative is reached by this code (``access.get_tract_for``).
    code = CodeField()
    tract = models.ForeignKey(Tract, on_delete=models.CASCADE, related_name="offers")
    # The receiving cooperative: the private cooperative of a structure below the source's.
    cooperative = models.ForeignKey("cooperatives.Cooperative", on_delete=models.CASCADE, related_name="tract_offers")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFERED)
    offered_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tract offer")
        verbose_name_plural = _("tract offers")
        constraints = [models.UniqueConstraint(fields=["tract", "cooperative"], name="tracts_offer_unique")]
        indexes = [models.Index(fields=["cooperative", "status"], name="tracts_offer_coop_status")]


class TractReuse(models.Model):
    """A member says the cooperative used the tract: counted per cooperative, never listed by person."""

    class Kind(models.TextChoices):
        DISTRIBUTED = "distributed", _("Handed out")
        DISPLAYED = "displayed", _("Put up on a notice board")
        PUBLISHED = "published", _("Published online or in the news")
        WORKSHOP = "workshop", _("Sent to the communication workshop")

    tract = models.ForeignKey(Tract, on_delete=models.CASCADE, related_name="reuses")
    cooperative = models.ForeignKey("cooperatives.Cooperative", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(_("what you did with it"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tract reuse")
        verbose_name_plural = _("tract reuses")
        indexes = [models.Index(fields=["tract", "cooperative"], name="tracts_reuse_tract")]
