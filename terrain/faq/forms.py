"""Forms of the FAQ: they check input and say what is wrong, in French, next to the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terrain.faq.models import QUESTION_MAX, Theme
from terrain.lib.html import plain_text
from terrain.news.forms import body_to_html


class ThemeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the theme"), max_length=120)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the theme a name."))
        return name


class EntryForm(forms.Form):
    """A question and its answer (rich text, Trix; a plain textarea without JavaScript)."""

    question = forms.CharField(label=gettext_lazy("Question"), max_length=QUESTION_MAX)
    answer = forms.CharField(label=gettext_lazy("Answer"), required=False, widget=forms.Textarea)
    theme = forms.ModelChoiceField(label=gettext_lazy("Theme"), queryset=Theme.objects.none(), empty_label=None)
    # The version the form was opened on (optimistic locking: services.entry_update).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(cooperative=cooperative)
        self.fields["theme"].error_messages["invalid_choice"] = _("Choose one of the themes of this FAQ.")
        self.fields["question"].error_messages["required"] = _("Write the question.")
        self.fields["question"].error_messages["max_length"] = _(
            "A question is at most %(limit_value)d characters long: keep it short, the answer says the rest."
        )

    def clean_question(self) -> str:
        question = self.cleaned_data["question"].strip()
        if not question:
            raise forms.ValidationError(_("Write the question."))
        return question

    def clean_answer(self) -> str:
        html = body_to_html(self.cleaned_data.get("answer", ""))
        if not plain_text(html).strip():
            raise forms.ValidationError(_("Write the answer."))
        return html


class ProposalForm(forms.Form):
    question = forms.CharField(label=gettext_lazy("Your question"), max_length=QUESTION_MAX)
    context = forms.CharField(
        label=gettext_lazy("Context (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "What led you to ask: your workplace, your situation. Visible to the facilitators only."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].error_messages["required"] = _("Write your question.")
        self.fields["question"].error_messages["max_length"] = _(
            "A question is at most %(limit_value)d characters long: put the details in the context."
        )

    def clean_question(self) -> str:
        question = self.cleaned_data["question"].strip()
        if not question:
            raise forms.ValidationError(_("Write your question."))
        return question


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why (told to the member)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("Say in a few words why, for the member who asked.")
