"""Calls to action: a post should ask for one thing ("1 post = 1 idée") and ask for it.

Read on the folded text (no accents, no case). A verb in the imperative counts when no
"vous"/"nous" stands before it ("vous votez" describes, "votez" asks); an infinitive
counts after words that ask ("nous vous invitons à signer", "n'hésitez pas à voter").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from terrain.coach.text import Draft
from terrain.coach.types import ADVICE, Flag

# What a reader is asked to do. Coming to a rally and striking the same day is one
# mobilisation; sharing, writing to us or reading more go along with any request.
PRIMARY = ("mobilise", "sign", "vote", "join", "survey", "donate")

_SURVEY = r"(?=\W+(?:\w+\W+){0,3}?(?:enquete|questionnaire|sondage|consultation))"
_VOTE = r"(?=\W+(?:\w+\W+){0,3}?(?:vote|elections?|scrutin))"
_INFINITIVE_AFTER = r"(?!\W+\w+(?:er|ir|re)\b)"

IMPERATIVES: dict[str, str] = {
    "mobilise": (
        rf"venez{_INFINITIVE_AFTER}|venons|rejoignez-nous(?=\W+(?:a|au|aux|devant|place|des|sur|le|ce|demain)\b)"
        r"|retrouvez-nous|retrouvons-nous|rassemblons-nous|inscrivez-vous|inscrivez|reservez|passez"
        r"|assistez|debrayez|debrayons|mobilisez-vous|mobilisons-nous|mobilisez|mobilisons|manifestez|manifestons"
        r"|faites greve|cessez le travail|soyez (?:nombreu\w+|la|present\w*)|participez(?!\W+(?:\w+\W+){0,3}?"
        r"(?:enquete|questionnaire|sondage|consultation|vote|elections?|scrutin))"
    ),
    "sign": r"signez|signons|signez-la",
    "vote": rf"votez|votons|participez{_VOTE}",
    "join": r"adherez|syndiquez-vous|prenez (?:votre|ta) carte"
    # "Rejoignez le collectif" is joining; "rejoignez-nous jeudi devant l'usine" is coming.
    r"|rejoignez(?!-nous)"
    r"|rejoignez-nous(?!\W+(?:a|au|aux|devant|place|des|sur|le|ce|demain|lundi|mardi|mercredi|jeudi|vendredi|samedi)\b)",
    "survey": rf"repondez|remplissez|donnez(?:-nous)? votre avis|participez{_SURVEY}",
    "donate": r"donnez(?!(?:-nous)? (?:votre|ton) avis)|contribuez|soutenez la caisse",
    "share": r"partagez|relayez|diffusez|faites (?:tourner|passer)|parlez-en|transferez",
    "contact": r"dites-nous|contactez(?:-nous)?|ecrivez(?:-nous)?|appelez(?:-nous)?|posez(?:-nous)?|n'hesitez pas"
    r"|envoyez(?:-nous)?",
    "read": r"lisez|decouvrez|consultez|telechargez|retrouvez(?!-nous)|cliquez|suivez|regardez|ecoutez|abonnez-vous",
}
INFINITIVES: dict[str, str] = {
    "mobilise": r"venir|participer|assister|vous inscrire|s'inscrire|nous rejoindre|debrayer|manifester"
    r"|(?:la|en|faire) greve|discuter|echanger"
    r"|(?:au |a la |aux )(?:rassemblement|manifestation|reunion|assemblee|permanence|debrayage|greve)",
    "sign": r"signer|(?:la )?petition",
    "vote": r"voter|(?:au |aux )(?:vote|elections?)",
    "join": r"adherer|vous syndiquer|nous rejoindre dans",
    "survey": r"repondre|remplir",
    "donate": r"donner|contribuer",
    "share": r"partager|relayer|diffuser",
    "contact": r"contacter|ecrire|appeler|poser",
    "read": r"lire|decouvrir|consulter|telecharger",
}
# Words that ask, followed (within a few words) by what they ask for.
ASKING = re.compile(
    r"\b(?:invit\w*|appel\w*|venez|pouvez|pensez|hesitez pas|compte sur vous|comptons sur vous|besoin de vous"
    r"|il faut|a vous de|oubliez pas|on vous attend|vous attendons|soyons nombreu\w*)\b(?P<rest>.{0,50})"
)
PHRASES: dict[str, str] = {
    "mobilise": r"\brendez-vous\b|\brdv\b|\b(?:tous|toutes|tou·tes|tou\.te\.s|soyons|restons)"
    r"\W+(?:\w+\W+){0,2}?en greve|\ben greve\s*!|\bon vous attend\b|\bvous attendons\b"
    # An event with its time is an invitation: "Débrayage jeudi 14h", "Manifestation samedi 14h30".
    r"|\b(?:rassemblement|debrayage|manifestation|manif|greve)\b[^.!?\n]{0,40}?\b\d{1,2}h",
    "read": r"\bbonne lecture\b|\bplus d'infos?\b|\ben savoir plus\b"
    r"|\btout savoir\b|\blien en bio\b|\binfos? et inscriptions?\b",
    "contact": r"\bdes questions\s*\?",
}
TOPIC_CHANGE = re.compile(
    r"\b(?:par ailleurs|autre sujet|autre info|autre chose|et aussi|on en profite|au passage|d'autre part"
    r"|sans oublier|dans un autre registre|autre rappel|autre nouvelle|enfin, n'oubliez)\b|^\s*p\.?s\.?\s*:",
    re.MULTILINE,
)
MONTHS = r"janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
DATE = re.compile(rf"\b(\d{{1,2}})(?:er)?\s+({MONTHS})\b|\b(\d{{1,2}})/(\d{{1,2}})\b")


@dataclass(frozen=True)
class Call:
    group: str
    words: str  # as written in the post
    start: int
    end: int


_PRONOUNS = r"(?:-(?:le|la|les|nous|vous|moi|en|y|lui|leur))*"
# Any other verb in the imperative at the head of a clause ("Signalez-le", "Vérifiez") asks too.
_ANY_IMPERATIVE = re.compile(
    rf"(?:^|[.!?:;,(•–—]\s*|\bet\s+|\bpuis\s+)(?!chez\b|assez\b)(?:n')?(\w{{2,}}ez|dites|faites){_PRONOUNS}(?![\w-])"
    # "Soutenons-les", "Défendons-la": the pronoun tells a verb from a noun ("Élections :").
    r"|(?<![\w-])(\w{3,}ons)-(?:le|la|les|nous|en|y)(?![\w-])",
    re.MULTILINE,
)


def _imperative_pattern(forms: str) -> re.Pattern:
    # Not after "vous"/"nous"/"on" (a description), nor glued to a longer word.
    return re.compile(rf"(?<![\w-])(?<!vous )(?<!nous )(?<!on )(?:{forms}){_PRONOUNS}(?![\w-])")


_IMPERATIVES = {group: _imperative_pattern(forms) for group, forms in IMPERATIVES.items()}
_INFINITIVES = {group: re.compile(rf"\b(?:{forms})\b") for group, forms in INFINITIVES.items()}
_PHRASES = {group: re.compile(forms) for group, forms in PHRASES.items()}


def calls(draft: Draft) -> list[Call]:
    """What the post asks of its readers, in the order it asks."""
    prose = draft.prose

    def call(group: str, start: int, end: int) -> Call:
        return Call(group, draft.text[start:end], start, end)

    found: list[Call] = []
    for table in (_IMPERATIVES, _PHRASES):
        for group, pattern in table.items():
            found.extend(call(group, m.start(), m.end()) for m in pattern.finditer(prose))
    for ask in ASKING.finditer(prose):
        offset = ask.start("rest")
        for group, pattern in _INFINITIVES.items():
            found.extend(call(group, offset + m.start(), offset + m.end()) for m in pattern.finditer(ask.group("rest")))
    if not found:
        for m in _ANY_IMPERATIVE.finditer(prose):
            verb = 1 if m.group(1) else 2
            found.append(call("other", m.start(verb), m.end(verb)))
    return sorted(found, key=lambda found_call: found_call.start)


def _distinct_dates(draft: Draft) -> set[tuple[str, str]]:
    dates = set()
    for match in DATE.finditer(draft.prose):
        dates.add((match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4)))
    return dates


def several_ideas(draft: Draft, **_inputs) -> list[Flag]:
    primary: dict[str, Call] = {}
    for call in calls(draft):
        if call.group in PRIMARY:
            primary.setdefault(call.group, call)
    links = {url.text.rstrip("/").lower() for url in draft.urls}
    topic = TOPIC_CHANGE.search(draft.prose)
    # Where the second message starts, when it can be pointed at.
    start: int | None = None
    end: int | None = None
    if len(primary) >= 2:
        excerpt = " … ".join(call.words for call in primary.values())
        start, end = list(primary.values())[1].start, list(primary.values())[1].end
        reason = _("This post asks for several different things: %(calls)s.") % {"calls": excerpt}
    elif topic:
        start, end = topic.start() + len(topic.group()) - len(topic.group().lstrip()), topic.end()
        excerpt = draft.text[start:end]
        reason = _("This post moves on to another subject (“%(words)s”).") % {"words": excerpt}
    elif len(links) >= 2:
        excerpt = " ".join(url.text for url in draft.urls)
        reason = _("This post points to %(count)d different links.") % {"count": len(links)}
    elif len(_distinct_dates(draft)) >= 3:
        excerpt = ""
        reason = _("This post gives several different dates.")
    else:
        return []
    return [
        Flag(
            code="several_ideas",
            severity=ADVICE,
            message=reason
            + " "
            + _(
                "One post, one idea: readers scrolling by keep only one message, "
                "and a single request is the one they act on."
            ),
            suggestion=_("Keep the main message here and make a separate post for each other one."),
            excerpt=excerpt,
            start=start,
            end=end,
        )
    ]


def no_call_to_action(draft: Draft, **_inputs) -> list[Flag]:
    if calls(draft):
        return []
    return [
        Flag(
            code="no_call_to_action",
            severity=ADVICE,
            message=_(
                "The post does not say what readers can do. A post that asks for something (sign, come, "
                "share, join) gets more interactions, and interactions make it visible."
            ),
            suggestion=_(
                "End with one clear request: “Signez la pétition”, “Venez le 12 mars”, “Rejoignez-nous”, "
                "“Partagez autour de vous”."
            ),
        )
    ]
