"""The inbox pages: who may, filters, bulk close, hostile content, answers and their approval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from terrain.atelier.services.strategy import strategy_update
from terrain.inbox import selectors, services, tone
from terrain.inbox.models import Conversation, Note, Reply, SavedReply, Status
from terrain.inbox.tests.helpers import make_thread
from terrain.structures.services import structure_member_add
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db


def _strategy(world, alice, *, writers=(), approvers=()):
    strategy_update(
        structure=world.section,
        by=alice,
        editorial_line="",
        goals=[],
        cadences={},
        writers=list(writers),
        approvers=list(approvers),
        approval_required=True,
    )


def _writer(world, alice):
    writer = make_user("Wanda Writer")
    structure_member_add(structure=world.section, user=writer)
    _strategy(world, alice, writers=[writer])
    return writer


def _sent(monkeypatch) -> list[int]:
    """The answers whose sending is enqueued (``reply_send_task``), recorded instead of run."""
    from types import SimpleNamespace

    from terrain.inbox import tasks

    sent: list[int] = []
    monkeypatch.setattr(tasks, "reply_send_task", SimpleNamespace(enqueue=sent.append))
    return sent


def _list(world) -> str:
    return reverse("inbox:list", args=[world.section.code])


def _refused(world, bob_client, charlie_client, method: str, url: str, data=None) -> None:
    assert getattr(charlie_client, method)(url, data or {}).status_code == 404
    assert getattr(bob_client, method)(url, data or {}).status_code == 403


# --- Who may ------------------------------------------------------------------------


@pytest.mark.outsider("inbox:list")
def test_the_list_is_refused_to_outsiders_and_plain_members(world, bob_client, charlie_client):
    _refused(world, bob_client, charlie_client, "get", _list(world))


@pytest.mark.outsider("inbox:close")
def test_bulk_close_is_refused_to_outsiders(world, bob_client, charlie_client):
    thread = make_thread(world.section)
    url = reverse("inbox:close", args=[world.section.code])
    _refused(world, bob_client, charlie_client, "post", url, {"conversations": [thread.code]})
    thread.refresh_from_db()
    assert thread.status == Status.NEW


@pytest.mark.outsider("inbox:thread")
@pytest.mark.outsider("inbox:thread_status")
@pytest.mark.outsider("inbox:thread_assign")
@pytest.mark.outsider("inbox:thread_tags")
@pytest.mark.outsider("inbox:thread_note")
@pytest.mark.outsider("inbox:thread_reply")
def test_a_thread_and_its_actions_are_refused_to_outsiders(world, bob_client, charlie_client):
    thread = make_thread(world.section)
    _refused(world, bob_client, charlie_client, "get", reverse("inbox:thread", args=[thread.code]))
    for name, data in [
        ("inbox:thread_status", {"status": "closed"}),
        ("inbox:thread_assign", {"assignee": world.bob.code}),
        ("inbox:thread_tags", {"tags": "x"}),
        ("inbox:thread_note", {"text": "x"}),
        ("inbox:thread_reply", {"text": "x"}),
    ]:
        _refused(world, bob_client, charlie_client, "post", reverse(name, args=[thread.code]), data)
    thread.refresh_from_db()
    assert thread.status == Status.NEW and thread.tags == [] and not Note.objects.exists()
    assert not Reply.objects.exists()


@pytest.mark.outsider("inbox:reply_approve")
@pytest.mark.outsider("inbox:reply_refuse")
@pytest.mark.outsider("inbox:reply_retry")
def test_answers_cannot_be_approved_refused_or_retried_by_outsiders(world, bob_client, charlie_client):
    thread = make_thread(world.section)
    reply = Reply.objects.create(
        conversation=thread, item=thread.items.get(), author=world.alice, text="Oui", state=Reply.State.PENDING_APPROVAL
    )
    for name in ("inbox:reply_approve", "inbox:reply_refuse", "inbox:reply_retry"):
        _refused(world, bob_client, charlie_client, "post", reverse(name, args=[reply.code]))
    reply.refresh_from_db()
    assert reply.state == Reply.State.PENDING_APPROVAL


@pytest.mark.outsider("inbox:saved_replies")
@pytest.mark.outsider("inbox:saved_reply_edit")
@pytest.mark.outsider("inbox:saved_reply_delete")
def test_saved_answers_are_for_managers_only(world, bob_client, charlie_client):
    saved = SavedReply.objects.create(structure=world.section, title="AG", text="Le 12 mars.")
    url = reverse("inbox:saved_replies", args=[world.section.code])
    _refused(world, bob_client, charlie_client, "post", url, {"title": "X", "text": "Y"})
    _refused(world, bob_client, charlie_client, "post", reverse("inbox:saved_reply_edit", args=[saved.code]), {})
    _refused(world, bob_client, charlie_client, "post", reverse("inbox:saved_reply_delete", args=[saved.code]))
    assert list(SavedReply.objects.values_list("title", flat=True)) == ["AG"]


def test_a_writer_of_the_workshop_reads_the_inbox_but_not_the_saved_answers(world, alice, client):
    client.force_login(_writer(world, alice))
    assert client.get(_list(world)).status_code == 200
    assert client.get(reverse("inbox:saved_replies", args=[world.section.code])).status_code == 403


# --- The list -------------------------------------------------------------------------


def test_questions_then_critical_come_first_each_newest_first(world, alice_client):
    old_question = make_thread(world.section, text="Ancienne ?", tone_value=tone.Tone.QUESTION, ago=timedelta(days=2))
    new_question = make_thread(world.section, text="Nouvelle ?", tone_value=tone.Tone.QUESTION, ago=timedelta(hours=5))
    thanks = make_thread(world.section, text="Merci beaucoup", tone_value=tone.Tone.POSITIVE)
    critical = make_thread(world.section, text="Pas d'accord", tone_value=tone.Tone.CRITICAL, ago=timedelta(hours=3))
    page = alice_client.get(_list(world)).content.decode()
    expected = sorted(
        (old_question, new_question, thanks, critical),
        key=lambda t: (tone.PRIORITY[tone.Tone(t.tone)], -t.last_item_at.timestamp()),
    )
    assert expected[:3] == [new_question, old_question, critical]  # questions, then critical (tone.PRIORITY)
    assert [page.index(t.code) for t in expected] == sorted(page.index(t.code) for t in expected)


def test_filters_narrow_the_list_and_are_kept_in_the_page_links(world, alice_client, alice):
    mine = make_thread(world.section, network="bluesky", tags=["ag"], assignee=alice, text="Quand est l'AG ?")
    other = make_thread(world.section, network="mastodon", text="Bravo pour la grève")
    closed = make_thread(world.section, status=Status.CLOSED, text="Réglé")

    default = alice_client.get(_list(world)).content.decode()
    assert mine.code in default and other.code in default and closed.code not in default  # open only

    for query, expected in [
        ({"network": "bluesky"}, mine),
        ({"assignee": "me"}, mine),
        ({"assignee": "nobody"}, other),
        ({"tag": "AG"}, mine),
        ({"q": "grève"}, other),
        ({"status": "closed"}, closed),
    ]:
        page = alice_client.get(_list(world), query).content.decode()
        shown = {t.code for t in (mine, other, closed) if t.code in page}
        assert shown == {expected.code}, query

    for words in ("%", "_", "\\"):  # the words are looked for as typed: no wildcard
        page = alice_client.get(_list(world), {"q": words}).content.decode()
        assert not {t.code for t in (mine, other, closed) if t.code in page}, words

    for n in range(selectors.PAGE_SIZE + 1):
        make_thread(world.section, network="bluesky", text=f"Message {n}")
    page = alice_client.get(_list(world), {"network": "bluesky"}).content.decode()
    assert "?network=bluesky&amp;page=2" in page


def test_the_list_reads_a_bounded_number_of_queries(world, alice_client, django_assert_max_num_queries):
    for n in range(20):
        make_thread(world.section, text=f"Message {n}", tags=["x"])
    with django_assert_max_num_queries(20):
        assert alice_client.get(_list(world)).status_code == 200


def test_bulk_close_only_touches_this_structures_threads(world, alice_client):
    ours = make_thread(world.section)
    kept = make_thread(world.section)
    elsewhere = make_thread(world.syndicat)  # alice is no official there: another team's inbox
    response = alice_client.post(
        reverse("inbox:close", args=[world.section.code]), {"conversations": [ours.code, elsewhere.code]}
    )
    assert response.status_code == 302
    statuses = dict(Conversation.objects.values_list("code", "status"))
    assert statuses == {ours.code: Status.CLOSED, kept.code: Status.NEW, elsewhere.code: Status.NEW}


# --- Hostile content --------------------------------------------------------------------


def test_hostile_content_is_shown_escaped(world, alice_client):
    nasty = "<script>alert(1)</script> <img src=x onerror=alert(2)> \u202eevil" + " long" * 3000
    thread = make_thread(world.section, text=nasty, author='<b onmouseover="x">Eve</b>')
    for url in (_list(world), reverse("inbox:thread", args=[thread.code])):
        page = alice_client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page and "<b onmouseover" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<bdi>&lt;b onmouseover=" in page  # a name cannot reorder the text around it
    listed = alice_client.get(_list(world)).content.decode()
    assert listed.count(" long") < 200  # the list shows the first words only


# --- One thread ---------------------------------------------------------------------------


def test_status_assign_tags_and_note(world, alice_client, alice):
    thread = make_thread(world.section)
    base = [thread.code]
    alice_client.post(reverse("inbox:thread_status", args=base), {"status": "in_progress"})
    alice_client.post(reverse("inbox:thread_assign", args=base), {"assignee": alice.code})
    alice_client.post(reverse("inbox:thread_tags", args=base), {"tags": " AG, #Salaires,ag ,, "})
    response = alice_client.post(reverse("inbox:thread_note", args=base), {"text": "Je rappelle demain."})
    assert response.status_code == 302 and response["Location"].endswith("#notes")
    thread.refresh_from_db()
    assert (thread.status, thread.assignee, thread.tags) == (Status.IN_PROGRESS, alice, ["ag", "salaires"])
    page = alice_client.get(reverse("inbox:thread", args=base)).content.decode()
    assert "Je rappelle demain." in page


def test_a_thread_page_reads_a_bounded_number_of_queries(world, alice, alice_client, django_assert_max_num_queries):
    thread = make_thread(world.section)
    for n in range(10):
        services.note_add(conversation=thread, text=f"Note {n}", by=alice)
        Reply.objects.create(conversation=thread, item=thread.items.get(), author=alice, text=f"R{n}")
    with django_assert_max_num_queries(25):
        assert alice_client.get(reverse("inbox:thread", args=[thread.code])).status_code == 200


def test_a_thread_cannot_be_assigned_outside_the_team(world, alice_client):
    thread = make_thread(world.section)
    alice_client.post(reverse("inbox:thread_assign", args=[thread.code]), {"assignee": world.charlie.code})
    thread.refresh_from_db()
    assert thread.assignee is None


def test_too_many_tags_are_refused_and_what_was_typed_is_kept(world, alice_client):
    thread = make_thread(world.section)
    typed = ", ".join(f"tag{n}" for n in range(11))
    response = alice_client.post(reverse("inbox:thread_tags", args=[thread.code]), {"tags": typed})
    assert response.status_code == 400
    assert typed in response.content.decode()
    thread.refresh_from_db()
    assert thread.tags == []


def test_a_saved_answer_prefills_the_answer(world, alice_client):
    thread = make_thread(world.section)
    saved = SavedReply.objects.create(structure=world.section, title="AG", text="L'AG a lieu le 12 mars.")
    page = alice_client.get(reverse("inbox:thread", args=[thread.code]), {"modele": saved.code}).content.decode()
    assert "L&#x27;AG a lieu le 12 mars.</textarea>" in page


def test_the_coach_advises_on_the_answer_before_it_goes(world, alice_client):
    thread = make_thread(world.section)
    response = alice_client.post(
        reverse("inbox:thread_reply", args=[thread.code]),
        {"item": thread.items.get().code, "text": "VENEZ TOUS À L'AG DU CSE !!!", "check": "1"},
    )
    page = response.content.decode()
    assert 'id="coach-title"' in page and "atelier-flag" in page
    assert "VENEZ TOUS" in page  # what was typed is kept
    assert not Reply.objects.exists()


def test_an_answer_waits_for_approval_then_goes_out_once_approved(
    world, alice, alice_client, client, monkeypatch, django_capture_on_commit_callbacks
):
    sent = _sent(monkeypatch)
    writer = _writer(world, alice)
    thread = make_thread(world.section)
    client.force_login(writer)
    url = reverse("inbox:thread_reply", args=[thread.code])
    page = client.get(reverse("inbox:thread", args=[thread.code])).content.decode()
    assert "Votre réponse attendra une validation avant de partir." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"item": thread.items.get().code, "text": "La prochaine AG est le 12 mars."})
    assert response.status_code == 302
    reply = Reply.objects.get()
    assert reply.state == Reply.State.PENDING_APPROVAL and sent == []
    assert client.post(reverse("inbox:reply_approve", args=[reply.code])).status_code == 403  # a writer

    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("inbox:reply_approve", args=[reply.code]))
    reply.refresh_from_db()
    assert reply.state == Reply.State.SENDING and reply.approved_by == alice
    assert sent == [reply.pk]


def test_a_refused_answer_never_goes_out(world, alice, alice_client, monkeypatch):
    sent = _sent(monkeypatch)
    thread = make_thread(world.section)
    reply = Reply.objects.create(
        conversation=thread, item=thread.items.get(), author=alice, text="Non", state=Reply.State.PENDING_APPROVAL
    )
    alice_client.post(reverse("inbox:reply_refuse", args=[reply.code]))
    reply.refresh_from_db()
    assert reply.state == Reply.State.REFUSED and sent == []


def test_a_form_sent_twice_makes_one_answer(world, alice_client, monkeypatch, django_capture_on_commit_callbacks):
    sent = _sent(monkeypatch)
    thread = make_thread(world.section)
    data = {"item": thread.items.get().code, "text": "Merci !", "submission_key": "0123456789abcdef0123456789abcdef"}
    url = reverse("inbox:thread_reply", args=[thread.code])
    with django_capture_on_commit_callbacks(execute=True):
        assert alice_client.post(url, data).status_code == 302
        assert alice_client.post(url, data).status_code == 302
    assert Reply.objects.count() == 1 and len(sent) == 1


def test_a_failed_answer_shows_its_reason_and_can_be_retried(
    world, alice, alice_client, monkeypatch, django_capture_on_commit_callbacks
):
    sent = _sent(monkeypatch)
    thread = make_thread(world.section)
    reply = Reply.objects.create(
        conversation=thread, item=thread.items.get(), author=alice, text="Oui", state=Reply.State.FAILED, error="Quota"
    )
    page = alice_client.get(reverse("inbox:thread", args=[thread.code])).content.decode()
    assert "Quota" in page and reverse("inbox:reply_retry", args=[reply.code]) in page
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("inbox:reply_retry", args=[reply.code]))
    reply.refresh_from_db()
    assert reply.state == Reply.State.SENDING and sent == [reply.pk]


# --- Saved answers ----------------------------------------------------------------------


def test_managers_add_change_and_delete_saved_answers(world, alice_client):
    url = reverse("inbox:saved_replies", args=[world.section.code])
    response = alice_client.post(url, {"title": "", "text": "Texte gardé"})
    assert response.status_code == 400 and "Texte gardé" in response.content.decode()
    alice_client.post(url, {"title": "Adhérer", "text": "Le bulletin est en ligne."})
    saved = SavedReply.objects.get()
    alice_client.post(reverse("inbox:saved_reply_edit", args=[saved.code]), {"title": "Adhérer", "text": "Autre."})
    saved.refresh_from_db()
    assert saved.text == "Autre."
    alice_client.post(reverse("inbox:saved_reply_delete", args=[saved.code]))
    assert not SavedReply.objects.exists()
