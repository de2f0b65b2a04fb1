"""The links between the toolbox apps: library files attached to topics and replies, and an
answered topic put in the FAQ (linked both ways)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from terrain.cooperatives.services import cooperative_set_tools
from terrain.cooperatives.tools import tools
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.faq.models import Entry, Theme
from terrain.faq.services import entry_delete, theme_create
from terrain.forum import services
from terrain.forum.models import Reply, Topic
from terrain.library.models import File, Folder
from terrain.library.services import file_delete, file_upload
from terrain.library.tests.helpers import a_pdf, odt_bytes, upload_of
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


def _tools_off(world, *keys):
    cooperative_set_tools(cooperative=world.private_coop, by=world.alice, enabled={t.key for t in tools()} - set(keys))


def _download(file) -> str:
    return reverse("library:download", args=[file.code])


# --- Attachments ------------------------------------------------------------------------


def test_a_topic_attaches_a_library_file_and_an_upload(world, bob_client, alice_client, category):
    pdf = a_pdf(world)
    url = reverse("forum:topic_create", args=[world.private_coop.code])
    assert "attachment_uploads" in bob_client.get(url).content.decode()
    response = bob_client.post(
        url,
        {
            "category": category.code,
            "title": "Compte rendu du CSE",
            "body": "Le compte rendu est joint.",
            "attachments": [pdf.code],
            "attachment_uploads": upload_of("tract.odt", odt_bytes()),
        },
    )
    assert response.status_code == 302
    topic = Topic.objects.get()
    assert sorted(topic.attachments.values_list("name", flat=True)) == ["compte-rendu.pdf", "tract.odt"]
    uploaded = File.objects.get(name="tract.odt")
    assert uploaded.folder.purpose == Folder.Purpose.ATTACHMENTS
    page = alice_client.get(reverse("forum:topic_detail", args=[topic.code])).content.decode()
    assert _download(pdf) in page and _download(uploaded) in page
    assert alice_client.get(_download(uploaded)).status_code == 200

    # Deleted from the library: gone from the topic.
    file_delete(file=pdf, by=world.alice)
    page = alice_client.get(reverse("forum:topic_detail", args=[topic.code])).content.decode()
    assert _download(pdf) not in page and _download(uploaded) in page


def test_a_reply_attaches_and_its_edit_changes_the_files(world, bob_client, topic):
    pdf = a_pdf(world)
    response = bob_client.post(
        reverse("forum:reply_create", args=[topic.code]),
        {"body": "Voici le PV.", "attachments": [pdf.code], "attachment_uploads": upload_of("pv.odt", odt_bytes())},
    )
    assert response.status_code == 302
    reply = Reply.objects.get()
    assert sorted(reply.attachments.values_list("name", flat=True)) == ["compte-rendu.pdf", "pv.odt"]
    page = bob_client.get(reverse("forum:topic_detail", args=[topic.code])).content.decode()
    assert _download(pdf) in page

    edit = reverse("forum:reply_edit", args=[reply.code])
    assert f'value="{pdf.code}" selected' in bob_client.get(edit).content.decode()
    assert bob_client.post(edit, {"body": "Voici le PV, sans le compte rendu.", "attachments": []}).status_code == 302
    assert list(reply.attachments.all()) == []


def test_the_topic_edit_keeps_and_adds_files(world, bob_client, topic):
    pdf = a_pdf(world)
    services.topic_update(
        topic=topic, by=world.bob, title=topic.title, body_html="<div>x</div>", tags=[], attachments=[pdf]
    )
    response = bob_client.post(
        reverse("forum:topic_edit", args=[topic.code]),
        {
            "title": topic.title,
            "body": "Texte",
            "tags": "",
            "attachments": [pdf.code],
            "attachment_uploads": upload_of("annexe.odt", odt_bytes()),
        },
    )
    assert response.status_code == 302
    assert sorted(topic.attachments.values_list("name", flat=True)) == ["annexe.odt", "compte-rendu.pdf"]


def test_a_file_of_another_cooperative_is_refused(world, bob_client, category, topic):
    other = a_pdf(world, cooperative=world.open_coop)
    url = reverse("forum:topic_create", args=[world.private_coop.code])
    response = bob_client.post(
        url, {"category": category.code, "title": "Titre gardé", "body": "x", "attachments": [other.code]}
    )
    assert response.status_code == 200 and Topic.objects.count() == 1
    assert "Titre gardé" in response.content.decode()
    with pytest.raises(ValidationError):
        services.reply_create(topic=topic, author=world.bob, body_html="<div>x</div>", attachments=[other])
    assert not Reply.objects.exists()


def test_a_refused_upload_keeps_the_reply_unpublished(world, bob_client, topic):
    response = bob_client.post(
        reverse("forum:reply_create", args=[topic.code]),
        {"body": "Texte gardé", "attachment_uploads": upload_of("x.pdf", b"MZ\x90\x00" * 20)},
    )
    assert response.status_code == 400
    assert not Reply.objects.exists() and not File.objects.exists()
    assert "Texte gardé" in response.content.decode()


def test_a_photo_without_consent_never_leaves_its_cooperative(world, topic):
    """The photothèque's rule: a photo of identifiable people without consent stays inside its
    cooperative. Attached in its own forum it stays inside; elsewhere it is refused."""
    photo = file_upload(cooperative=world.open_coop, folder=None, upload=make_image_file("manif.jpg"), by=world.alice)
    File.objects.filter(pk=photo.pk).update(identifiable_people=True, consent=File.Consent.PENDING)
    photo.refresh_from_db()
    with pytest.raises(ValidationError):
        services.reply_create(topic=topic, author=world.bob, body_html="<div>photo</div>", attachments=[photo])
    assert not Reply.objects.exists()
    own = file_upload(cooperative=world.private_coop, folder=None, upload=make_image_file("ag.jpg"), by=world.alice)
    File.objects.filter(pk=own.pk).update(identifiable_people=True, consent=File.Consent.PENDING)
    own.refresh_from_db()
    reply = services.reply_create(topic=topic, author=world.bob, body_html="<div>photo</div>", attachments=[own])
    assert list(reply.attachments.all()) == [own]


@pytest.mark.outsider("library:download")
def test_an_outsider_cannot_download_an_attachment(world, charlie_client, topic):
    pdf = a_pdf(world)
    services.topic_update(
        topic=topic, by=world.bob, title=topic.title, body_html="<div>x</div>", tags=[], attachments=[pdf]
    )
    assert_refused(charlie_client.get(_download(pdf)))


def test_library_off_hides_the_attach_field_and_the_files(world, bob_client, category, topic):
    pdf = a_pdf(world)
    services.topic_update(
        topic=topic, by=world.bob, title=topic.title, body_html="<div>x</div>", tags=[], attachments=[pdf]
    )
    _tools_off(world, "library")
    new = bob_client.get(reverse("forum:topic_create", args=[world.private_coop.code])).content.decode()
    assert "attachment_uploads" not in new
    page = bob_client.get(reverse("forum:topic_detail", args=[topic.code])).content.decode()
    assert "attachment_uploads" not in page and _download(pdf) not in page
    # Editing without the library keeps the files linked (they come back with it).
    bob_client.post(reverse("forum:topic_edit", args=[topic.code]), {"title": topic.title, "body": "y", "tags": ""})
    assert list(topic.attachments.all()) == [pdf]


def test_a_topic_page_with_attachments_reads_in_a_fixed_number_of_queries(
    world, bob_client, topic, django_assert_max_num_queries
):
    pdfs = [a_pdf(world, name=f"doc-{n}.pdf") for n in range(3)]
    services.topic_update(
        topic=topic, by=world.bob, title=topic.title, body_html="<div>x</div>", tags=[], attachments=pdfs
    )
    url = reverse("forum:topic_detail", args=[topic.code])

    def replies(count):
        for n in range(count):
            services.reply_create(
                topic=topic,
                author=[world.alice, world.bob][n % 2],
                body_html=f"<div>Réponse {n} {count}</div>",
                attachments=pdfs[: n % 3 + 1],
            )

    replies(2)
    with django_assert_max_num_queries(19) as few:
        bob_client.get(url)
    replies(30)
    with django_assert_max_num_queries(len(few)):
        page = bob_client.get(url).content.decode()
    assert page.count(_download(pdfs[0])) >= 20


# --- FAQ --------------------------------------------------------------------------------


@pytest.fixture
def answered(world, topic, alice_reply):
    services.reply_mark_answer(reply=alice_reply, by=world.alice)
    topic.refresh_from_db()
    return topic


def test_an_answered_topic_goes_into_the_faq_in_one_click(world, alice_client, bob_client, answered, alice_reply):
    detail = reverse("forum:topic_detail", args=[answered.code])
    url = reverse("forum:topic_faq", args=[answered.code])
    assert url in alice_client.get(detail).content.decode()
    assert url not in bob_client.get(detail).content.decode()
    response = alice_client.post(url)
    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "faq:entry", args=[world.private_coop.code, entry.code]
    )
    assert entry.question == answered.title and "article 12" in entry.answer_html
    assert entry.source_url == detail and entry.source_label == answered.title
    assert entry.theme.name == "Questions du forum"
    answered.refresh_from_db()
    assert answered.faq_entry == entry
    page = bob_client.get(detail).content.decode()
    assert "Cette question est dans la FAQ" in page
    assert reverse("faq:entry", args=[world.private_coop.code, entry.code]) in page
    assert detail in bob_client.get(reverse("faq:entry", args=[world.private_coop.code, entry.code])).content.decode()

    # Twice: refused, the first stays.
    again = alice_client.post(url, follow=True)
    assert "déjà dans la FAQ" in again.content.decode()
    assert Entry.objects.count() == 1


def test_the_form_lets_the_animateur_adjust(world, alice_client, answered):
    theme_create(cooperative=world.private_coop, name="Salaires", by=world.alice)
    paie = theme_create(cooperative=world.private_coop, name="Paie", by=world.alice)
    url = reverse("forum:topic_faq", args=[answered.code])
    form = alice_client.get(url).content.decode()
    assert answered.title in form and "article 12" in form and "Paie" in form
    bad = alice_client.post(url, {"question": "", "answer": "Réponse gardée", "theme": paie.pk})
    assert bad.status_code == 200 and "Réponse gardée" in bad.content.decode() and not Entry.objects.exists()
    alice_client.post(url, {"question": "Les heures sup sont-elles payées ?", "answer": "Oui.", "theme": paie.pk})
    entry = Entry.objects.get()
    assert entry.theme == paie and entry.question == "Les heures sup sont-elles payées ?"
    assert Theme.objects.count() == 2


def test_a_deleted_entry_lets_the_topic_go_back_into_the_faq(world, answered):
    entry = services.topic_faq_add(topic=answered, by=world.alice)
    with pytest.raises(ValidationError):
        services.topic_faq_add(topic=answered, by=world.alice)
    entry_delete(entry=entry, by=world.alice)
    assert services.topic_faq_add(topic=answered, by=world.alice).pk != entry.pk


def test_a_topic_without_answer_is_refused(world, alice_client, topic):
    alice_client.post(reverse("forum:topic_faq", args=[topic.code]))
    assert not Entry.objects.exists()


@pytest.mark.outsider("forum:topic_faq")
def test_outsiders_and_members_cannot_put_a_topic_in_the_faq(world, charlie_client, bob_client, client, answered):
    url = reverse("forum:topic_faq", args=[answered.code])
    assert_refused(charlie_client.get(url))
    assert_refused(charlie_client.post(url))
    assert_login_required(client.post(url))
    assert bob_client.get(url).status_code == 403
    assert bob_client.post(url).status_code == 403
    assert not Entry.objects.exists()


def test_faq_off_is_404_and_hides_the_button(world, alice_client, answered):
    _tools_off(world, "faq")
    url = reverse("forum:topic_faq", args=[answered.code])
    assert url not in alice_client.get(reverse("forum:topic_detail", args=[answered.code])).content.decode()
    assert alice_client.post(url).status_code == 404
    assert alice_client.get(url).status_code == 404
    assert not Entry.objects.exists()
