"""Forms of the templates: they check input and say what is wrong, the services write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terrain.lib.html import plain_text, sanitize_rich_text
from terrain.modeles.documents import WRITTEN
from terrain.modeles.fields import DATE, MULTILINE, TYPES, Field
from terrain.modeles.models import DocumentTemplate
from terrain.modeles.services import source_check
from terrain.modeles.uploads import UploadRefused, document_kind, max_bytes
from terrain.news.forms import body_to_html

TEXT_MAX = 300
MULTILINE_MAX = 5000


class TemplateInfoForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DocumentTemplate.Kind.choices)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What it is for, when to use it."),
    )
    offered_below = forms.BooleanField(
        label=gettext_lazy("Offer it to the cooperatives of the structures below"),
        required=False,
        help_text=gettext_lazy("Their members can fill it in too (they cannot change it)."),
    )

    def __init__(self, *args, cooperative=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a structure's own cooperative has structures below it to offer to.
        if cooperative is None or cooperative.structure_id is None:
            del self.fields["offered_below"]


def _read_upload(upload) -> bytes:
    if upload.size > max_bytes():
        raise ValidationError(
            _("This file is too large (%(size)s MB): a template may weigh at most %(max)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "max": max_bytes() // (1024 * 1024)}
        )
    return upload.read()


class UploadForm(TemplateInfoForm):
    """A template from a Word or LibreOffice document. After ``is_valid()``: ``source``, ``content``."""

    file = forms.FileField(
        label=gettext_lazy("Document (.docx or .odt)"),
        help_text=gettext_lazy(
            "In Word or LibreOffice, type each field as its name between double braces, such as "
            "{{ company }} or {{ meeting_date }}: letters without accents, digits and _, no spaces."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".docx,.odt,application/vnd.oasis.opendocument.text,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        content = _read_upload(upload)
        try:
            self.source = document_kind(content)
        except UploadRefused as error:
            raise ValidationError(error.message) from None
        source_check(source=self.source, content=content)
        self.content = content
        return upload


class WriteForm(TemplateInfoForm):
    """A template written in the app: rich text where ``{{ name }}`` marks the fields."""

    body = forms.CharField(label=gettext_lazy("Text of the template"), required=False, widget=forms.Textarea)

    def clean_body(self) -> str:
        html = sanitize_rich_text(body_to_html(self.cleaned_data.get("body", "")))
        if not plain_text(html):
            raise ValidationError(_("Write the text of the template, with its fields such as {{ company }}."))
        source_check(source=WRITTEN, content=html)
        return html


class EditForm(TemplateInfoForm):
    """A template's presentation, its fields' labels, and optionally a new source."""

    def __init__(self, *args, template: DocumentTemplate, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.update(
            {
                "name": template.name,
                "kind": template.kind,
                "description": template.description,
                "offered_below": template.offered_below,
            }
        )
        super().__init__(*args, cooperative=template.cooperative, **kwargs)
        self.template = template
        self.content = None
        self.field_rows = []
        for field in template.field_list:
            prefix = f"f_{field.name}"
            self.fields[f"{prefix}_label"] = forms.CharField(
                label=_("Question asked for {{ %(name)s }}") % {"name": field.name},
                max_length=200,
                initial=field.label,
            )
            self.fields[f"{prefix}_help"] = forms.CharField(
                label=_("Help (optional)"), max_length=300, required=False, initial=field.help
            )
            self.fields[f"{prefix}_type"] = forms.ChoiceField(
                label=_("Answer"), choices=list(TYPES.items()), initial=field.type
            )
            self.fields[f"{prefix}_required"] = forms.BooleanField(
                label=_("Required"), required=False, initial=field.required
            )
            self.field_rows.append(
                (field.name, [self[f"{prefix}_{part}"] for part in ("label", "help", "type", "required")])
            )
        if template.is_written:
            self.fields["body"] = forms.CharField(
                label=_("Text of the template"), required=False, widget=forms.Textarea, initial=template.body_html
            )
        else:
            self.fields["file"] = forms.FileField(
                label=_("New version of the document (optional)"),
                required=False,
                help_text=_("Same format (.%(format)s). Its fields replace the current ones; labels are kept by name.")
                % {"format": template.source},
            )

    def clean_body(self) -> str | None:
        html = sanitize_rich_text(body_to_html(self.cleaned_data.get("body", "")))
        if not plain_text(html):
            raise ValidationError(_("Write the text of the template, with its fields such as {{ company }}."))
        if html != self.template.body_html:
            source_check(source=WRITTEN, content=html)
            self.content = html
        return html

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            content = _read_upload(upload)
            source_check(source=self.template.source, content=content)
            self.content = content
        return upload

    def labelled_fields(self) -> list[Field]:
        data = self.cleaned_data
        return [
            Field(
                name=field.name,
                label=data[f"f_{field.name}_label"].strip(),
                help=data.get(f"f_{field.name}_help", "").strip(),
                type=data[f"f_{field.name}_type"],
                required=data.get(f"f_{field.name}_required", False),
            )
            for field in self.template.field_list
        ]


class FillForm(forms.Form):
    """The form a member fills: one input per field of the template. Nothing of it is stored."""

    def __init__(self, *args, template: DocumentTemplate, saved: dict[str, str] | None = None, **kwargs):
        if saved:
            kwargs["initial"] = {f"v_{name}": value for name, value in saved.items()} | {"keep": True}
        super().__init__(*args, **kwargs)
        self.template_fields = template.field_list
        for field in self.template_fields:
            if field.type == DATE:
                form_field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
            elif field.type == MULTILINE:
                form_field = forms.CharField(max_length=MULTILINE_MAX, widget=forms.Textarea(attrs={"rows": 4}))
            else:
                form_field = forms.CharField(max_length=TEXT_MAX)
            form_field.label = field.label
            form_field.help_text = field.help
            form_field.required = field.required
            self.fields[f"v_{field.name}"] = form_field
        self.fields["keep"] = forms.BooleanField(
            label=_("Keep my answers for next time"),
            required=False,
            help_text=_("Off by default: your answers are then forgotten once the file is made."),
        )

    def answers(self) -> dict[str, str]:
        """The answers as typed, to keep them (a date as YYYY-MM-DD)."""
        found = {}
        for field in self.template_fields:
            value = self.cleaned_data.get(f"v_{field.name}")
            found[field.name] = value.isoformat() if hasattr(value, "isoformat") else (value or "")
        return found

    def values(self) -> dict[str, str]:
        """The answers as the text put in the document (dates written out: "6 décembre 2026")."""
        values = {}
        for field in self.template_fields:
            value = self.cleaned_data.get(f"v_{field.name}")
            if field.type == DATE:
                values[field.name] = date_format(value, "j F Y") if value else ""
            elif field.type == MULTILINE:
                values[field.name] = (value or "").strip()
            else:
                values[field.name] = " ".join((value or "").split())
        return values
