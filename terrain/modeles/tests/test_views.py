"""The pages of the templates: list, upload, write, fill and download, edit, preview, delete."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from terrain.cooperatives.services import cooperative_set_tools
from terrain.cooperatives.tools import tools
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.feed.models import Activity
from terrain.modeles import docx_files, odt_files
from terrain.modeles.models import DocumentTemplate, SavedAnswers
from terrain.modeles.samples import MEETING_REPORT_HTML, meeting_request_docx, strike_tract_odt
from terrain.modeles.services import TEMPLATE_ADDED
from terrain.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# --- list ------------------------------------------------------------------------------------


def test_members_list_the_templates_in_few_queries(
    world, bob_client, letter, tract, report, django_assert_max_num_queries
):
    url = reverse("modeles:home", args=[world.private_coop.code])
    with django_assert_max_num_queries(12):
        page = bob_client.get(url).content.decode()
    for template in (letter, tract, report):
        assert reverse("modeles:fill", args=[template.code]) in page
    assert reverse("modeles:upload", args=[world.private_coop.code]) not in page  # bob does not animate


@pytest.mark.outsider("modeles:home")
def test_outsiders_do_not_see_the_list(world, charlie_client, client, letter):
    url = reverse("modeles:home", args=[world.private_coop.code])
    assert_refused(charlie_client.get(url))
    assert_login_required(client.get(url))


def test_a_disabled_tool_has_no_pages(world, alice, bob_client, letter):
    enabled = {t.key for t in tools()} - {"modeles"}
    cooperative_set_tools(cooperative=world.private_coop, by=alice, enabled=enabled)
    assert bob_client.get(reverse("modeles:home", args=[world.private_coop.code])).status_code == 404
    assert bob_client.get(reverse("modeles:fill", args=[letter.code])).status_code == 404


# --- upload ----------------------------------------------------------------------------------


def test_an_animateur_uploads_a_docx_and_its_fields_are_found(world, alice_client):
    url = reverse("modeles:upload", args=[world.private_coop.code])
    response = alice_client.post(
        url,
        {"name": "Lettre", "kind": "letter", "description": "", "file": _upload("x.bin", meeting_request_docx())},
    )
    template = DocumentTemplate.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("modeles:edit", args=[template.code])
    assert template.source == "docx" and template.file.name.endswith(".docx")
    assert "x.bin" not in template.file.name  # an opaque name
    names = [f.name for f in template.field_list]
    assert names[0] == "nom_section" and "objet_reunion" in names
    assert {f.name: f.type for f in template.field_list}["date_courrier"] == "date"
    assert Activity.objects.filter(verb=TEMPLATE_ADDED, target_id=template.pk).exists()
    assert SearchDocument.objects.filter(kind="modele", object_id=template.pk, body__contains="réunion").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"MZ\x90\x00 renamed.exe", "n'est pas un document texte Word (.docx) ou LibreOffice (.odt)"),
        (None, "{{ nom|upper }}"),
    ],
)
def test_a_bad_upload_is_refused_with_a_message_and_the_form_kept(world, alice_client, data, message):
    if data is None:
        from docx import Document

        document = Document()
        document.add_paragraph("Bonjour {{ nom|upper }}")
        out = io.BytesIO()
        document.save(out)
        data = out.getvalue()
    response = alice_client.post(
        reverse("modeles:upload", args=[world.private_coop.code]),
        {"name": "Ma lettre", "kind": "letter", "description": "", "file": _upload("lettre.docx", data)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message.replace("|", "|") in page.replace("&quot;", '"').replace("&#x27;", "'")
    assert 'value="Ma lettre"' in page
    assert not DocumentTemplate.objects.exists()


def test_the_refusal_is_in_french(world, alice_client):
    response = alice_client.post(
        reverse("modeles:upload", args=[world.private_coop.code]),
        {"name": "Ma lettre", "kind": "letter", "file": _upload("lettre.docx", b"not a zip")},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert "traitement de texte" in response.content.decode()


def test_members_cannot_upload(world, bob_client):
    url = reverse("modeles:upload", args=[world.private_coop.code])
    response = bob_client.post(url, {"name": "L", "kind": "letter", "file": _upload("a.odt", strike_tract_odt())})
    assert response.status_code == 403
    assert not DocumentTemplate.objects.exists()


@pytest.mark.outsider("modeles:upload")
def test_outsiders_cannot_upload(world, charlie_client, client):
    url = reverse("modeles:upload", args=[world.private_coop.code])
    assert_refused(
        charlie_client.post(url, {"name": "L", "kind": "letter", "file": _upload("a.odt", strike_tract_odt())})
    )
    assert_login_required(client.get(url))
    assert not DocumentTemplate.objects.exists()


# --- write -----------------------------------------------------------------------------------


def test_an_animateur_writes_a_template(world, alice_client):
    response = alice_client.post(
        reverse("modeles:write", args=[world.private_coop.code]),
        {"name": "CR", "kind": "other", "description": "", "body": MEETING_REPORT_HTML + "<script>x</script>"},
    )
    template = DocumentTemplate.objects.get()
    assert response.status_code == 302
    assert template.source == "written" and "<script>" not in template.body_html
    assert template.field_list[0].name == "nom_section"


def test_a_written_template_with_a_statement_is_refused(world, alice_client):
    response = alice_client.post(
        reverse("modeles:write", args=[world.private_coop.code]),
        {"name": "CR", "kind": "other", "body": "<div>{% for x in y %}{{ x }}{% endfor %}</div>"},
    )
    assert response.status_code == 200
    assert "ne sont pas permises dans un modèle" in response.content.decode().replace("&#x27;", "'")
    assert not DocumentTemplate.objects.exists()


@pytest.mark.outsider("modeles:write")
def test_outsiders_cannot_write(world, charlie_client, client):
    url = reverse("modeles:write", args=[world.private_coop.code])
    assert_refused(charlie_client.post(url, {"name": "CR", "kind": "other", "body": "<div>{{ a }}</div>"}))
    assert_login_required(client.get(url))


# --- fill ------------------------------------------------------------------------------------


def test_a_member_fills_a_docx_template_and_gets_a_pdf_and_a_docx(world, bob_client, letter):
    url = reverse("modeles:fill", args=[letter.code])
    page = bob_client.get(url).content.decode()
    assert 'type="date"' in page and "Nom employeur" in page
    answers = {f"v_{f.name}": "Acme & <Cie>" for f in letter.field_list if f.type != "date"}
    answers |= {f"v_{f.name}": "2026-12-08" for f in letter.field_list if f.type == "date"}
    pdf = bob_client.post(url, answers | {"format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and "no-store" in pdf["Cache-Control"]
    assert pdf["Content-Disposition"].startswith("attachment;")
    docx = bob_client.post(url, answers | {"format": "docx"})
    texts = "\n".join(docx_files.docx_texts(docx.content))
    assert "Acme & <Cie>" in texts and "8 décembre 2026" in texts


def test_a_member_fills_an_odt_template(world, bob_client, tract):
    url = reverse("modeles:fill", args=[tract.code])
    answers = {f"v_{f.name}": "{{ contact }}" for f in tract.field_list if f.type != "date"}
    answers["v_date_greve"] = "2026-12-10"
    response = bob_client.post(url, answers | {"format": "odt"})
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    texts = odt_files.odt_texts(response.content)
    assert "Toutes et tous en grève le 10 décembre 2026 !" in texts
    assert "Contact : {{ contact }}" in texts  # a value is never read as a field


def test_a_written_template_is_offered_in_both_formats(world, bob_client, report):
    url = reverse("modeles:fill", args=[report.code])
    page = bob_client.get(url).content.decode()
    assert 'value="docx"' in page and 'value="odt"' in page
    answers = {f"v_{f.name}": "x" for f in report.field_list if f.type != "date"}
    answers |= {f"v_{f.name}": "2026-12-08" for f in report.field_list if f.type == "date"}
    assert bob_client.post(url, answers | {"format": "odt"})["Content-Type"].endswith("opendocument.text")
    assert bob_client.post(url, answers | {"format": "docx"})["Content-Type"].endswith("wordprocessingml.document")


def test_a_missing_required_answer_keeps_the_form(world, bob_client, letter):
    url = reverse("modeles:fill", args=[letter.code])
    response = bob_client.post(url, {"v_entreprise": "Acme", "format": "pdf"}, HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert 'value="Acme"' in page and "obligatoire" in page


def test_a_model_whose_file_is_gone_says_so(world, bob_client, letter):
    letter.file.storage.delete(letter.file.name)
    answers = {f"v_{f.name}": "x" for f in letter.field_list if f.type != "date"}
    answers |= {f"v_{f.name}": "2026-12-08" for f in letter.field_list if f.type == "date"}
    response = bob_client.post(reverse("modeles:fill", args=[letter.code]), answers | {"format": "pdf"})
    assert response.status_code == 200 and "form-errors" in response.content.decode()


@pytest.mark.outsider("modeles:fill")
def test_outsiders_cannot_fill(world, charlie_client, client, letter):
    url = reverse("modeles:fill", args=[letter.code])
    assert_refused(charlie_client.get(url))
    assert_refused(charlie_client.post(url, {"format": "pdf"}))
    assert_login_required(client.get(url))


# --- source, preview ---------------------------------------------------------------------------


def test_members_download_the_blank_model(world, bob_client, letter):
    response = bob_client.get(reverse("modeles:source", args=[letter.code]))
    assert response.status_code == 200
    with letter.file.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.outsider("modeles:source")
def test_outsiders_cannot_download_the_model(world, charlie_client, client, letter):
    url = reverse("modeles:source", args=[letter.code])
    assert_refused(charlie_client.get(url))
    assert_login_required(client.get(url))


def test_animateurs_preview_with_sample_values(world, alice_client, bob_client, tract):
    url = reverse("modeles:preview", args=[tract.code])
    response = alice_client.get(url)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert bob_client.get(url).status_code == 403


@pytest.mark.outsider("modeles:preview")
def test_outsiders_cannot_preview(world, charlie_client, client, tract):
    url = reverse("modeles:preview", args=[tract.code])
    assert_refused(charlie_client.get(url))
    assert_login_required(client.get(url))


# --- edit, delete ------------------------------------------------------------------------------


def _edit_data(template, **changes) -> dict:
    data = {"name": template.name, "kind": template.kind, "description": template.description}
    for field in template.field_list:
        prefix = f"f_{field.name}"
        data |= {f"{prefix}_label": field.label, f"{prefix}_help": field.help, f"{prefix}_type": field.type}
        if field.required:
            data[f"{prefix}_required"] = "on"
    return data | changes


def test_an_animateur_relabels_the_fields(world, alice_client, letter):
    data = _edit_data(letter, f_entreprise_label="Nom de l'entreprise", f_entreprise_help="Comme sur la fiche de paie")
    data.pop("f_telephone_required")
    response = alice_client.post(reverse("modeles:edit", args=[letter.code]), data)
    letter.refresh_from_db()
    fields = {f.name: f for f in letter.field_list}
    assert response.status_code == 302
    assert fields["entreprise"].label == "Nom de l'entreprise" and fields["entreprise"].help.startswith("Comme")
    assert fields["telephone"].required is False
    page = alice_client.get(reverse("modeles:fill", args=[letter.code])).content.decode()
    assert "Nom de l&#x27;entreprise" in page


def test_a_new_version_keeps_the_labels_and_removes_the_old_file(
    world, alice_client, letter, django_capture_on_commit_callbacks
):
    old_name = letter.file.name
    data = _edit_data(letter, f_entreprise_label="Entreprise concernée")
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            reverse("modeles:edit", args=[letter.code]), data | {"file": _upload("v2.docx", meeting_request_docx())}
        )
    letter.refresh_from_db()
    assert response.status_code == 302
    assert letter.file.name != old_name and letter.file.storage.exists(letter.file.name)
    assert not letter.file.storage.exists(old_name)
    assert {f.name: f.label for f in letter.field_list}["entreprise"] == "Entreprise concernée"


def test_a_new_version_in_another_format_is_refused(world, alice_client, letter):
    response = alice_client.post(
        reverse("modeles:edit", args=[letter.code]),
        _edit_data(letter) | {"file": _upload("v2.odt", strike_tract_odt())},
    )
    assert response.status_code == 200 and "dans le même format" in response.content.decode()


def test_members_cannot_edit(world, bob_client, letter):
    assert bob_client.post(reverse("modeles:edit", args=[letter.code]), _edit_data(letter, name="X")).status_code == 403


@pytest.mark.outsider("modeles:edit")
def test_outsiders_cannot_edit(world, charlie_client, client, letter):
    url = reverse("modeles:edit", args=[letter.code])
    assert_refused(charlie_client.post(url, _edit_data(letter, name="X")))
    assert_login_required(client.get(url))
    letter.refresh_from_db()
    assert letter.name != "X"


def test_an_animateur_deletes_a_template_and_it_leaves_feed_search_and_disk(
    world, alice_client, letter, django_capture_on_commit_callbacks
):
    name = letter.file.name
    assert alice_client.get(reverse("modeles:delete", args=[letter.code])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("modeles:delete", args=[letter.code]))
    assert response.status_code == 302
    assert not DocumentTemplate.objects.exists()
    assert not Activity.objects.filter(verb=TEMPLATE_ADDED).exists()
    assert not SearchDocument.objects.filter(kind="modele").exists()
    assert not letter.file.storage.exists(name)


@pytest.mark.outsider("modeles:delete")
def test_outsiders_cannot_delete(world, charlie_client, client, bob_client, letter):
    url = reverse("modeles:delete", args=[letter.code])
    assert_refused(charlie_client.post(url))
    assert_login_required(client.post(url))
    assert bob_client.post(url).status_code == 403
    assert DocumentTemplate.objects.filter(pk=letter.pk).exists()


# --- keep my answers -----------------------------------------------------------------------------


def _answers(template, text="Acme") -> dict:
    answers = {f"v_{f.name}": text for f in template.field_list if f.type != "date"}
    return answers | {f"v_{f.name}": "2026-12-08" for f in template.field_list if f.type == "date"}


def test_answers_are_not_kept_by_default(world, bob_client, tract):
    bob_client.post(reverse("modeles:fill", args=[tract.code]), _answers(tract) | {"format": "pdf"})
    assert not SavedAnswers.objects.exists()
    assert "Acme" not in bob_client.get(reverse("modeles:fill", args=[tract.code])).content.decode()


def test_a_member_keeps_then_forgets_their_answers(world, bob_client, alice_client, tract):
    url = reverse("modeles:fill", args=[tract.code])
    response = bob_client.post(url, _answers(tract, "Clinique du Parc") | {"format": "odt", "keep": "on"})
    assert response.status_code == 200 and SavedAnswers.objects.get().values["date_greve"] == "2026-12-08"
    page = bob_client.get(url)
    assert 'value="Clinique du Parc"' in page.content.decode() and "no-store" in page["Cache-Control"]
    assert "Clinique du Parc" not in alice_client.get(url).content.decode()  # theirs alone
    # Unticked: the next download forgets them.
    bob_client.post(url, _answers(tract, "Autre") | {"format": "pdf"})
    assert not SavedAnswers.objects.exists()
    bob_client.post(url, _answers(tract) | {"format": "pdf", "keep": "on"})
    assert bob_client.post(url, {"forget": "1"}).status_code == 302
    assert not SavedAnswers.objects.exists()
