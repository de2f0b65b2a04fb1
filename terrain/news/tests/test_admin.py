"""The administration shows news and feed rows, and changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from terrain.feed.models import Activity, Notification
from terrain.news.models import Comment, Post
from terrain.news.services import ImageUpload, comment_create, post_create
from terrain.tests.factories import make_image_file, make_user

pytestmark = pytest.mark.django_db


def test_administrators_read_but_do_not_write(world):
    post = post_create(
        cooperative=world.open_coop,
        author=world.alice,
        body_html=f"<div>Bonjour @{world.bob.handle}</div>",
        images=[ImageUpload(make_image_file(), "Photo")],
    )
    comment_create(post=post, author=world.bob, text="Merci")
    admin = make_user("Admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)

    for model in (Post, Comment, Activity, Notification):
        opts = model._meta
        listing = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert listing.status_code == 200, opts.model_name
        row = model.objects.first()
        detail = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]))
        assert detail.status_code == 200, opts.model_name
        assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
    assert "Photo" in client.get(reverse("admin:news_post_change", args=[post.pk])).content.decode()
