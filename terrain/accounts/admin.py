"""Platform administration (/administration/) for members and invitations.

Platform administrators are ``is_staff`` members (``is_superuser`` for every
permission). Members sign in with their e-mail address: there is no user name.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from terrain.accounts.models import Invitation, User, search_name_for
from terrain.accounts.services import handle_for


class MemberCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "display_name")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("A member with this e-mail address already exists."), code="unique")
        return email


class MemberChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = MemberChangeForm
    add_form = MemberCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password", "code")}),
        (_("Profile"), {"fields": ("display_name", "handle", "photo", "bio")}),
        (_("Who sees what"), {"fields": ("email_visibility", "photo_visibility", "bio_visibility")}),
        (_("Preferences"), {"fields": ("language", "timezone")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "display_name", "usable_password", "password1", "password2")},
        ),
    )
    readonly_fields = ("code", "last_login", "date_joined")
    list_display = ("email", "display_name", "handle", "is_active", "is_staff", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "language", "date_joined")
    search_fields = ("email", "display_name", "handle")
    ordering = ("email",)

    def save_model(self, request, obj, form, change):
        # Members created here need a @mention name too (user_create gives one to the others).
        if not obj.handle:
            obj.handle = handle_for(obj.display_name or obj.email.split("@")[0], exclude_pk=obj.pk)
        # Both forms may change the name or the @mention name: keep member searches right.
        obj.search_name = search_name_for(obj.display_name, obj.handle)
        super().save_model(request, obj, form, change)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are sent from the site so that the e-mail and token are right.

    The token's hash is never shown: it is useless to read and better kept out of sight.
    """

    list_display = ("email", "cooperative", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at")
    list_filter = (("accepted_at", admin.EmptyFieldListFilter), ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "cooperative__name", "invited_by__email")
    list_select_related = ("cooperative", "invited_by")
    fields = (
        "code",
        "email",
        "cooperative",
        "invited_by",
        "message",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    )
    readonly_fields = fields
    ordering = ("-created_at",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
