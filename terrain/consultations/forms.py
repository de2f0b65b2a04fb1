"""The officials' forms. They check input; :mod:`terrain.consultations.services` writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terrain.consultations.models import SCALE_MAX, Consultation, Question

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["title", "introduction", "mode", "invited_only", "opens_at", "closes_at"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 5}),
            "mode": forms.RadioSelect,
            "opens_at": DATETIME,
            "closes_at": DATETIME,
        }
        help_texts = {
            "introduction": _("Why you ask, what you will do with the answers, until when."),
            "opens_at": _("Optional: answers are taken from this moment once the consultation is open."),
            "closes_at": _("Optional: the consultation closes by itself at this moment."),
        }


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("Question"), max_length=500)
    help_text = forms.CharField(label=_("Explanation (optional)"), max_length=500, required=False)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    options = forms.CharField(
        label=_("Options, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For a question with one or several choices."),
    )
    max_choices = forms.IntegerField(
        label=_("At most this many choices (optional)"),
        required=False,
        min_value=1,
        help_text=_("For a question with several choices."),
    )
    scale_max = forms.IntegerField(
        label=_("Scale from 1 to"), min_value=2, max_value=SCALE_MAX, initial=5, help_text=_("For a scale.")
    )
    scale_low_label = forms.CharField(label=_("What 1 means (optional)"), max_length=60, required=False)
    scale_high_label = forms.CharField(label=_("What the top means (optional)"), max_length=60, required=False)
    condition = forms.ChoiceField(
        label=_("Ask only if"),
        required=False,
        help_text=_("Shown only to people who chose this option in an earlier question."),
    )

    def __init__(self, *args, condition_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition"].choices = [("", _("Always ask")), *list(condition_choices)]

    @staticmethod
    def initial_for(question: Question) -> dict:
        return {
            "kind": question.kind,
            "text": question.text,
            "help_text": question.help_text,
            "required": question.required,
            "options": "\n".join(o.label for o in question.options.all()),
            "max_choices": question.max_choices,
            "scale_max": question.scale_max,
            "scale_low_label": question.scale_low_label,
            "scale_high_label": question.scale_high_label,
            "condition": question.condition.code if question.condition_id else "",
        }


class InviteForm(forms.Form):
    addresses = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Paste the addresses, separated by commas, spaces or lines. Each gets its own single-use link."),
    )


class ShareForm(forms.Form):
    cooperative = forms.ChoiceField(label=_("Cooperative"))

    def __init__(self, *args, cooperatives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].choices = [(c.code, c.name) for c in cooperatives]
