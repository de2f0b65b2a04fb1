"""The team's handling services (status, assignee, tags, notes, bulk close, saved answers) and the menu's count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from terrain.atelier.services.strategy import strategy_update
from terrain.core.menu import member_fact
from terrain.inbox import services
from terrain.inbox.models import Conversation, SavedReply, Status
from terrain.inbox.selectors import INBOX_NEW_SQL
from terrain.inbox.tests.helpers import make_thread
from terrain.structures.services import structure_member_add
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db


def _inbox_new(user) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({INBOX_NEW_SQL})", {"user": user.pk})
        return cursor.fetchone()[0]


def test_tags_are_normalised_unique_and_at_most_ten():
    assert services.normalise_tags(" AG ,#Salaires, ag,,  grève   du 5 ") == ["ag", "salaires", "grève du 5"]
    assert len(services.normalise_tags(",".join(f"t{n}" for n in range(30)))) == services.TAGS_MAX
    assert services.normalise_tags("\u202eevil\u200b") == ["evil"]


def test_the_team_is_the_officials_and_the_workshops_writers_and_approvers(world, alice):
    writer, approver, stranger = make_user(), make_user(), make_user()
    for person in (writer, approver, stranger):
        structure_member_add(structure=world.section, user=person)
    strategy_update(
        structure=world.section,
        by=alice,
        editorial_line="",
        goals=[],
        cadences={},
        writers=[writer],
        approvers=[approver],
        approval_required=True,
    )
    team = set(services.team_of(world.section))
    assert team == {alice, writer, approver}
    thread = make_thread(world.section)
    with pytest.raises(ValueError):
        services.conversation_assign(conversation=thread, assignee=stranger, by=alice)
    services.conversation_assign(conversation=thread, assignee=writer, by=alice)
    assert Conversation.objects.get(pk=thread.pk).assignee == writer


def test_status_note_and_bulk_close(world, alice):
    thread, other, elsewhere = make_thread(world.section), make_thread(world.section), make_thread(world.syndicat)
    services.conversation_set_status(conversation=thread, status=Status.ANSWERED, by=alice)
    with pytest.raises(ValueError):
        services.conversation_set_status(conversation=thread, status="gone", by=alice)
    with pytest.raises(ValueError):
        services.note_add(conversation=thread, text="  \u200b ", by=alice)
    note = services.note_add(conversation=thread, text="À rappeler", by=alice)
    assert note.text == "À rappeler" and note.author == alice

    closed = services.conversations_close(
        structure=world.section, codes=[thread.code, other.code, elsewhere.code], by=alice
    )
    assert closed == 2
    assert Conversation.objects.get(pk=elsewhere.pk).status == Status.NEW


def test_a_saved_answer_stays_in_its_structure(world, alice):
    saved = services.saved_reply_save(structure=world.section, title=" AG ", text="Le 12 mars.")
    assert (saved.title, saved.text) == ("AG", "Le 12 mars.")
    with pytest.raises(ValueError):
        services.saved_reply_save(structure=world.syndicat, saved=saved, title="X", text="Y")
    services.saved_reply_delete(saved=saved)
    assert not SavedReply.objects.exists()


def test_the_menu_counts_new_threads_of_the_inboxes_one_handles(world, alice, bob):
    writer = make_user()
    structure_member_add(structure=world.syndicat, user=writer)
    strategy_update(
        structure=world.syndicat,
        by=alice,
        editorial_line="",
        goals=[],
        cadences={},
        writers=[writer],
        approvers=[writer],  # writer and approver at once: counted once
        approval_required=True,
    )
    make_thread(world.section)
    make_thread(world.section)
    make_thread(world.section, status=Status.IN_PROGRESS)
    make_thread(world.syndicat)
    assert _inbox_new(alice) == 2  # official of the section
    assert _inbox_new(writer) == 1  # the syndicate's workshop
    assert _inbox_new(bob) == 0  # a member handles no inbox


def test_the_menu_shows_the_count_beside_communication(world, alice, alice_client, rf):
    make_thread(world.section)
    page = alice_client.get(reverse("feed:home")).content.decode()
    assert "1 nouvelle conversation" in page or "1 new conversation in the inbox" in page
    request = rf.get("/")
    request.user = alice
    assert member_fact(request, "inbox_new") == 1
