"""A flood of 1,000 submissions in a burst: robots marked, floods refused politely, real signatures all kept once."""

from __future__ import annotations

import pytest
from django.test import Client

from terrain.petitions.models import Petition, Signature

pytestmark = pytest.mark.django_db


def test_a_burst_of_a_thousand_submissions(petition, site, settings, django_capture_on_commit_callbacks):
    settings.PETITION_SIGN_LIMIT = 20
    client = Client(raise_request_exception=False)  # a 500 is counted below, not raised
    url = f"/s/{site.slug}/petitions/{petition.code}/signer/"
    statuses: dict[str, list[int]] = {"robot": [], "flood": [], "real": []}
    refused_pages = []
    with django_capture_on_commit_callbacks(execute=False) as queued:
        for n in range(1000):
            if n % 10 < 3:  # 300 robots, each from its own address, filling the hidden field
                kind, address = "robot", f"198.51.{n // 250}.{n % 250}"
                data = {"first_name": "Bot", "last_name": "Bot", "email": f"bot{n}@spam.example", "website": "x"}
            elif n % 10 < 5:  # 200 from one address: the first 20 pass, the rest wait
                kind, address = "flood", "203.0.113.99"
                data = {"first_name": "Flo", "last_name": "Od", "email": f"flood{n}@example.org"}
            else:  # 500 submissions of 400 people, each from their own connection: 100 sign twice
                kind, address = "real", f"10.{n // 250}.{n % 250}.1"
                person = n if n % 10 != 9 else n - 1
                data = {"first_name": "Vraie", "last_name": "Personne", "email": f"person{person}@example.org"}
            response = client.post(url, data, REMOTE_ADDR=address)
            statuses[kind].append(response.status_code)
            if response.status_code == 429 and not refused_pages:
                refused_pages.append(response.content.decode())

    assert all(code < 500 for codes in statuses.values() for code in codes)
    assert set(statuses["robot"]) == {302}  # a robot is answered like a person: it learns nothing
    assert statuses["flood"].count(302) == 20 and statuses["flood"].count(429) == 180
    assert set(statuses["real"]) == {302}
    assert 'lang="fr"' in refused_pages[0] and "Réessayez dans quelques minutes" in refused_pages[0]
    assert 'value="Flo"' in refused_pages[0]  # what was typed is kept

    emails = list(Signature.objects.values_list("email", flat=True))
    assert len(emails) == len(set(emails))  # nobody twice
    assert sum(e.startswith("person") for e in emails) == 400  # every real person, once
    assert sum(e.startswith("flood") for e in emails) == 20
    assert not any(e.endswith("spam.example") for e in emails)
    assert len(queued) == len(emails)  # one confirmation e-mail queued per stored signature
    petition = Petition.objects.get(pk=petition.pk)
    assert (petition.refused_robot, petition.refused_throttled) == (300, 180)
    assert petition.signature_count == 0  # none confirmed: none counts


@pytest.mark.django_db(transaction=True)
def test_the_same_address_at_the_same_moment_is_stored_once(world):
    """Eight requests with one address at once (PostgreSQL: real concurrent transactions)."""
    import threading

    from django.core import mail
    from django.db import connection

    from terrain.petitions import services
    from terrain.public.services import site_publish, site_save

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: nothing runs at the same moment")
    site_publish(site=site_save(structure=world.section, by=world.alice, slug="section-exemple"), by=world.alice)
    petition = services.petition_save(structure=world.section, by=world.alice, title="T", text="x", goal=10)
    petition = services.petition_move(petition=petition, to="open", by=world.alice)
    start, errors = threading.Barrier(8), []

    def sign() -> None:
        try:
            start.wait()
            services.signature_request(petition=petition, first_name="A", last_name="B", email="same@example.org")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Signature.objects.filter(email="same@example.org").count() == 1
    assert len(mail.outbox) == 1
