"""Members propose questions; facilitators hear of them, reword, answer (an entry) or decline them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.faq.models import Entry, Proposal
from terrain.faq.services import proposal_create
from terrain.feed.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(world, bob):
    return proposal_create(
        cooperative=world.private_coop,
        question="Ai-je droit à une prime de nuit ?",
        context="Je travaille en EHPAD.",
        by=bob,
    )


def test_member_proposes_and_facilitators_hear_of_it(world, bob_client, alice, theme):
    url = reverse("faq:proposal_create", args=[world.private_coop.code])
    assert bob_client.get(url).status_code == 200
    response = bob_client.post(url, {"question": "Combien de jours de congé syndical ?", "context": ""})
    assert response["Location"] == reverse("faq:home", args=[world.private_coop.code])
    proposal = Proposal.objects.get()
    assert (proposal.proposed_by, proposal.status) == (world.bob, Proposal.Status.PENDING)
    note = Notification.objects.get(reason=Notification.Reason.FAQ_PROPOSAL)
    assert note.user == alice and note.target_url == reverse("faq:proposals", args=[world.private_coop.code])
    assert not Notification.objects.filter(user=world.bob).exists()


def test_an_empty_question_is_refused_in_french(world, bob_client):
    url = reverse("faq:proposal_create", args=[world.private_coop.code])
    response = bob_client.post(url, {"question": "  ", "context": "mon contexte"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert "Écrivez votre question." in response.content.decode()
    assert "mon contexte" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.outsider("faq:proposal_create")
def test_outsiders_cannot_propose(world, charlie_client, client):
    url = reverse("faq:proposal_create", args=[world.private_coop.code])
    assert_refused(charlie_client.post(url, {"question": "Q ?"}))
    assert_login_required(client.get(url))
    assert not Proposal.objects.exists()


def test_facilitators_see_the_count_and_the_list(world, alice_client, bob_client, proposal):
    home = reverse("faq:home", args=[world.private_coop.code])
    assert (
        "1 question proposée attend une réponse" in alice_client.get(home, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    )
    assert "attend une réponse" not in bob_client.get(home, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    response = alice_client.get(reverse("faq:proposals", args=[world.private_coop.code]))
    assert "Ai-je droit à une prime de nuit ?" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.outsider("faq:proposals")
def test_members_and_outsiders_do_not_see_the_proposals(world, bob_client, charlie_client, proposal):
    url = reverse("faq:proposals", args=[world.private_coop.code])
    assert bob_client.get(url).status_code == 403
    assert_refused(charlie_client.get(url))


def test_answering_makes_an_entry_and_tells_the_proposer(
    world, alice_client, bob, proposal, theme, django_capture_on_commit_callbacks
):
    url = reverse("faq:proposal_answer", args=[proposal.code])
    assert "Je travaille en EHPAD." in alice_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            url,
            {
                "question": "Prime de nuit : qui y a droit ?",
                "answer": "<div>Tout agent de nuit.</div>",
                "theme": theme.pk,
            },
        )
    entry = Entry.objects.get()
    assert response["Location"] == reverse("faq:entry", args=[world.private_coop.code, entry.code])
    proposal.refresh_from_db()
    assert (proposal.status, proposal.entry, proposal.decided_by) == (Proposal.Status.ANSWERED, entry, world.alice)
    note = Notification.objects.get(user=bob, reason=Notification.Reason.FAQ_ANSWERED)
    assert note.target_url == reverse("faq:entry", args=[world.private_coop.code, entry.code])
    assert note.summary.startswith("Votre question a reçu une réponse")  # bob reads French
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [bob.email]
    assert "Égalité" not in mail.outbox[0].subject and "Section Hôpital Nord" in mail.outbox[0].subject
    # Answered once: a second answer is refused.
    again = alice_client.post(url, {"question": "Q", "answer": "R", "theme": theme.pk})
    assert again.status_code == 403
    assert Entry.objects.count() == 1


def test_no_email_for_who_turned_them_off(
    world, alice_client, bob, proposal, theme, django_capture_on_commit_callbacks
):
    bob.email_notifications = False
    bob.save(update_fields=["email_notifications"])
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            reverse("faq:proposal_answer", args=[proposal.code]), {"question": "Q ?", "answer": "R", "theme": theme.pk}
        )
    assert Notification.objects.filter(user=bob, reason=Notification.Reason.FAQ_ANSWERED).exists()
    assert not mail.outbox


def test_rewording_before_answering(world, alice_client, proposal):
    url = reverse("faq:proposal_edit", args=[proposal.code])
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(url, {"question": "Prime de nuit en EHPAD ?", "context": "EHPAD"})
    assert response["Location"] == reverse("faq:proposal_answer", args=[proposal.code])
    proposal.refresh_from_db()
    assert proposal.question == "Prime de nuit en EHPAD ?"


def test_declining_tells_the_proposer_why(
    world, alice_client, bob, proposal, theme, django_capture_on_commit_callbacks
):
    url = reverse("faq:proposal_decline", args=[proposal.code])
    empty = alice_client.post(url, {"reason": ""}, HTTP_ACCEPT_LANGUAGE="fr")
    assert empty.status_code == 400
    assert "Dites en quelques mots pourquoi" in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(url, {"reason": "Déjà traité dans « Droit du travail »."})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == (
        Proposal.Status.DECLINED,
        "Déjà traité dans « Droit du travail ».",
    )
    note = Notification.objects.get(user=bob)
    assert note.summary.startswith("Votre question a été refusée")
    assert "Déjà traité" in mail.outbox[0].body
    # The proposer sees what became of it on the FAQ page.
    from django.test import Client

    client = Client()
    client.force_login(bob)
    page = client.get(reverse("faq:home", args=[world.private_coop.code])).content.decode()
    assert "Déjà traité dans" in page


@pytest.mark.outsider("faq:proposal_answer")
@pytest.mark.outsider("faq:proposal_edit")
@pytest.mark.outsider("faq:proposal_decline")
def test_members_and_outsiders_cannot_decide(world, bob_client, charlie_client, client, proposal, theme):
    for name in ("proposal_answer", "proposal_edit", "proposal_decline"):
        url = reverse(f"faq:{name}", args=[proposal.code])
        data = {"question": "X", "answer": "R", "theme": theme.pk, "reason": "non", "context": ""}
        # bob proposed it: he may know it exists, not decide.
        assert bob_client.post(url, data).status_code == 403
        assert_refused(charlie_client.post(url, data))
        assert_login_required(client.get(url))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING and proposal.question == "Ai-je droit à une prime de nuit ?"


def test_notifications_page_leads_to_the_proposals(world, alice_client, proposal):
    page = alice_client.get(reverse("feed:notifications"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Ai-je droit à une prime de nuit ?" in page
    note = Notification.objects.get(user=world.alice)
    opened = alice_client.get(reverse("feed:notification_open", args=[note.code]))
    assert opened["Location"] == reverse("faq:proposals", args=[world.private_coop.code])


def test_the_email_is_in_the_proposers_language(
    world, alice_client, bob, proposal, theme, django_capture_on_commit_callbacks
):
    bob.language = "en"
    bob.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("faq:proposal_decline", args=[proposal.code]), {"reason": "Hors sujet."})
    assert mail.outbox[0].subject == "Your question to the FAQ of Section Hôpital Nord was declined"
    note = Notification.objects.get(user=bob)
    assert note.reason == Notification.Reason.FAQ_DECLINED
    assert note.summary.startswith("Your question was declined")
