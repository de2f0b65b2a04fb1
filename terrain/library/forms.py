from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terrain.library.checks import accepted_extensions
from terrain.library.models import File


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def _accept() -> str:
    return ",".join(f".{ext}" for ext in accepted_extensions())


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_("You can choose several files at once. Documents, images, audio and video."),
        error_messages={"required": _("Choose at least one file.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = _accept()


class VersionForm(forms.Form):
    upload = forms.FileField(label=_("New version"), error_messages={"required": _("Choose a file.")})


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Folder name"), max_length=120)


class FileEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    folder = forms.ChoiceField(label=_("Folder"), required=False)

    def __init__(self, *args, folders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.folders = {f.code: f for f in folders}
        self.fields["folder"].choices = [("", _("Top of the library"))] + [(f.code, f.name) for f in folders]

    def clean_folder(self):
        code = self.cleaned_data.get("folder") or ""
        if code and code not in self.folders:
            raise forms.ValidationError(_("Choose a folder from the list."))
        return self.folders.get(code)


class PhotoForm(forms.Form):
    credit = forms.CharField(label=_("Credit (photographer)"), max_length=200, required=False)
    taken_on = forms.DateField(
        label=_("Date taken"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    identifiable_people = forms.BooleanField(label=_("People can be identified on this photo"), required=False)
    consent = forms.ChoiceField(
        label=_("Consent of the people shown"),
        choices=File.Consent.choices,
        help_text=_("Until consent is obtained, the photo stays inside the cooperative."),
    )


class AttachField(forms.Form):
    """The "attach files" part of a composer (news, forum): pick from the library or upload."""

    attachments = forms.MultipleChoiceField(
        label=_("Attach files from the library"), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    attachment_uploads = MultipleFileField(label=_("Or upload files to attach"), required=False)

    def __init__(self, *args, files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.files_by_code = {f.code: f for f in files}
        self.fields["attachments"].choices = [(f.code, f.name) for f in files]

    def chosen(self) -> list:
        return [self.files_by_code[c] for c in self.cleaned_data.get("attachments", []) if c in self.files_by_code]
