"""The officials' pages: write, open, close, export the signatures, spread the petition."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from terrain.core.models import AuditEntry
from terrain.core.tests.helpers import assert_login_required
from terrain.petitions import services
from terrain.petitions.models import Petition, Signature
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


def test_an_official_writes_a_draft_then_opens_and_closes_it(world, alice_client, site, client):
    response = alice_client.post(
        reverse("petitions:new", args=[world.section.code]),
        {"title": "Pour la crèche", "text": "Nous voulons une crèche.", "goal": "500"},
    )
    petition = Petition.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("petitions:detail", args=[petition.code])
    assert petition.state == "draft"
    public = reverse("petitions_public:detail", args=[site.slug, petition.code])
    assert client.get(public).status_code == 404
    alice_client.post(reverse("petitions:move", args=[petition.code]), {"to": "open"})
    assert client.get(public).status_code == 200
    alice_client.post(reverse("petitions:move", args=[petition.code]), {"to": "closed"})
    page = client.get(public).content.decode()
    assert 'name="first_name"' not in page  # closed: still readable, no form
    alice_client.post(reverse("petitions:move", args=[petition.code]), {"to": "open"})
    petition.refresh_from_db()
    assert petition.state == "open"


def test_an_image_needs_its_description_and_bad_input_keeps_what_was_typed(world, alice_client, site):
    response = alice_client.post(
        reverse("petitions:new", args=[world.section.code]),
        {"title": "Pour la crèche", "text": "Texte", "goal": "0", "image": make_image_file("a.png", fmt="PNG")},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Pour la crèche" in page
    assert 'id="id_image_alt_error"' in page and 'id="id_goal_error"' in page
    assert not Petition.objects.exists()


def test_list_with_counts_and_the_detail_with_its_kit(
    world, alice_client, petition, sign, django_assert_max_num_queries
):
    sign("a@example.org")
    sign("b@example.org")
    services.signature_confirm(signature=Signature.objects.get(email="a@example.org"))
    with django_assert_max_num_queries(20):
        page = alice_client.get(reverse("petitions:list", args=[world.section.code])).content.decode()
    assert petition.title in page and "1 / 100" in page and "<td>1</td>" in page
    detail = alice_client.get(reverse("petitions:detail", args=[petition.code])).content.decode()
    assert "&lt;iframe" in detail and "/compteur/" in detail
    assert "facebook.com/sharer" in detail


def test_compose_is_prefilled_with_the_petition_s_link(world, alice_client, petition, site):
    detail = alice_client.get(reverse("petitions:detail", args=[petition.code]))
    compose = detail.context["compose_url"]
    query = parse_qs(urlsplit(compose).query)
    assert query["lien"][0].endswith(f"/s/{site.slug}/petitions/{petition.code}/")
    page = alice_client.get(compose).content.decode()
    assert petition.title in page
    assert f"/s/{site.slug}/petitions/{petition.code}/" in page


def test_csv_export_for_delivery_is_audited_and_never_gives_addresses(world, alice_client, petition, sign):
    sign("a@example.org", first_name="Inès", last_name="Cherif", postal_code="13015", comment="=HYPERLINK(1)")
    sign("b@example.org", first_name="Pas", last_name="Confirmé")
    services.signature_confirm(signature=Signature.objects.get(email="a@example.org"))
    response = alice_client.get(reverse("petitions:export", args=[petition.code]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][:3] == ["Inès", "Cherif", "13015"]
    assert rows[1][4] == "'=HYPERLINK(1)"  # a spreadsheet shows it, never runs it
    assert "example.org" not in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT_PERSONAL)
    assert (entry.actor, entry.target_code, entry.detail["rows"]) == (world.alice, petition.code, 1)


@pytest.mark.outsider("petitions:list", "petitions:new")
def test_outsiders_and_members_cannot_run_a_structure_s_petitions(world, client, bob_client, charlie_client):
    for url in (
        reverse("petitions:list", args=[world.section.code]),
        reverse("petitions:new", args=[world.section.code]),
    ):
        assert_login_required(client.get(url))
        assert charlie_client.get(url).status_code == 404
        assert bob_client.get(url).status_code in (403, 404)
    charlie_client.post(reverse("petitions:new", args=[world.section.code]), {"title": "x", "text": "x", "goal": "1"})
    assert not Petition.objects.exists()


@pytest.mark.outsider("petitions:detail", "petitions:edit", "petitions:move", "petitions:export")
def test_outsiders_cannot_see_edit_move_or_export_a_petition(world, client, bob_client, charlie_client, petition, sign):
    sign()
    services.signature_confirm(signature=Signature.objects.get())
    urls = [reverse(f"petitions:{name}", args=[petition.code]) for name in ("detail", "edit", "export")]
    for url in urls:
        assert_login_required(client.get(url))
        assert charlie_client.get(url).status_code == 404
        assert bob_client.get(url).status_code in (403, 404)
    for someone in (charlie_client, bob_client):
        someone.post(reverse("petitions:move", args=[petition.code]), {"to": "closed"})
        someone.post(reverse("petitions:edit", args=[petition.code]), {"title": "Pirate", "text": "x", "goal": "1"})
    petition.refresh_from_db()
    assert petition.state == "open" and petition.title != "Pirate"
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT_PERSONAL).exists()


def test_an_official_above_runs_the_petitions_below(world, petition):
    from django.test import Client

    from terrain.structures.services import official_add
    from terrain.tests.factories import make_user

    above = make_user("ud-official@example.org")
    official_add(structure=world.ud, user=above, role="secretary")
    someone = Client()
    someone.force_login(above)
    assert someone.get(reverse("petitions:detail", args=[petition.code])).status_code == 200
