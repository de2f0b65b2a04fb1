"""Base models shared by every app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from terrain.lib.codes import CODE_LENGTH, new_code


class CodeField(models.CharField):
    """A random public identifier, the only one that appears in URLs."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", CODE_LENGTH)
        kwargs.setdefault("unique", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", new_code)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "unique", "editable", "default"):
            kwargs.pop(key, None)
        return name, path, args, kwargs


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """Who looked at or changed something sensitive (member lists above all)."""

    class Action(models.TextChoices):
        VIEW_MEMBERS = "view_members", _("viewed a member list")
        ADD_MEMBER = "add_member", _("added a member")
        REMOVE_MEMBER = "remove_member", _("removed a member")
        CHANGE_ROLE = "change_role", _("changed a role")
        MODERATE = "moderate", _("moderated content")
        INVITE = "invite", _("sent an invitation")
        EXPORT_PERSONAL = "export_personal", _("exported personal data")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=32, choices=Action.choices)
    target_type = models.CharField(max_length=40)
    target_code = models.CharField(max_length=CODE_LENGTH)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["target_type", "target_code"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.target_type}:{self.target_code}"


class PeriodicRun(models.Model):
    """When a periodic job (``terrain.core.periodic``) runs next; the clock claims it with a conditional UPDATE."""

    name = models.CharField(max_length=80, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name
