"""The form of a keyword watch. It checks what was typed; :mod:`terrain.inbox.watching` writes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from terrain.inbox.models import Watch
from terrain.inbox.watching import MAX_FEEDS, MAX_TERMS
from terrain.networks.registry import get_connector

MAX_TERM_CHARS = 100
MAX_FEED_CHARS = 290  # the stream's name is "feed:" and the address, in 300 characters


def _lines(text: str) -> list[str]:
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


class WatchForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the watch"),
        max_length=100,
        help_text=_("For you and your team: what this watch is about."),
    )
    terms = forms.CharField(
        label=_("Words to watch"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"required": _("Write at least one word to watch.")},
        help_text=_(
            "One per line: the structure's name, the employer, a hashtag (#grève), a person. Capitals and accents "
            "do not matter; whole words only."
        ),
    )
    networks = forms.MultipleChoiceField(
        label=_("Networks searched"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )
    feeds = forms.CharField(
        label=_("News feeds (RSS or Atom)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text=_("One address per line, starting with https://. Only the articles that contain a word above count."),
    )

    def __init__(self, *args, networks: list[str], watch: Watch | None = None, **kwargs):
        if watch is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": watch.name,
                "terms": watch.terms,
                "networks": watch.networks,
                "feeds": watch.feeds,
            }
        super().__init__(*args, **kwargs)
        self.fields["networks"].choices = [(kind, get_connector(kind).label) for kind in networks]
        if not networks:
            self.fields["networks"].help_text = _(
                "No connected account of the structure can search its network: connect a Mastodon or Bluesky "
                "account to search them. News feeds work without one."
            )

    def clean_terms(self) -> list[str]:
        terms = _lines(self.cleaned_data["terms"])
        if not terms:
            raise ValidationError(_("Write at least one word to watch."))
        if len(terms) > MAX_TERMS:
            raise ValidationError(
                ngettext("At most %(count)d word: remove some.", "At most %(count)d words: remove some.", MAX_TERMS)
                % {"count": MAX_TERMS}
            )
        for term in terms:
            if len(term) > MAX_TERM_CHARS:
                raise ValidationError(
                    _("“%(term)s…” is too long: %(count)d characters at most per line.")
                    % {"term": term[:30], "count": MAX_TERM_CHARS}
                )
            if not any(character.isalnum() for character in term):
                raise ValidationError(_("“%(term)s” has no letter nor digit to look for.") % {"term": term})
        return terms

    def clean_feeds(self) -> list[str]:
        urls = _lines(self.cleaned_data["feeds"])
        if len(urls) > MAX_FEEDS:
            raise ValidationError(
                ngettext("At most %(count)d feed: remove some.", "At most %(count)d feeds: remove some.", MAX_FEEDS)
                % {"count": MAX_FEEDS}
            )
        check = URLValidator(schemes=["http", "https"])
        for url in urls:
            try:
                check(url)
            except ValidationError:
                raise ValidationError(
                    _("“%(url)s” is not a web address: it must start with https:// (or http://).") % {"url": url[:80]}
                ) from None
            if len(url) > MAX_FEED_CHARS:
                raise ValidationError(
                    _("This address is too long: %(count)d characters at most.") % {"count": MAX_FEED_CHARS}
                )
        return urls

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("networks") and not cleaned.get("feeds"):
            raise ValidationError(_("Choose a network to search or add a news feed: otherwise nothing is watched."))
        return cleaned
