"""Print how the tone classifier scores against its hand-labelled corpus."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from terrain.inbox.tone import Tone, classify
from terrain.inbox.tone_eval import evaluate, load_corpus


def _ratio(value: float | None) -> str:
    return "   -" if value is None else f"{value:4.2f}"


class Command(BaseCommand):
    help = "Scores tone triage against its hand-labelled corpus (held-out rows, or --all)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="Score every row, not only the held-out ones.")
        parser.add_argument("--split", choices=["train", "heldout"], help="Score only this split.")
        parser.add_argument("--mistakes", action="store_true", help="List the rows the classifier gets wrong.")

    def handle(self, *args, **options) -> None:
        rows = load_corpus()
        split = None if options["all"] else options["split"] or "heldout"
        if split:
            rows = [row for row in rows if row.split == split]
        report = evaluate(rows)
        out = self.stdout
        out.write(f"Corpus: {split or 'all'} rows ({report.total})\n\n")
        out.write(f"{'tone':<10} {'support':>7} {'precision':>9} {'recall':>6}\n")
        for tone in Tone:
            out.write(
                f"{tone.value:<10} {report.support(tone):>7} {_ratio(report.precision(tone)):>9} "
                f"{_ratio(report.recall(tone)):>6}\n"
            )
        out.write(f"\nAccuracy: {report.accuracy:.3f}\n")
        out.write("\nConfusion (rows: label, columns: predicted)\n")
        out.write(" " * 10 + "".join(f"{tone.value[:8]:>9}" for tone in Tone) + "\n")
        for expected in Tone:
            out.write(f"{expected.value:<10}" + "".join(f"{report.confusion[expected][t]:>9}" for t in Tone) + "\n")
        out.write(f"\nHostile or critical labelled positive: {report.negative_called_positive} (must be 0)\n")
        if options["mistakes"]:
            out.write(f"\nMistakes ({len(report.mistakes)}):\n")
            for row, predicted in report.mistakes:
                reason = classify(row.text).reason
                out.write(
                    f"  line {row.line:<4} {row.label.value} -> {predicted.value}: {row.text[:70]!r} ({reason})\n"
                )
