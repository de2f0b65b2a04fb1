"""New entries in the cooperative's feed; entries in the search, kept in step with every change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.faq.services import ENTRY_ADDED, entry_delete, entry_update, faq_entry_create, theme_create
from terrain.feed.models import Activity
from terrain.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def test_a_new_entry_is_in_the_feed_of_the_members(world, bob_client, entry):
    activity = Activity.objects.get(verb=ENTRY_ADDED)
    assert (activity.cooperative, activity.actor, activity.target_id) == (world.private_coop, world.alice, entry.pk)
    html = bob_client.get(reverse("feed:home")).content.decode()
    assert "Combien coûte l’adhésion ?" in html
    assert reverse("faq:entry", args=[world.private_coop.code, entry.code]) in html


def test_the_feed_leaves_out_a_deleted_entry(world, alice, bob_client, entry):
    entry_delete(entry=entry, by=alice)
    assert not Activity.objects.filter(verb=ENTRY_ADDED).exists()
    assert "Combien coûte" not in bob_client.get(reverse("feed:home")).content.decode()


def test_search_documents_follow_create_edit_move_delete(world, alice, entry, theme):
    document = SearchDocument.objects.get(kind="faq", object_id=entry.pk)
    assert document.cooperative_id == world.private_coop.pk and document.tool == "faq"
    assert document.title == "Combien coûte l’adhésion ?"
    assert document.body == "La cotisation vaut 1 % du salaire net."
    assert document.url == reverse("faq:entry", args=[world.private_coop.code, entry.code])
    other = theme_create(cooperative=world.private_coop, name="Autre", by=alice)
    entry_update(entry=entry, version=1, question="Nouveau ?", answer_html="<p>Neuf</p>", theme=other, by=alice)
    document.refresh_from_db()
    assert (document.title, document.body) == ("Nouveau ?", "Neuf")
    entry_delete(entry=entry, by=alice)
    assert not SearchDocument.objects.filter(kind="faq").exists()


def test_the_forum_can_create_an_entry_with_its_source(world, alice, theme):
    entry = faq_entry_create(
        cooperative=world.private_coop,
        theme=theme,
        question="Q ?",
        answer_html="<div>R</div>",
        by=alice,
        source_url="/forum/sujets/abc/",
        source_label="Sujet du forum : primes",
    )
    assert (entry.source_url, entry.source_label) == ("/forum/sujets/abc/", "Sujet du forum : primes")


def test_feed_cost_does_not_grow_with_the_number_of_entries(
    world, bob_client, theme, settings, django_assert_max_num_queries
):
    settings.FEED_PAGE_SIZE = 30
    faq_entry_create(
        cooperative=world.private_coop, theme=theme, question="Q0 ?", answer_html="<p>R</p>", by=world.alice
    )
    bob_client.get(reverse("feed:home"))
    with django_assert_max_num_queries(40) as one:
        bob_client.get(reverse("feed:home"))
    for i in range(1, 10):
        faq_entry_create(
            cooperative=world.private_coop, theme=theme, question=f"Q{i} ?", answer_html="<p>R</p>", by=world.alice
        )
    with django_assert_max_num_queries(len(one)):
        html = bob_client.get(reverse("feed:home")).content.decode()
    assert html.count("a ajouté une question à la FAQ de") == 10


def test_a_source_is_a_path_or_a_web_address(world, alice, theme):
    with pytest.raises(ValueError):
        faq_entry_create(
            cooperative=world.private_coop,
            theme=theme,
            question="Q ?",
            answer_html="R",
            by=alice,
            source_url="javascript:alert(1)",
        )
