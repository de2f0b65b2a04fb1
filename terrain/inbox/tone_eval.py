"""How the tone classifier agrees with the hand-labelled corpus: read it, score it.

The corpus (`tests/tone_corpus.tsv`) has a header and three tab-separated columns,
``label``, ``split`` (``train``: rules were tuned on it; ``heldout``: it only measures
them) and ``text``. Invisible characters are written as ``\\uXXXX`` escapes in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from terrain.inbox.tone import Tone, classify

CORPUS = Path(__file__).resolve().parent / "tests" / "tone_corpus.tsv"
SPLITS = ("train", "heldout")
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


@dataclass(frozen=True)
class Row:
    line: int
    label: Tone
    split: str
    text: str


def load_corpus(path: Path = CORPUS) -> list[Row]:
    rows = []
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines[0].split("\t") != ["label", "split", "text"]:
        raise ValueError(f"{path}: the header must be label, split, text")
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        label, split, text = line.split("\t", 2)
        if split not in SPLITS:
            raise ValueError(f"{path}:{number}: unknown split {split!r}")
        text = _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)
        rows.append(Row(line=number, label=Tone(label), split=split, text=text))
    return rows


@dataclass
class Report:
    #: confusion[expected][predicted] = count
    confusion: dict[Tone, dict[Tone, int]] = field(default_factory=lambda: {t: dict.fromkeys(Tone, 0) for t in Tone})
    #: (row, predicted) for every disagreement
    mistakes: list[tuple[Row, Tone]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(sum(row.values()) for row in self.confusion.values())

    @property
    def accuracy(self) -> float:
        return sum(self.confusion[t][t] for t in Tone) / self.total if self.total else 0.0

    def support(self, tone: Tone) -> int:
        return sum(self.confusion[tone].values())

    def precision(self, tone: Tone) -> float | None:
        predicted = sum(self.confusion[expected][tone] for expected in Tone)
        return self.confusion[tone][tone] / predicted if predicted else None

    def recall(self, tone: Tone) -> float | None:
        support = self.support(tone)
        return self.confusion[tone][tone] / support if support else None

    @property
    def negative_called_positive(self) -> int:
        """Hostile or critical comments labelled positive: the mistake that must not happen."""
        return self.confusion[Tone.HOSTILE][Tone.POSITIVE] + self.confusion[Tone.CRITICAL][Tone.POSITIVE]


def evaluate(rows: Iterable[Row]) -> Report:
    report = Report()
    for row in rows:
        predicted = classify(row.text).tone
        report.confusion[row.label][predicted] += 1
        if predicted != row.label:
            report.mistakes.append((row, predicted))
    return report
