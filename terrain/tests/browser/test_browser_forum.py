"""The forum on a laptop and a phone: open a topic, see it new, quote and reply, mark the answer.

Every page visited is audited by axe-core (no serious or critical violation)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.cooperatives.models import Membership
from terrain.forum.models import Reply, Topic
from terrain.forum.services import reply_create
from terrain.library.tests.helpers import a_pdf
from terrain.tests.browser.pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_topic_from_start_to_answer(world, live_server, laptop, phone):
    coop = world.private_coop
    minutes = a_pdf(world, name="Compte rendu CSE.pdf")
    Membership.objects.filter(cooperative=coop).update(joined_at=coop.created_at)
    alice = signed_in(laptop, live_server, world.alice)
    alice.goto(live_server.url + reverse("forum:home", args=[coop.code]))
    alice.get_by_role("link", name="Nouveau sujet").click()
    alice.get_by_label("Titre").fill("Vote sur le préavis du 14 mars")
    alice.locator("trix-editor").click()
    alice.keyboard.type("Donnez votre avis avant jeudi.")
    alice.get_by_label("Étiquettes").fill("grève, vote")
    alice.get_by_text("Joindre des fichiers", exact=True).click()
    alice.get_by_label("Joindre des fichiers de la bibliothèque").select_option(label="Compte rendu CSE.pdf")
    alice.get_by_role("button", name="Publier le sujet").click()
    alice.wait_for_selector("text=Votre sujet est publié.")
    topic = Topic.objects.get()
    assert "Donnez votre avis" in topic.body_html
    assert list(topic.attachments.all()) == [minutes]
    assert alice.get_by_role("link", name="Compte rendu CSE.pdf").count() == 1
    first = reply_create(topic=topic, author=world.alice, body_html="<div>Assemblée à 13 h et à 21 h.</div>")

    bob = signed_in(phone, live_server, world.bob)
    bob.goto(live_server.url + reverse("forum:home", args=[coop.code]))
    row = bob.locator(".forum-topic", has_text="Vote sur le préavis")
    assert "nouveau" in row.inner_text().lower()
    row.get_by_role("link", name="Vote sur le préavis du 14 mars").click()
    bob.get_by_role("link", name="Citer").click()
    bob.wait_for_selector("trix-editor blockquote")
    bob.locator("trix-editor").press("Control+End")
    bob.keyboard.type("J'y serai à 21 h.")
    bob.get_by_role("button", name="Envoyer ma réponse").click()
    bob.wait_for_selector("text=J'y serai à 21 h.")
    reply = Reply.objects.exclude(pk=first.pk).get()
    assert "<blockquote>" in reply.body_html and "21 h" in reply.body_html
    assert bob.evaluate("document.documentElement.scrollWidth") <= 360

    alice.goto(live_server.url + reverse("forum:topic_detail", args=[topic.code]))
    alice.locator(f"#reply-{first.code}").get_by_role("button", name="Marquer comme la réponse").click()
    alice.wait_for_selector("text=le sujet est résolu")
    assert alice.locator(".forum-post--answer").count() >= 1
    alice.goto(live_server.url + reverse("forum:categories", args=[coop.code]))
    alice.get_by_label("Nom").fill("Salaires")
    alice.get_by_role("button", name="Ajouter").click()
    alice.wait_for_selector("text=La catégorie est créée.")
    topic.refresh_from_db()
    assert topic.answer_id == first.pk

    # The answered topic goes into the FAQ, after adjusting the question.
    alice.goto(live_server.url + reverse("forum:topic_detail", args=[topic.code]))
    alice.get_by_role("link", name="Ajuster la question avant de l’ajouter").click()
    alice.get_by_label("Question").fill("Quand se tiennent les assemblées du préavis ?")
    alice.get_by_role("button", name="Ajouter à la FAQ").click()
    alice.wait_for_selector("text=Le sujet est dans la FAQ.")
    alice.goto(live_server.url + reverse("forum:topic_detail", args=[topic.code]))
    alice.wait_for_selector("text=Cette question est dans la FAQ")
