"""Forms of the forum: they check what was typed and say what is wrong, in French; services write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terrain.forum.models import CATEGORY_NAME_MAX, TAG_MAX, TAGS_PER_TOPIC, TITLE_MAX
from terrain.forum.services import parse_tags
from terrain.lib.html import plain_text, sanitize_rich_text
from terrain.news.forms import body_to_html


def _body_field() -> forms.CharField:
    return forms.CharField(label=gettext_lazy("Your message"), required=False, widget=forms.Textarea)


def _clean_body(form) -> str:
    body = body_to_html(form.cleaned_data.get("body", ""))
    if not plain_text(sanitize_rich_text(body)):
        raise ValidationError(_("Write something before publishing."))
    return body


class TopicForm(forms.Form):
    """A topic: its category (among ``categories``), title, text and tags."""

    category = forms.ChoiceField(label=gettext_lazy("Category"))
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=TITLE_MAX,
        error_messages={
            "required": gettext_lazy("Give the topic a title."),
            "max_length": gettext_lazy(
                "The title is too long: %(limit_value)d characters at most (it has %(show_value)d)."
            ),
        },
    )
    body = _body_field()
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        max_length=(TAG_MAX + 2) * TAGS_PER_TOPIC,
        help_text=gettext_lazy("Optional: up to 5 words, separated by commas (for example: wages, strike)."),
        error_messages={"max_length": gettext_lazy("Too many tags.")},
    )

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if categories is None:
            del self.fields["category"]
        else:
            self.categories = {c.code: c for c in categories}
            self.fields["category"].choices = [(c.code, c.name) for c in categories]

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("Give the topic a title."))
        return title

    def clean_body(self) -> str:
        return _clean_body(self)

    def clean_tags(self) -> list[str]:
        return parse_tags(self.cleaned_data.get("tags", ""))

    @property
    def chosen_category(self):
        return self.categories[self.cleaned_data["category"]]


class ReplyForm(forms.Form):
    body = _body_field()

    def clean_body(self) -> str:
        return _clean_body(self)


class CategoryForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=CATEGORY_NAME_MAX,
        error_messages={"required": gettext_lazy("Give the category a name.")},
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Optional: one line on what is discussed here."),
    )


class MoveForm(forms.Form):
    """Where a topic (or a deleted category's topics) go: another category of the same forum."""

    category = forms.ChoiceField(label=gettext_lazy("Move to"))

    def __init__(self, *args, categories, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {c.code: c for c in categories}
        choices = [(c.code, c.name) for c in categories]
        self.fields["category"].choices = choices if required else [("", "—"), *choices]
        self.fields["category"].required = required

    @property
    def chosen_category(self):
        return self.categories.get(self.cleaned_data.get("category") or "")
