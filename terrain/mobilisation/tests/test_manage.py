"""The officials' pages: only the structure's officials (and those above) run its events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from terrain.mobilisation.models import Event
from terrain.mobilisation.tests.conftest import in_days, make_event
from terrain.structures.models import OfficialRole
from terrain.structures.services import official_add
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db

FORMAT = "%Y-%m-%dT%H:%M"


def _form(**values) -> dict:
    start = in_days(5, 14)
    data = {
        "kind": "demonstration",
        "title": "Manifestation pour l'hôpital",
        "starts_at": start.strftime(FORMAT),
        "ends_at": (start + timedelta(hours=2)).strftime(FORMAT),
        "place_name": "Parvis de l'hôpital",
        "commune": "Lyon",
        "postal_code": "69004",
    }
    data.update(values)
    return data


def test_an_official_creates_a_draft_then_publishes_it(alice_client, world, site, client):
    response = alice_client.post(reverse("mobilisation:create", args=[world.section.code]), _form())
    assert response.status_code == 302
    event = Event.objects.get()
    assert not event.published
    assert client.get(reverse("agenda:event", args=[site.slug, event.code])).status_code == 404
    alice_client.post(reverse("mobilisation:publication", args=[event.code]), {"publish": "1"})
    assert client.get(reverse("agenda:event", args=[site.slug, event.code])).status_code == 200
    listing = alice_client.get(reverse("mobilisation:list", args=[world.section.code]))
    assert "Manifestation pour l&#x27;hôpital" in listing.content.decode()
    assert "private" in listing["Cache-Control"]


def test_bad_dates_are_explained_and_what_was_typed_is_kept(alice_client, world):
    start = in_days(5, 14)
    response = alice_client.post(
        reverse("mobilisation:create", args=[world.section.code]),
        _form(ends_at=(start - timedelta(hours=1)).strftime(FORMAT)),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "La fin doit venir après le début." in page
    assert "Parvis de l&#x27;hôpital" in page
    past = alice_client.post(
        reverse("mobilisation:create", args=[world.section.code]),
        _form(starts_at=in_days(-2).strftime(FORMAT), ends_at=in_days(-2, 12).strftime(FORMAT)),
    )
    assert past.status_code == 400
    assert "Cette date est passée" in past.content.decode()
    assert not Event.objects.exists()


def test_edit_cancel_and_compose_about_the_event(alice_client, world, site):
    event = make_event(world)
    response = alice_client.post(reverse("mobilisation:edit", args=[event.code]), _form(title="Nouveau titre"))
    assert response.status_code == 302
    alice_client.post(reverse("mobilisation:cancellation", args=[event.code]), {"cancel": "1", "reason": "Pluie"})
    event.refresh_from_db()
    assert event.title == "Nouveau titre" and event.cancelled and event.cancel_reason == "Pluie"
    page = alice_client.get(reverse("mobilisation:edit", args=[event.code])).content.decode()
    compose = reverse("atelier:message_new", args=[world.section.code])
    assert compose + "?titre=" in page
    start = page.index(compose + "?titre=")
    url = page[start : page.index('"', start)].replace("&amp;", "&")
    composer = alice_client.get(url).content.decode()
    assert "Nouveau titre" in composer
    assert f"/s/{site.slug}/agenda/{event.code}/" in composer


@pytest.mark.outsider("mobilisation:list", "mobilisation:create")
def test_outsiders_and_members_cannot_run_the_structures_events(client, charlie_client, bob_client, world):
    for url in (
        reverse("mobilisation:list", args=[world.section.code]),
        reverse("mobilisation:create", args=[world.section.code]),
    ):
        assert client.get(url).status_code == 302  # to the sign-in
        assert charlie_client.get(url).status_code == 404
        assert bob_client.get(url).status_code == 403
    assert charlie_client.post(reverse("mobilisation:create", args=[world.section.code]), _form()).status_code == 404
    assert not Event.objects.exists()


@pytest.mark.outsider("mobilisation:edit", "mobilisation:publication", "mobilisation:cancellation")
def test_outsiders_cannot_edit_publish_or_cancel_an_event(charlie_client, bob_client, world):
    event = make_event(world, published=False)
    for someone, status in ((charlie_client, 404), (bob_client, 403)):
        assert someone.get(reverse("mobilisation:edit", args=[event.code])).status_code == status
        assert someone.post(reverse("mobilisation:edit", args=[event.code]), _form(title="X")).status_code == status
        assert (
            someone.post(reverse("mobilisation:publication", args=[event.code]), {"publish": "1"}).status_code == status
        )
        assert (
            someone.post(reverse("mobilisation:cancellation", args=[event.code]), {"cancel": "1"}).status_code == status
        )
    event.refresh_from_db()
    assert not event.published and not event.cancelled and event.title != "X"


def test_officials_above_run_the_events_below(world):
    dora = make_user("Dora Lemaire")
    official_add(structure=world.ud, user=dora, role=OfficialRole.SECRETAIRE)
    dora_client = Client()
    dora_client.force_login(dora)
    assert dora_client.get(reverse("mobilisation:list", args=[world.section.code])).status_code == 200


def test_the_structures_members_hear_of_a_published_event_in_their_feed(bob_client, charlie_client, world, site):
    make_event(world, title="Grève des services de nuit")
    page = bob_client.get("/").content.decode()
    assert "Grève des services de nuit" in page
    assert f"/s/{site.slug}/agenda/" in page
    assert "Grève des services de nuit" not in charlie_client.get("/").content.decode()


def test_an_image_is_kept_with_its_description_and_refused_without(alice_client, world, site, client):
    from terrain.tests.factories import make_image_file

    url = reverse("mobilisation:create", args=[world.section.code])
    refused = alice_client.post(url, {**_form(), "image": make_image_file("manif.png", fmt="PNG")})
    assert refused.status_code == 400
    assert "Décrivez l’image" in refused.content.decode()
    assert not Event.objects.exists()
    image = make_image_file("manif.png", fmt="PNG")
    alice_client.post(url, {**_form(), "image": image, "image_alt": "Banderole devant l'hôpital"})
    event = Event.objects.get()
    assert event.image
    alice_client.post(reverse("mobilisation:publication", args=[event.code]), {"publish": "1"})
    page = client.get(reverse("agenda:event", args=[site.slug, event.code])).content.decode()
    assert "og:image" in page and "Banderole devant l&#x27;hôpital" in page
    served = client.get(reverse("agenda:image", args=[site.slug, event.code]))
    assert served.status_code == 200 and "public" in served["Cache-Control"]
    edit = alice_client.get(reverse("mobilisation:edit", args=[event.code])).content.decode()
    assert "/media/" not in edit  # uploads are not served: no link to the file itself
    alice_client.post(reverse("mobilisation:publication", args=[event.code]), {"publish": "0"})
    assert client.get(reverse("agenda:image", args=[site.slug, event.code])).status_code == 404
    alice_client.post(reverse("mobilisation:edit", args=[event.code]), {**_form(), "remove_image": "on"})
    event.refresh_from_db()
    assert not event.image
