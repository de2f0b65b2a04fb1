"""Writes of the public sites: every change goes through here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from terrain.atelier.models import ConnectedAccount
from terrain.public.models import Site
from terrain.structures.models import Structure

#: The kind of the "our site" channel in the workshop (a connected account per site).
SITE_CHANNEL = "site"

#: Fields an official edits on the site's form.
EDITABLE = (
    "slug",
    "tagline",
    "about",
    "address",
    "postal_code",
    "commune",
    "latitude",
    "longitude",
    "email",
    "phone",
    "hours",
    "join_text",
    "colour",
    "custom_domain",
)


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of white text on ``colour`` (#rrggbb)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def suggested_slug(structure: Structure) -> str:
    base = slugify(structure.name)[:50].strip("-") or "site"
    slug, n = base, 1
    while Site.objects.filter(slug=slug).exclude(structure=structure).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _clean(values: dict) -> dict:
    values = {key: values.get(key) for key in EDITABLE if key in values}
    for key, value in list(values.items()):
        if isinstance(value, str):
            values[key] = value.strip()
    errors: dict[str, str] = {}
    if "slug" in values:
        values["slug"] = values["slug"].lower()
        if not values["slug"]:
            errors["slug"] = _("Give the site an address.")
    colour = values.get("colour") or ""
    if colour and len(colour) == 7 and colour.startswith("#"):
        try:
            if contrast_with_white(colour) < 4.5:
                errors["colour"] = _(
                    "White text on this colour is hard to read (contrast %(ratio).1f:1, at least 4.5:1 is needed): "
                    "choose a darker colour."
                ) % {"ratio": contrast_with_white(colour)}
        except ValueError:
            errors["colour"] = _("Give a colour as #rrggbb, for example #b3122e.")
    if "custom_domain" in values:
        values["custom_domain"] = (values["custom_domain"] or "").lower().rstrip(".") or None
    if (values.get("latitude") is None) != (values.get("longitude") is None):
        errors["latitude"] = _("Give both the latitude and the longitude, or neither.")
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def site_save(*, structure: Structure, by, logo=None, clear_logo: bool = False, **values) -> Site:
    """Create or change the structure's site (it stays unpublished until :func:`site_publish`)."""
    cleaned = _clean(values)
    site = Site.objects.select_for_update().filter(structure=structure).first() or Site(structure=structure)
    for key, value in cleaned.items():
        setattr(site, key, value)
    if not site.slug:
        site.slug = suggested_slug(structure)
    if clear_logo:
        site.logo = ""
    if logo is not None:
        site.logo = logo
    site.full_clean(exclude=["structure", "logo"])
    try:
        with transaction.atomic():
            site.save()
    except IntegrityError as error:  # two officials taking the same address at once
        raise ValidationError({"slug": _("This address is taken: choose another one.")}) from error
    return site


@transaction.atomic
def site_publish(*, site: Site, by) -> Site:
    """Open the site to everyone, and give the workshop its "our site" channel."""
    Site.objects.filter(pk=site.pk).update(published=True, updated_at=timezone.now())
    site.published = True
    ConnectedAccount.objects.update_or_create(
        structure=site.structure,
        network=SITE_CHANNEL,
        remote_id=site.code,
        defaults={
            "handle": site.slug,
            "display_name": site.structure.name,
            "status": ConnectedAccount.Status.ACTIVE,
            "status_detail": "",
            "connected_by": by,
        },
    )
    return site


@transaction.atomic
def site_unpublish(*, site: Site, by) -> Site:
    """Close the site: its pages are a 404 again; its news are kept for when it reopens."""
    Site.objects.filter(pk=site.pk).update(published=False, updated_at=timezone.now())
    site.published = False
    ConnectedAccount.objects.filter(structure=site.structure, network=SITE_CHANNEL, remote_id=site.code).update(
        status=ConnectedAccount.Status.DISCONNECTED
    )
    return site
