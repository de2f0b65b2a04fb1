from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terrain.relays.models import RelaySubscription
from terrain.relays.sharing import clean_instance


class SubscriptionForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How to hear of a new post"), choices=RelaySubscription.Mode.choices, widget=forms.RadioSelect
    )


class RelayProfileForm(forms.Form):
    mastodon_instance = forms.CharField(
        label=_("Your Mastodon server"),
        max_length=253,
        required=False,
        help_text=_("Only the server's name, for example mastodon.social. Leave empty if you are not on Mastodon."),
    )
    personal_line = forms.CharField(
        label=_("Your usual personal line"),
        max_length=200,
        required=False,
        help_text=_("A few words of your own, put before every post you share. You can change it each time."),
    )

    def clean_mastodon_instance(self) -> str:
        value = self.cleaned_data["mastodon_instance"]
        instance = clean_instance(value)
        if value.strip() and not instance:
            raise forms.ValidationError(_("Write the server's name only, for example mastodon.social."))
        return instance


class PersonalLineForm(forms.Form):
    ligne = forms.CharField(label=_("Your personal line (optional)"), max_length=200, required=False)
