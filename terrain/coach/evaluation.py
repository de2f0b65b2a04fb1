"""How well the coach agrees with a careful human communicator, measured on the corpus.

Each corpus post carries the flags a person would raise; the coach's flags are compared
code by code (a post either has a flag of that code or not).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from terrain.coach import CODES, ImageInfo, Limit, analyse

CORPUS = Path(__file__).resolve().parent / "corpus" / "posts.json"
# Published limits, in characters; the real counting belongs to the network connectors.
NETWORK_MAXIMUM = {"Bluesky": 300, "X": 280, "Mastodon": 500, "LinkedIn": 3000}


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    expected: frozenset[str]
    images: tuple[ImageInfo, ...] = ()
    networks: tuple[str, ...] = ()
    lexicon: dict[str, str] = field(default_factory=dict)
    note: str = ""
    # "development" posts were used to tune the rules; "held_out" ones only measure them.
    set: str = "development"

    def limits(self) -> list[Limit]:
        return [Limit(network=n, count=len(self.text), maximum=NETWORK_MAXIMUM[n]) for n in self.networks]

    def predicted(self) -> frozenset[str]:
        flags = analyse(self.text, lexicon=self.lexicon or None, images=self.images, limits=self.limits())
        return frozenset(flag.code for flag in flags)


def load_corpus(path: Path = CORPUS) -> list[Item]:
    posts = json.loads(path.read_text(encoding="utf-8"))["posts"]
    items = []
    for post in posts:
        unknown = set(post["flags"]) - set(CODES)
        if unknown:
            raise ValueError(f"{post['id']}: unknown flags {sorted(unknown)}")
        items.append(
            Item(
                id=post["id"],
                text=post["text"],
                expected=frozenset(post["flags"]),
                images=tuple(ImageInfo(alt=image["alt"]) for image in post.get("images", [])),
                networks=tuple(post.get("networks", [])),
                lexicon=post.get("lexicon", {}),
                note=post.get("note", ""),
                set=post.get("set", "development"),
            )
        )
    return items


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    true_negatives: int = 0

    @property
    def precision(self) -> float | None:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else None

    @property
    def recall(self) -> float | None:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else None

    def add(self, other: Score) -> None:
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.false_negatives += other.false_negatives
        self.true_negatives += other.true_negatives


@dataclass
class Report:
    items: int
    scores: dict[str, Score]
    misses: list[tuple[str, str]]  # (post id, code) a person raised and the coach did not
    false_alarms: list[tuple[str, str]]  # (post id, code) the coach raised and a person did not

    @property
    def overall(self) -> Score:
        total = Score()
        for score in self.scores.values():
            total.add(score)
        return total


def evaluate(items: Iterable[Item]) -> Report:
    scores = {code: Score() for code in CODES}
    misses: list[tuple[str, str]] = []
    false_alarms: list[tuple[str, str]] = []
    count = 0
    for item in items:
        count += 1
        predicted = item.predicted()
        for code in CODES:
            score = scores[code]
            if code in item.expected and code in predicted:
                score.true_positives += 1
            elif code in predicted:
                score.false_positives += 1
                false_alarms.append((item.id, code))
            elif code in item.expected:
                score.false_negatives += 1
                misses.append((item.id, code))
            else:
                score.true_negatives += 1
    return Report(items=count, scores=scores, misses=misses, false_alarms=false_alarms)
