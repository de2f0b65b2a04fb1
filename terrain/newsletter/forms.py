from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    # Left empty by people, filled in by robots; hidden from screen readers too.
    website = forms.CharField(required=False, label=_("Leave this field empty"))


class RemoveForm(forms.Form):
    email = forms.EmailField(label=_("Address to remove"), max_length=254)
