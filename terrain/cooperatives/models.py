from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terrain.core.models import CodeField, TimeStamped
from terrain.lib.codes import new_code
from terrain.lib.text import fold


def cooperative_image_path(instance, filename: str) -> str:
    return f"cooperatives/{new_code()}.{filename.rsplit('.', 1)[-1]}"


def search_text_for(name: str | None, description: str | None) -> str:
    """The folded text that the search of cooperatives matches: name and description.

    Whoever writes ``name`` or ``description`` stores this in ``Cooperative.search_text``.
    """
    return fold(f"{name or ''} {description or ''}")


class Cooperative(TimeStamped):
    class Kind(models.TextChoices):
        PRIVATE = "private", _("Private (a structure's)")
        OPEN = "open", _("Open")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Anyone may join")
        REQUEST = "request", _("On request, approved by a facilitator")
        INVITATION = "invitation", _("On invitation only")

    code = CodeField()
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.OPEN)
    # Set for a structure's private cooperative: its members are the structure's members.
    structure = models.OneToOneField(
        "structures.Structure", on_delete=models.PROTECT, null=True, blank=True, related_name="cooperative"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    # search_text_for(name, description). Not indexed: a "contains" search cannot use a b-tree index.
    search_text = models.TextField(default="", blank=True, editable=False)
    image = models.ImageField(_("image"), upload_to=cooperative_image_path, blank=True)
    join_policy = models.CharField(
        _("who may join"), max_length=12, choices=JoinPolicy.choices, default=JoinPolicy.REQUEST
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    # Never below the id of this cooperative's newest broadcast activity (raised by
    # feed.services.activity_record; a deletion may leave it above). The feed's
    # first page probes the most recently active cooperatives first thanks to it.
    last_activity_id = models.BigIntegerField(null=True, blank=True, editable=False)
    member_count = models.PositiveIntegerField(default=0, editable=False)
    # The keys of the tools turned off here (``cooperatives.tools``), space-separated: every
    # tool starts on. Read with each feed page, hence plain text rather than JSON.
    disabled_tools = models.CharField(_("tools turned off"), max_length=200, default="", blank=True)

    class Meta:
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="open", structure__isnull=True) | Q(kind="private", structure__isnull=False),
                name="cooperatives_private_has_structure",
            ),
            # A private cooperative is never joined freely.
            models.CheckConstraint(
                condition=Q(kind="open") | ~Q(join_policy="open"),
                name="cooperatives_private_not_open_to_all",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_private(self) -> bool:
        return self.kind == self.Kind.PRIVATE

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def tool_on(self, key: str) -> bool:
        """Whether the tool ``key`` (``cooperatives.tools``) is turned on here."""
        from terrain.cooperatives.tools import disabled_keys

        return key not in disabled_keys(self.disabled_tools)

    @property
    def tools_on(self) -> list:
        """The tools turned on here, in the order of the tabs."""
        from terrain.cooperatives.tools import disabled_keys, tools

        off = disabled_keys(self.disabled_tools)
        return [t for t in tools() if t.key not in off]


class Membership(models.Model):
    class Role(models.TextChoices):
        ANIMATEUR = "animateur", _("Facilitator")
        MEMBER = "member", _("Member")

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)
    # Muted: still a member, but nothing from here in the activity feed.
    muted = models.BooleanField(_("muted in my feed"), default=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["cooperative", "user"], name="cooperatives_membership_unique")]
        # The feed reads every membership of its reader on each page: on PostgreSQL from this
        # index alone (an index-only scan, not one table page per membership).
        indexes = [
            models.Index(
                fields=["user", "cooperative"], include=["muted", "role", "id"], name="cooperatives_membership_feed"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.cooperative}"

    @property
    def is_animateur(self) -> bool:
        return self.role == self.Role.ANIMATEUR


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", pgettext_lazy("join request status", "Approved")  # not a message's
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    code = CodeField()
    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(_("message to the facilitators"), max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "user"],
                condition=Q(status="pending"),
                name="cooperatives_one_pending_request",
            )
        ]
