"""A structure's public site: what anyone may read without signing in.

Nothing is public until an official publishes the site (``published``); a site shows
only what was written for it (its presentation, its news, what the tools register
in :mod:`terrain.public.registry`), never anything of a cooperative.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from terrain.core.models import CodeField, TimeStamped

COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Give a colour as #rrggbb, for example #b3122e."))


class Site(TimeStamped):
    code = CodeField()
    structure = models.OneToOneField("structures.Structure", on_delete=models.CASCADE, related_name="site")
    slug = models.SlugField(
        _("address"),
        max_length=60,
        unique=True,
        help_text=_("The end of the site's address: lowercase letters, digits and hyphens."),
    )
    published = models.BooleanField(_("published"), default=False)
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    about = models.TextField(_("who we are"), max_length=5000, blank=True)
    address = models.CharField(_("street address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    commune = models.CharField(_("town"), max_length=120, blank=True)
    # Where the locator places the structure (set from the town, or by hand).
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    hours = models.TextField(_("opening hours"), max_length=1000, blank=True)
    join_text = models.TextField(_("why and how to join"), max_length=2000, blank=True)
    colour = models.CharField(_("colour"), max_length=7, blank=True, validators=[COLOUR])
    logo = models.ImageField(_("logo"), upload_to="sites/logos/", blank=True)
    custom_domain = models.CharField(
        _("own domain"),
        max_length=253,
        unique=True,
        null=True,
        blank=True,
        help_text=_("A domain of its own for this site, for example syndicat-exemple.fr."),
    )

    class Meta:
        verbose_name = _("public site")
        verbose_name_plural = _("public sites")
        indexes = [models.Index(fields=["published", "latitude", "longitude"], name="public_site_located")]

    def __str__(self) -> str:
        return self.slug


class SitePost(models.Model):
    """A news item on the site: a message of the workshop sent to the "our site" channel."""

    code = CodeField()
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="posts")
    message = models.ForeignKey("atelier.Message", on_delete=models.SET_NULL, null=True, related_name="+")
    marker = models.CharField(max_length=32, unique=True)  # the publication's: publishing twice finds it
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    image = models.ImageField(_("image"), upload_to="sites/posts/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=1000, blank=True)
    published_at = models.DateTimeField(_("published"), db_index=True)

    class Meta:
        verbose_name = _("site news item")
        verbose_name_plural = _("site news items")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["site", "-published_at"], name="public_post_site_date")]

    def __str__(self) -> str:
        return self.title or self.text[:60]


class SiteDocument(models.Model):
    """A file of the structure's library that its officials put on the site, on purpose.

    The file stays in the library (its new versions show here); the site shows it only while
    this row exists and the file is not in the bin.
    """

    code = CodeField()
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="documents")
    file = models.ForeignKey("library.File", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("public document")
        verbose_name_plural = _("public documents")
        ordering = ["-published_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["site", "file"], name="public_document_once")]

    def __str__(self) -> str:
        return self.title
