from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from terrain.feed.models import Activity, Notification
from terrain.library.models import File, FileDownload
from terrain.search.models import SearchDocument
from terrain.structures.models import StructureKind
from terrain.structures.services import structure_create
from terrain.tests.factories import make_user
from terrain.tracts.feed_items import TRACT_ACCEPTED, TRACT_PUBLISHED
from terrain.tracts.models import TractOffer, TractReuse, TractTheme
from terrain.tracts.selectors import tract_use
from terrain.tracts.services import (
    tract_create,
    tract_delete,
    tract_download_record,
    tract_offer_decide,
    tract_offers_catch_up,
    tract_publish,
    tract_reuse_record,
    tract_update,
)

from .conftest import make_file


def _offer(tract, cooperative) -> TractOffer:
    return TractOffer.objects.get(tract=tract, cooperative=cooperative)


def test_create_folds_themes_and_records_the_feed_and_search(world, ud_coop, ud_tract):
    assert ud_tract.themes == ["Salaires", "Retraites", "Santé au travail"]
    assert set(TractTheme.objects.filter(tract=ud_tract).values_list("key", flat=True)) == {
        "salaires",
        "retraites",
        "sante au travail",
    }
    assert ud_tract.structure == world.ud
    activity = Activity.objects.get(verb=TRACT_PUBLISHED, target_id=ud_tract.pk)
    assert activity.cooperative == ud_coop and activity.broadcast
    doc = SearchDocument.objects.get(kind="tract", object_id=ud_tract.pk)
    assert doc.cooperative_id == ud_coop.pk and "Santé au travail" in doc.body and doc.tool == "tracts"


def test_a_tract_is_made_of_a_file_of_its_own_cooperative(world, ud_coop, alice):
    other = make_file(ud_coop)
    with pytest.raises(ValidationError) as error:
        tract_create(cooperative=world.private_coop, file=other, title="x", date=datetime.date(2026, 1, 1), by=alice)
    assert "file" in error.value.error_dict


def test_the_structure_is_the_cooperatives_or_one_of_the_authors_mandates(world, alice):
    file = make_file(world.open_coop)
    with pytest.raises(ValidationError) as error:
        tract_create(
            cooperative=world.open_coop,
            file=file,
            title="x",
            date=datetime.date(2026, 1, 1),
            structure=world.ud,
            by=alice,
        )
    assert "structure" in error.value.error_dict
    tract = tract_create(
        cooperative=world.open_coop,
        file=file,
        title="x",
        date=datetime.date(2026, 1, 1),
        structure=world.section,
        by=alice,
    )
    assert tract.structure == world.section


def test_publish_offers_to_every_sub_structure_once_and_tells_their_facilitators(
    world, ud_tract, denise, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        offers = tract_publish(tract=ud_tract, by=denise)
    assert {o.cooperative_id for o in offers} == {world.syndicat.cooperative.pk, world.private_coop.pk}
    note = Notification.objects.get(user=alice, reason=Notification.Reason.TRACT_SHARED)
    assert note.cooperative == world.private_coop and "Tous en grève" in note.summary
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "grève" in mail.outbox[0].subject
    # Again: nobody is offered it twice, nobody is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert tract_publish(tract=ud_tract, by=denise) == []
    assert TractOffer.objects.filter(tract=ud_tract).count() == 2
    assert Notification.objects.filter(reason=Notification.Reason.TRACT_SHARED).count() == 1
    assert len(mail.outbox) == 1


def test_no_email_for_who_does_not_want_them(world, ud_tract, denise, alice, django_capture_on_commit_callbacks):
    alice.email_notifications = False
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        tract_publish(tract=ud_tract, by=denise)
    assert Notification.objects.filter(user=alice).count() == 1
    assert mail.outbox == []


def test_a_sub_structure_created_later_is_offered_earlier_tracts(world, ud_tract, denise):
    tract_publish(tract=ud_tract, by=denise)
    late = structure_create(kind=StructureKind.SECTION, name="Section Clinique Sud", parent=world.syndicat)
    late.refresh_from_db()
    assert tract_offers_catch_up(cooperative=late.cooperative) == 1
    assert tract_offers_catch_up(cooperative=late.cooperative) == 0
    assert TractOffer.objects.get(cooperative=late.cooperative).status == "offered"
    # Publishing again finds nobody new (the late one has its offer), tells nobody twice.
    assert tract_publish(tract=ud_tract, by=denise) == []


def test_publishing_again_offers_it_to_the_sub_structures_created_since(world, ud_tract, denise):
    tract_publish(tract=ud_tract, by=denise)
    late = structure_create(kind=StructureKind.SECTION, name="Section Clinique Sud", parent=world.syndicat)
    late.refresh_from_db()
    assert [o.cooperative for o in tract_publish(tract=ud_tract, by=denise)] == [late.cooperative]


def test_an_open_cooperative_has_no_sub_structures_to_offer_to(world, alice):
    tract = tract_create(
        cooperative=world.open_coop,
        file=make_file(world.open_coop),
        title="x",
        date=datetime.date(2026, 1, 1),
        by=alice,
    )
    with pytest.raises(ValidationError):
        tract_publish(tract=tract, by=alice)


def test_a_photo_of_people_without_consent_is_not_offered(world, ud_coop, denise):
    photo = make_file(
        ud_coop, name="manif.jpg", kind=File.Kind.IMAGE, identifiable_people=True, consent=File.Consent.PENDING
    )
    tract = tract_create(cooperative=ud_coop, file=photo, title="Manif", date=datetime.date(2026, 1, 1), by=denise)
    with pytest.raises(ValidationError) as error:
        tract_publish(tract=tract, by=denise)
    assert "consent" in error.value.messages[0]
    assert not TractOffer.objects.exists()
    photo.consent = File.Consent.OBTAINED
    photo.save()
    assert len(tract_publish(tract=tract, by=denise)) == 2


def test_accept_adds_it_to_the_feed_and_search_of_the_receiver_decline_takes_it_out(world, ud_tract, denise, alice):
    tract_publish(tract=ud_tract, by=denise)
    offer = tract_offer_decide(offer=_offer(ud_tract, world.private_coop), accept=True, by=alice)
    assert offer.status == "accepted" and offer.decided_by == alice
    assert Activity.objects.filter(verb=TRACT_ACCEPTED, cooperative=world.private_coop, target_id=offer.pk).exists()
    doc = SearchDocument.objects.get(kind="tractreceived", object_id=offer.pk)
    assert doc.cooperative_id == world.private_coop.pk and "Retraites" in doc.body
    tract_offer_decide(offer=offer, accept=False, by=alice)
    assert not SearchDocument.objects.filter(kind="tractreceived").exists()


def test_use_counts_by_structure_never_by_person(world, ud_coop, ud_tract, denise, alice, bob, syndicat_coop):
    tract_publish(tract=ud_tract, by=denise)
    tract_offer_decide(offer=_offer(ud_tract, world.private_coop), accept=True, by=alice)
    tract_offer_decide(offer=_offer(ud_tract, syndicat_coop), accept=False, by=make_user("Sam"))
    tract_download_record(tract=ud_tract, cooperative=world.private_coop, by=bob)
    tract_download_record(tract=ud_tract, cooperative=world.private_coop, by=alice)
    tract_download_record(tract=ud_tract, cooperative=ud_coop, by=denise)
    tract_reuse_record(tract=ud_tract, cooperative=world.private_coop, kind="distributed", by=bob)
    tract_reuse_record(tract=ud_tract, cooperative=world.private_coop, kind="distributed", by=alice)
    tract_reuse_record(tract=ud_tract, cooperative=world.private_coop, kind="displayed", by=bob)
    assert FileDownload.objects.filter(file=ud_tract.file).count() == 3
    use = tract_use(ud_tract)
    rows = {r.structure_name: r for r in use.rows}
    section = rows["Section Hôpital Nord"]
    assert (section.status, section.downloads, section.reuses) == ("accepted", 2, {"distributed": 2, "displayed": 1})
    assert rows["Syndicat de la santé"].status == "declined"
    assert rows["Union départementale du Rhône"].downloads == 1
    assert (use.offered, use.accepted, use.declined, use.downloads, use.reuses) == (2, 1, 1, 3, 3)


def test_reuse_kind_is_checked(world, section_tract, bob):
    with pytest.raises(ValidationError):
        tract_reuse_record(tract=section_tract, cooperative=world.private_coop, kind="burnt", by=bob)
    assert not TractReuse.objects.exists()


def test_update_reindexes_and_delete_removes_everything(world, ud_tract, denise, alice):
    tract_publish(tract=ud_tract, by=denise)
    offer = tract_offer_decide(offer=_offer(ud_tract, world.private_coop), accept=True, by=alice)
    tract_update(tract=ud_tract, title="Grève reconduite", date=ud_tract.date, themes=["Emploi"], by=denise)
    assert SearchDocument.objects.get(kind="tractreceived", object_id=offer.pk).title == "Grève reconduite"
    assert list(TractTheme.objects.filter(tract=ud_tract).values_list("key", flat=True)) == ["emploi"]
    file = ud_tract.file
    tract_delete(tract=ud_tract, by=denise)
    assert not SearchDocument.objects.filter(kind__in=["tract", "tractreceived"]).exists()
    assert not Activity.objects.filter(verb__in=[TRACT_PUBLISHED, TRACT_ACCEPTED]).exists()
    assert not TractOffer.objects.exists()
    assert File.objects.filter(pk=file.pk).exists()
