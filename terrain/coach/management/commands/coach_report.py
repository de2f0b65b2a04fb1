"""Print how the writing coach scores against the hand-labelled corpus."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from terrain.coach.evaluation import Score, evaluate, load_corpus


def _ratio(value: float | None) -> str:
    return "   -" if value is None else f"{value:4.2f}"


class Command(BaseCommand):
    help = "Scores the writing coach against its hand-labelled corpus: precision and recall per flag."

    def handle(self, *args, **options) -> None:
        items = load_corpus()
        by_id = {item.id: item for item in items}
        report = evaluate(items)
        out = self.stdout
        out.write(f"Corpus: {report.items} posts\n")
        out.write(f"{'flag':<20} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4}  precision  recall\n")

        def row(name: str, score: Score) -> None:
            out.write(
                f"{name:<20} {score.true_positives:>4} {score.false_positives:>4} {score.false_negatives:>4} "
                f"{score.true_negatives:>4}  {_ratio(score.precision):>9}  {_ratio(score.recall):>6}\n"
            )

        for code, score in report.scores.items():
            row(code, score)
        row("all flags", report.overall)
        for name in sorted({item.set for item in items}):
            part = evaluate(item for item in items if item.set == name)
            row(f"  {name} ({part.items})", part.overall)
        for title, pairs in (("Misses", report.misses), ("False alarms", report.false_alarms)):
            out.write(f"\n{title} ({len(pairs)}):\n")
            for post_id, code in pairs:
                note = by_id[post_id].note
                out.write(f"  {post_id:<32} {code}{'  — ' + note if note else ''}\n")
