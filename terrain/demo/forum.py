"""Demonstration forum for the "hopital" section's cooperative of the demo world.

Four categories, five realistic topics: pinned forum rules, a strike-ballot discussion, an
overtime-pay question solved by the facilitator, and two conversations the demo logins have
not read yet (so that "new" shows). Written through the forum's services, then dated over the
last three weeks.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from terrain.cooperatives.models import Membership
from terrain.forum.models import Reply, Topic, TopicRead
from terrain.forum.search_documents import REPLY, TOPIC
from terrain.forum.services import reply_create, reply_mark_answer, topic_create, topic_set_locked, topic_set_pinned
from terrain.forum.services_categories import category_create, category_ensure_default
from terrain.search.services import search_index

CATEGORIES = [
    ("Salaires et primes", "Fiches de paie, heures supplémentaires, primes de nuit et de dimanche."),
    ("Grève et mobilisation", "Préavis, votes, piquets, caisse de grève."),
    ("Conditions de travail", "Plannings, effectifs, pauses, matériel."),
]

# (key, category or None for "Général", author, days ago, title, body, tags, replies [(author, text)])
TOPICS = [
    (
        "regles",
        None,
        "animatrice",
        21,
        "Règles du forum",
        "<div>Bienvenue sur le forum de la section ! Quelques règles simples :</div>"
        "<ul><li>Un sujet, une question : cherchez d'abord si elle a déjà été posée.</li>"
        "<li>On parle des problèmes, pas des personnes : pas de nom de collègue ni de cadre mis en cause.</li>"
        "<li>Rien de ce qui est écrit ici ne sort de la section sans l'accord de son auteur.</li></ul>"
        "<div>Les animateurs peuvent déplacer, verrouiller ou retirer un message. Bonnes discussions !</div>",
        ["règles"],
        [],
    ),
    (
        "greve",
        "Grève et mobilisation",
        "animatrice",
        12,
        "Vote sur le préavis de grève du 14 mars",
        "<div>Le bureau propose de déposer un préavis pour le <strong>14 mars</strong> : effectifs de nuit, "
        "remplacement des arrêts maladie, prime de nuit. Le vote a lieu jeudi en assemblée générale, "
        "salle du personnel, à 13 h et à 21 h pour l'équipe de nuit. Donnez votre avis ici avant jeudi.</div>",
        ["grève", "vote", "effectifs"],
        [
            (
                "sophie",
                "<div>Pour. Trois nuits sur cinq à deux aides-soignantes pour 28 lits, ce n'est plus tenable.</div>",
            ),
            (
                "karim",
                "<div>D'accord sur le fond, mais le 14 c'est un jeudi de paie : beaucoup vont hésiter. "
                "Le 21 ne serait pas mieux ?</div>",
            ),
            ("linh", "<div>Pour aussi. Pensez à l'assignation : il faut qu'on sache qui sera réquisitionné.</div>"),
            (
                "animatrice",
                "<div>@{karim} on en parle jeudi, la date est au vote. Pour les assignations, "
                "la direction doit les notifier au plus tard la veille : on vérifiera chaque liste.</div>",
            ),
            ("pierre", "<div>En radio on sera là. On peut prévoir une caisse de grève pour les temps partiels ?</div>"),
            ("membre", "<div>Je serai à l'AG de 21 h avec l'équipe de nuit. Pour la caisse : oui !</div>"),
        ],
    ),
    (
        "heures",
        "Salaires et primes",
        "membre",
        9,
        "Heures supplémentaires de nuit : quel taux ?",
        "<div>J'ai fait 6 heures en plus la semaine dernière (nuits), payées au taux normal sur ma fiche "
        "de paie. Quelqu'un sait quel taux s'applique chez nous ?</div>",
        ["heures sup", "paie"],
        [
            ("linh", "<div>Pareil pour moi en février. Je crois que c'est 25 % mais pas sûre pour la nuit.</div>"),
            (
                "animatrice",
                "<div>Les 8 premières heures supplémentaires de la semaine sont majorées de "
                "<strong>25 %</strong>, les suivantes de 50 %, et la majoration de nuit s'ajoute. Demandez la "
                "régularisation par écrit au service paie (modèle de lettre à la permanence) ; "
                "si rien au mois suivant, on saisit la direction ensemble.</div>",
            ),
            ("membre", "<div>Merci Nadia, lettre envoyée ce matin.</div>"),
        ],
    ),
    (
        "plannings",
        "Conditions de travail",
        "sophie",
        3,
        "Plannings de l'été : qui a reçu le sien ?",
        "<div>On est en avril et toujours pas de planning pour juillet-août en médecine B. "
        "C'est pareil ailleurs ?</div>",
        ["plannings", "congés"],
        [
            ("fatou", "<div>Rien non plus au bionettoyage. On nous dit « fin mai ».</div>"),
            ("thomas", "<div>En rééducation on l'a eu, mais avec deux week-ends de plus que l'an dernier.</div>"),
            ("yann", "<div>Aux urgences, rien. Le délai de prévenance est d'un mois minimum, non ?</div>"),
        ],
    ),
    (
        "pause",
        "Conditions de travail",
        "yann",
        1,
        "Pause de nuit : une salle pour souffler",
        "<div>Depuis les travaux, l'équipe de nuit des urgences n'a plus de salle de pause. "
        "On mange debout dans le couloir. Qui est dans le même cas ?</div>",
        ["pauses"],
        [
            ("linh", "<div>Pareil en médecine B depuis mars. On pourrait faire une demande commune ?</div>"),
        ],
    ),
]


def _person(world, key):
    return world.people.get(key) or world.people["membre"]


def _text(world, html: str) -> str:
    for key, person in world.people.items():
        html = html.replace("{" + f"@{key}" + "}", f"@{person.handle}")
    return html


def load(world) -> None:
    structure = world.structures["hopital"]
    cooperative = structure.cooperative
    members = set(Membership.objects.filter(cooperative=cooperative).values_list("user_id", flat=True))
    category_ensure_default(cooperative=cooperative)
    facilitator = world.people["animatrice"]
    categories = {c.name: c for c in cooperative.forum_categories.all()}
    for name, description in CATEGORIES:
        categories[name] = category_create(cooperative=cooperative, name=name, description=description, by=facilitator)
    general = cooperative.forum_categories.get(position=0)
    now = timezone.now()
    topics = {}
    for key, category, author, days, title, body, tags, replies in TOPICS:
        writer = _person(world, author)
        if writer.pk not in members:
            writer = facilitator
        topic = topic_create(
            category=categories[category] if category else general, author=writer, title=title,
            body_html=_text(world, body), tags=tags,
        )  # fmt: skip
        start = now - timedelta(days=days, hours=2)
        _date(topic, start)
        for n, (who, text) in enumerate(replies, start=1):
            person = _person(world, who)
            reply = reply_create(topic=topic, author=person if person.pk in members else facilitator,
                                 body_html=_text(world, text))  # fmt: skip
            _date(reply, start + timedelta(hours=3 * n))
        topics[key] = topic
    topic_set_pinned(topic=topics["regles"], pinned=True, by=facilitator)
    topic_set_locked(topic=topics["regles"], locked=True, by=facilitator)
    answer = Reply.objects.filter(topic=topics["heures"], author=facilitator).first()
    if answer is not None:
        reply_mark_answer(reply=answer, by=facilitator)
    # What the demo logins have read: the older topics, but not all of the strike ballot nor the
    # two newest conversations; those show "new". (The feed's activities keep the date of the
    # build: the feed is ordered by id, and ids must grow with dates.)
    for topic in Topic.objects.filter(cooperative=cooperative):
        last = topic.replies.order_by("-created_at").values_list("created_at", flat=True).first()
        Topic.objects.filter(pk=topic.pk).update(last_activity_at=last or topic.created_at)
    search_index(kind=TOPIC, objects=Topic.objects.filter(cooperative=cooperative))
    search_index(kind=REPLY, objects=Reply.objects.filter(topic__cooperative=cooperative).select_related("topic"))
    TopicRead.objects.filter(topic__cooperative=cooperative).delete()
    for login in ("animatrice", "membre"):
        user = world.people[login]
        for key in ("regles", "heures"):
            TopicRead.objects.create(topic=topics[key], user=user, read_at=now)
        second_to_last = topics["greve"].replies.order_by("-created_at").values_list("created_at", flat=True)[2:3]
        TopicRead.objects.create(topic=topics["greve"], user=user, read_at=second_to_last[0])


def _date(obj, when) -> None:
    type(obj).objects.filter(pk=obj.pk).update(created_at=when, updated_at=when)
    obj.created_at = when
    if isinstance(obj, Topic):
        Topic.objects.filter(pk=obj.pk).update(last_activity_at=when)
