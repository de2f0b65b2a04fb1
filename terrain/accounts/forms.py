"""Forms of the accounts app. They validate; the services write."""

from __future__ import annotations

import re
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from terrain.accounts.models import User, Visibility
from terrain.accounts.selectors import handle_taken, user_by_email
from terrain.lib.images import clean_image

HANDLE_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,38}[a-z0-9]$")

# The zones French members live in, first; any other valid zone is still accepted.
COMMON_TIME_ZONES = [
    ("Europe/Paris", _("Metropolitan France")),
    ("America/Guadeloupe", _("Guadeloupe")),
    ("America/Martinique", _("Martinique")),
    ("America/Cayenne", _("French Guiana")),
    ("Indian/Reunion", _("Réunion")),
    ("Indian/Mayotte", _("Mayotte")),
    ("America/Miquelon", _("Saint Pierre and Miquelon")),
    ("Pacific/Noumea", _("New Caledonia")),
    ("Pacific/Tahiti", _("French Polynesia (Tahiti)")),
    ("Pacific/Wallis", _("Wallis and Futuna")),
    ("Europe/Brussels", _("Belgium")),
    ("Europe/Luxembourg", _("Luxembourg")),
    ("Europe/Zurich", _("Switzerland")),
    ("Europe/London", _("United Kingdom")),
    ("America/Toronto", _("Quebec and Eastern Canada")),
    ("Africa/Casablanca", _("Morocco")),
    ("Africa/Algiers", _("Algeria")),
    ("Africa/Tunis", _("Tunisia")),
    ("Africa/Dakar", _("Senegal")),
    ("UTC", _("Universal time (UTC)")),
]


# --- Signing in and passwords -------------------------------------------------------


class EmailAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, with the e-mail address as the user name.

    The field keeps Django's name ``username``: django-axes reads it
    (``AXES_USERNAME_FORM_FIELD``) to count failures per address.
    """

    error_messages = {
        "invalid_login": _(
            "This e-mail address and this password do not match. Check both, or choose a new password "
            "with the link below."
        ),
        "inactive": _("This account is closed. Contact your organisation."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = _("E-mail address")
        username.max_length = 254
        username.widget = forms.EmailInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].label = _("Password")

    def clean_username(self) -> str:
        # Phones capitalise the first letter; addresses are stored lower-case.
        # Normalising here also makes axes count "Alice@…" and "alice@…" as one.
        return (self.cleaned_data.get("username") or "").strip().lower()


class LocalisedPasswordResetForm(PasswordResetForm):
    """Sends the reset e-mail in the member's own language, with links to ``SITE_URL``.

    Links are built from ``SITE_URL`` rather than the request's Host header,
    so a forged Host cannot send someone a link to another site. They name
    the member by their opaque code, never by their sequential id. One
    address gets at most one e-mail per ``PASSWORD_RESET_INTERVAL_SECONDS``;
    the page shown is the same either way.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].widget.attrs.update(autofocus=True, autocapitalize="none", spellcheck="false")

    def get_users(self, email):
        from terrain.accounts.services import password_reset_claim

        return (user for user in super().get_users(email) if password_reset_claim(user=user))

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        user = context.get("user")
        context = {**context, "uid": user.code, "site_url": settings.SITE_URL, "site_name": settings.SITE_NAME}
        with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
            super().send_mail(subject_template_name, email_template_name, context, from_email, to_email, **kwargs)


class NewPasswordForm(SetPasswordForm):
    """Choosing a new password from a reset link."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password1"].help_text = _("At least 10 characters. A short sentence is easy to remember.")


class ChangePasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password1"].help_text = _("At least 10 characters. A short sentence is easy to remember.")


# --- Invitations --------------------------------------------------------------------


class InvitationSignupForm(forms.Form):
    """A new person's name and password, for the address the invitation was sent to."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        help_text=_("As your colleagues know you, for example “Marie Dupont”."),
        widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        help_text=_("At least 10 characters. A short sentence is easy to remember."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."), code="required")
        return name

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are different. Type the same one twice."))
        elif password1:
            # A throw-away user lets the validators compare the password with the name and address.
            candidate = User(email=self.email, display_name=cleaned.get("display_name", ""))
            try:
                password_validation.validate_password(password1, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PlatformInvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        widget=forms.EmailInput(attrs={"autocapitalize": "none", "spellcheck": "false", "autofocus": True}),
    )
    message = forms.CharField(
        label=_("Personal message (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few words that will appear in the e-mail."),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if user_by_email(email) is not None:
            raise forms.ValidationError(
                _("This person already has an account. Invite them into a cooperative instead."), code="exists"
            )
        return email


# --- Profile ------------------------------------------------------------------------


class TimeZoneField(forms.ChoiceField):
    """A select of common zones that still accepts any valid zone name."""

    def valid_value(self, value) -> bool:
        return super().valid_value(value) or value in zoneinfo.available_timezones()


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    handle = forms.CharField(
        label=_("Mention name"),
        min_length=3,
        max_length=40,
        help_text=_(
            "Others write @ followed by this name to mention you. 3 to 40 lower-case letters, digits, dots or dashes."
        ),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false", "autocomplete": "off"}),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP, up to 10 MB. The place and date stored in the photo are removed."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
    bio = forms.CharField(
        label=_("Short bio"),
        required=False,
        max_length=600,
        help_text=_("Plain text, 600 characters at most: your job, your mandates, what you care about."),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 600}),
    )
    email_visibility = forms.ChoiceField(label=_("Who sees my e-mail address"), choices=Visibility.choices)
    photo_visibility = forms.ChoiceField(label=_("Who sees my photo"), choices=Visibility.choices)
    bio_visibility = forms.ChoiceField(label=_("Who sees my bio"), choices=Visibility.choices)
    email_notifications = forms.BooleanField(
        label=_("E-mail me about what I follow"),
        help_text=_("New replies in the forum topics I follow, answers to my questions. They stay in the app anyway."),
        required=False,
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = TimeZoneField(
        label=_("Time zone"),
        help_text=_("Dates and times are shown in this zone."),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        kwargs.setdefault(
            "initial",
            {
                "display_name": user.display_name,
                "handle": user.handle or "",
                "bio": user.bio,
                "email_visibility": user.email_visibility,
                "photo_visibility": user.photo_visibility,
                "bio_visibility": user.bio_visibility,
                "email_notifications": user.email_notifications,
                "language": user.language,
                "time_zone": user.timezone,
            },
        )
        super().__init__(*args, **kwargs)
        choices = [(zone, f"{label} — {zone}") for zone, label in COMMON_TIME_ZONES]
        if user.timezone and user.timezone not in dict(COMMON_TIME_ZONES):
            # Keep a zone chosen elsewhere selectable, or saving the form would change it.
            choices.append((user.timezone, user.timezone))
        self.fields["time_zone"].choices = choices
        if not user.photo:
            del self.fields["remove_photo"]

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."), code="required")
        return name

    def clean_handle(self) -> str:
        handle = self.cleaned_data["handle"].strip().lstrip("@").lower()
        if not HANDLE_RE.match(handle):
            raise forms.ValidationError(
                _(
                    "Use 3 to 40 lower-case letters, digits, dots or dashes, starting and ending with a letter "
                    "or a digit."
                ),
                code="invalid",
            )
        if handle_taken(handle, exclude=self.user):
            raise forms.ValidationError(_("Someone already uses this mention name. Choose another one."), code="taken")
        return handle

    def clean_bio(self) -> str:
        return self.cleaned_data["bio"].strip()

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        # Judged by content: a renamed text file is refused here, and the EXIF block
        # (GPS position of the phone) is dropped from the copy we keep.
        return clean_image(upload, max_side=512)
