"""The officials' pipeline: who sees a request, following it up, erasing it, the figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from terrain.adhesions.models import Event, JoinRequest
from terrain.adhesions.services import join_request_set_status, join_request_submit
from terrain.adhesions.tests.conftest import GOOD
from terrain.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pages(request, structure):
    return [
        reverse("adhesions:list", args=[structure.code]),
        reverse("adhesions:figures", args=[structure.code]),
        reverse("adhesions:export", args=[structure.code]),
        reverse("adhesions:detail", args=[request.code]),
    ]


def _posts(request):
    return [
        (reverse("adhesions:status", args=[request.code]), {"status": "contacted"}),
        (reverse("adhesions:assign", args=[request.code]), {"assignee": ""}),
        (reverse("adhesions:note", args=[request.code]), {"text": "Appelée"}),
        (reverse("adhesions:remind", args=[request.code]), {"on": "2030-01-01"}),
        (reverse("adhesions:erase", args=[request.code]), {}),
    ]


@pytest.mark.outsider(
    "adhesions:list",
    "adhesions:figures",
    "adhesions:export",
    "adhesions:detail",
    "adhesions:status",
    "adhesions:assign",
    "adhesions:note",
    "adhesions:remind",
    "adhesions:erase",
)
def test_only_the_officials_of_the_structure_see_a_request(
    world, join_request, client, charlie_client, bob_client, sibling, parent_official
):
    """An outsider, a plain member of the section, an official of a sibling section, and one of
    the union above (the instance does not let parents see): all get a 404, and nothing changes."""
    for who in (charlie_client, bob_client, _client(sibling.dora), _client(parent_official)):
        for page in _pages(join_request, world.section):
            assert who.get(page).status_code == 404, page
        for url, data in _posts(join_request):
            assert who.post(url, data).status_code == 404, url
    for page in _pages(join_request, world.section):
        assert client.get(page).status_code == 302  # anonymous: to the sign-in page
    join_request.refresh_from_db()
    assert join_request.status == "new" and join_request.erased_at is None
    assert not Event.objects.exclude(kind="received").exists()


def test_a_parent_official_sees_it_when_the_instance_says_so(world, join_request, parent_official, settings):
    settings.ADHESION_VISIBLE_TO_PARENTS = True
    eve = _client(parent_official)
    assert eve.get(reverse("adhesions:detail", args=[join_request.code])).status_code == 200
    page = eve.get(reverse("adhesions:list", args=[world.syndicat.code])).content.decode()
    assert "Nadia Benali" in page and "Section Hôpital Nord" in page


@pytest.mark.outsider("adhesions:home")
def test_the_entry_page_lists_only_ones_own_structures(world, alice_client, charlie_client, client):
    assert client.get(reverse("adhesions:home")).status_code == 302
    assert alice_client.get(reverse("adhesions:home"))["Location"] == reverse(
        "adhesions:list", args=[world.section.code]
    )
    page = charlie_client.get(reverse("adhesions:home")).content.decode()
    assert world.section.code not in page


def test_the_list_filters_and_is_audited(world, site, alice_client, django_assert_max_num_queries):
    for n in range(30):
        request = join_request_submit(
            site=site, values={**GOOD, "first_name": f"P{n:02d}", "email": f"p{n}@example.org"}
        )
        if n % 3 == 0:
            join_request_set_status(join_request=request, status="contacted", by=world.alice)
    url = reverse("adhesions:list", args=[world.section.code])
    with django_assert_max_num_queries(14):
        response = alice_client.get(url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}
    page = alice_client.get(url, {"status": "contacted"}).content.decode()
    assert "P00" in page and "P01 " not in page and "P01<" not in page
    page = alice_client.get(url, {"q": "P29"}).content.decode()
    assert "P29" in page and "P28" not in page
    entry = AuditEntry.objects.filter(action="view_members", target_code=world.section.code).first()
    assert entry.actor == world.alice and entry.detail["list"] == "join_requests"


def test_follow_up_records_who_did_what_and_when(world, join_request, alice_client):
    detail = reverse("adhesions:detail", args=[join_request.code])
    alice_client.post(reverse("adhesions:status", args=[join_request.code]), {"status": "contacted"})
    alice_client.post(reverse("adhesions:assign", args=[join_request.code]), {"assignee": world.alice.code})
    alice_client.post(reverse("adhesions:note", args=[join_request.code]), {"text": "Appelée mardi, RDV jeudi."})
    alice_client.post(reverse("adhesions:status", args=[join_request.code]), {"status": "met"})
    alice_client.post(reverse("adhesions:remind", args=[join_request.code]), {"on": "2030-01-02"})
    join_request.refresh_from_db()
    assert join_request.remind_user == world.alice
    assert timezone.localtime(join_request.remind_at).date().isoformat() == "2030-01-02"
    assert join_request.status == "met" and join_request.assignee == world.alice
    assert join_request.first_contacted_at and join_request.met_at
    kinds = list(join_request.events.values_list("kind", "author__email"))
    assert kinds == [
        ("received", None),
        ("status", "alice@example.org"),
        ("assigned", "alice@example.org"),
        ("note", "alice@example.org"),
        ("status", "alice@example.org"),
    ]
    page = alice_client.get(detail).content.decode()
    assert "Appelée mardi, RDV jeudi." in page and "Alice Martin" in page


def test_wrong_moves_and_empty_notes_are_refused(world, join_request, alice_client, bob):
    alice_client.post(reverse("adhesions:status", args=[join_request.code]), {"status": "member"})
    response = alice_client.post(reverse("adhesions:status", args=[join_request.code]), {"status": "new"}, follow=True)
    assert "ne peut pas passer" in response.content.decode()
    response = alice_client.post(reverse("adhesions:note", args=[join_request.code]), {"text": "  "})
    assert response.status_code == 400 and "Écrivez la note." in response.content.decode()
    response = alice_client.post(
        reverse("adhesions:assign", args=[join_request.code]), {"assignee": bob.code}, follow=True
    )
    assert "Choisissez un des responsables" in response.content.decode()
    response = alice_client.post(reverse("adhesions:remind", args=[join_request.code]), {"on": "demain"})
    assert response.status_code == 400
    join_request.refresh_from_db()
    assert join_request.status == "member" and join_request.assignee is None


def test_erasing_keeps_an_anonymous_counted_row(world, join_request, alice_client):
    alice_client.post(reverse("adhesions:note", args=[join_request.code]), {"text": "Nadia, 06…"})
    alice_client.post(reverse("adhesions:status", args=[join_request.code]), {"status": "contacted"})
    alice_client.post(reverse("adhesions:erase", args=[join_request.code]))
    join_request.refresh_from_db()
    assert join_request.erased_at and join_request.email == "" and join_request.first_name == ""
    assert not join_request.events.filter(kind="note").exists()
    assert join_request.first_contacted_at  # the figures still count it
    assert AuditEntry.objects.filter(action="remove_member", detail__what="erased").exists()
    page = alice_client.get(reverse("adhesions:detail", args=[join_request.code])).content.decode()
    assert "Nadia" not in page
    figures = alice_client.get(reverse("adhesions:figures", args=[world.section.code])).content.decode()
    assert "<td>1</td>" in figures


def test_export_is_csv_audited_and_safe(world, site, alice_client):
    join_request_submit(site=site, values={**GOOD, "job": '=HYPERLINK("http://x")'})
    response = alice_client.get(reverse("adhesions:export", args=[world.section.code]))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "Nadia" in body and "'=HYPERLINK" in body
    assert AuditEntry.objects.filter(detail__what="export").count() == 1


def test_figures_per_month_in_few_queries(world, site, alice_client, django_assert_max_num_queries):
    now = timezone.now()
    for n in range(12):
        request = join_request_submit(site=site, values={**GOOD, "email": f"f{n}@example.org"})
        JoinRequest.objects.filter(pk=request.pk).update(created_at=now - timedelta(days=40 * (n % 3)))
        request.refresh_from_db()
        if n % 2 == 0:
            join_request_set_status(join_request=request, status="contacted", by=world.alice)
        if n % 4 == 0:
            join_request_set_status(join_request=request, status="member", by=world.alice)
    url = reverse("adhesions:figures", args=[world.section.code])
    with django_assert_max_num_queries(10):
        response = alice_client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "adhesion-bar--" in page and "style=" not in page
    from terrain.adhesions.selectors import figures_by_month, total

    lines = figures_by_month(structures=[world.section])
    summed = total(lines, "all")
    assert (summed.received, summed.contacted, summed.members) == (12, 6, 3)
    assert summed.conversion == 25 and summed.median_days is not None
    assert sum(1 for line in lines if line.received) == 3
