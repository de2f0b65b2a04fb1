"""The locator's pages: public, the same for everyone, cacheable, and never showing anything private."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.lib.sql import in_ids
from terrain.news.services import post_create
from terrain.public import registry
from terrain.public import services as site_services
from terrain.structures.models import StructureKind
from terrain.structures.services import structure_create

pytestmark = pytest.mark.django_db
LOCATOR = reverse("places:locator")
EMBED = reverse("places:embed")
SUGGESTIONS = reverse("places:suggestions")


@pytest.fixture
def sites(world, place_site, communes):
    lyon = place_site(
        "Syndicat CGT Lyon 7e",
        45.746048,
        4.84175,
        address="12 rue de Marseille",
        postal_code="69007",
        commune="Lyon",
        email="contact@syndicat-lyon7.fr",
        phone="04 78 00 00 00",
        hours="Mardi 14 h – 18 h",
    )
    villeurbanne = place_site("Syndicat Villeurbanne", 45.766295, 4.879662)
    hidden = place_site("Syndicat pas encore ouvert", 45.7603, 4.8490, published=False)
    return lyon, villeurbanne, hidden


@pytest.mark.outsider("places:locator")
def test_a_postal_code_lists_the_nearest_published_structures(client, charlie_client, sites):
    lyon = sites[0]
    for someone in (client, charlie_client):
        response = someone.get(LOCATOR, {"q": "69003"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Lyon 3e Arrondissement (69003)" in page
        assert page.index("Syndicat CGT Lyon 7e") < page.index("Syndicat Villeurbanne")
        assert "1,7 km" in page and "2,5 km" in page
        assert "12 rue de Marseille" in page and "mailto:contact@syndicat-lyon7.fr" in page
        assert 'href="tel:0478000000"' in page and "Mardi 14 h – 18 h" in page
        assert f'href="/s/{lyon.slug}/"' in page
        assert 'data-lat="45.746048"' in page and 'data-url="/s/' in page
        assert "pas encore ouvert" not in page
        assert 'target="_blank"' not in page  # only in the embed


def test_the_page_is_cacheable_and_the_same_for_everyone(client, alice_client, sites):
    anonymous = client.get(LOCATOR, {"q": "69003"})
    assert "public" in anonymous["Cache-Control"] and "max-age=" in anonymous["Cache-Control"]
    assert not anonymous.cookies and "csrfmiddlewaretoken" not in anonymous.content.decode()
    assert anonymous.has_header("ETag")
    assert client.get(LOCATOR, {"q": "69003"}, HTTP_IF_NONE_MATCH=anonymous["ETag"]).status_code == 304
    signed_in = alice_client.get(LOCATOR, {"q": "69003"})
    assert signed_in.content == anonymous.content


def test_nothing_of_a_private_cooperative_is_shown(client, world, sites):
    post_create(cooperative=world.private_coop, author=world.alice, body_html="<p>Secret de la section</p>")
    post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Discussion interne</p>")
    for params in ({"q": "69003"}, {"q": "Lyon"}, {"commune": "69383"}):
        for url in (LOCATOR, EMBED):
            page = client.get(url, params).content.decode()
            assert "Secret de la section" not in page and "Discussion interne" not in page
            assert world.private_coop.name not in page
            assert world.alice.email not in page


def test_an_unknown_postal_code_says_so_and_suggests(client, sites):
    response = client.get(LOCATOR, {"q": "69004"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aucune commune n’a le code postal 69004" in page
    assert "?commune=69383" in page and "Syndicat CGT" not in page


def test_names_in_any_spelling_and_choices(client, sites):
    page = client.get(LOCATOR, {"q": "st etienne"}).content.decode()
    assert "Saint-Étienne (42000)" in page and "Syndicat CGT Lyon 7e" in page  # the nearest, even far away
    assert "Saint-Étienne-du-Rouvray (76800)" in page  # "another town?"
    choose = client.get(LOCATOR, {"q": "saint"}).content.decode()
    assert "Quelle commune ?" in choose and "?commune=42218" in choose and "Syndicat CGT" not in choose
    nothing = client.get(LOCATOR, {"q": "Zzyzx"}).content.decode()
    assert "Aucune commune ne s’appelle « Zzyzx »" in nothing
    assert "code postal à cinq chiffres" in nothing


def test_a_chosen_commune_or_a_shared_position(client, sites):
    page = client.get(LOCATOR, {"commune": "69266"}).content.decode()
    assert page.index("Syndicat Villeurbanne") < page.index("Syndicat CGT Lyon 7e")
    position = client.get(LOCATOR, {"lat": "45.766", "lon": "4.880"}).content.decode()
    assert "votre position" in position and position.index("Syndicat Villeurbanne") < position.index("Lyon 7e")


@pytest.mark.parametrize(
    "params", [{"lat": "45.7"}, {"lat": "91", "lon": "4"}, {"kind": "secte"}, {"federation": "nope"}, {"commune": "x"}]
)
def test_a_malformed_query_is_a_400_with_the_form(client, sites, params):
    response = client.get(LOCATOR, params)
    assert response.status_code == 400
    assert 'name="q"' in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_filters_by_kind_and_federation(client, world, place_site, communes):
    federation = structure_create(kind=StructureKind.FEDERATION, name="Fédération santé")
    place_site("Syndicat santé", 45.75, 4.85, parent=federation)
    place_site("UD Rhône", 45.76, 4.85, kind=StructureKind.UNION_DEPARTEMENTALE)
    page = client.get(LOCATOR).content.decode()
    assert f'<option value="{federation.code}">Fédération santé</option>' in page
    by_kind = client.get(LOCATOR, {"q": "69003", "kind": "ud"}).content.decode()
    assert "UD Rhône" in by_kind and "Syndicat santé" not in by_kind
    by_sector = client.get(LOCATOR, {"q": "69003", "federation": federation.code}).content.decode()
    assert "Syndicat santé" in by_sector and "UD Rhône" not in by_sector
    # A suggestion keeps the filters.
    choose = client.get(LOCATOR, {"q": "lyon", "kind": "ud"}).content.decode()
    assert "?commune=69381&amp;kind=ud" in choose


def test_the_tools_lines_come_in_one_statement_per_section(client, sites, django_assert_max_num_queries):
    calls = []

    def statement(connection, structure_ids, now):
        calls.append(sorted(structure_ids))
        where, params = in_ids(connection, "s.id", structure_ids)
        return f"SELECT s.id, s.name FROM structures_structure s WHERE {where}", params  # noqa: S608

    def lines(rows):
        return {structure_id: f"Permanence pour {name}" for structure_id, name in rows}

    facts = registry.LocatorFacts(statement, lines)
    registry.register(registry.SiteSection(key="test-facts", label="Test", locator_facts=facts))
    # The page's own queries (the sectors, the town, up to five boxes for two sites, the cards),
    # then one per tool that adds a line to the cards (one round trip for them all on PostgreSQL).
    tools = sum(1 for section in registry.sections() if section.locator_facts is not None)
    try:
        with django_assert_max_num_queries(8 + tools):
            page = client.get(LOCATOR, {"q": "69003"}).content.decode()
    finally:
        registry.unregister("test-facts")
    assert calls == [sorted(site.structure_id for site in sites[:2])]
    assert "Permanence pour Syndicat Villeurbanne" in page


@pytest.mark.outsider("places:embed")
def test_the_embed_is_framable_and_opens_links_in_a_new_tab(client, charlie_client, sites):
    for someone in (client, charlie_client):
        response = someone.get(EMBED, {"q": "69003"})
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        assert "frame-ancestors *" in response["Content-Security-Policy"]
        assert "script-src 'self'" in response["Content-Security-Policy"]
        page = response.content.decode()
        assert 'target="_blank" rel="noopener"' in page
        assert "locator-header" not in page and "pas encore ouvert" not in page
        assert "public" in response["Cache-Control"]


def test_every_other_page_refuses_to_be_framed(client, sites):
    for url in (LOCATOR, SUGGESTIONS, reverse("accounts:login")):
        response = client.get(url, {"q": "690"})
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_locator_shows_the_line_to_embed_it(client, sites):
    page = client.get(LOCATOR).content.decode()
    assert "&lt;iframe src=&quot;" in page or '&lt;iframe src="' in page
    assert "/trouver/integrer/" in page


@pytest.mark.outsider("places:suggestions")
def test_suggestions_are_a_fragment_of_links(client, charlie_client, sites):
    for someone in (client, charlie_client):
        response = someone.get(SUGGESTIONS, {"q": "L Ile Rousse"})
        assert response.status_code == 200 and "public" in response["Cache-Control"]
        html = response.content.decode()
        assert "<html" not in html and "/trouver/?commune=2B134" in html
    assert "/trouver/integrer/?commune=69383" in client.get(SUGGESTIONS, {"q": "69003", "embed": "1"}).content.decode()
    unknown = client.get(SUGGESTIONS, {"q": "69004"}).content.decode()
    assert "69004" in unknown and "?commune=69383" in unknown
    assert client.get(SUGGESTIONS, {"q": "a"}).content.decode().strip() == ""


def test_no_inline_script_or_style_attribute(client, sites):
    for url in (LOCATOR, EMBED):
        page = client.get(url, {"q": "69003"}).content.decode()
        assert "<script>" not in page and " style=" not in page and " onclick=" not in page


def test_a_changed_site_shows_its_new_contact_at_once(client, world, sites):
    lyon = sites[0]
    assert "Mardi 14 h – 18 h" in client.get(LOCATOR, {"q": "69003"}).content.decode()
    site_services.site_save(structure=lyon.structure, by=world.alice, hours="Jeudi 9 h – 12 h", phone="")
    page = client.get(LOCATOR, {"q": "69003"}).content.decode()
    assert "Jeudi 9 h – 12 h" in page and "Mardi 14 h" not in page and "tel:0478000000" not in page


def test_what_a_site_publishes_is_shown_as_text_on_its_card(client, world, place_site, communes):
    """The card is drawn in Python (``locator_card``): every value escaped, lines kept."""
    place_site(
        '<img src=x onerror="alert(1)">Syndicat',
        45.746048,
        4.84175,
        address="<b>1 rue</b>",
        hours="Lundi <script>alert(2)</script>\nMardi 9 h",
        phone="04 78 <i>",
    )
    page = client.get(LOCATOR, {"q": "69003"}).content.decode()
    assert "<img src=x" not in page and "<script>alert" not in page and "<b>1 rue" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Syndicat" in page
    assert "Lundi &lt;script&gt;alert(2)&lt;/script&gt;<br>Mardi 9 h" in page
    assert "04 78 &lt;i&gt;" in page
