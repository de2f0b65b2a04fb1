"""Signing in and out, passwords, invitations, profiles and photos."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.accounts import services
from terrain.accounts.access import (
    field_visible_to,
    get_invitation_for,
    get_photo_for,
    get_profile_for,
    require_platform_admin,
)
from terrain.accounts.backends import MEMBER_BACKEND
from terrain.accounts.forms import (
    ChangePasswordForm,
    EmailAuthenticationForm,
    InvitationSignupForm,
    LocalisedPasswordResetForm,
    NewPasswordForm,
    PlatformInvitationForm,
    ProfileForm,
)
from terrain.accounts.models import Invitation
from terrain.accounts.selectors import (
    invitations_waiting_for,
    platform_invitations_recent,
    user_by_code,
    user_by_email,
)
from terrain.core.middleware import LANGUAGE_COOKIE
from terrain.lib.http import error_text, personal_data, protected_file, safe_next_url

# --- Signing in and out ---------------------------------------------------------------


class SignInView(auth_views.LoginView):
    """E-mail and password; throttled by django-axes (see ``AXES_*`` settings)."""

    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django refuses a GET): a link or a prefetch cannot sign anyone out."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are signed out. See you soon!"))
        return response


# --- Passwords ------------------------------------------------------------------------

password_reset = auth_views.PasswordResetView.as_view(
    form_class=LocalisedPasswordResetForm,
    template_name="accounts/password_reset_form.html",
    subject_template_name="accounts/email/password_reset_subject.txt",
    email_template_name="accounts/email/password_reset.txt",
    html_email_template_name="accounts/email/password_reset.html",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view, with the member named by their opaque code rather than their id in base 64.

    (The URL keeps Django's parameter name ``uidb64``: the parent view reads it.)
    """

    def get_user(self, uidb64):
        return user_by_code(uidb64)


password_reset_confirm = PasswordResetConfirmView.as_view(
    form_class=NewPasswordForm,
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
    # The link proved the person reads the mailbox: sign them in rather than
    # sending them to type the new password once more.
    post_reset_login=True,
    post_reset_login_backend=MEMBER_BACKEND,
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


class ChangePasswordView(auth_views.PasswordChangeView):
    """Signed in only (Django's view requires it); other sessions are kept signed in here."""

    form_class = ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile_edit")
    extra_context = {"nav": "account"}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed."))
        return response


# --- Invitations ----------------------------------------------------------------------


def _destination(invitation: Invitation) -> str:
    """Where an accepted invitation leads: its cooperative, else the feed."""
    if invitation.cooperative_id:
        return reverse("cooperatives:detail", args=[invitation.cooperative.code])
    return reverse("feed:home")


def _welcome(request: HttpRequest, invitation: Invitation) -> None:
    if invitation.cooperative_id:
        messages.success(
            request, _("Welcome! You are now a member of “%(name)s”.") % {"name": invitation.cooperative.name}
        )
    else:
        messages.success(request, _("Welcome to %(site)s!") % {"site": settings.SITE_NAME})


def _unusable(request: HttpRequest, invitation: Invitation | None) -> HttpResponse:
    if invitation is None:
        reason, status = "unknown", 404
    elif invitation.accepted_at:
        reason, status = "used", 410
    elif invitation.revoked_at:
        reason, status = "revoked", 410
    else:
        reason, status = "expired", 410
    return render(
        request,
        "accounts/invitation_unusable.html",
        {"invitation": invitation, "reason": reason, "valid_days": settings.INVITATION_VALID_DAYS},
        status=status,
    )


@personal_data
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the link from an invitation e-mail.

    - unknown, used, expired or replaced link: a page that says so and what to do;
    - no account for the invited address: choose a name and a password;
    - an account exists: accept while signed in as that account.
    """
    invitation = services.invitation_find(token=token)
    if invitation is None:
        return _unusable(request, None)
    if not invitation.is_usable:
        if request.user.is_authenticated and invitation.accepted_by_id == request.user.pk:
            # A second tap on the link, or the back button: not an error.
            messages.info(request, _("You have already accepted this invitation."))
            return redirect(_destination(invitation))
        return _unusable(request, invitation)

    context = {"invitation": invitation, "token": token}
    account = user_by_email(invitation.email)
    if account is None:
        if request.user.is_authenticated:
            return render(request, "accounts/invitation_accept.html", {**context, "state": "other_account"})
        return _invitation_signup(request, invitation, context)
    if not request.user.is_authenticated:
        login_url = f"{reverse('accounts:login')}?{urlencode({'next': request.path})}"
        return render(
            request, "accounts/invitation_accept.html", {**context, "state": "sign_in", "login_url": login_url}
        )
    if request.user.pk != account.pk:
        return render(request, "accounts/invitation_accept.html", {**context, "state": "other_account"})

    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError:
            invitation.refresh_from_db()
            return _unusable(request, invitation)
        _welcome(request, invitation)
        return redirect(_destination(invitation))
    return render(request, "accounts/invitation_accept.html", {**context, "state": "accept"})


def _invitation_signup(request: HttpRequest, invitation: Invitation, context: dict) -> HttpResponse:
    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_signup(
                invitation=invitation,
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password1"],
                language=getattr(request, "LANGUAGE_CODE", None),
            )
        except ValidationError:
            invitation.refresh_from_db()
            return _unusable(request, invitation)
        except IntegrityError:
            # The account was created meanwhile (a double submission): start over, it now asks to sign in.
            return redirect(request.path)
        login(request, user, backend=MEMBER_BACKEND)
        _welcome(request, invitation)
        return redirect(_destination(invitation))
    return render(request, "accounts/invitation_signup.html", {**context, "form": form})


@personal_data
@login_required
@require_GET
def invitations(request: HttpRequest) -> HttpResponse:
    """The invitations waiting for me: nobody joins a cooperative or takes a mandate without saying yes here
    (or through the e-mail's link)."""
    return render(
        request,
        "accounts/invitations.html",
        {"invitations": list(invitations_waiting_for(request.user)), "nav": "account"},
    )


@personal_data
@login_required
@require_POST
def invitation_respond(request: HttpRequest, code: str) -> HttpResponse:
    """Accept (``answer=accept``) or decline one of my invitations from the list."""
    invitation = get_invitation_for(request, code)
    answer = request.POST.get("answer")
    try:
        if answer == "accept":
            services.invitation_accept(invitation=invitation, user=request.user)
        elif answer == "decline":
            services.invitation_decline(invitation=invitation, user=request.user)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("accounts:invitations")
    if answer == "accept":
        _welcome(request, invitation)
        return redirect(_destination(invitation))
    messages.info(request, _("The invitation is declined."))
    return redirect("accounts:invitations")


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    """Platform administrators invite someone to the platform, outside any cooperative."""
    require_platform_admin(request)
    form = PlatformInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_create(
            email=form.cleaned_data["email"], by=request.user, message=form.cleaned_data["message"]
        )
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
        return redirect("accounts:invite")
    return render(
        request,
        "accounts/invite.html",
        {"form": form, "invitations": platform_invitations_recent(), "nav": "account"},
    )


# --- Profiles -------------------------------------------------------------------------


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.profile_update(
            user=user,
            display_name=data["display_name"],
            handle=data["handle"],
            bio=data["bio"],
            email_visibility=data["email_visibility"],
            photo_visibility=data["photo_visibility"],
            bio_visibility=data["bio_visibility"],
            email_notifications=data["email_notifications"],
            language=data["language"],
            time_zone=data["time_zone"],
            photo=data.get("photo"),
            remove_photo=data.get("remove_photo", False),
        )
        # The new language applies from this very message on, and stays after signing out.
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
        messages.success(request, _("Your profile is saved."))
        response = redirect("accounts:profile_edit")
        response.set_cookie(LANGUAGE_COOKIE, user.language, max_age=365 * 24 * 3600, samesite="Lax")
        return response
    return render(request, "accounts/profile_edit.html", {"form": form, "nav": "account"})


@personal_data
@login_required
@require_GET
def profile(request: HttpRequest, code: str) -> HttpResponse:
    """A member's profile, for themself and for the people who share a cooperative with them.

    Their cooperatives are deliberately not listed: membership is sensitive.
    """
    person = get_profile_for(request, code)
    # get_profile_for let us through: the viewer is the person or shares a cooperative.
    visible = {
        field: field_visible_to(
            viewer=request.user, person=person, visibility=getattr(person, f"{field}_visibility"), shared=True
        )
        for field in ("email", "bio")
    }
    return render(
        request,
        "accounts/profile.html",
        {
            "person": person,
            "is_self": person.pk == request.user.pk,
            "show_email": visible["email"],
            "show_bio": visible["bio"] and bool(person.bio),
            "nav": "account" if person.pk == request.user.pk else None,
        },
    )


@login_required
@require_GET
def photo(request: HttpRequest, code: str) -> HttpResponse:
    """Stream a profile photo to whoever may see it (uploads are never served directly)."""
    person = get_photo_for(request, code)
    return protected_file(request, person.photo, max_age=3600)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language; saved on the profile when signed in, in a cookie otherwise.

    Here rather than in ``core``: saving the choice is a write of accounts, and core
    imports no domain app.
    """
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    next_url = safe_next_url(request, reverse("feed:home"))
    if request.user.is_authenticated:
        services.user_update_preferences(user=request.user, language=language)
    response = redirect(next_url)
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax")
    return response
