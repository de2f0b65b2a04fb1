"""Tone triage: behaviour on clear cases, the cardinal rule, and floors measured on the corpus."""

from __future__ import annotations

import time

import pytest
from django.utils import translation

from terrain.inbox.tone import MAX_CHARS, PRIORITY, Tone, Verdict, classify
from terrain.inbox.tone_eval import evaluate, load_corpus

# Just under what `manage.py tone_report` measured on the held-out rows, written after the
# rules they measure (accuracy 0.88; recall: question 1.00, critical 0.73, hostile 0.80;
# precision: positive 1.00, critical 1.00). Raise them when the rules improve on new
# held-out rows; never lower them to pass.
HELD_OUT_ACCURACY = 0.86
HELD_OUT_RECALL = {Tone.QUESTION: 0.93, Tone.CRITICAL: 0.70, Tone.HOSTILE: 0.75}
HELD_OUT_PRECISION = {Tone.POSITIVE: 0.95, Tone.CRITICAL: 0.90}


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("Bravo les camarades !", Tone.POSITIVE),
        ("Merci pour l'info", Tone.POSITIVE),
        ("👍👍", Tone.POSITIVE),
        ("Le préavis a été déposé pour jeudi.", Tone.NEUTRAL),
        ("https://example.org/tract?page=2", Tone.NEUTRAL),
        ("C'est quand la prochaine AG ?", Tone.QUESTION),
        ("Comment faire pour adhérer", Tone.QUESTION),
        ("Faut-il se déclarer gréviste", Tone.QUESTION),
        ("Encore une grève pour rien, on en a marre", Tone.CRITICAL),
        ("Je ne suis pas d'accord", Tone.CRITICAL),
        ("c nul ce rassemblement", Tone.CRITICAL),
        ("Vous êtes des vendus", Tone.HOSTILE),
        ("Bande de nuls", Tone.HOSTILE),
        ("🖕", Tone.HOSTILE),
        ("Dégagez", Tone.HOSTILE),
    ],
)
def test_clear_examples(text, tone):
    assert classify(text).tone == tone


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        # Negated praise is criticism.
        ("Pas top la com", Tone.CRITICAL),
        ("Jamais content de vos accords", Tone.CRITICAL),
        # Sarcasm.
        ("Bravo... encore raté", Tone.CRITICAL),
        ("Merci de prévenir la veille, comme d'habitude...", Tone.CRITICAL),
        ("Super la manif un mardi, comme si on pouvait tous poser un congé", Tone.CRITICAL),
        # Praise with a reservation.
        ("Vous parlez de victoire mais les salaires restent gelés", Tone.CRITICAL),
        # A complaint put as a question is a complaint; an insult put as one is an insult.
        ("Pourquoi vous ne faites rien ?", Tone.CRITICAL),
        ("Pourquoi vous êtes aussi cons ?", Tone.HOSTILE),
        # Praise and insult: the insult wins.
        ("Quelle bande de bouffons, bravo pour rien", Tone.HOSTILE),
        # A mild word is criticism of a thing, an insult of people or in capitals.
        ("Ridicule ce communiqué", Tone.CRITICAL),
        ("Vous êtes ridicules", Tone.HOSTILE),
        ("MINABLES", Tone.HOSTILE),
        # Capitals alone are not hostility.
        ("BRAVO LES COLLÈGUES !!!", Tone.POSITIVE),
        ("GRÈVE JEUDI 14H DEVANT LA MAIRIE", Tone.NEUTRAL),
        # Letters held for emphasis, text messaging, star-hidden words.
        ("Vous êtes nuuuuls", Tone.HOSTILE),
        ("mercii pr l'info", Tone.POSITIVE),
        ("f*ck les syndicats", Tone.HOSTILE),
        # A union slogan with a negation is praise, not negated praise.
        ("On lâche rien !", Tone.POSITIVE),
        # A sincere "comme d'habitude" is not sarcasm.
        ("Super boulot, comme d'habitude !", Tone.POSITIVE),
    ],
)
def test_hard_cases(text, tone):
    assert classify(text).tone == tone


def test_no_hostile_or_critical_comment_of_the_corpus_is_called_positive():
    report = evaluate(load_corpus())
    wrong = [row.text for row, predicted in report.mistakes if predicted == Tone.POSITIVE and row.label != Tone.NEUTRAL]
    assert report.negative_called_positive == 0, wrong


def test_corpus_is_labelled_and_split():
    rows = load_corpus()
    assert len(rows) >= 200
    held_out = [row for row in rows if row.split == "heldout"]
    for tone in Tone:
        assert sum(1 for row in held_out if row.label == tone) >= 8, tone


def test_held_out_accuracy_recall_and_precision_stay_above_their_floors():
    report = evaluate(row for row in load_corpus() if row.split == "heldout")
    mistakes = [(row.label.value, predicted.value, row.text) for row, predicted in report.mistakes]
    assert report.accuracy >= HELD_OUT_ACCURACY, mistakes
    for tone, floor in HELD_OUT_RECALL.items():
        assert report.recall(tone) >= floor, (tone, mistakes)
    for tone, floor in HELD_OUT_PRECISION.items():
        assert report.precision(tone) >= floor, (tone, mistakes)


@pytest.mark.parametrize(
    "hidden",
    [
        "Vous êtes des ven\u200bdus",  # zero-width space
        "Vous êtes des ven\u200ddus",  # zero-width joiner
        "Vous êtes des \u202evendus\u202c",  # right-to-left override
        "Vous êtes des ven\u2066dus\u2069",  # isolate
        "Vous êtes des \ufeffvendus",  # byte order mark
        "Vous êtes des ven\u00addus",  # soft hyphen
    ],
)
def test_invisible_characters_do_not_hide_an_insult(hidden):
    verdict = classify(hidden)
    assert verdict.tone == Tone.HOSTILE
    assert "vendus" in verdict.cues


def test_a_huge_comment_is_classified_quickly():
    text = ("Le préavis de grève a été déposé pour jeudi, rendez-vous devant la mairie. " * 2700)[:200_000]
    start = time.perf_counter()
    verdict = classify(text)
    assert time.perf_counter() - start < 0.2
    assert verdict.tone == Tone.NEUTRAL


def test_only_the_beginning_of_a_comment_is_read():
    assert classify("x" * MAX_CHARS + " vendus").tone == Tone.NEUTRAL


def test_a_short_comment_is_classified_in_well_under_a_millisecond():
    text = (
        "Bravo pour la mobilisation d'hier, mais franchement la date était mal choisie et on n'a "
        "eu aucune information avant. C'est quand la prochaine AG ? Merci de prévenir plus tôt. "
    ) * 2
    text = text[:300]
    classify(text)
    start = time.perf_counter()
    for _ in range(200):
        classify(text)
    # The target is 0.2 ms; the floor leaves room for a loaded test machine.
    assert (time.perf_counter() - start) / 200 < 0.002


def test_the_reason_names_the_cues():
    with translation.override("en"):
        assert classify("Vous êtes nuls").reason == "Insult: « nuls »"
        assert classify("Merci, bravo").reason == "Praise: « merci », « bravo »"
        assert classify("Comment on s'inscrit ?").reason == "Question mark and « comment »"
        verdict = classify("Bravo pour rien")
    assert verdict.tone == Tone.CRITICAL
    assert "« pour rien »" in verdict.reason
    assert "« bravo »" in verdict.reason, "the praise outweighed is named too"
    assert verdict.cues == ("pour rien",)


def test_the_french_reason_sets_the_outweighed_praise_aside():
    with translation.override("fr"):
        assert classify("Bravo pour rien").reason == "Critique : « pour rien »; éloge écarté : « bravo »"


def test_neutral_has_a_reason_and_no_cue():
    with translation.override("en"):
        verdict = classify("Le bus part à 7h.")
    assert verdict == Verdict(tone=Tone.NEUTRAL, reason="No tone cue found", cues=())


def test_the_verdict_is_deterministic():
    rows = load_corpus()
    first = [classify(row.text) for row in rows]
    assert [classify(row.text) for row in rows] == first


def test_english_reasons_in_english():
    with translation.override("en"):
        assert classify("Scandaleux").reason == "Criticism: « scandaleux »"
        assert str(Tone.HOSTILE.label) == "Hostile"


def test_priority_puts_questions_and_criticism_first():
    assert set(PRIORITY) == set(Tone)
    order = sorted(Tone, key=PRIORITY.__getitem__)
    assert order[:2] == [Tone.QUESTION, Tone.CRITICAL]
    assert order[-1] == Tone.POSITIVE
