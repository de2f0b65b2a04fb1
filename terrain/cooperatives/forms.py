"""Forms of the cooperative pages. They check input; the services do the writing."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from terrain.cooperatives.models import Cooperative, Membership
from terrain.lib.images import clean_image

# The policies in plain words, as the person creating a cooperative reads them.
JOIN_POLICY_CHOICES = [
    (Cooperative.JoinPolicy.OPEN, _("Open: anyone signed in can join in one click.")),
    (
        Cooperative.JoinPolicy.REQUEST,
        _("On request: people ask to join, and a facilitator says yes or no."),
    ),
    (
        Cooperative.JoinPolicy.INVITATION,
        _("On invitation only: nobody can ask; a facilitator invites people by e-mail."),
    ),
]


class CooperativeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("What is it for?"),
        help_text=_("A few sentences in plain words: who it is for and what you do here."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    image = forms.FileField(
        label=_("Picture"),
        help_text=_("Optional. A photo or an illustration shown at the top of the cooperative."),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*"}),
    )
    join_policy = forms.ChoiceField(
        label=_("Who may join?"),
        choices=JOIN_POLICY_CHOICES,
        initial=Cooperative.JoinPolicy.REQUEST,
        widget=forms.RadioSelect,
    )

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload:
            # Checked here so the error shows next to the field; the service
            # re-encodes the upload when it saves it.
            clean_image(upload, max_side=1200)
            upload.seek(0)
        return upload or None


class CooperativeEditForm(CooperativeForm):
    remove_image = forms.BooleanField(label=_("Remove the current picture"), required=False)

    def __init__(self, *args, cooperative: Cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.cooperative = cooperative
        if not cooperative.image:
            del self.fields["remove_image"]

    def clean_join_policy(self):
        policy = self.cleaned_data["join_policy"]
        if self.cooperative.is_private and policy == Cooperative.JoinPolicy.OPEN:
            raise ValidationError(
                _(
                    "The private cooperative of a structure cannot be open to everyone: "
                    "choose “on request” or “on invitation only”."
                ),
                code="private_open",
            )
        return policy


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("A word for the facilitators (optional)"),
        help_text=_("For example: who you are and why you would like to join."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))
    message = forms.CharField(
        label=_("Personal message (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Accept")), ("refuse", _("Decline"))])


class ToolsForm(forms.Form):
    """Which tools the cooperative offers (``cooperatives.tools``): one box per registered tool."""

    tools = forms.MultipleChoiceField(
        label=_("Tools of this cooperative"),
        help_text=_("A tool turned off disappears from the tabs, the feed and the search; nothing is deleted."),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, cooperative: Cooperative, **kwargs):
        from terrain.cooperatives.tools import tools

        super().__init__(*args, initial={"tools": [t.key for t in cooperative.tools_on]}, **kwargs)
        self.fields["tools"].choices = [
            (t.key, f"{t.label} — {t.description}" if t.description else t.label) for t in tools()
        ]
