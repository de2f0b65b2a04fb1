"""The officials' pages: write, open, invite, read the results, share them. Outsiders are refused."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from terrain.consultations import services
from terrain.consultations.models import Consultation, Invitation, Question
from terrain.consultations.tests.helpers import answers, published_site, questionnaire
from terrain.news.models import Post

pytestmark = pytest.mark.django_db


def _answer(consultation, n=1, **kwargs):
    for i in range(n):
        Client().post(
            reverse("consultations_public:answer", args=["section-nord", consultation.code]),
            answers(consultation, **kwargs),
            REMOTE_ADDR=f"10.1.0.{i}",
        )


def test_an_official_writes_and_opens_a_consultation(world, alice_client):
    published_site(world)
    created = alice_client.post(
        reverse("consultations:manage", args=[world.section.code]),
        {"title": "Télétravail", "introduction": "Votre avis", "mode": "anonymous"},
    )
    consultation = Consultation.objects.get()
    assert created.status_code == 302 and consultation.state == "draft"
    edit = reverse("consultations:edit", args=[consultation.code])
    # Opening with no question is refused with a message.
    alice_client.post(reverse("consultations:transition", args=[consultation.code]), {"to": "open"})
    assert Consultation.objects.get().state == "draft"
    add = reverse("consultations:question_add", args=[consultation.code])
    bad = alice_client.post(add, {"kind": "single", "text": "Combien de jours ?", "options": "Un", "scale_max": 5})
    assert bad.status_code == 400
    assert "Donnez au moins deux options" in bad.content.decode()
    assert "Combien de jours ?" in bad.content.decode()
    ok = alice_client.post(
        add, {"kind": "single", "text": "Combien de jours ?", "options": "Un\nDeux\nTrois", "scale_max": 5}
    )
    assert ok.status_code == 302
    question = Question.objects.get()
    assert [o.label for o in question.options.all()] == ["Un", "Deux", "Trois"]
    page = alice_client.get(edit).content.decode()
    assert "Combien de jours ?" in page
    alice_client.post(reverse("consultations:transition", args=[consultation.code]), {"to": "open"})
    assert Consultation.objects.get().state == "open"
    assert "/s/section-nord/consultations/" in alice_client.get(edit).content.decode()


def test_no_opening_without_a_published_site(world):
    consultation = services.consultation_create(structure=world.section, by=world.alice, title="T")
    services.question_save(consultation=consultation, by=world.alice, kind="short", text="Q ?")
    with pytest.raises(Exception, match="site"):
        services.consultation_transition(consultation=consultation, to="open", by=world.alice)


def test_once_answered_destructive_changes_are_refused_clearly(world, alice_client):
    consultation = questionnaire(world)
    _answer(consultation)
    first = consultation.questions.order_by("position").first()
    url = reverse("consultations:question_edit", args=[consultation.code, first.code])
    changed = alice_client.post(url, {"kind": "multiple", "text": first.text, "options": "Oui\nNon", "scale_max": 5})
    assert changed.status_code == 400
    assert "Des personnes ont déjà répondu" in changed.content.decode()
    fewer = alice_client.post(url, {"kind": "single", "text": first.text, "options": "Oui", "scale_max": 5})
    assert fewer.status_code == 400
    # Correcting the wording and adding an option is allowed.
    fixed = alice_client.post(
        url, {"kind": "single", "text": "Faites-vous des heures sup ?", "options": "Oui\nNon\nParfois", "scale_max": 5}
    )
    assert fixed.status_code == 302
    assert first.options.count() == 3
    removed = alice_client.post(reverse("consultations:question_delete", args=[consultation.code, first.code]))
    assert removed.status_code == 302
    assert Question.objects.filter(pk=first.pk).exists()
    edited = alice_client.post(reverse("consultations:edit", args=[consultation.code]), {"title": "T", "mode": "named"})
    assert edited.status_code == 400
    assert Consultation.objects.get().mode == "anonymous"


def test_questions_move_but_never_above_their_condition(world, alice_client):
    consultation = questionnaire(world, open_it=False)
    first, second, third, fourth = consultation.questions.order_by("position")
    move = reverse("consultations:question_move", args=[consultation.code, second.code])
    alice_client.post(move, {"direction": "up"})
    assert list(consultation.questions.order_by("position")) == [first, second, third, fourth]
    alice_client.post(
        reverse("consultations:question_move", args=[consultation.code, fourth.code]), {"direction": "up"}
    )
    assert list(consultation.questions.order_by("position")) == [first, second, fourth, third]
    alice_client.post(reverse("consultations:question_delete", args=[consultation.code, third.code]))
    assert consultation.questions.count() == 3


def test_results_counts_percentages_averages_texts(world, alice_client, django_assert_max_num_queries):
    consultation = questionnaire(world)
    _answer(consultation, 3, scale=4)
    _answer(consultation, 1, first="Non", scale=1, text="")
    url = reverse("consultations:results", args=[consultation.code])
    with django_assert_max_num_queries(30):
        page = alice_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "4 réponses" in html
    assert "<td>75 %</td>" in html and "<td>25 %</td>" in html
    assert "moyenne 3,2 sur 5" in html or "moyenne 3,3 sur 5" in html
    assert "Trop de rappels sur les repos" in html
    assert '<meter min="0" max="100" value="75"' in html
    assert "style=" not in html


def test_csv_one_line_per_response_one_column_per_question(world, alice_client):
    consultation = questionnaire(world)
    _answer(consultation, 2, which=("Nuit", "Week-end"), text="=HYPERLINK(1)")
    content = alice_client.get(reverse("consultations:export", args=[consultation.code])).content.decode()
    rows = list(csv.reader(io.StringIO(content)))
    assert len(rows) == 3
    assert rows[0][1:] == [q.text for q in consultation.questions.order_by("position")]
    assert rows[1][1:] == ["Oui", "Nuit ; Week-end", "4", "'=HYPERLINK(1)"]


def test_results_are_shared_in_a_cooperative_in_one_click(world, alice_client):
    consultation = questionnaire(world)
    _answer(consultation, 2)
    page = alice_client.get(reverse("consultations:results", args=[consultation.code])).content.decode()
    assert world.open_coop.name in page
    shared = alice_client.post(
        reverse("consultations:share", args=[consultation.code]), {"cooperative": world.open_coop.code}
    )
    assert shared.status_code == 302
    post = Post.objects.get(cooperative=world.open_coop)
    assert "Conditions de travail" in post.body_html and "2 réponses" in post.body_html


def test_results_cannot_go_to_a_cooperative_one_is_not_in(world, alice_client, charlie):
    from terrain.cooperatives.services import cooperative_create_open

    consultation = questionnaire(world)
    other = cooperative_create_open(name="Ailleurs", by=charlie, description="")
    alice_client.post(reverse("consultations:share", args=[consultation.code]), {"cooperative": other.code})
    assert not Post.objects.filter(cooperative=other).exists()


def test_invitations_are_sent_and_a_wrong_address_is_named(world, alice_client, django_capture_on_commit_callbacks):
    consultation = questionnaire(world, mode="named")
    url = reverse("consultations:invite", args=[consultation.code])
    bad = alice_client.post(url, {"addresses": "a@exemple.fr, pas-une-adresse"})
    assert bad.status_code == 400 and "pas-une-adresse" in bad.content.decode()
    assert not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(url, {"addresses": "a@exemple.fr\nb@exemple.fr; a@exemple.fr"})
    assert len(mail.outbox) == 2
    # Named: the addresses are kept (the answers carry the name anyway).
    assert set(Invitation.objects.values_list("email", flat=True)) == {"a@exemple.fr", "b@exemple.fr"}


@pytest.mark.outsider(
    "consultations:manage",
    "consultations:edit",
    "consultations:transition",
    "consultations:question_add",
    "consultations:question_edit",
    "consultations:question_delete",
    "consultations:question_move",
    "consultations:results",
    "consultations:export",
    "consultations:share",
    "consultations:invite",
)
def test_outsiders_and_members_are_refused(world, client, charlie_client, bob_client):
    consultation = questionnaire(world)
    _answer(consultation)
    question = consultation.questions.first()
    code = consultation.code
    gets = [
        reverse("consultations:manage", args=[world.section.code]),
        reverse("consultations:edit", args=[code]),
        reverse("consultations:question_add", args=[code]),
        reverse("consultations:question_edit", args=[code, question.code]),
        reverse("consultations:results", args=[code]),
        reverse("consultations:export", args=[code]),
        reverse("consultations:invite", args=[code]),
    ]
    posts = [
        reverse("consultations:transition", args=[code]),
        reverse("consultations:question_delete", args=[code, question.code]),
        reverse("consultations:question_move", args=[code, question.code]),
        reverse("consultations:share", args=[code]),
    ]
    for url in gets:
        assert client.get(url).status_code == 302, url  # to the sign-in
        assert charlie_client.get(url).status_code == 404, url
        assert bob_client.get(url).status_code == 403, url
    for url in posts:
        assert charlie_client.post(url, {"to": "closed", "cooperative": world.open_coop.code}).status_code == 404
        assert bob_client.post(url, {"to": "closed", "cooperative": world.open_coop.code}).status_code == 403
    assert Consultation.objects.get().state == "open"
    assert not Post.objects.exists()
