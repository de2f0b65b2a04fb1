"""Facilitators curate the FAQ: themes, questions (add, edit, move, reorder, delete); members cannot."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.faq.models import Entry, Theme
from terrain.faq.services import faq_entry_create, theme_create
from terrain.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def _url(name, world, *args):
    return reverse(f"faq:{name}", args=[world.private_coop.code, *args])


def test_facilitator_adds_a_question(world, alice_client, theme):
    response = alice_client.post(
        _url("entry_create", world),
        {
            "question": "  Puis-je adhérer en CDD ?  ",
            "answer": "<div>Oui, <script>x</script>dès le premier jour.</div>",
            "theme": theme.pk,
        },
    )
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("entry", world, entry.code)
    assert entry.question == "Puis-je adhérer en CDD ?"
    assert "<script>" not in entry.answer_html and "dès le premier jour" in entry.answer_html
    assert (entry.author, entry.last_editor, entry.version) == (world.alice, world.alice, 1)


def test_plain_text_answer_without_javascript_becomes_paragraphs(world, alice_client, theme):
    alice_client.post(
        _url("entry_create", world), {"question": "Q ?", "answer": "Ligne un\n\nLigne deux", "theme": theme.pk}
    )
    assert Entry.objects.get().answer_html.count("<p>") == 2


def test_bad_input_is_refused_in_french_and_kept(world, alice_client, theme):
    response = alice_client.post(
        _url("entry_create", world),
        {"question": "x" * 301, "answer": "<div> </div>", "theme": theme.pk},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Écrivez la réponse." in html
    assert "au plus 300 caractères" in html
    assert "x" * 301 in html  # what was typed is kept
    other = theme_create(cooperative=world.open_coop, name="Ailleurs", by=world.alice)
    response = alice_client.post(_url("entry_create", world), {"question": "Q ?", "answer": "R", "theme": other.pk})
    assert "Choisissez un des thèmes de cette FAQ." in response.content.decode()
    assert not Entry.objects.exists()


def test_without_a_theme_the_facilitator_is_sent_to_create_one(world, alice_client):
    response = alice_client.get(_url("entry_create", world))
    assert response["Location"] == _url("themes", world)


@pytest.mark.outsider("faq:entry_create")
def test_members_and_outsiders_cannot_add(world, bob_client, charlie_client, client, theme):
    data = {"question": "Q ?", "answer": "R", "theme": theme.pk}
    assert bob_client.post(_url("entry_create", world), data).status_code == 403
    assert_refused(charlie_client.post(_url("entry_create", world), data))
    assert_login_required(client.get(_url("entry_create", world)))
    assert not Entry.objects.exists()


def test_facilitator_edits_and_moves_to_another_theme(world, alice_client, entry, theme):
    other = theme_create(cooperative=world.private_coop, name="Droit du travail", by=world.alice)
    response = alice_client.post(
        reverse("faq:entry_edit", args=[entry.code]),
        {
            "question": "Combien coûte l’adhésion en 2027 ?",
            "answer": "<div>1 % du net.</div>",
            "theme": other.pk,
            "version": 1,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.question, entry.theme, entry.version) == ("Combien coûte l’adhésion en 2027 ?", other, 2)
    document = SearchDocument.objects.get(kind="faq", object_id=entry.pk)
    assert document.title == "Combien coûte l’adhésion en 2027 ?" and document.body == "1 % du net."


@pytest.mark.outsider("faq:entry_edit")
def test_members_and_outsiders_cannot_edit(world, bob_client, charlie_client, client, entry, theme):
    url = reverse("faq:entry_edit", args=[entry.code])
    data = {"question": "Piraté", "answer": "R", "theme": theme.pk, "version": 1}
    assert bob_client.post(url, data).status_code == 403
    assert_refused(charlie_client.post(url, data))
    assert_login_required(client.get(url))
    entry.refresh_from_db()
    assert entry.question == "Combien coûte l’adhésion ?"


def test_reorder_within_a_theme(world, alice_client, entry, theme):
    second = faq_entry_create(
        cooperative=world.private_coop, theme=theme, question="Deuxième ?", answer_html="R", by=world.alice
    )
    alice_client.post(reverse("faq:entry_move", args=[second.code]), {"step": "up"})
    assert list(Entry.objects.filter(theme=theme).order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        entry.pk,
    ]
    alice_client.post(reverse("faq:entry_move", args=[second.code]), {"step": "up"})  # already first: nothing moves
    alice_client.post(reverse("faq:entry_move", args=[second.code]), {"step": "down"})
    assert list(Entry.objects.filter(theme=theme).order_by("position").values_list("pk", flat=True)) == [
        entry.pk,
        second.pk,
    ]


@pytest.mark.outsider("faq:entry_move")
def test_members_and_outsiders_cannot_reorder(world, bob_client, charlie_client, entry):
    assert bob_client.post(reverse("faq:entry_move", args=[entry.code]), {"step": "up"}).status_code == 403
    assert_refused(charlie_client.post(reverse("faq:entry_move", args=[entry.code]), {"step": "up"}))


def test_delete_is_soft_and_leaves_the_search(world, alice_client, entry):
    assert SearchDocument.objects.filter(kind="faq", object_id=entry.pk).exists()
    assert alice_client.get(reverse("faq:entry_delete", args=[entry.code])).status_code == 200
    response = alice_client.post(reverse("faq:entry_delete", args=[entry.code]))
    assert response["Location"] == _url("home", world)
    entry.refresh_from_db()
    assert entry.deleted_at is not None and entry.deleted_by == world.alice
    assert not SearchDocument.objects.filter(kind="faq", object_id=entry.pk).exists()


@pytest.mark.outsider("faq:entry_delete")
def test_members_and_outsiders_cannot_delete(world, bob_client, charlie_client, entry):
    assert bob_client.post(reverse("faq:entry_delete", args=[entry.code])).status_code == 403
    assert_refused(charlie_client.post(reverse("faq:entry_delete", args=[entry.code])))
    entry.refresh_from_db()
    assert entry.deleted_at is None


# --- Themes ----------------------------------------------------------------------------


def test_facilitator_manages_themes(world, alice_client):
    alice_client.post(_url("themes", world), {"name": "Élections CSE"})
    alice_client.post(_url("themes", world), {"name": "Droit du travail"})
    first, second = Theme.objects.order_by("position")
    alice_client.post(reverse("faq:theme_move", args=[second.code]), {"step": "up"})
    assert list(Theme.objects.order_by("position").values_list("name", flat=True)) == [
        "Droit du travail",
        "Élections CSE",
    ]
    alice_client.post(reverse("faq:theme_edit", args=[first.code]), {"name": "Élections professionnelles"})
    first.refresh_from_db()
    assert first.name == "Élections professionnelles"
    response = alice_client.get(_url("themes", world))
    assert "Élections professionnelles" in response.content.decode()


def test_empty_theme_name_is_refused(world, alice_client):
    response = alice_client.post(_url("themes", world), {"name": "   "}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert not Theme.objects.exists()


def test_a_theme_with_questions_is_not_deleted(world, alice_client, entry, theme):
    response = alice_client.post(reverse("faq:theme_delete", args=[theme.code]), follow=True, HTTP_ACCEPT_LANGUAGE="fr")
    assert Theme.objects.filter(pk=theme.pk).exists()
    assert "déplacez-les ou supprimez-les" in response.content.decode()
    empty = theme_create(cooperative=world.private_coop, name="Vide", by=world.alice)
    alice_client.post(reverse("faq:theme_delete", args=[empty.code]))
    assert not Theme.objects.filter(pk=empty.pk).exists()


@pytest.mark.outsider("faq:themes")
@pytest.mark.outsider("faq:theme_edit")
@pytest.mark.outsider("faq:theme_move")
@pytest.mark.outsider("faq:theme_delete")
def test_members_and_outsiders_cannot_manage_themes(world, bob_client, charlie_client, client, theme):
    assert bob_client.get(_url("themes", world)).status_code == 403
    assert_refused(charlie_client.post(_url("themes", world), {"name": "X"}))
    assert_login_required(client.get(_url("themes", world)))
    for name in ("theme_edit", "theme_move", "theme_delete"):
        url = reverse(f"faq:{name}", args=[theme.code])
        assert bob_client.post(url, {"name": "X", "step": "up"}).status_code == 403
        assert_refused(charlie_client.post(url, {"name": "X", "step": "up"}))
    theme.refresh_from_db()
    assert theme.name == "Adhésion et cotisations"


def test_nothing_is_written_in_an_archived_cooperative(world, alice_client):
    from terrain.cooperatives.services import cooperative_archive

    theme = theme_create(cooperative=world.open_coop, name="Égalité salariale", by=world.alice)
    cooperative_archive(cooperative=world.open_coop, by=world.alice, archived=True)
    data = {"question": "Q ?", "answer": "R", "theme": theme.pk}
    assert alice_client.post(reverse("faq:entry_create", args=[world.open_coop.code]), data).status_code == 403
    assert alice_client.post(reverse("faq:themes", args=[world.open_coop.code]), {"name": "Nouveau"}).status_code == 403
    assert not Entry.objects.exists() and Theme.objects.count() == 1


def test_the_add_link_of_a_theme_starts_in_that_theme(world, alice_client, theme):
    other = theme_create(cooperative=world.private_coop, name="Élections CSE", by=world.alice)
    response = alice_client.get(_url("entry_create", world) + f"?theme={other.code}")
    assert f'<option value="{other.pk}" selected>' in response.content.decode()
    home = alice_client.get(_url("home", world)).content.decode()
    assert f"?theme={other.code}" in home
