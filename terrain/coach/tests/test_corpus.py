"""The coach measured against the hand-labelled corpus: a regression fails here."""

from __future__ import annotations

import io

from django.core.management import call_command

from terrain.coach import CODES
from terrain.coach.evaluation import evaluate, load_corpus

# Just under what `manage.py coach_report` measured (precision 0.95, recall 0.97 overall).
OVERALL_PRECISION = 0.93
OVERALL_RECALL = 0.95
HELD_OUT_PRECISION = 0.88
HELD_OUT_RECALL = 0.95


def test_corpus_is_large_and_labelled_with_known_codes():
    items = load_corpus()
    assert len(items) >= 60
    assert len({item.id for item in items}) == len(items)
    labelled = {code for item in items for code in item.expected}
    assert labelled == set(CODES), "every flag has at least one positive example"
    assert sum(1 for item in items if not item.expected) >= 10, "and clean posts too"
    assert sum(1 for item in items if item.set == "held_out") >= 20


def test_overall_precision_and_recall_stay_above_their_floors():
    report = evaluate(load_corpus())
    overall = report.overall
    assert overall.precision >= OVERALL_PRECISION, report.false_alarms
    assert overall.recall >= OVERALL_RECALL, report.misses


def test_held_out_precision_and_recall_stay_above_their_floors():
    report = evaluate(item for item in load_corpus() if item.set == "held_out")
    assert report.overall.precision >= HELD_OUT_PRECISION, report.false_alarms
    assert report.overall.recall >= HELD_OUT_RECALL, report.misses


def test_every_flag_catches_most_of_what_a_person_would_raise():
    report = evaluate(load_corpus())
    for code, score in report.scores.items():
        assert score.recall >= 0.8, (code, report.misses)
        assert score.precision >= 0.75, (code, report.false_alarms)


def test_coach_report_prints_the_table_and_the_mistakes():
    out = io.StringIO()
    call_command("coach_report", stdout=out)
    text = out.getvalue()
    assert "precision" in text
    for code in CODES:
        assert code in text
    assert "held_out" in text
    assert "Misses (" in text
    assert "False alarms (" in text
