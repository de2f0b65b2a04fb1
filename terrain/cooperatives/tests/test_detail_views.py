"""A cooperative's page, its picture, and joining, asking, withdrawing and leaving."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from PIL import Image

from terrain.cooperatives.models import Cooperative, JoinRequest, Membership
from terrain.cooperatives.services import cooperative_archive, cooperative_create_open, cooperative_update
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.feed.models import Notification
from terrain.lib.images import rendition_name
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


def url(name: str, coop: Cooperative) -> str:
    return reverse(f"cooperatives:{name}", args=[coop.code])


def _open(world, policy: str) -> Cooperative:
    return cooperative_create_open(name=f"Coop {policy}", by=world.alice, join_policy=policy)


@pytest.mark.outsider("cooperatives:detail")
def test_detail_refuses_outsiders(world, client, charlie_client):
    assert_login_required(client.get(url("detail", world.open_coop)))
    assert_refused(charlie_client.get(url("detail", world.private_coop)))
    assert_refused(charlie_client.get(reverse("cooperatives:detail", args=["nope"])))


def test_member_sees_the_news_tabs_and_membership_box(world, bob_client):
    page = bob_client.get(url("detail", world.open_coop))
    assert page.status_code == 200
    assert page.context["access"].is_member and "stream" in page.context
    html = page.content.decode()
    assert url("members", world.open_coop) in html
    assert url("leave", world.open_coop) in html
    assert url("edit", world.open_coop) not in html  # settings are for facilitators


def test_private_cooperative_links_to_its_structure(world, bob_client):
    page = bob_client.get(url("detail", world.private_coop))
    assert reverse("structures:detail", args=[world.section.code]) in page.content.decode()


@pytest.mark.parametrize(
    ("policy", "shown", "hidden"),
    [
        ("open", "rejoindre/", "demande/"),
        ("request", "demande/", "rejoindre/"),
        ("invitation", "Sur invitation uniquement", "demande/"),
    ],
)
def test_non_member_sees_how_to_join(world, charlie_client, policy, shown, hidden):
    coop = _open(world, policy)
    page = charlie_client.get(url("detail", coop))
    assert page.status_code == 200
    assert "stream" not in page.context
    html = page.content.decode()
    assert shown in html and hidden not in html


def test_archived_banner_and_no_join(world, charlie_client):
    coop = _open(world, "open")
    cooperative_archive(cooperative=coop, by=world.alice, archived=True)
    html = charlie_client.get(url("detail", coop)).content.decode()
    assert "Cette coopérative est archivée." in html and url("join", coop) not in html


@pytest.mark.outsider("cooperatives:image")
def test_image_is_private_to_those_who_may_see(world, client, charlie_client, bob_client):
    assert_login_required(client.get(url("image", world.open_coop)))
    assert_refused(charlie_client.get(url("image", world.open_coop)))  # no picture: 404
    cooperative_update(
        cooperative=world.private_coop,
        by=world.alice,
        name=world.private_coop.name,
        join_policy="invitation",
        image=make_image_file(),
    )
    assert_refused(charlie_client.get(url("image", world.private_coop)))
    response = bob_client.get(url("image", world.private_coop))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


@pytest.mark.outsider("cooperatives:join")
def test_join_refuses_outsiders_and_other_policies(world, client, charlie, charlie_client):
    assert_login_required(client.post(url("join", world.open_coop)))
    assert_refused(charlie_client.post(url("join", world.private_coop)))
    assert charlie_client.get(url("join", world.open_coop)).status_code == 405
    charlie_client.post(url("join", world.open_coop))  # policy "on request"
    assert not Membership.objects.filter(user=charlie, cooperative=world.open_coop).exists()


def test_join_an_open_cooperative(world, charlie, charlie_client):
    coop = _open(world, "open")
    response = charlie_client.post(url("join", coop), follow=True)
    assert response.redirect_chain[-1][0] == url("detail", coop)
    assert Membership.objects.filter(user=charlie, cooperative=coop).exists()
    assert "Bienvenue !" in response.content.decode()


@pytest.mark.outsider("cooperatives:request")
def test_request_refuses_outsiders(world, client, charlie_client):
    assert_login_required(client.post(url("request", world.open_coop)))
    assert_refused(charlie_client.post(url("request", world.private_coop)))
    assert not JoinRequest.objects.exists()


def test_request_then_withdraw(world, charlie, charlie_client):
    coop = world.open_coop
    response = charlie_client.post(url("request", coop), {"message": "Je suis infirmière."})
    assert response.status_code == 302
    jr = JoinRequest.objects.get(user=charlie, cooperative=coop)
    assert jr.status == JoinRequest.Status.PENDING and jr.message == "Je suis infirmière."
    assert Notification.objects.filter(user=world.alice, reason=Notification.Reason.JOIN_REQUEST).exists()

    html = charlie_client.get(url("detail", coop)).content.decode()
    assert "Votre demande attend une réponse." in html and url("request_withdraw", coop) in html

    charlie_client.post(url("request_withdraw", coop))
    jr.refresh_from_db()
    assert jr.status == JoinRequest.Status.WITHDRAWN
    assert url("request", coop) in charlie_client.get(url("detail", coop)).content.decode()


def test_request_with_a_too_long_message_re_renders(world, charlie_client):
    response = charlie_client.post(url("request", world.open_coop), {"message": "x" * 1001})
    assert response.status_code == 200
    assert response.context["request_form"].errors
    assert not JoinRequest.objects.exists()


def test_request_refused_for_invitation_only(world, charlie_client):
    coop = _open(world, "invitation")
    response = charlie_client.post(url("request", coop), follow=True)
    assert "n&#x27;accepte pas les demandes" in response.content.decode()
    assert not JoinRequest.objects.exists()


@pytest.mark.outsider("cooperatives:request_withdraw")
def test_withdraw_refuses_outsiders(world, client, charlie_client):
    assert_login_required(client.post(url("request_withdraw", world.open_coop)))
    assert_refused(charlie_client.post(url("request_withdraw", world.private_coop)))


@pytest.mark.outsider("cooperatives:leave")
def test_leave_refuses_outsiders(world, client, charlie_client):
    assert_login_required(client.post(url("leave", world.open_coop)))
    assert_refused(charlie_client.post(url("leave", world.private_coop)))
    assert_refused(charlie_client.post(url("leave", world.open_coop)), hidden=False)


def test_leave_and_last_facilitator_refused(world, bob, bob_client, alice, alice_client):
    coop = world.open_coop
    response = bob_client.post(url("leave", coop))
    assert response["Location"] == reverse("cooperatives:list")
    assert not Membership.objects.filter(user=bob, cooperative=coop).exists()
    coop.refresh_from_db()
    assert coop.member_count == 1

    response = alice_client.post(url("leave", coop), follow=True)
    assert "Vous êtes la dernière personne à animer cette coopérative." in response.content.decode()
    assert Membership.objects.filter(user=alice, cooperative=coop).exists()


def test_member_of_a_structure_may_leave_its_private_cooperative(world, bob_client):
    bob_client.post(url("leave", world.private_coop))
    assert bob_client.get(url("detail", world.private_coop)).status_code == 404


def test_an_invited_account_accepts_from_the_page(world, charlie, charlie_client):
    from terrain.cooperatives.services import cooperative_invite

    coop = _open(world, "invitation")
    invitation = cooperative_invite(cooperative=coop, email="charlie@example.org", by=world.alice)
    html = charlie_client.get(url("detail", coop)).content.decode()
    assert "Alice Martin vous a invité·e à rejoindre cette coopérative." in html and url("join", coop) in html

    charlie_client.post(url("join", coop))
    assert Membership.objects.filter(user=charlie, cooperative=coop).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == charlie


def test_reading_a_cooperative_loads_no_editor(world, bob_client):
    html = bob_client.get(url("detail", world.open_coop)).content.decode()

    # The editor's script and style sheet weigh more than the page: they load where one writes.
    assert "trix" not in html
    assert reverse("news:post_create", args=[world.open_coop.code]) in html


def test_my_membership_menu_comes_before_the_news(world, bob_client):
    html = bob_client.get(url("detail", world.open_coop)).content.decode()

    menu = html.index('id="my-membership"')
    assert menu < html.index(url("leave", world.open_coop)) < html.index('id="news-stream-title"')
    assert html.index(reverse("feed:mute", args=[world.open_coop.code])) < html.index('id="news-stream-title"')


def test_the_membership_menu_is_on_every_tab_and_not_for_outsiders(world, bob_client, charlie_client):
    assert 'id="my-membership"' in bob_client.get(url("members", world.open_coop)).content.decode()
    assert 'id="my-membership"' not in charlie_client.get(url("detail", world.open_coop)).content.decode()


@pytest.mark.parametrize(
    ("policy", "label"),
    [("open", "Ouverte à toutes et tous"), ("request", "Sur demande"), ("invitation", "Sur invitation")],
)
def test_one_label_says_who_may_join(world, charlie_client, policy, label):
    coop = _open(world, policy)
    html = charlie_client.get(url("detail", coop)).content.decode()
    header = html[html.index('class="coop-hero"') : html.index("</header>", html.index('class="coop-hero"'))]

    assert f'<span class="tag">{label}</span>' in header
    assert header.count('class="tag') == 1  # not "Open" beside "On request"


def test_a_phone_gets_a_small_copy_of_the_picture(world, bob_client, charlie_client):
    cooperative_update(
        cooperative=world.private_coop,
        by=world.alice,
        name=world.private_coop.name,
        join_policy="invitation",
        image=make_image_file(size=(1200, 400)),
    )
    html = bob_client.get(url("detail", world.private_coop)).content.decode()
    hero = re.search(r'<img class="coop-hero__image"[^>]*>', html).group(0)
    assert f"{url('image', world.private_coop)}?v=" in hero
    assert "&amp;w=360 360w" in hero and 'sizes="3.5rem"' in hero

    def width(response) -> int:
        with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
            return image.width

    assert width(bob_client.get(url("image", world.private_coop), {"w": "360"})) == 360
    assert width(bob_client.get(url("image", world.private_coop), {"w": "360"})) == 360  # kept
    assert width(bob_client.get(url("image", world.private_coop))) == 1200
    assert_refused(charlie_client.get(url("image", world.private_coop), {"w": "360"}))


def test_a_small_picture_is_served_as_it_is(world, bob_client):
    cooperative_update(
        cooperative=world.open_coop,
        by=world.alice,
        name=world.open_coop.name,
        join_policy="request",
        image=make_image_file(size=(64, 48)),
    )
    response = bob_client.get(url("image", world.open_coop), {"w": "720"})
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.size == (64, 48)


def test_replacing_the_picture_removes_its_copies(world, bob_client, django_capture_on_commit_callbacks):
    def update(image):
        with django_capture_on_commit_callbacks(execute=True):
            cooperative_update(
                cooperative=world.open_coop,
                by=world.alice,
                name=world.open_coop.name,
                join_policy="request",
                image=image,
            )
        world.open_coop.refresh_from_db()

    update(make_image_file(size=(1200, 400)))
    old = world.open_coop.image.name
    bob_client.get(url("image", world.open_coop), {"w": "360"})
    storage = world.open_coop.image.storage
    assert storage.exists(rendition_name(old, 360))

    update(make_image_file(size=(1000, 400)))

    assert not storage.exists(old) and not storage.exists(rendition_name(old, 360))
