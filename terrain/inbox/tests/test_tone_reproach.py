"""Tone triage: criticism without a listed word of blame, and what must not be taken for it.

Each construction has cases that must fire and look-alikes that must not: praise written with a
negation ("rien à redire"), advice ("n'hésitez pas à nous prévenir"), a wait that is no
complaint ("on attend encore quelques collègues"), a greeting ("Bonjour les camarades").
"""

from __future__ import annotations

import pytest
from django.utils import translation

from terrain.inbox.tone import Tone, classify


def _reason(text: str) -> str:
    with translation.override("en"):
        return classify(text).reason


@pytest.mark.parametrize(
    "text",
    [
        # Conditional reproach.
        "Vous pourriez au moins répondre aux messages des adhérents",
        "Il serait temps que le syndicat se réveille",
        "Les délégués auraient dû nous en parler",
        # Questions that nobody asks for an answer.
        "Jusqu'à quand allez-vous accepter ça ?",
        "Vous êtes sérieux ? Une AG un 24 décembre ?",
        "Vous étiez où pendant la fermeture de la maternité ?",
        "Et les précaires dans tout ça ?",
        # Nothing, not even.
        "Cette pétition ne sert strictement à rien",
        "Ça ne mène à rien de faire grève un jour par trimestre",
        "Le syndicat n'a rien dit quand l'infirmière a été sanctionnée",
        "Pas un mot sur les retraités dans ce communiqué",
        "Même pas un mail pour prévenir",
        "Des promesses, on n'en a vu aucune",
        "Le service tourne à deux la nuit et personne n'en parle",
        "Encore une réunion que personne n'a demandée",
        "Le nouveau site est lent et on ne trouve rien",
        # Judgements, idioms.
        "Des miettes, voilà ce que vous avez obtenu",
        "On est toujours ignorés par la direction",
        "Ce préavis arrive bien tard",
        "C'est toujours les ouvriers qui paient les pots cassés",
        "C'est pas en publiant des selfies qu'on va gagner",
        "Désolé mais ce calendrier n'est pas pensé pour les équipes de nuit",
        # Thanks that come too late, with the ellipsis of sarcasm.
        "Merci pour la réponse… trois semaines après",
    ],
)
def test_reproach_phrases_are_criticism(text):
    assert classify(text).tone == Tone.CRITICAL, _reason(text)


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("Vous pourriez m'envoyer le formulaire ?", Tone.QUESTION),
        ("Jusqu'à quelle heure est ouverte la permanence ?", Tone.QUESTION),
        ("Merci pour la réponse, je reviens vers vous plus tard", Tone.POSITIVE),
        ("J'aurais dû me syndiquer avant, merci pour l'accueil", Tone.POSITIVE),
        # Folded, "à rien" is also "a rien"; "ignoré" is also "ignore".
        ("Il n'y a rien à signaler, bonne journée", Tone.NEUTRAL),
        ("Il n'y a rien à redire, bravo", Tone.POSITIVE),
        ("Elle n'a rien à voir avec la direction", Tone.NEUTRAL),
        ("J'ignore si la grève est maintenue demain", Tone.NEUTRAL),
        ("Je ne suis même pas syndiquée mais bravo à vous", Tone.POSITIVE),
        # None, nothing: of one's own.
        ("Je n'en ai aucune idée, demande à la permanence", Tone.NEUTRAL),
        ("Je ne trouve rien à redire, bravo", Tone.POSITIVE),
        # Praise that holds a phrase of blame: "n'avez rien", "même pas".
        ("Vous n'avez rien lâché pendant six mois, chapeau", Tone.POSITIVE),
        ("Même pas peur ! 💪", Tone.POSITIVE),
    ],
)
def test_look_alikes_of_reproach_phrases(text, tone):
    assert classify(text).tone == tone, _reason(text)


@pytest.mark.parametrize("text", ["Des pantins de la direction, voilà ce que vous êtes", "Larbins du patronat"])
def test_servants_of_the_employer_are_insults(text):
    assert classify(text).tone == Tone.HOSTILE, _reason(text)


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("On n'a jamais été consultés sur cet accord", "« jamais … consultés »"),
        ("Personne ne nous a prévenus du changement de salle", "« ne … prévenus »"),
        ("On n'a pas été prévenus du changement de salle", "« pas … prévenus »"),
        ("Encore une hausse de cotisation sans aucune explication", "« aucune explication »"),
        ("Signé sans consulter la base", "« sans consulter »"),
        ("Le tract n'est pas à la hauteur de la situation", "« pas … hauteur »"),
        ("Franchement, pas convaincu par la plateforme", "« pas convaincu »"),
        ("On ne se sent pas du tout défendus face à la direction", "« pas … défendus »"),
        ("Les intérimaires ne sont jamais invités aux réunions", "« jamais invités »"),
        # Spoken French: the negation after the verb, without "ne".
        ("Vous répondez jamais au téléphone", "« répondez jamais »"),
        ("Le lien pour voter ne fonctionne pas", "« ne fonctionne »"),
        ("Vous signez sans nous demander notre avis", "« sans … demander notre avis »"),
        ("We were never consulted", "« never consulted »"),
    ],
)
def test_a_negated_expectation_is_criticism(text, cue):
    verdict = classify(text)
    assert verdict.tone == Tone.CRITICAL
    assert f"Expectation not met: {cue}" in _reason(text)


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        # Alone, an expectation is no reproach.
        ("On vous informe que la permanence est ouverte samedi", Tone.NEUTRAL),
        ("Merci de m'avoir rappelée si vite", Tone.POSITIVE),
        # Advice: the negation is of "hésiter", "oublier".
        ("N'hésitez pas à nous prévenir pour le prochain piquet", Tone.NEUTRAL),
        ("N'hésitez surtout pas à nous informer si ça bouge", Tone.NEUTRAL),
        ("N'oubliez pas de prévenir vos collègues", Tone.NEUTRAL),
        # What may still come, what is not needed.
        ("La direction n'a pas encore répondu à notre courrier.", Tone.NEUTRAL),
        ("Pas besoin de prévenir, venez directement au local", Tone.NEUTRAL),
        # Praise: never so well defended.
        ("Je n'ai jamais été aussi bien défendue, merci", Tone.POSITIVE),
        # Thanks: without your explanations.
        ("Merci, sans vos explications je n'aurais rien compris", Tone.POSITIVE),
        # Nouns that begin like an expectation, opinions of one's own.
        ("Je ne suis pas fonctionnaire, je peux venir ?", Tone.QUESTION),
        ("Je n'ai pas d'avis sur la question", Tone.NEUTRAL),
        # The writer's own doing.
        ("Je ne pourrai pas répondre avant lundi, je suis en congé", Tone.NEUTRAL),
        # Praise written with a negation word.
        ("Rien à redire, bravo pour l'organisation", Tone.POSITIVE),
        ("Pas de souci, merci pour la réponse rapide", Tone.POSITIVE),
        ("Aucun souci, merci de m'avoir rappelée si vite", Tone.POSITIVE),
        ("Jamais vu autant de monde devant la mairie, bravo", Tone.POSITIVE),
        # A question about one's own case.
        ("Je n'ai pas reçu ma carte d'adhérente, c'est normal ?", Tone.QUESTION),
    ],
)
def test_look_alikes_of_a_negated_expectation(text, tone):
    assert classify(text).tone == tone, _reason(text)


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Ça fait trois semaines que j'attends qu'on me rappelle", "« semaines … attends »"),
        ("Deux ans qu'on réclame un délégué pour la nuit", "« ans … réclame »"),
        ("J'attends toujours ma convocation", "« attends toujours »"),
        ("On attend depuis juin", "« attend depuis »"),
    ],
)
def test_a_wait_that_lasts_is_criticism(text, cue):
    assert classify(text).tone == Tone.CRITICAL
    assert f"Kept waiting: {cue}" in _reason(text)


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("On attend encore quelques collègues avant de commencer", Tone.NEUTRAL),
        ("Ça fait trois ans que je suis adhérente, bravo pour tout", Tone.POSITIVE),
        ("On vous attend nombreux jeudi !", Tone.NEUTRAL),
    ],
)
def test_look_alikes_of_a_wait(text, tone):
    assert classify(text).tone == tone, _reason(text)


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Pourquoi vous n'avez pas relayé la grève des femmes de chambre ?", "« pourquoi … vous n'avez »"),
        ("Pourquoi le syndicat n'a pas réagi ?", "« pourquoi … syndicat n'a »"),
        ("pk on est jamais informés ?", "« pourquoi … on est jamais informés »"),
    ],
)
def test_a_why_not_question_about_the_union_is_a_reproach(text, cue):
    assert classify(text).tone == Tone.CRITICAL
    assert f"Question that reproaches: {cue}" in _reason(text)


@pytest.mark.parametrize(
    "text",
    [
        # No one was expected to do it: a question.
        "Pourquoi l'AG n'est pas retransmise en ligne ?",
        # Suggestions.
        "Pourquoi on ne ferait pas une caisse de grève commune ?",
        "Pourquoi pas une AG le samedi ?",
        "Pourquoi la réunion a été déplacée à jeudi ?",
    ],
)
def test_other_why_questions_stay_questions(text):
    assert classify(text).tone == Tone.QUESTION, _reason(text)


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Cette AG était mal préparée", "« mal préparée »"),
        ("On est mal payées et ça dure", "« mal payées »"),
        ("J'ai été mal reçue à la permanence", "« mal reçue »"),
        ("On l'a appris par la presse", "« appris … par la presse »"),
        ("On apprend la fermeture du service par la direction", "« apprend … par la direction »"),
    ],
)
def test_done_badly_or_learnt_elsewhere_is_criticism(text, cue):
    assert classify(text).tone == Tone.CRITICAL
    assert f"Criticism: {cue}" in _reason(text)


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("Pas mal du tout le nouveau tract 👍", Tone.POSITIVE),
        ("C'est pas mal préparé du tout, bravo", Tone.POSITIVE),
        ("Je me suis mal exprimé, je voulais dire jeudi", Tone.NEUTRAL),
        ("J'ai mal dormi mais j'étais au piquet à 5h 💪", Tone.POSITIVE),
        ("Le communiqué a été repris par la presse locale", Tone.NEUTRAL),
    ],
)
def test_look_alikes_of_done_badly_or_learnt_elsewhere(text, tone):
    assert classify(text).tone == tone, _reason(text)


def test_bonjour_after_a_complaint_is_sarcasm():
    text = "Réunion annulée une heure avant, bonjour l'organisation"
    assert classify(text).tone == Tone.CRITICAL
    assert _reason(text) == "Sarcasm: « bonjour l'organisation »"


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("Bonjour les camarades, rendez-vous à 10h", Tone.NEUTRAL),
        ("Salut à tous, bonjour les collègues !", Tone.NEUTRAL),
        ("Bonjour la section, quelqu'un sait si le car part à 7h ?", Tone.QUESTION),
        ("Merci pour l'info, bonjour aux collègues de Brest", Tone.POSITIVE),
    ],
)
def test_greetings_are_no_sarcasm(text, tone):
    assert classify(text).tone == tone, _reason(text)


@pytest.mark.parametrize(
    "text",
    [
        "Bravo le syndicat, on a perdu la prime de nuit sans même se battre",
        "Merci pour la réponse… trois semaines après",
        "Super, on n'a jamais été consultés",
        "Génial, ça fait deux mois que j'attends un rappel",
        "Bravo pour l'affiche, bonjour la com",
    ],
)
def test_sarcastic_praise_is_never_positive(text):
    assert classify(text).tone == Tone.CRITICAL, _reason(text)


def test_an_unmet_expectation_is_explained_in_french():
    with translation.override("fr"):
        assert classify("On n'a jamais été consultés").reason == "Attente déçue : « jamais … consultés »"


def test_a_wait_and_a_reproachful_question_are_explained_in_french():
    with translation.override("fr"):
        assert classify("J'attends toujours ma convocation").reason == "Attente qui dure : « attends toujours »"
        reason = classify("Pourquoi vous n'avez rien dit ?").reason
    assert reason == "Critique : « n'avez rien »; Question qui reproche : « pourquoi … vous n'avez »"


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Crève", "crève"),
        ("Crève, sale syndicaliste", "crève"),
        ("Bonjour. Crève !", "crève"),
        ("Crevez avec votre grève", "crevez"),
        ("Les cheminots sont des parasites, qu'ils crèvent", "qu'ils crèvent"),
        ("Qu'elles crèvent avec leurs revendications", "qu'elles crèvent"),
        ("Que tu crèves", "que tu crèves"),
    ],
)
def test_death_wished_on_someone_is_a_threat(text, cue):
    verdict = classify(text)
    assert verdict.tone == Tone.HOSTILE, _reason(text)
    assert cue in verdict.cues


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("On crève de chaud dans les bureaux depuis des semaines", "crève de"),
        ("Les agents crèvent sous la charge de travail", "crèvent sous"),
        ("On crève de faim avec ces salaires", "crève de"),
        ("Vous nous laissez crever", "laissez crever"),
    ],
)
def test_suffering_told_is_a_complaint_not_a_threat(text, cue):
    verdict = classify(text)
    assert verdict.tone == Tone.CRITICAL, _reason(text)
    assert cue in verdict.cues


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("Je suis crevé mais content, merci", Tone.POSITIVE),
        ("Crevés mais heureux après cette belle journée", Tone.POSITIVE),
        ("Crève de rire devant la vidéo", Tone.NEUTRAL),
        ("On crève d'impatience de voir les résultats", Tone.NEUTRAL),
        # "Salle" squeezes to "sale": a room is no insult.
        ("Rendez-vous salle syndicale à 14h", Tone.NEUTRAL),
        ("Réunion à la salle des grévistes demain", Tone.NEUTRAL),
    ],
)
def test_look_alikes_of_a_death_wish(text, tone):
    assert classify(text).tone == tone, _reason(text)
