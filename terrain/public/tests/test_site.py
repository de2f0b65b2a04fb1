"""A structure's public site: private by default, read by anyone once published, edited by its officials."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from terrain.atelier.models import ConnectedAccount
from terrain.networks.base import AccountData, Content, Media
from terrain.networks.registry import get_connector
from terrain.public import services
from terrain.public.models import Site, SitePost
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def site(world):
    site = services.site_save(
        structure=world.section,
        by=world.alice,
        slug="section-exemple",
        tagline="Le syndicat de l'entrepôt",
        about="Nous défendons les salarié·es de l'entrepôt.",
        commune="Lyon",
        postal_code="69003",
        hours="Mardi 14 h – 18 h",
    )
    return services.site_publish(site=site, by=world.alice)


def _publish(site, *, text="Grève jeudi", title="Grève", media=()):
    account = ConnectedAccount.objects.get(network="site", structure=site.structure)
    data = AccountData(api_base="", secrets={}, remote_id=account.remote_id)
    return get_connector("site").publish(data, Content(text=text, title=title, marker=f"m-{title}", media=media))


def test_a_new_site_is_private_until_published(client, world, alice_client):
    response = alice_client.post(
        reverse("public_manage:edit", args=[world.section.code]),
        {"slug": "ma-section", "tagline": "Ensemble", "colour": "#1d4e89"},
    )
    assert response.status_code == 302
    assert client.get("/s/ma-section/").status_code == 404
    alice_client.post(reverse("public_manage:publication", args=[world.section.code]), {"publish": "1"})
    page = client.get("/s/ma-section/")
    assert page.status_code == 200
    assert "Ensemble" in page.content.decode()
    alice_client.post(reverse("public_manage:publication", args=[world.section.code]), {"publish": "0"})
    assert client.get("/s/ma-section/").status_code == 404


def test_home_shows_presentation_contact_and_news(client, site):
    _publish(site)
    page = client.get(reverse("public:home", args=[site.slug])).content.decode()
    assert "Nous défendons" in page
    assert "Mardi 14 h" in page
    assert "Grève" in page
    assert "<script" not in page


def test_public_pages_are_cacheable_and_revalidate(client, site):
    response = client.get(reverse("public:home", args=[site.slug]))
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    again = client.get(reverse("public:home", args=[site.slug]), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_message_to_our_site_becomes_a_news_page_with_its_card(client, site):
    image = make_image_file("piquet.png", fmt="PNG").read()
    remote = _publish(site, media=(Media(data=image, mime_type="image/png", alt="Piquet devant l'usine"),))
    again = _publish(site, media=())
    assert remote.remote_id == again.remote_id  # the same publication never makes two items
    assert SitePost.objects.count() == 1
    page = client.get(reverse("public:post", args=[site.slug, remote.remote_id])).content.decode()
    assert 'property="og:title" content="Grève"' in page
    assert 'alt="Piquet devant l&#x27;usine"' in page
    assert "og:image" in page
    image = client.get(reverse("public:post_image", args=[site.slug, remote.remote_id]))
    assert image.status_code == 200
    assert "public" in image["Cache-Control"]


def test_feed_and_sitemap_link_to_the_pages(client, site):
    remote = _publish(site)
    feed = client.get(reverse("public:feed", args=[site.slug]))
    root = ET.fromstring(feed.content)  # noqa: S314 (our own feed)
    links = [link.get("href") for entry in root.findall(f"{ATOM}entry") for link in entry.findall(f"{ATOM}link")]
    assert len(links) == 1
    assert links[0].endswith(f"/s/{site.slug}/actualites/{remote.remote_id}/")
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/s/{site.slug}/actualites/{remote.remote_id}/" in sitemap


def test_a_closed_site_publishes_nothing(site, world):
    services.site_unpublish(site=site, by=world.alice)
    account = ConnectedAccount.objects.get(network="site", structure=site.structure)
    assert account.status == ConnectedAccount.Status.DISCONNECTED


def test_a_colour_white_text_cannot_be_read_on_is_refused(world, alice_client):
    response = alice_client.post(
        reverse("public_manage:edit", args=[world.section.code]), {"slug": "ma-section", "colour": "#ffdd00"}
    )
    assert response.status_code == 400
    assert "ma-section" in response.content.decode()  # what was typed is kept
    assert not Site.objects.exists()


def test_two_structures_cannot_share_an_address(site, world, alice_client):
    response = alice_client.post(reverse("public_manage:edit", args=[world.syndicat.code]), {"slug": site.slug})
    assert response.status_code in (400, 404)
    assert Site.objects.count() == 1


def test_the_theme_gives_the_site_colour(client, site, world):
    services.site_save(structure=world.section, by=world.alice, slug=site.slug, colour="#1d4e89")
    css = client.get(reverse("public:theme", args=[site.slug])).content.decode()
    assert "#1d4e89" in css


def test_logo_upload(world, alice_client, site, client):
    logo = make_image_file("logo.png", fmt="PNG")
    alice_client.post(reverse("public_manage:edit", args=[world.section.code]), {"slug": site.slug, "logo": logo})
    site.refresh_from_db()
    assert site.logo
    logo_url = reverse("public:logo", args=[site.slug])
    assert logo_url in client.get(reverse("public:home", args=[site.slug])).content.decode()
    served = client.get(logo_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    services.site_unpublish(site=site, by=world.alice)
    assert client.get(logo_url).status_code == 404


@pytest.mark.outsider("public_manage:edit")
def test_an_outsider_cannot_edit_a_site(charlie_client, bob_client, world):
    for someone in (charlie_client, bob_client):
        assert someone.get(reverse("public_manage:edit", args=[world.section.code])).status_code in (403, 404)


@pytest.mark.outsider("public_manage:publication")
def test_an_outsider_cannot_publish_a_site(charlie_client, world, site):
    services.site_unpublish(site=site, by=world.alice)
    response = charlie_client.post(reverse("public_manage:publication", args=[world.section.code]), {"publish": "1"})
    assert response.status_code == 404
    site.refresh_from_db()
    assert not site.published


@pytest.mark.outsider(
    "public:home",
    "public:posts",
    "public:post",
    "public:feed",
    "public:theme",
    "public:logo",
    "public:post_image",
    "sitemap",
)
def test_an_unpublished_site_does_not_exist_for_anyone(client, charlie_client, site, world):
    remote = _publish(site)
    services.site_unpublish(site=site, by=world.alice)
    for someone in (client, charlie_client):
        for url in (
            reverse("public:home", args=[site.slug]),
            reverse("public:posts", args=[site.slug]),
            reverse("public:post", args=[site.slug, remote.remote_id]),
            reverse("public:feed", args=[site.slug]),
            reverse("public:theme", args=[site.slug]),
            reverse("public:logo", args=[site.slug]),
            reverse("public:post_image", args=[site.slug, remote.remote_id]),
        ):
            assert someone.get(url).status_code == 404, url
    assert site.slug not in client.get("/sitemap.xml").content.decode()


def test_a_site_on_its_own_domain(client, site, world, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "syndicat-exemple.fr"]
    settings.PUBLIC_SITE_DOMAINS = ["syndicat-exemple.fr"]
    services.site_save(structure=world.section, by=world.alice, slug=site.slug, custom_domain="Syndicat-Exemple.FR")
    remote = _publish(site)
    home = client.get("/", HTTP_HOST="syndicat-exemple.fr")
    assert home.status_code == 200
    assert "Nous défendons" in home.content.decode()
    # The instance's links to the site work on its domain too, and its own short ones.
    for path in (f"/s/{site.slug}/actualites/{remote.remote_id}/", f"/actualites/{remote.remote_id}/"):
        assert client.get(path, HTTP_HOST="syndicat-exemple.fr").status_code == 200
    # Nothing of the instance answers there: no sign-in page, no other site.
    assert client.get("/compte/connexion/", HTTP_HOST="syndicat-exemple.fr").status_code == 404
    other = services.site_save(structure=world.syndicat, by=world.alice, slug="autre")
    services.site_publish(site=other, by=world.alice)
    assert client.get("/s/autre/", HTTP_HOST="syndicat-exemple.fr").status_code == 404
    assert client.get("/s/autre/").status_code == 200  # on the instance's own address


def test_the_officials_are_told_when_their_domain_is_not_served_yet(world, alice_client, site, settings):
    settings.PUBLIC_SITE_DOMAINS = []
    services.site_save(structure=world.section, by=world.alice, slug=site.slug, custom_domain="syndicat-exemple.fr")
    page = alice_client.get(reverse("public_manage:edit", args=[world.section.code])).content.decode()
    assert "PUBLIC_SITE_DOMAINS" in page


def test_an_unpublished_site_is_not_served_on_its_domain(client, site, world, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "syndicat-exemple.fr"]
    settings.PUBLIC_SITE_DOMAINS = ["syndicat-exemple.fr"]
    services.site_save(structure=world.section, by=world.alice, slug=site.slug, custom_domain="syndicat-exemple.fr")
    services.site_unpublish(site=site, by=world.alice)
    assert client.get("/", HTTP_HOST="syndicat-exemple.fr").status_code == 404


def test_embeddable_pages_may_be_framed_others_not(rf, settings):
    from django.http import HttpResponse

    from terrain.public.http import embeddable

    settings.EMBED_FRAME_ANCESTORS = ["https://exemple.org"]
    response = embeddable(lambda request: HttpResponse("ok"))(rf.get("/"))
    assert "frame-ancestors https://exemple.org" in response["Content-Security-Policy"]
    assert response.xframe_options_exempt


def test_the_instance_renders_a_viral_page_once_but_a_closed_site_at_once(client, site, world, settings):
    settings.PUBLIC_PAGE_SERVER_SECONDS = 30
    home = reverse("public:home", args=[site.slug])
    assert "Grève" not in client.get(home).content.decode()
    _publish(site)  # a tool's change: seen once the page's time in the cache is over
    assert "Grève" not in client.get(home).content.decode()
    services.site_save(structure=world.section, by=world.alice, slug=site.slug, tagline="Nouvelle accroche")
    page = client.get(home).content.decode()  # the site's own change: at once
    assert "Nouvelle accroche" in page
    assert "Grève" in page
    services.site_unpublish(site=site, by=world.alice)
    assert client.get(home).status_code == 404


def test_an_answer_to_a_form_is_never_cacheable(rf):
    from django.http import HttpResponse

    from terrain.public.http import public_page

    view = public_page(lambda request: HttpResponse("merci"))
    assert "public" in view(rf.get("/"))["Cache-Control"]
    assert "no-cache" in view(rf.post("/"))["Cache-Control"]


def test_link_checkers_may_ask_for_the_headers_only(client, site):
    response = client.head(reverse("public:home", args=[site.slug]))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
