"""Anonymous by design: nothing stored with an answer can tell who gave it, or when."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from terrain.consultations import selectors, services
from terrain.consultations.models import Answer, Invitation, Respondent, Response
from terrain.consultations.tests.helpers import answers, questionnaire

pytestmark = pytest.mark.django_db


def _columns(model) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}


def test_the_answer_tables_have_no_column_that_could_identify():
    # A new column here must be argued against the promise made to respondents.
    assert _columns(Response) == {"id", "consultation_id", "day"}
    assert _columns(Answer) == {"id", "response_id", "question_id", "option_id", "value", "text"}
    assert _columns(Invitation) == {"id", "consultation_id", "email", "token_hash", "sent", "used"}
    # Keys are random: the order of the rows is not the order of the answers.
    assert Response._meta.pk.get_internal_type() == "UUIDField"
    assert Answer._meta.pk.get_internal_type() == "UUIDField"
    assert Invitation._meta.pk.get_internal_type() == "UUIDField"
    assert Response._meta.get_field("day").get_internal_type() == "DateField"


def test_an_anonymous_answer_keeps_nothing_of_the_respondent(world, client):
    consultation = questionnaire(world)
    url = reverse("consultations_public:answer", args=["section-nord", consultation.code])
    response = client.post(url, answers(consultation), REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Firefox")
    assert response.status_code == 200
    stored = Response.objects.get()
    assert not Respondent.objects.exists()
    values = [str(v) for v in Response.objects.values_list(*_columns(Response)).get()]
    values += [str(v) for row in Answer.objects.values_list(*_columns(Answer)) for v in row]
    assert not any("203.0.113" in v or "Firefox" in v or ":" in v for v in values if v != str(stored.id)), values


def test_the_page_tells_the_respondent_it_is_anonymous(world, client):
    consultation = questionnaire(world)
    page = client.get(reverse("consultations_public:answer", args=["section-nord", consultation.code]))
    assert "Cette consultation est anonyme." in page.content.decode()
    assert "sans l’heure" in page.content.decode() or "sans l'heure" in page.content.decode()


def test_after_answering_with_a_token_nothing_links_it_to_the_answers(
    world, client, django_capture_on_commit_callbacks
):
    consultation = questionnaire(world, invited_only=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_create(
            consultation=consultation, emails=["a@exemple.fr", "b@exemple.fr", "c@exemple.fr"], by=world.alice
        )
    # The addresses are gone as soon as the e-mails left; only hashes of the tokens remain.
    assert len(mail.outbox) == 3
    assert set(Invitation.objects.values_list("email", flat=True)) == {""}
    assert all(Invitation.objects.values_list("sent", flat=True))
    links = {m.to[0]: next(w for w in m.body.split() if "/i/" in w) for m in mail.outbox}
    token_b = links["b@exemple.fr"].rstrip("/").split("/")[-1]
    assert not Invitation.objects.filter(token_hash=token_b).exists()  # never stored in clear

    page = client.post(links["b@exemple.fr"].replace("http://testserver", ""), answers(consultation))
    assert page.status_code == 200
    used = Invitation.objects.get(used=True)
    response = Response.objects.get()
    # Nothing in the invitation row names the response, and nothing in the response names the invitation.
    invitation_values = {str(v) for v in Invitation.objects.filter(pk=used.pk).values_list().get()}
    response_values = {str(v) for v in Response.objects.filter(pk=response.pk).values_list().get()}
    assert str(response.pk) not in invitation_values
    assert str(used.pk) not in response_values and used.token_hash not in response_values
    for field in Invitation._meta.get_fields():
        assert getattr(field, "related_model", None) not in (Response, Answer), field
    # A second use of the same link is refused politely.
    again = client.post(links["b@exemple.fr"].replace("http://testserver", ""), answers(consultation))
    assert again.status_code == 409
    assert Response.objects.count() == 1


def test_an_invited_only_consultation_has_no_public_answer(world, client):
    consultation = questionnaire(world, invited_only=True)
    url = reverse("consultations_public:answer", args=["section-nord", consultation.code])
    assert "invitées par e-mail" in client.get(url).content.decode()
    assert client.post(url, answers(consultation)).status_code == 404
    assert not Response.objects.exists()


def test_a_named_consultation_keeps_the_name_apart_and_one_answer_per_address(world, client):
    consultation = questionnaire(world, mode="named")
    url = reverse("consultations_public:answer", args=["section-nord", consultation.code])
    page = client.get(url).content.decode()
    assert "pas anonyme" in page
    missing = client.post(url, answers(consultation))
    assert missing.status_code == 400
    assert "Indiquez votre nom" in missing.content.decode()
    ok = client.post(url, {**answers(consultation), "name": "Samia", "email": "samia@exemple.fr"})
    assert ok.status_code == 200
    assert Respondent.objects.get().name == "Samia"
    client.cookies.clear()
    twice = client.post(url, {**answers(consultation), "name": "Samia", "email": "SAMIA@exemple.fr"})
    assert twice.status_code == 409
    assert Response.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_transaction_stamp_does_not_single_out_the_invitation_used(world, django_capture_on_commit_callbacks):
    consultation = questionnaire(world, invited_only=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_create(
            consultation=consultation, emails=[f"p{i}@exemple.fr" for i in range(5)], by=world.alice
        )
    tokens = [next(w for w in m.body.split() if "/i/" in w).rstrip("/").split("/")[-1] for m in mail.outbox]

    def xmins(model):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, xmin::text FROM {table}")  # noqa: S608 (a model's own table)
            return dict(cursor.fetchall())

    stamps = []
    for token in tokens[:2]:
        with django_capture_on_commit_callbacks(execute=True):
            response = services.response_submit(
                consultation=consultation,
                data=answers(consultation),
                invitation=selectors.invitation_for(consultation, token),
            )
        stamps.append(xmins(Response)[response.pk])
        # Every invitation carries the stamp of the last answer: none stands out.
        assert set(xmins(Invitation).values()) == {stamps[-1]}
    assert stamps[0] not in set(xmins(Invitation).values())
