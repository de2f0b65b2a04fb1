from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from terrain.cooperatives.services import cooperative_set_tools
from terrain.library.models import File, FileDownload
from terrain.tracts.models import Tract, TractOffer, TractReuse
from terrain.tracts.services import tract_create, tract_offer_decide, tract_publish

from .conftest import make_file

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


def url(name, coop, tract=None):
    """A tractothèque page of ``coop``, or a page of ``tract`` as seen in ``coop`` (through its
    offer there, when ``coop`` is not its source and was offered it)."""
    if tract is None:
        return reverse(f"tracts:{name}", args=[coop.code])
    offer = TractOffer.objects.filter(tract=tract, cooperative=coop).first()
    return reverse(f"tracts:{name}", args=[offer.code if offer else tract.code])


# --- Outsiders -------------------------------------------------------------------------------


@pytest.mark.outsider("tracts:home", "tracts:create", "tracts:offers")
def test_outsiders_cannot_open_a_tractotheque(world, charlie_client, client):
    for name in ("home", "create", "offers"):
        assert charlie_client.get(url(name, world.private_coop)).status_code == 404
        assert charlie_client.get(url(name, world.open_coop)).status_code == 403
        assert client.get(url(name, world.private_coop)).status_code == 302  # to the sign-in page


@pytest.mark.outsider(
    "tracts:detail", "tracts:edit", "tracts:delete", "tracts:download", "tracts:preview", "tracts:publish",
    "tracts:decide", "tracts:reuse",
)  # fmt: skip
def test_outsiders_cannot_reach_a_tract(world, charlie_client, client, section_tract):
    coop = world.private_coop
    for name in ("detail", "edit", "download", "preview"):
        assert charlie_client.get(url(name, coop, section_tract)).status_code == 404
    for name in ("delete", "publish", "decide", "reuse"):
        assert charlie_client.post(url(name, coop, section_tract), {"kind": "distributed"}).status_code == 404
    assert client.get(url("detail", coop, section_tract)).status_code == 302
    assert Tract.objects.filter(pk=section_tract.pk).exists() and not TractReuse.objects.exists()


def test_a_member_of_another_cooperative_cannot_see_it(world, bob_client, ud_tract, denise):
    assert bob_client.get(reverse("tracts:detail", args=[ud_tract.code])).status_code == 404
    tract_publish(tract=ud_tract, by=denise)
    offer = TractOffer.objects.get(cooperative=world.syndicat.cooperative)
    assert bob_client.get(reverse("tracts:detail", args=[offer.code])).status_code == 404


def test_a_tool_turned_off_has_no_pages(world, alice, alice_client, section_tract):
    cooperative_set_tools(cooperative=world.private_coop, by=alice, enabled={"news"})
    assert alice_client.get(url("home", world.private_coop)).status_code == 404
    assert alice_client.get(url("detail", world.private_coop, section_tract)).status_code == 404


# --- The tractothèque ------------------------------------------------------------------------


def test_list_shows_own_and_accepted_tracts_newest_first_with_filters(
    world, bob_client, alice, denise, ud_tract, section_tract, django_assert_max_num_queries
):
    tract_publish(tract=ud_tract, by=denise)
    coop = world.private_coop
    page = bob_client.get(url("home", coop)).content.decode()
    assert "La cantine de nuit" in page and "Tous en grève" not in page  # offered, not accepted
    tract_offer_decide(offer=TractOffer.objects.get(tract=ud_tract, cooperative=coop), accept=True, by=alice)
    for i in range(5):
        tract_create(
            cooperative=coop, file=make_file(coop), title=f"Tract {i}", date=datetime.date(2025, 1, 1 + i), by=alice
        )
    with django_assert_max_num_queries(12):
        response = bob_client.get(url("home", coop))
    page = response.content.decode()
    assert (
        page.index("Tous en grève") < page.index("La cantine de nuit") < page.index("Tract 4") < page.index("Tract 0")
    )
    assert "Offered by" in page or "Proposé par" in page
    themed = bob_client.get(url("home", coop), {"theme": "sante au travail"}).content.decode()
    assert "Tous en grève" in themed and "La cantine" not in themed
    dated = bob_client.get(url("home", coop), {"start": "2026-02-01", "end": "2026-02-28"}).content.decode()
    assert "La cantine" in dated and "Tous en grève" not in dated and "Tract 1" not in dated
    by_structure = bob_client.get(url("home", coop), {"structure": world.ud.code}).content.decode()
    assert "Tous en grève" in by_structure and "La cantine" not in by_structure
    wrong = bob_client.get(url("home", coop), {"start": "2026-03-01", "end": "2026-01-01"})
    assert wrong.status_code == 200 and "Tract 1" in wrong.content.decode()


def test_the_list_is_paginated(world, bob_client, alice):
    coop = world.private_coop
    for i in range(13):
        tract_create(
            cooperative=coop,
            file=make_file(coop),
            title=f"Tract n°{i:02}",
            date=datetime.date(2025, 1, 1 + i),
            by=alice,
        )
    first = bob_client.get(url("home", coop)).content.decode()
    assert "Tract n°12" in first and "Tract n°00" not in first
    assert "Tract n°00" in bob_client.get(url("home", coop), {"page": 2}).content.decode()


def test_create_with_an_upload(world, alice_client, settings):
    coop = world.private_coop
    response = alice_client.post(
        url("create", coop),
        {
            "upload": SimpleUploadedFile("appel.pdf", PDF, content_type="application/pdf"),
            "title": "Appel du 8 mars",
            "date": "2026-03-08",
            "themes": ["Égalité femmes-hommes"],
            "other_themes": "temps partiel, Salaires",
            "structure": world.section.code,
        },
    )
    tract = Tract.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", coop, tract)
    assert tract.file.cooperative == coop and tract.file.current_version is not None
    assert tract.themes == ["Égalité femmes-hommes", "temps partiel", "Salaires"]
    assert tract.structure == world.section


def test_create_from_a_library_file_and_bad_input(world, alice_client):
    coop = world.private_coop
    file = make_file(coop, name="existant.pdf")
    response = alice_client.post(url("create", coop), {"title": "Sans fichier", "date": "2026-03-08"})
    assert response.status_code == 200 and not Tract.objects.exists()
    assert "Sans fichier" in response.content.decode()  # kept
    assert response.context["form"].errors["upload"]
    response = alice_client.post(url("create", coop), {"existing": file.pk, "title": "", "date": "pas une date"})
    assert response.context["form"].errors["date"]
    response = alice_client.post(
        url("create", coop), {"existing": file.pk, "title": "", "date": "2026-03-08", "structure": world.section.code}
    )
    tract = Tract.objects.get()
    assert tract.title == "existant.pdf" and tract.file == file


def test_an_executable_posing_as_a_pdf_is_refused_next_to_the_field(world, alice_client):
    response = alice_client.post(
        url("create", world.private_coop),
        {
            "upload": SimpleUploadedFile("tract.pdf", b"MZ\x90\x00" + b"\x00" * 200),
            "date": "2026-03-08",
            "structure": world.section.code,
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["upload"]
    assert not Tract.objects.exists() and not File.objects.exists()


def test_edit_and_delete(world, alice_client, bob_client, section_tract):
    coop = world.private_coop
    assert bob_client.get(url("edit", coop, section_tract)).status_code == 403
    response = alice_client.post(
        url("edit", coop, section_tract),
        {
            "title": "Cantine : on a gagné",
            "date": "2026-02-11",
            "other_themes": "cantine",
            "structure": world.section.code,
        },
    )
    assert response.status_code == 302
    section_tract.refresh_from_db()
    assert section_tract.title == "Cantine : on a gagné" and section_tract.themes == ["cantine"]
    assert bob_client.post(url("delete", coop, section_tract)).status_code == 403
    assert alice_client.post(url("delete", coop, section_tract)).status_code == 302
    assert not Tract.objects.exists()


def test_download_counts_for_the_cooperative(world, bob_client, section_tract):
    response = bob_client.get(url("download", world.private_coop, section_tract))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF")
    download = FileDownload.objects.get()
    assert download.cooperative == world.private_coop and download.file == section_tract.file


def test_preview_is_served_when_the_library_made_one(world, bob_client, alice):
    coop = world.private_coop
    tract = tract_create(
        cooperative=coop, file=make_file(coop, preview=True), title="Vu", date=datetime.date(2026, 1, 1), by=alice
    )
    assert bob_client.get(url("preview", coop, tract)).status_code == 200
    assert 'src="{}"'.format(url("preview", coop, tract)) in bob_client.get(url("home", coop)).content.decode()


# --- Offers ----------------------------------------------------------------------------------


def test_offers_page_and_decision(world, alice, alice_client, bob_client, denise, ud_tract):
    coop = world.private_coop
    tract_publish(tract=ud_tract, by=denise)
    assert bob_client.get(url("offers", coop)).status_code == 403
    assert bob_client.get(url("detail", coop, ud_tract)).status_code == 404  # not accepted yet
    page = alice_client.get(url("offers", coop)).content.decode()
    assert "Tous en grève" in page
    assert alice_client.get(url("detail", coop, ud_tract)).status_code == 200  # to decide
    assert bob_client.post(url("decide", coop, ud_tract), {"decision": "accept"}).status_code == 404
    response = alice_client.post(url("decide", coop, ud_tract), {"decision": "accept"})
    assert response.status_code == 302
    assert TractOffer.objects.get(cooperative=coop).status == "accepted"
    assert bob_client.get(url("detail", coop, ud_tract)).status_code == 200
    # A tract of its own is no offer to decide.
    own = tract_create(cooperative=coop, file=make_file(coop), title="À nous", date=datetime.date(2026, 1, 1), by=alice)
    assert alice_client.post(url("decide", coop, own), {"decision": "accept"}).status_code == 404


def test_a_tract_not_offered_here_is_not_found(world, alice_client, ud_tract):
    # Not published: the section's facilitator cannot see the department's tract.
    assert alice_client.get(url("detail", world.private_coop, ud_tract)).status_code == 404


def test_publish_from_the_page_and_the_consent_message(world, denise_client, ud_coop, denise):
    photo = make_file(ud_coop, name="manif.jpg", kind=File.Kind.IMAGE, identifiable_people=True, consent="pending")
    tract = tract_create(
        cooperative=ud_coop, file=photo, title="Photo de la manif", date=datetime.date(2026, 1, 1), by=denise
    )
    response = denise_client.post(url("publish", ud_coop, tract), follow=True)
    assert "consent" in response.content.decode() or "consentement" in response.content.decode()
    assert not TractOffer.objects.exists()
    tract2 = tract_create(
        cooperative=ud_coop, file=make_file(ud_coop), title="Tract", date=datetime.date(2026, 1, 1), by=denise
    )
    denise_client.post(url("publish", ud_coop, tract2))
    assert TractOffer.objects.filter(tract=tract2).count() == 2


def test_only_the_source_facilitators_see_who_used_it_and_only_counts(
    world, denise_client, alice_client, bob_client, denise, alice, bob, ud_coop, ud_tract
):
    tract_publish(tract=ud_tract, by=denise)
    tract_offer_decide(
        offer=TractOffer.objects.get(tract=ud_tract, cooperative=world.private_coop), accept=True, by=alice
    )
    assert bob_client.post(url("reuse", world.private_coop, ud_tract), {"kind": "displayed"}).status_code == 302
    bob_client.get(url("download", world.private_coop, ud_tract))
    page = denise_client.get(url("detail", ud_coop, ud_tract)).content.decode()
    assert "Section Hôpital Nord" in page and "Bob" not in page
    assert alice_client.get(url("detail", world.private_coop, ud_tract)).context.get("use") is None
    assert denise_client.get(url("detail", ud_coop, ud_tract)).context["use"].reuses == 1
    assert bob_client.post(url("publish", world.private_coop, ud_tract)).status_code == 403


def test_reuse_needs_the_tract_in_the_tractotheque(world, alice_client, denise, ud_tract):
    tract_publish(tract=ud_tract, by=denise)
    # Offered, not accepted: the facilitator sees it but the cooperative has not taken it.
    assert alice_client.post(url("reuse", world.private_coop, ud_tract), {"kind": "displayed"}).status_code == 403
    assert not TractReuse.objects.exists()


def test_offers_and_detail_pages_read_a_bounded_number_of_queries(
    world, alice, alice_client, denise, denise_client, ud_coop, django_assert_max_num_queries
):
    tracts = [
        tract_create(
            cooperative=ud_coop, file=make_file(ud_coop), title=f"T{i}", date=datetime.date(2026, 1, 1), by=denise
        )
        for i in range(5)
    ]
    for tract in tracts:
        tract_publish(tract=tract, by=denise)
    with django_assert_max_num_queries(12):
        page = alice_client.get(url("offers", world.private_coop))
    assert page.content.decode().count("tracts/t/") >= 10  # a link and a form per offer
    for tract in tracts[:3]:
        tract_offer_decide(
            offer=TractOffer.objects.get(tract=tract, cooperative=world.private_coop), accept=True, by=alice
        )
    with django_assert_max_num_queries(14):
        assert denise_client.get(url("detail", ud_coop, tracts[0])).status_code == 200


def test_a_sub_structure_created_later_finds_earlier_tracts_offered(world, denise, ud_tract):
    from django.test import Client

    from terrain.structures.models import StructureKind
    from terrain.structures.services import official_add, structure_create
    from terrain.tests.factories import make_user

    tract_publish(tract=ud_tract, by=denise)
    late = structure_create(kind=StructureKind.SECTION, name="Section Clinique Sud", parent=world.syndicat)
    zoe = make_user("Zoé Blanc")
    official_add(structure=late, user=zoe, role="secretaire")
    late.refresh_from_db()
    client = Client()
    client.force_login(zoe)
    page = client.get(url("home", late.cooperative)).content.decode()
    assert "(1)" in page
    offer = TractOffer.objects.get(cooperative=late.cooperative)
    assert "Tous en grève" in client.get(url("offers", late.cooperative)).content.decode()
    assert client.post(url("decide", late.cooperative, ud_tract), {"decision": "accept"}).status_code == 302
    offer.refresh_from_db()
    assert offer.status == "accepted"
