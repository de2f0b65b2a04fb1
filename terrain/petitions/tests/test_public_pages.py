"""The petition's public pages: the same for everyone, cacheable, never showing a signer who did not choose it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from terrain.petitions import services
from terrain.petitions.models import Signature
from terrain.public.services import site_unpublish
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


def _confirmed(sign, email, **fields):
    sign(email, **fields)
    services.signature_confirm(signature=Signature.objects.get(email=email))


def test_the_page_shows_text_counter_form_share_kit_and_is_cacheable(client, petition, site):
    response = client.get(f"/s/{site.slug}/petitions/{petition.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert petition.title in page and "remplacer chaque congé" in page
    assert '<progress class="petition-counter__bar" value="0" max="100"' in page
    assert 'name="website"' in page and "csrfmiddlewaretoken" not in page
    assert "facebook.com/sharer" in page  # a share link from the networks' registry
    assert f"http://127.0.0.1:8000/s/{site.slug}/petitions/{petition.code}/" in page or "/petitions/" in page
    assert "<script" not in page
    assert "public" in response["Cache-Control"] and not response.cookies
    again = client.get(f"/s/{site.slug}/petitions/{petition.code}/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_open_graph_card_with_the_image(world, client, petition, site):
    services.petition_save(
        structure=world.section,
        by=world.alice,
        petition=petition,
        image=make_image_file("piquet.png", fmt="PNG"),
        image_alt="Piquet devant l'hôpital",
    )
    page = client.get(reverse("petitions_public:detail", args=[site.slug, petition.code])).content.decode()
    assert f'property="og:title" content="{petition.title}"' in page
    assert 'property="og:image"' in page and "summary_large_image" in page
    assert 'alt="Piquet devant l&#x27;hôpital"' in page


def test_only_signers_who_chose_it_are_shown_and_never_their_address(client, petition, site, sign):
    _confirmed(sign, "shown@example.org", first_name="Inès", last_name="Cherif", comment="Pour nous", show_name="on")
    _confirmed(sign, "hidden@example.org", first_name="Karim", last_name="Mansouri", comment="Secret")
    sign("pending@example.org", first_name="Linh", last_name="Nguyen", comment="Pas confirmé", show_name="on")
    page = client.get(reverse("petitions_public:detail", args=[site.slug, petition.code])).content.decode()
    assert "Inès C." in page and "Pour nous" in page
    assert "Cherif" not in page
    for secret in ("Karim", "Mansouri", "Secret", "Linh", "Pas confirmé", "@example.org"):
        assert secret not in page
    assert "<strong>2</strong>" in page


def test_list_home_menu_sitemap_and_feed(client, petition, site):
    listing = client.get(reverse("petitions_public:list", args=[site.slug])).content.decode()
    assert petition.title in listing
    home = client.get(reverse("public:home", args=[site.slug])).content.decode()
    assert petition.title in home and f"/s/{site.slug}/petitions/" in home
    path = f"/s/{site.slug}/petitions/{petition.code}/"
    assert path in client.get("/sitemap.xml").content.decode()
    feed = ET.fromstring(client.get(reverse("public:feed", args=[site.slug])).content)  # noqa: S314 (our own)
    assert any(link.get("href", "").endswith(path) for link in feed.iter("{http://www.w3.org/2005/Atom}link"))


def test_the_counter_may_be_framed_anywhere_and_cached(client, petition, site, sign):
    _confirmed(sign, "a@example.org")
    response = client.get(reverse("petitions_public:counter", args=[site.slug, petition.code]))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "public" in response["Cache-Control"]
    assert "<strong>1</strong>" in response.content.decode()
    # Every other page still refuses to be framed.
    page = client.get(reverse("petitions_public:detail", args=[site.slug, petition.code]))
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


@pytest.mark.outsider(
    "petitions_public:list",
    "petitions_public:detail",
    "petitions_public:sign",
    "petitions_public:thanks",
    "petitions_public:counter",
    "petitions_public:confirm",
    "petitions_public:withdraw",
    "petitions_public:image",
)
def test_drafts_and_unpublished_sites_do_not_exist_for_anyone(world, client, charlie_client, petition, site):
    draft = services.petition_save(structure=world.section, by=world.alice, title="Brouillon", text="x", goal=10)
    for someone in (client, charlie_client):
        for name in ("detail", "counter", "thanks"):
            assert someone.get(reverse(f"petitions_public:{name}", args=[site.slug, draft.code])).status_code == 404
        assert someone.post(reverse("petitions_public:sign", args=[site.slug, draft.code]), {}).status_code == 404
        assert "Brouillon" not in someone.get(reverse("petitions_public:list", args=[site.slug])).content.decode()
    site_unpublish(site=site, by=world.alice)
    for someone in (client, charlie_client):
        for url in (
            reverse("petitions_public:list", args=[site.slug]),
            reverse("petitions_public:detail", args=[site.slug, petition.code]),
            reverse("petitions_public:counter", args=[site.slug, petition.code]),
            reverse("petitions_public:thanks", args=[site.slug, petition.code]),
            reverse("petitions_public:confirm", args=[site.slug, petition.code, "x"]),
            reverse("petitions_public:withdraw", args=[site.slug, petition.code, "x"]),
            reverse("petitions_public:image", args=[site.slug, petition.code]),
        ):
            assert someone.get(url).status_code == 404, url
        response = someone.post(reverse("petitions_public:sign", args=[site.slug, petition.code]), {"email": "a@b.fr"})
        assert response.status_code == 404
    assert not Signature.objects.exists()


def test_a_petition_is_not_reachable_through_another_structure_s_site(world, client, petition):
    from terrain.public.services import site_publish, site_save

    other = site_publish(site=site_save(structure=world.syndicat, by=world.alice, slug="autre-site"), by=world.alice)
    assert client.get(reverse("petitions_public:detail", args=[other.slug, petition.code])).status_code == 404


def test_the_locator_card_names_the_open_petition(world, petition, site, django_assert_num_queries):
    from terrain.public.registry import locator_facts
    from terrain.public.services import site_publish, site_save

    other = site_publish(site=site_save(structure=world.syndicat, by=world.alice, slug="autre-site"), by=world.alice)
    with django_assert_num_queries(1):
        facts = locator_facts([site, other], keys=["petitions"])
    assert facts == {site.pk: [f"Pétition : {petition.title} (0 signature)"]}


def test_the_image_is_served_through_the_site(world, client, site):
    petition = services.petition_save(
        structure=world.section,
        by=world.alice,
        title="Pour la crèche",
        text="Texte",
        goal=100,
        image=make_image_file("creche.png", fmt="PNG"),
        image_alt="Des enfants devant la crèche",
    )
    services.petition_move(petition=petition, to="open", by=world.alice)
    image_url = reverse("petitions_public:image", args=[site.slug, petition.code])
    for page in (
        reverse("petitions_public:detail", args=[site.slug, petition.code]),
        reverse("petitions_public:list", args=[site.slug]),
        reverse("public:home", args=[site.slug]),
    ):
        assert image_url in client.get(page).content.decode(), page
    served = client.get(image_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
