from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from terrain.core.models import CodeField
from terrain.lib.codes import new_code
from terrain.lib.text import fold

TIMEZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


def search_name_for(display_name: str | None, handle: str | None) -> str:
    """The folded text that member searches match: display name and @mention name.

    Whoever writes ``display_name`` or ``handle`` stores this in ``User.search_name``.
    """
    return fold(f"{display_name or ''} {handle or ''}")


def photo_path(instance, filename: str) -> str:
    # Random name: the file name of an upload can hold a real name or a date.
    return f"photos/{new_code()}.{filename.rsplit('.', 1)[-1]}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.search_name = search_name_for(user.display_name, user.handle)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields["is_staff"] = True
        fields["is_superuser"] = True
        fields.setdefault("display_name", email.split("@")[0])
        return self._create(email, password, **fields)


class Visibility(models.TextChoices):
    """Who may see one field of a profile."""

    PLATFORM = "platform", _("Everyone signed in")
    COOPERATIVES = "cooperatives", _("People in my cooperatives")
    NOBODY = "nobody", _("Only me")


# The columns of a member that no card, comment or feed item shows: left out (deferred)
# where the feed reads the people it shows (``lib.rows.Table(omit=...)``).
PERSON_UNSHOWN = ("password", "last_login", "is_superuser", "search_name", "bio", "is_staff", "date_joined")


class User(AbstractBaseUser, PermissionsMixin):
    code = CodeField()
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80)
    # The name used in @mentions: lower-case letters, digits, dots and dashes.
    handle = models.SlugField(_("mention name"), max_length=40, unique=True, null=True, blank=True)
    # search_name_for(display_name, handle): searches ignore accents and case on every database.
    # Not indexed: member searches run inside one cooperative, already narrowed by its memberships.
    search_name = models.TextField(default="", blank=True, editable=False)
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
    bio = models.TextField(_("short bio"), max_length=600, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fr")
    timezone = models.CharField(_("time zone"), max_length=64, choices=TIMEZONE_CHOICES, default="Europe/Paris")
    email_visibility = models.CharField(
        _("who sees my e-mail address"), max_length=16, choices=Visibility.choices, default=Visibility.NOBODY
    )
    photo_visibility = models.CharField(
        _("who sees my photo"), max_length=16, choices=Visibility.choices, default=Visibility.COOPERATIVES
    )
    bio_visibility = models.CharField(
        _("who sees my bio"), max_length=16, choices=Visibility.choices, default=Visibility.COOPERATIVES
    )
    # Besides the in-app notification, an e-mail for what the member follows (forum topics,
    # answers to their questions...). Each e-mail has a link back here to turn it off.
    email_notifications = models.BooleanField(_("e-mail me about what I follow"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("platform administrator"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=dj_timezone.now)
    # When the last password reset e-mail left: at most one per PASSWORD_RESET_INTERVAL_SECONDS.
    password_reset_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name.split(" ")[0] if self.display_name else self.email

    @property
    def initials(self) -> str:
        parts = [p for p in (self.display_name or self.email).replace("-", " ").split() if p]
        return "".join(p[0] for p in parts[:2]).upper()


class Invitation(models.Model):
    """A single-use link sent by e-mail, valid ``INVITATION_VALID_DAYS`` days.

    It may bring the person into a cooperative (a structure's private one
    included), and give them a mandate there (``mandate``, a role of
    ``structures.OfficialRole``). Nothing happens to the person until they
    accept it: an account is never added to a cooperative by someone else.
    Only a hash of the token is stored.
    """

    code = CodeField()
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    message = models.TextField(_("personal message"), max_length=1000, blank=True)
    # A role in the cooperative's structure, given when the invitation is accepted.
    mandate = models.CharField(_("mandate"), max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.email

    @property
    def mandate_label(self) -> str:
        from terrain.structures.models import OfficialRole

        return str(OfficialRole(self.mandate).label) if self.mandate in OfficialRole.values else ""

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > dj_timezone.now()
