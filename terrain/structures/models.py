from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from terrain.core.models import CodeField, TimeStamped


class StructureKind(models.TextChoices):
    CONFEDERATION = "confederation", _("Confederation")
    FEDERATION = "federation", _("Federation")
    UNION_DEPARTEMENTALE = "ud", _("Departmental union")
    UNION_LOCALE = "ul", _("Local union")
    SYNDICAT = "syndicat", _("Union")
    SECTION = "section", _("Union branch")
    ASSOCIATION = "association", _("Association")


# Which kinds may sit directly under which: the tree of a French confederation.
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    StructureKind.CONFEDERATION: {None},
    StructureKind.FEDERATION: {StructureKind.CONFEDERATION},
    StructureKind.UNION_DEPARTEMENTALE: {StructureKind.CONFEDERATION},
    StructureKind.UNION_LOCALE: {StructureKind.UNION_DEPARTEMENTALE},
    StructureKind.SYNDICAT: {
        None,
        StructureKind.FEDERATION,
        StructureKind.UNION_DEPARTEMENTALE,
        StructureKind.UNION_LOCALE,
    },
    StructureKind.SECTION: {StructureKind.SYNDICAT},
    StructureKind.ASSOCIATION: {None, StructureKind.ASSOCIATION},
}
# A UD or a federation may be the top of an instance too.
ALLOWED_PARENTS[StructureKind.UNION_DEPARTEMENTALE].add(None)
ALLOWED_PARENTS[StructureKind.FEDERATION].add(None)


class Structure(TimeStamped):
    code = CodeField()
    kind = models.CharField(_("type"), max_length=16, choices=StructureKind.choices)
    name = models.CharField(_("name"), max_length=160)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    # Materialised path of primary keys ("12/57/311/"): one indexed prefix
    # query finds every descendant, at any depth.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    departement = models.CharField(_("département"), max_length=3, blank=True)
    commune = models.CharField(_("town"), max_length=120, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def ancestor_ids(self) -> list[int]:
        return [int(pk) for pk in self.path.strip("/").split("/")[:-1] if pk]


class OfficialRole(models.TextChoices):
    SECRETAIRE = "secretaire", _("Secretary")
    TRESORIER = "tresorier", _("Treasurer")
    COMMUNICATION = "communication", _("Communication officer")
    ANIMATEUR = "animateur", _("Facilitator")


class Official(models.Model):
    """A mandate: someone who runs a structure. Officials manage it and see its sub-structures."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="officials")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mandates")
    role = models.CharField(_("role"), max_length=16, choices=OfficialRole.choices)
    since = models.DateField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        constraints = [models.UniqueConstraint(fields=["structure", "user", "role"], name="structures_official_unique")]
        indexes = [models.Index(fields=["user", "structure"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.structure}"
