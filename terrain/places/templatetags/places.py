"""Tags of the locator's pages."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def choice_select(field) -> SafeString:
    """A form's choice field as a ``<select>`` drawn in Python, its errors after it.

    The locator is a hot public page: the form's widget templates render a template per
    option (about a fifth of the page's time with twenty federations).
    """
    value = str(field.value() or "")
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((key, mark_safe(" selected") if str(key) == value else "", label) for key, label in field.field.choices),
    )
    invalid = mark_safe(' aria-invalid="true"') if field.errors else ""
    errors = field.errors or ""
    return format_html(
        '<select name="{}" id="{}"{}>{}</select>{}', field.html_name, field.id_for_label, invalid, options, errors
    )


@register.simple_tag
def locator_card(card: dict, embedded: bool = False) -> SafeString:
    """One result of the locator (``places.views._cards``): the structure, its distance, what its
    site publishes (address, contacts, opening hours) and the tools' lines, as an item of the
    results list whose ``data-*`` the map reads. In Python: ten of them are most of the page's
    rendering (CONTRIBUTING, "Hot reads")."""
    site = card["site"]
    structure = site.structure
    url = reverse("public:home", args=[site.slug])
    new_tab = mark_safe(' target="_blank" rel="noopener"') if embedded else ""
    distance = gettext("%(km)s km") % {"km": number_format(card["distance"], 1)}
    parts = [
        format_html(
            '<li data-lat="{}" data-lon="{}" data-title="{}" data-url="{}">'
            '<article class="locator-card" aria-labelledby="site-{}">'
            '<h3 id="site-{}"><a href="{}"{}>{}</a></h3><p class="small muted">{} · {}</p>',
            f"{site.latitude:f}",
            f"{site.longitude:f}",
            structure.name,
            url,
            site.code,
            site.code,
            url,
            new_tab,
            structure.name,
            card["kind"],
            distance,
        )
    ]
    if site.address or site.commune:
        street = format_html("{}, ", site.address) if site.address else ""
        parts.append(format_html("<address>{}{} {}</address>", street, site.postal_code, site.commune))
    if site.email or site.phone:
        mail = format_html('<a href="mailto:{}">{}</a>', site.email, site.email) if site.email else ""
        phone = format_html('<a href="tel:{}">{}</a>', site.phone.replace(" ", ""), site.phone) if site.phone else ""
        parts.append(format_html("<p>{}{}{}</p>", mail, " · " if mail and phone else "", phone))
    if site.hours:
        hours = mark_safe(linebreaks(site.hours, autoescape=True))  # noqa: S308 (escaped by linebreaks)
        parts.append(format_html('<div class="small"><strong>{}</strong>{}</div>', gettext("Opening hours"), hours))
    parts.extend(format_html('<p class="small">{}</p>', fact) for fact in card["facts"])
    parts.append(mark_safe("</article></li>"))
    return mark_safe("".join(parts))  # noqa: S308 (every part is escaped above)
