"""The French full-text engine and the access rules, through the news' kinds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from terrain.cooperatives.services import cooperative_leave, cooperative_set_tools
from terrain.news.models import Post
from terrain.news.services import comment_create, comment_delete, post_create, post_delete, post_update
from terrain.search import backends
from terrain.search.analysis import parse, stems
from terrain.search.models import SearchDocument
from terrain.search.selectors import search_for
from terrain.search.services import search_index, search_remove

pytestmark = pytest.mark.django_db


def _post(world, text, coop=None, author=None):
    return post_create(cooperative=coop or world.private_coop, author=author or world.alice, body_html=f"<p>{text}</p>")


def _titles(user, query, **kwargs):
    return [r.document.title for r in search_for(user=user, query=query, **kwargs).results]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("négociations", "Nous allons négocier avec la direction"),
        ("salariés", "Chaque salarié est concerné"),
        ("grève", "Les grévistes et les grèves de mars"),
        ("négocierons", "Les négociations annuelles obligatoires"),
        ("manifestations", "Rendez-vous à la manifestation"),
        ("entreprise", "Le comité social de l'entreprise"),
        ("accord", "Signature d'accords collectifs"),
        ("embauchait", "Ils vont embaucher enfin"),
        ("signeront", "Ils ont signé l'accord"),
        ("revendications", "Notre revendication principale"),
        ("EGALITE", "Égalité professionnelle"),
    ],
)
def test_french_forms_find_each_other(world, typed, stored):
    _post(world, stored)
    assert _titles(world.bob, typed) == [stored]


def test_elisions_and_accents_are_folded():
    assert stems("L'Assemblée d'été qu'il salariés") == stems("assemblee ete il salarie")
    assert parse("l'entreprise").required == [["entreprise"]]


@pytest.mark.parametrize(
    "garbage",
    [
        '"',
        "*",
        "AND",
        ")(",
        "NOT OR",
        '"unterminated',
        "-",
        "- -",
        "{title}:x",
        "a" * 5000,
        "grève " * 300,
        "^x",
        "NEAR(a b)",
        "'; DROP TABLE search_fts; --",
        "\x00",
        "ñ*?%_",
    ],
)
def test_garbage_queries_never_raise(world, garbage):
    _post(world, "La grève continue")
    page = search_for(user=world.bob, query=garbage)
    assert page.total >= 0


def test_all_words_phrases_and_exclusions(world):
    _post(world, "Grève générale le jeudi")
    _post(world, "Jeudi la grève est suspendue, générale demain")
    _post(world, "Assemblée générale")
    assert len(_titles(world.bob, "grève générale")) == 2
    assert _titles(world.bob, '"grève générale"') == ["Grève générale le jeudi"]
    assert _titles(world.bob, "générale -grève") == ["Assemblée générale"]


def test_title_weighs_more_and_recency_breaks_ties(world):
    old = _post(world, "Retraites\nUn long texte sans rapport")
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=9))
    search_index(kind="post", objects=[Post.objects.get(pk=old.pk)])
    _post(world, "Compte rendu\nil a été question des retraites")
    _post(world, "Retraites\nUn long texte sans rapport")
    page = search_for(user=world.bob, query="retraites")
    ids = [r.document.object_id for r in page.results]
    # The two with the word in their first line come first, the newest of them first.
    assert ids[1] == old.pk
    assert page.results[2].document.title.startswith("Compte rendu")


def test_snippets_mark_original_words_escaped(world):
    _post(world, "Les salariés <b>en lutte</b> &amp; les négociations")
    result = search_for(user=world.bob, query="salarie negocier").results[0]
    assert "<mark>salariés</mark>" in result.title
    assert "<mark>négociations</mark>" in result.title
    assert "<b>" not in result.snippet


def test_outsider_sees_nothing(world):
    _post(world, "Réunion secrète de la section")
    assert _titles(world.bob, "réunion")
    assert _titles(world.charlie, "réunion") == []


def test_leaving_hides_at_once(world):
    _post(world, "Réunion de la section", coop=world.open_coop)
    assert _titles(world.bob, "réunion")
    cooperative_leave(cooperative=world.open_coop, user=world.bob)
    assert _titles(world.bob, "réunion") == []


def test_disabled_tool_hides_its_documents(world):
    _post(world, "Réunion de la section")
    cooperative_set_tools(cooperative=world.private_coop, by=world.alice, enabled=set())
    assert _titles(world.bob, "réunion") == []


def test_removed_document_disappears(world):
    post = _post(world, "Réunion de la section")
    search_remove(kind="post", ids=[post.pk])
    assert _titles(world.bob, "réunion") == []
    assert not backends.search(query=parse("reunion"), scopes=None).ids


def test_archived_cooperative_stays_searchable(world):
    _post(world, "Réunion de la section")
    world.private_coop.archived_at = timezone.now()
    world.private_coop.save(update_fields=["archived_at"])
    assert _titles(world.bob, "réunion")


def test_inactive_user_finds_nothing(world):
    _post(world, "Réunion de la section")
    world.bob.is_active = False
    world.bob.save(update_fields=["is_active"])
    assert _titles(world.bob, "réunion") == []


def test_news_edits_and_deletes_follow(world):
    post = _post(world, "Réunion mardi")
    comment = comment_create(post=post, author=world.bob, text="Je viendrai avec les collègues")
    assert [r.document.kind for r in search_for(user=world.bob, query="collègue").results] == ["comment"]
    post_update(post=post, by=world.alice, body_html="<p>Assemblée jeudi</p>")
    assert _titles(world.bob, "réunion") == []
    assert _titles(world.bob, "assemblée") == ["Assemblée jeudi"]
    comment_delete(comment=comment, by=world.bob)
    assert _titles(world.bob, "collègue") == []
    comment_create(post=post, author=world.bob, text="Les collègues seront là")
    post_delete(post=post, by=world.alice)
    assert _titles(world.bob, "assemblée") == []
    assert _titles(world.bob, "collègue") == []
    assert not SearchDocument.objects.exists()


def test_filters_kind_cooperative_dates(world):
    post = _post(world, "Réunion A")
    _post(world, "Réunion B", coop=world.open_coop)
    comment_create(post=post, author=world.bob, text="réunion C")
    assert len(_titles(world.bob, "réunion")) == 3
    assert _titles(world.bob, "réunion", kinds=["comment"]) == ["réunion C"]
    assert _titles(world.bob, "réunion", cooperative=world.open_coop) == ["Réunion B"]
    assert _titles(world.bob, "réunion", since=timezone.now() + timedelta(days=1)) == []
    assert len(_titles(world.bob, "réunion", until=timezone.now() + timedelta(days=1))) == 3


def test_pagination_counts(world):
    for n in range(25):
        _post(world, f"Tract numéro {n}")
    first = search_for(user=world.bob, query="tract", limit=10)
    third = search_for(user=world.bob, query="tract", page=3, limit=10)
    assert first.total == third.total == 25
    assert first.has_next and not third.has_next and len(third.results) == 5


def test_very_common_words_rank_the_newest_candidates(world, monkeypatch):
    monkeypatch.setattr(backends, "CANDIDATES", 5)
    monkeypatch.setattr(backends, "COUNT_LIMIT", 5)
    posts = [_post(world, f"Tract {n}") for n in range(8)]
    # The best match is old: the 5 most recent are ranked, it is not among them.
    post_update(post=posts[0], by=world.alice, body_html="<p>Tract tract tract</p>")
    page = search_for(user=world.bob, query="tract", limit=3)
    assert page.total == 6 and page.total_capped
    assert posts[0].pk not in [r.document.object_id for r in page.results]


@pytest.mark.parametrize("threshold", [0, 24])
def test_both_access_paths_agree(world, monkeypatch, threshold):
    # Members of many cooperatives have their access checked per match rather than in the MATCH.
    monkeypatch.setattr(backends, "MATCH_COOPERATIVES", threshold)
    _post(world, "Réunion A")
    _post(world, "Réunion B", coop=world.open_coop)
    outsider_coop_post = _post(world, "Réunion C", coop=world.open_coop)
    cooperative_set_tools(cooperative=world.open_coop, by=world.alice, enabled={"forum"})
    assert _titles(world.bob, "réunion") == ["Réunion A"]
    assert _titles(world.charlie, "réunion") == []
    assert outsider_coop_post.pk
