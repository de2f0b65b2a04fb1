"""The toolbox part of the bulk dataset: forum, FAQ and library, as their services write them.

Mirrors ``forum.services`` (``topic_create``, ``reply_create``, ``reply_mark_answer``): one
category per cooperative that has topics, topics with their reply count, last activity and last
replier, a subscription and a read mark for the author and each replier, a broadcast
``forum_topic_created`` activity per topic and ``forum_answer_marked`` per marked answer.
``faq.services.faq_entry_create``: themes, entries written by a facilitator, a broadcast
``faq_entry_added`` each. ``library.services.file_upload``: folders, files of version 1 whose text
the worker has extracted (``extraction_status`` done; the blob is one small shared placeholder,
the extracted text is 1 to 3 KB of French), a broadcast ``library_file_added`` each.

Rows are written here (ids known); the activities are returned, in time order, for
``write_news`` to merge into the one id-ordered stream. Not written: tags, forum notifications
(they go to the bell, not to the feed), e-mails, proposals, downloads, previews.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from django.conf import settings

from terrain.demo import names, text
from terrain.demo.dataset_news import DAY, cumulative, pick
from terrain.faq.models import Entry, Theme
from terrain.faq.services import ENTRY_ADDED
from terrain.forum.feed_items import ANSWER_MARKED, TOPIC_CREATED
from terrain.forum.models import Category, Reply, Topic, TopicRead, TopicSubscription
from terrain.lib.html import text_to_html
from terrain.library.feed_items import FILE_ADDED
from terrain.library.models import File, FileVersion, Folder

TOOLBOX_MODELS = [Category, Topic, Reply, TopicSubscription, TopicRead, Theme, Entry, Folder, File, FileVersion]
# An activity for ``write_news``: (epoch, cooperative index, actor index, verb, target id).
ExtraActivity = tuple[float, int, int, str, int]

CATEGORY_NAMES = [
    "Discussions générales", "Vie de la section", "Questions pratiques", "Entraide", "Actions et mobilisations",
]  # fmt: skip
THEME_NAMES = [
    "Salaires et primes", "Congés et absences", "Temps de travail", "Santé et sécurité", "Droits syndicaux",
    "Élections professionnelles", "Formation", "Télétravail",
]  # fmt: skip
FOLDER_NAMES = [
    "Comptes rendus", "Tracts", "Accords d’entreprise", "Élections", "Formation", "Juridique", "Affiches",
    "Courriers à la direction", "Trésorerie", "Archives",
]  # fmt: skip
QUESTIONS = [
    "Comment poser un jour de congé pour enfant malade ?", "Combien de jours de congés payés ai-je par an ?",
    "Qui paie mes heures de délégation ?", "Puis-je refuser des heures supplémentaires ?",
    "Comment contester un avertissement ?", "Que faire en cas d’accident du travail ?",
    "Ai-je droit au télétravail ?", "Comment se calcule la prime d’ancienneté ?",
    "Peut-on me changer d’horaires du jour au lendemain ?", "Comment adhérer au syndicat ?",
    "Combien coûte la cotisation ?", "Qui peut se présenter aux élections du CSE ?",
    "Comment demander une formation ?", "Que dit l’accord sur le droit à la déconnexion ?",
    "Comment sont payées les heures de nuit ?", "Que faire si ma fiche de paie est fausse ?",
    "Ai-je droit à une visite chez le médecin du travail ?", "Comment se passe un entretien préalable ?",
    "Puis-je faire grève si je suis en CDD ?", "Comment obtenir un aménagement de poste ?",
]  # fmt: skip
TOPIC_OPENERS = [
    "Question sur", "Retour sur", "Besoin d’avis sur", "Organisation de", "Point sur", "Idées pour",
    "Compte rendu :", "Qui est disponible pour", "Proposition pour", "Problème avec",
]  # fmt: skip
DOCUMENT_KINDS = [
    ("Compte rendu", "application/pdf", "pdf"), ("Tract", "application/pdf", "pdf"),
    ("Note", "application/vnd.oasis.opendocument.text", "odt"),
    ("Courrier", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    ("Déclaration", "application/pdf", "pdf"), ("Guide", "application/pdf", "pdf"),
]  # fmt: skip
MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre",
]  # fmt: skip
PLACEHOLDER = "library/bench/placeholder.pdf"
PLACEHOLDER_BYTES = b"%PDF-1.4\n% Terrain bench placeholder: the text of this file is in extracted_text.\n%%EOF\n"


SYLLABLES = "bar bel ber bon cal cha dor fer gal lan lor mar mon mor nel pal quer ran ril sal tel val ver vil zan"


@cache
def rare_nouns(count: int = 20_000) -> list[str]:
    """Made-up proper nouns (firms, places), the same for every dataset: each is in few documents."""
    rng = random.Random(1995)
    syllables = SYLLABLES.split()
    found: dict[str, None] = {}
    while len(found) < count:
        found["".join(rng.choice(syllables) for _ in range(rng.randint(3, 4))).capitalize()] = None
    return list(found)


class French:
    """Sentences of the demo's word lists and of the writing coach's corpus, and names of places."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        corpus = Path(settings.BASE_DIR) / "terrain" / "coach" / "corpus" / "posts.json"
        sentences: list[str] = []
        if corpus.exists():
            for post in json.loads(corpus.read_text())["posts"]:
                sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", post["text"]) if len(s.strip()) > 20]
        self.corpus = sentences or [text.sentence(rng) for _ in range(200)]

    def sentence(self) -> str:
        roll = self.rng.random()
        if roll < 0.45:
            return text.sentence(self.rng)
        if roll < 0.9:
            return self.rng.choice(self.corpus)
        if roll < 0.95:
            town = self.rng.choice(names.TOWNS)[0]
            person = f"{self.rng.choice(names.FIRST_NAMES)} {self.rng.choice(names.LAST_NAMES)}"
            return f"{person}, de l’équipe de {town}, {self.rng.choice(text.DETAILS)}"
        # The long tail of a real library: names found in a handful of documents.
        return f"Le dossier {self.rng.choice(rare_nouns())} {self.rng.choice(text.DETAILS)}"

    def paragraphs(self, length: int) -> list[str]:
        """About ``length`` characters, in paragraphs of two to five sentences."""
        out, size = [], 0
        while size < length:
            paragraph = " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))
            out.append(paragraph)
            size += len(paragraph) + 2
        return out

    def subject(self) -> str:
        return self.rng.choice(text.SUBJECTS)


def _later(rng: random.Random, start: float, at: float, end: float) -> float:
    """``at``, or when it falls after ``end``, a moment between ``start`` and ``end`` (a cap
    would pile the late topics' replies and answers up at the dataset's last second, on top
    of every feed)."""
    return at if at <= end else rng.uniform(start, end)


def _html(paragraphs: list[str]) -> str:
    return "".join(text_to_html(p) for p in paragraphs)


def _placeholder() -> None:
    path = Path(settings.MEDIA_ROOT) / PLACEHOLDER
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PLACEHOLDER_BYTES)


def write_toolbox(loader, rng: random.Random, scale, coops, users, now: float, codes) -> list[ExtraActivity]:
    """Write forum, FAQ and library rows; returns their feed activities, sorted by time."""
    french = French(rng)
    start, end = now - 365 * DAY, now - 60
    # Busier cooperatives use their tools more, not proportionally more (as with the posts).
    cum = cumulative(len(members) ** 0.8 for members in coops.members)
    activities: list[ExtraActivity] = []
    activities += _write_forum(loader, rng, scale, coops, users, start, end, codes, cum, french)
    activities += _write_faq(loader, rng, scale, coops, users, start, end, codes, cum, french)
    activities += _write_library(loader, rng, scale, coops, users, start, end, codes, cum, french)
    activities.sort(key=lambda a: a[0])
    return activities


def _write_forum(loader, rng, scale, coops, users, start, end, codes, cum, french) -> list[ExtraActivity]:
    coop_id0, user_id0 = coops.first_id, users.first_id
    n_topics, n_replies = scale.topics, scale.replies
    if not n_topics:
        return []
    topic_ts = sorted(rng.uniform(start, end - DAY) for _ in range(n_topics))
    topic_coop = [pick(rng, cum) for _ in range(n_topics)]
    topic_author = [rng.choice(coops.members[c]) for c in topic_coop]
    # One category per cooperative with topics, created the day before its first topic.
    category_of: dict[int, int] = {}
    category_rows = []
    category_id0 = loader.next_id(Category)
    for t, c in enumerate(topic_coop):
        if c not in category_of:
            category_of[c] = category_id0 + len(category_rows)
            at = loader.dt(topic_ts[t] - DAY)
            category_rows.append((category_of[c], at, at, next(codes), coop_id0 + c, rng.choice(CATEGORY_NAMES), "", 0))
    loader.insert(
        Category, ["id", "created_at", "updated_at", "code", "cooperative_id", "name", "description", "position"],
        category_rows,
    )  # fmt: skip

    # Replies: a few topics get many, most a handful; a small circle of the cooperative replies.
    weights = cumulative(min(rng.paretovariate(1.4), 100.0) for _ in range(n_topics))
    reply_topic = [pick(rng, weights) for _ in range(n_replies)]
    reply_ts = [_later(rng, topic_ts[t], topic_ts[t] + rng.expovariate(1 / (2 * DAY)), end) for t in reply_topic]
    circles: dict[int, list[int]] = {}
    reply_author = []
    for t in reply_topic:
        circle = circles.get(t)
        if circle is None:
            members = coops.members[topic_coop[t]]
            circle = circles[t] = rng.sample(members, min(5, len(members)))
        reply_author.append(topic_author[t] if rng.random() < 0.2 else rng.choice(circle))
    del circles
    order = sorted(range(n_replies), key=reply_ts.__getitem__)
    reply_id0 = loader.next_id(Reply)
    reply_id = [0] * n_replies
    for rank, k in enumerate(order):
        reply_id[k] = reply_id0 + rank
    reply_count = [0] * n_topics
    last_at = list(topic_ts)
    last_replier: list[int | None] = [None] * n_topics
    subscribers: list[dict[int, float]] = [{topic_author[t]: topic_ts[t]} for t in range(n_topics)]
    first_reply_by_other: dict[int, int] = {}
    for k in order:
        t, author, at = reply_topic[k], reply_author[k], reply_ts[k]
        reply_count[t] += 1
        last_at[t], last_replier[t] = at, author
        subscribers[t][author] = at  # follows and has read up to its own reply
        if author != topic_author[t]:
            first_reply_by_other.setdefault(t, k)
    # The author marks an answer in about a third of the topics others replied to.
    answers = {t: k for t, k in first_reply_by_other.items() if rng.random() < 0.35}

    topic_id0 = loader.next_id(Topic)
    titles = [f"{rng.choice(TOPIC_OPENERS)} {french.subject()}" for _ in range(3000)]
    bodies = [_html(french.paragraphs(rng.randint(200, 900))) for _ in range(3000)]

    def topic_rows():
        for t in range(n_topics):
            at = loader.dt(topic_ts[t])
            answer = answers.get(t)
            yield (
                topic_id0 + t, at, at, next(codes), coop_id0 + topic_coop[t], category_of[topic_coop[t]],
                user_id0 + topic_author[t], rng.choice(titles)[:150], rng.choice(bodies), reply_count[t],
                loader.dt(last_at[t]), None if last_replier[t] is None else user_id0 + last_replier[t],
                None if answer is None else reply_id[answer],
            )  # fmt: skip

    loader.insert(
        Topic,
        ["id", "created_at", "updated_at", "code", "cooperative_id", "category_id", "author_id", "title", "body_html",
         "reply_count", "last_activity_at", "last_replier_id", "answer_id"],
        topic_rows(),
    )  # fmt: skip
    reply_bodies = text.comment_bodies(rng, 1500)
    reply_bodies += [_html(french.paragraphs(rng.randint(60, 500))) for _ in range(1500)]

    def reply_rows():
        for rank, k in enumerate(order):
            at = loader.dt(reply_ts[k])
            yield (
                reply_id0 + rank, at, at, next(codes), topic_id0 + reply_topic[k], user_id0 + reply_author[k],
                rng.choice(reply_bodies),
            )  # fmt: skip

    loader.insert(Reply, ["id", "created_at", "updated_at", "code", "topic_id", "author_id", "body_html"], reply_rows())
    loader.insert(
        TopicSubscription,
        ["topic_id", "user_id"],
        ((topic_id0 + t, user_id0 + u) for t in range(n_topics) for u in subscribers[t]),
    )
    loader.insert(
        TopicRead,
        ["topic_id", "user_id", "read_at"],
        ((topic_id0 + t, user_id0 + u, loader.dt(at)) for t in range(n_topics) for u, at in subscribers[t].items()),
    )
    loader.phase("forum", f"{len(category_rows)} categories, {n_topics} topics, {n_replies} replies")

    activities: list[ExtraActivity] = [
        (topic_ts[t], topic_coop[t], topic_author[t], TOPIC_CREATED, topic_id0 + t) for t in range(n_topics)
    ]
    for t, k in answers.items():
        marked = _later(rng, reply_ts[k], reply_ts[k] + rng.uniform(600, DAY), end)
        activities.append((marked, topic_coop[t], topic_author[t], ANSWER_MARKED, reply_id[k]))
    return activities


def _write_faq(loader, rng, scale, coops, users, start, end, codes, cum, french) -> list[ExtraActivity]:
    coop_id0, user_id0 = coops.first_id, users.first_id
    n_entries = scale.faq_entries
    if not n_entries:
        return []
    entry_ts = sorted(rng.uniform(start, end) for _ in range(n_entries))
    entry_coop = [pick(rng, cum) for _ in range(n_entries)]
    theme_id0 = loader.next_id(Theme)
    themes: dict[int, list[int]] = {}  # cooperative index -> theme ids
    theme_rows = []
    positions: dict[int, int] = {}
    entry_theme = []
    for e, c in enumerate(entry_coop):
        ids = themes.get(c)
        if ids is None:
            at = loader.dt(entry_ts[e] - DAY)
            ids = themes[c] = []
            for position, name in enumerate(rng.sample(THEME_NAMES, rng.randint(1, 3))):
                ids.append(theme_id0 + len(theme_rows))
                theme_rows.append((ids[-1], at, at, next(codes), coop_id0 + c, name, position))
        entry_theme.append(rng.choice(ids))
    loader.insert(Theme, ["id", "created_at", "updated_at", "code", "cooperative_id", "name", "position"], theme_rows)
    entry_author = [rng.choice(sorted(coops.animateurs[c]) or coops.members[c]) for c in entry_coop]
    entry_id0 = loader.next_id(Entry)
    answers = [_html(french.paragraphs(rng.randint(300, 1200))) for _ in range(2000)]

    def entry_rows():
        for e in range(n_entries):
            at = loader.dt(entry_ts[e])
            theme = entry_theme[e]
            position = positions[theme] = positions.get(theme, -1) + 1
            author = user_id0 + entry_author[e]
            yield (
                entry_id0 + e, at, at, next(codes), coop_id0 + entry_coop[e], theme, rng.choice(QUESTIONS),
                rng.choice(answers), position, author, author,
            )  # fmt: skip

    loader.insert(
        Entry,
        ["id", "created_at", "updated_at", "code", "cooperative_id", "theme_id", "question", "answer_html", "position",
         "author_id", "last_editor_id"],
        entry_rows(),
    )  # fmt: skip
    loader.phase("faq", f"{len(theme_rows)} themes, {n_entries} entries")
    return [(entry_ts[e], entry_coop[e], entry_author[e], ENTRY_ADDED, entry_id0 + e) for e in range(n_entries)]


def _write_library(loader, rng, scale, coops, users, start, end, codes, cum, french) -> list[ExtraActivity]:
    coop_id0, user_id0 = coops.first_id, users.first_id
    n_files = scale.files
    if not n_files:
        return []
    _placeholder()
    file_ts = sorted(rng.uniform(start, end) for _ in range(n_files))
    file_coop = [pick(rng, cum) for _ in range(n_files)]
    # Files come in batches: the same person adds a few at once, often.
    file_author = []
    for f, c in enumerate(file_coop):
        if f and file_coop[f - 1] == c and rng.random() < 0.5:
            file_author.append(file_author[-1])
        else:
            pool = sorted(coops.animateurs[c]) if rng.random() < 0.6 else coops.members[c]
            file_author.append(rng.choice(pool or coops.members[c]))
    folder_id0 = loader.next_id(Folder)
    folders: dict[int, list[int]] = {}
    folder_rows = []
    file_folder = []
    for f, c in enumerate(file_coop):
        ids = folders.get(c)
        if ids is None:
            at = loader.dt(file_ts[f] - DAY)
            ids = folders[c] = []
            for name in rng.sample(FOLDER_NAMES, rng.randint(1, 4)):
                ids.append(folder_id0 + len(folder_rows))
                folder_rows.append((ids[-1], at, at, next(codes), coop_id0 + c, name, user_id0 + file_author[f]))
        file_folder.append(rng.choice(ids) if rng.random() < 0.85 else None)
    loader.insert(
        Folder, ["id", "created_at", "updated_at", "code", "cooperative_id", "name", "created_by_id"], folder_rows
    )
    file_id0 = loader.next_id(File)
    version_id0 = loader.next_id(FileVersion)
    kinds = [rng.choice(DOCUMENT_KINDS) for _ in range(n_files)]
    file_names = []
    for f in range(n_files):
        label, _mime, ext = kinds[f]
        month = MONTHS[datetime.fromtimestamp(file_ts[f], UTC).month - 1]
        file_names.append(f"{label} — {french.subject()} ({month}).{ext}")

    def file_rows():
        for f in range(n_files):
            at = loader.dt(file_ts[f])
            yield (
                file_id0 + f, at, at, next(codes), coop_id0 + file_coop[f], file_folder[f], file_names[f][:255],
                File.Kind.DOCUMENT, version_id0 + f, user_id0 + file_author[f], File.Status.DONE, File.Status.NONE,
            )  # fmt: skip

    loader.insert(
        File,
        ["id", "created_at", "updated_at", "code", "cooperative_id", "folder_id", "name", "kind", "current_version_id",
         "created_by_id", "extraction_status", "preview_status"],
        file_rows(),
    )  # fmt: skip
    sha = hashlib.sha256(PLACEHOLDER_BYTES).hexdigest()

    def version_rows():
        for f in range(n_files):
            _label, mime, _ext = kinds[f]
            extracted = "\n\n".join([file_names[f].rsplit(".", 1)[0], *french.paragraphs(rng.randint(1000, 3000))])
            yield (
                version_id0 + f, next(codes), file_id0 + f, 1, PLACEHOLDER, file_names[f][:255],
                rng.randint(20_000, 2_000_000), mime, sha, user_id0 + file_author[f], loader.dt(file_ts[f]), extracted,
            )  # fmt: skip

    loader.insert(
        FileVersion,
        ["id", "code", "file_id", "number", "blob", "original_name", "size", "mime_type", "sha256", "uploaded_by_id",
         "created_at", "extracted_text"],
        version_rows(),
    )  # fmt: skip
    loader.phase("library", f"{len(folder_rows)} folders, {n_files} files with their text")
    return [(file_ts[f], file_coop[f], file_author[f], FILE_ADDED, file_id0 + f) for f in range(n_files)]
