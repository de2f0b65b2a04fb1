"""``manage.py demo``: a small French world, built through the services, to try Terrain."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from terrain.accounts.models import User
from terrain.cooperatives.models import Cooperative, JoinRequest, Membership
from terrain.feed.models import Activity
from terrain.feed.selectors import feed_page
from terrain.news.models import Comment, Post, PostImage, Reaction
from terrain.structures.models import Official, Structure, StructureKind


def _run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_builds_a_union_with_members_cooperatives_and_a_month_of_news():
    output = _run_demo()

    ud = Structure.objects.get(kind=StructureKind.UNION_DEPARTEMENTALE)
    assert ud.parent is None
    # The union's tree (the locator's demo adds a federation elsewhere: terrain/demo/places.py).
    union = Structure.objects.filter(path__startswith=ud.path)
    syndicats = union.filter(kind=StructureKind.SYNDICAT)
    assert syndicats.count() == 2 and all(s.parent_id == ud.pk for s in syndicats)
    sections = union.filter(kind=StructureKind.SECTION)
    assert sections.count() == 3 and all(s.parent.kind == StructureKind.SYNDICAT for s in sections)
    assert all(s.commune and s.departement == "13" for s in sections)
    assert Cooperative.objects.filter(kind=Cooperative.Kind.PRIVATE, structure__in=union).count() == 6

    assert 35 <= User.objects.count() <= 45
    assert User.objects.exclude(bio="").count() == User.objects.count()
    for structure in union:
        assert Official.objects.filter(structure=structure).count() >= 2

    open_coops = Cooperative.objects.filter(kind=Cooperative.Kind.OPEN)
    assert open_coops.count() == 5
    assert set(open_coops.values_list("join_policy", flat=True)) == {"open", "request", "invitation"}
    assert JoinRequest.objects.filter(status=JoinRequest.Status.PENDING).count() >= 3
    for coop in Cooperative.objects.all():
        assert coop.member_count == Membership.objects.filter(cooperative=coop).count()

    assert 50 <= Post.objects.count() <= 70
    assert 120 <= Comment.objects.count() <= 180
    assert Reaction.objects.count() > 100
    assert Post.objects.filter(images__isnull=False).distinct().count() >= 10
    assert PostImage.objects.exists() and not PostImage.objects.filter(alt_text="").exists()
    # Nobody writes where they are not a member.
    for post in Post.objects.all():
        assert Membership.objects.filter(cooperative=post.cooperative_id, user=post.author_id).exists()
    for comment in Comment.objects.select_related("post"):
        assert Membership.objects.filter(cooperative=comment.post.cooperative_id, user=comment.author_id).exists()

    # A month of news, in the order of the feed: ids grow with dates.
    first, last = Post.objects.order_by("created_at").first(), Post.objects.order_by("created_at").last()
    assert (last.created_at - first.created_at).days >= 21
    dates = list(Activity.objects.order_by("id").values_list("created_at", flat=True))
    assert dates == sorted(dates)

    assert "http://" in output
    for email in ("admin@terrain.example", "animatrice@terrain.example", "membre@terrain.example"):
        assert email in output
        assert User.objects.get(email=email).check_password("terrain-demo")
    assert "terrain-demo" in output


@pytest.mark.django_db
def test_the_three_logins_have_their_roles_and_the_member_sees_a_feed():
    _run_demo()
    admin = User.objects.get(email="admin@terrain.example")
    assert admin.is_staff and admin.is_superuser
    animatrice = User.objects.get(email="animatrice@terrain.example")
    assert Official.objects.filter(user=animatrice, structure__kind=StructureKind.SECTION).exists()
    assert (
        Membership.objects.filter(
            user=animatrice, role=Membership.Role.ANIMATEUR, cooperative__kind=Cooperative.Kind.OPEN
        ).count()
        >= 2
    )
    membre = User.objects.get(email="membre@terrain.example")
    assert not membre.is_staff

    page = feed_page(user=membre)
    assert len(page.items) == settings.FEED_PAGE_SIZE and page.has_more

    client = Client()
    client.force_login(membre)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_if_empty_does_nothing_on_a_database_with_members():
    _run_demo("--if-empty")
    counts = (User.objects.count(), Post.objects.count(), Activity.objects.count())

    output = _run_demo("--if-empty")

    assert "no demonstration data" in output
    assert (User.objects.count(), Post.objects.count(), Activity.objects.count()) == counts


@pytest.mark.django_db
def test_without_if_empty_a_database_with_members_is_refused(alice):
    with pytest.raises(CommandError):
        _run_demo()
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_the_sign_ins_are_printed_at_every_start_while_the_demo_members_exist():
    _run_demo("--if-empty")

    again = _run_demo("--if-empty")  # what every later `make run` calls

    assert "no demonstration data" in again
    for email in ("admin@terrain.example", "animatrice@terrain.example", "membre@terrain.example"):
        assert email in again
    assert "terrain-demo" in again
    # A member who changed the password, or who is gone, is not advertised with the demo's.
    membre = User.objects.get(email="membre@terrain.example")
    membre.set_password("un-autre-secret-2027")
    membre.save()
    User.objects.filter(email="admin@terrain.example").delete()
    later = _run_demo("--if-empty")
    assert "admin@terrain.example" not in later
    assert "membre@terrain.example" in later and "(changed)" in later


@pytest.mark.django_db
def test_no_sign_ins_are_printed_on_a_database_without_the_demo(alice):
    assert "terrain-demo" not in _run_demo("--if-empty")
