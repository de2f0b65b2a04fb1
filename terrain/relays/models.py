"""Relais militants: members who relay their structure's posts to their own circles.

A member of a structure (of its private cooperative) subscribes to its relays
(:class:`RelaySubscription`) and chooses how to hear of a new post: in the app,
by e-mail at once, or in a daily digest (:class:`DigestItem`). The relay page of
a published message gives one-tap share links for the member's own accounts
(:class:`RelayProfile`); every share goes through Terrain, which records one
:class:`Relay` per member and network, so the structure sees how many relayed it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from terrain.core.models import CodeField, TimeStamped
from terrain.networks.registry import share_choices


class RelaySubscription(TimeStamped):
    class Mode(models.TextChoices):
        APP = "app", _("In the app only")
        EMAIL = "email", _("By e-mail at once")
        DIGEST = "digest", _("In a daily e-mail digest")

    code = CodeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relay_subscriptions")
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="relay_subscriptions")
    mode = models.CharField(_("how to hear of a new post"), max_length=8, choices=Mode.choices, default=Mode.APP)

    class Meta:
        verbose_name = _("relay subscription")
        verbose_name_plural = _("relay subscriptions")
        constraints = [models.UniqueConstraint(fields=["user", "structure"], name="relays_subscription_once")]


class RelayProfile(models.Model):
    """The member's own accounts, for one-tap sharing."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relay_profile")
    mastodon_instance = models.CharField(_("your Mastodon server"), max_length=253, blank=True)
    personal_line = models.CharField(_("your usual personal line"), max_length=200, blank=True)


class Announcement(models.Model):
    """A published message announced to the relays: once, even if the hook runs twice."""

    message = models.OneToOneField("atelier.Message", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)


class DigestItem(models.Model):
    """A post waiting for a member's next daily digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey("atelier.Message", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "message"], name="relays_digest_once")]
        indexes = [models.Index(fields=["sent_at", "user"])]


class Relay(models.Model):
    """A member shared a message on a network (through Terrain's share redirect): counted once."""

    message = models.ForeignKey("atelier.Message", on_delete=models.CASCADE, related_name="relays")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    network = models.CharField(max_length=16, choices=share_choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("relay")
        verbose_name_plural = _("relays")
        constraints = [models.UniqueConstraint(fields=["message", "user", "network"], name="relays_relay_once")]
