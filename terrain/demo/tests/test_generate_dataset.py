"""``manage.py generate_dataset`` at a tiny scale: the rows are what the services would write."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from terrain.accounts.models import User, search_name_for
from terrain.cooperatives.models import Cooperative, Membership, search_text_for
from terrain.demo.checks import dataset_problems
from terrain.demo.loader import new_codes
from terrain.feed.models import Activity, Notification
from terrain.feed.selectors import feed_page
from terrain.lib.codes import looks_like_code
from terrain.news.feed_items import COMMENT_ADDED, POST_PUBLISHED
from terrain.news.models import Comment, Post, PostImage
from terrain.structures.models import Structure

TINY = {"members": 300, "structures": 30, "cooperatives": 40, "items": 3000, "seed": 7}


def _generate(**options) -> str:
    out = StringIO()
    call_command("generate_dataset", stdout=out, **{**TINY, **options})
    return out.getvalue()


@pytest.mark.django_db
def test_tiny_dataset_has_the_requested_size_and_keeps_every_invariant():
    output = _generate(database_check=True)

    assert "invariants checked: all good" in output
    assert dataset_problems() == []
    assert User.objects.count() == 300
    assert Structure.objects.count() == 30
    assert Cooperative.objects.filter(kind=Cooperative.Kind.PRIVATE, structure__isnull=False).count() == 30
    assert Cooperative.objects.filter(kind=Cooperative.Kind.OPEN).count() == 40
    assert Post.objects.count() + Comment.objects.count() == 3000
    assert Activity.objects.filter(verb=POST_PUBLISHED, broadcast=True).count() == Post.objects.count()
    assert Activity.objects.filter(verb=COMMENT_ADDED, broadcast=False).count() == Comment.objects.count()
    comment_notifications = Notification.objects.filter(reason=Notification.Reason.COMMENT)
    assert comment_notifications.exists()
    assert not comment_notifications.filter(in_feed=False).exists()
    assert not comment_notifications.filter(cooperative__isnull=True).exists()
    assert PostImage.objects.exists() and not PostImage.objects.filter(alt_text="").exists()
    for model in (User, Structure, Cooperative, Post, Comment, Activity, Notification):
        assert all(looks_like_code(code) for code in model.objects.values_list("code", flat=True)[:200])
    # Searches find generated rows as they find the ones the services write.
    for user in User.objects.order_by("pk")[:200]:
        assert user.search_name and user.search_name == search_name_for(user.display_name, user.handle)
    for coop in Cooperative.objects.order_by("pk"):
        assert coop.search_text and coop.search_text == search_text_for(coop.name, coop.description)
    # Every structure's path leads back to the root through real parents.
    for structure in Structure.objects.exclude(parent=None).select_related("parent"):
        assert structure.path == f"{structure.parent.path}{structure.pk}/"


@pytest.mark.django_db
def test_members_are_in_one_to_many_cooperatives_and_their_feed_reads():
    _generate()
    per_member = dict(
        Membership.objects.values("user").annotate(n=Count("id")).values_list("user", "n").order_by("user")
    )
    assert min(per_member.values()) >= 1
    assert sum(1 for n in per_member.values() if n == 2) >= 10
    assert max(per_member.values()) >= 30  # the "about 200" members, capped by the tiny number of cooperatives

    busiest = max(per_member, key=per_member.get)
    page = feed_page(user=User.objects.get(pk=busiest))
    assert page.items
    assert [a.pk for a in page.items] == sorted((a.pk for a in page.items), reverse=True)
    following = feed_page(user=User.objects.get(pk=busiest), before=page.last_id)
    assert all(a.pk < page.last_id for a in following.items)

    a_member = User.objects.get(pk=next(iter(per_member)))
    assert a_member.check_password("terrain-bench")


@pytest.mark.django_db
def test_a_database_with_members_is_refused(alice):
    with pytest.raises(CommandError):
        _generate()
    assert not Post.objects.exists()


def test_bulk_codes_look_like_codes_and_do_not_repeat():
    codes = new_codes(5000)
    assert len(codes) == len(set(codes)) == 5000
    assert all(looks_like_code(code) for code in codes)


def test_the_benchmark_floor_answers_ok_without_touching_anything(rf):
    from terrain.core.bench_views import floor

    response = floor(rf.get("/bench/floor/"))
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
def test_every_cooperative_marks_its_newest_broadcast_activity():
    from django.db.models import Max

    _generate()
    newest = dict(
        Activity.objects.filter(broadcast=True)
        .values("cooperative_id")
        .annotate(m=Max("id"))
        .values_list("cooperative_id", "m")
    )
    marks = dict(Cooperative.objects.values_list("id", "last_activity_id"))
    assert newest
    assert {coop: marks[coop] for coop in newest} == newest


@pytest.mark.django_db
def test_the_benchmark_chrome_is_a_page_with_only_the_menu(rf, world):
    from terrain.core.bench_views import chrome

    request = rf.get("/bench/chrome/")
    request.user = world.alice
    page = chrome(request).content.decode()
    assert 'class="main-nav"' in page and 'aria-current="page">Fil d' in page
    assert '<main id="main"' in page and "card" not in page
