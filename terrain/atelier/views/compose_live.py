"""What the composer shows about the text as typed: counters, previews and the coach's flags.

Pure reads of the form's data (valid or not) and of the structure's lexicon; also the
coach's mechanical fix made by the server when the form is posted without JavaScript.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from terrain.atelier.forms import ComposerForm
from terrain.atelier.message_selectors import account_label, link_in_text, sent_text
from terrain.atelier.models import ConnectedAccount
from terrain.atelier.selectors_plan import lexicon_of
from terrain.lib.html import text_to_html
from terrain.networks import counting, registry


def preview_html(text: str) -> SafeString:
    # text_to_html escapes the text and sanitises the result with nh3.
    return mark_safe(text_to_html(text))  # noqa: S308


def form_state(form: ComposerForm) -> dict:
    """What the form holds, valid or not: the live previews follow what is typed."""
    if form.is_bound:
        data = form.data
        body = (data.get("body") or "").strip()
        codes = set(data.getlist("accounts"))
        accounts = [a for code, a in form._accounts.items() if code in codes]
        variants = {n: (data.get(f"variant_{n}") or "").strip() for n in form.networks}
        alts = {i.code: (data.get(f"alt_{i.code}") or "").strip() for i in form.images}
        link = (data.get("link") or "").strip()
    else:
        body = (form.initial.get("body") or "").strip()
        codes = set(form.initial.get("accounts", []))
        accounts = [a for code, a in form._accounts.items() if code in codes]
        variants = {n: form.initial.get(f"variant_{n}", "") for n in form.networks}
        alts = {i.code: i.alt_text for i in form.images}
        link = form.initial.get("link", "")
    return {"body": body, "accounts": accounts, "variants": variants, "alts": alts, "link": link}


def live_state(*, structure, form: ComposerForm) -> dict:
    """Counters and previews per network, and the coach's flags, for what the form holds."""
    from terrain.coach import ImageInfo, Limit, analyse

    state = form_state(form)
    images = [(image, state["alts"].get(image.code, "")) for image in form.images]
    networks = []
    for network in sorted({a.network for a in state["accounts"]}, key=registry.display_order):
        text = state["variants"].get(network) or state["body"]
        sent = sent_text(network, text, state["link"], with_media=bool(images))
        maximum = counting.limit(network, with_media=bool(images))
        length = counting.count(network, sent)
        networks.append(
            {
                "network": network,
                "label": registry.label(network),
                "count": length,
                "maximum": maximum,
                "over": maximum is not None and length > maximum,
                "excess": length - maximum if maximum is not None else 0,
                "near": maximum is not None and length > maximum * 0.9,
                "html": preview_html(sent),
                "is_variant": bool(state["variants"].get(network)),
                "handles": [a.handle for a in state["accounts"] if a.network == network],
                "link_in_text": link_in_text(network, with_media=bool(images)),
            }
        )
    lexicon = lexicon_of(structure=structure)
    flags = analyse(
        state["body"],
        lexicon=lexicon,
        images=[ImageInfo(alt=alt) for _image, alt in images],
        limits=[Limit(n["label"], n["count"], n["maximum"]) for n in networks if n["maximum"] is not None],
        link=state["link"],
    )
    for item in networks:
        # A network's own text gets the coach too, in its preview. The images and the
        # length per network are the message's, already in the main list.
        item["flags"] = (
            [
                flag
                for flag in analyse(state["variants"][item["network"]], lexicon=lexicon, link=state["link"])
                if flag.code not in MESSAGE_LEVEL_FLAGS
            ]
            if item["is_variant"]
            else []
        )
    broken = [account_label(a) for a in state["accounts"] if a.status == ConnectedAccount.Status.BROKEN]
    return {"networks": networks, "flags": flags, "images": images, "link": state["link"], "broken": broken}


#: Coach flags about the message as a whole (its images), not about one text of it.
MESSAGE_LEVEL_FLAGS = frozenset({"no_image", "image_without_alt"})


def with_coach_fix(data, *, structure):
    """The form's data with the coach's mechanical fix ``code:start:end`` made in the text (no JavaScript).

    The flags are read again from the text as posted: a fix that no longer matches it is left out.
    """
    from terrain.coach import analyse

    body = (data.get("body") or "").strip()
    for flag in analyse(body, lexicon=lexicon_of(structure=structure)):
        if flag.replacement is not None and f"{flag.code}:{flag.start}:{flag.end}" == data["fix"]:
            data = data.copy()
            data["body"] = body[: flag.start] + flag.replacement + body[flag.end :]
            break
    return data
