"""Writes of the tractothèque: tracts, their offers to the sub-structures, downloads and reuses."""

from __future__ import annotations

from collections import defaultdict
from datetime import date as Date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from terrain.cooperatives.models import Cooperative, Membership
from terrain.feed.models import Notification
from terrain.feed.services import activities_delete, activity_record, notifications_create_many
from terrain.lib.text import shorten
from terrain.library.models import File, FileDownload
from terrain.library.selectors import photo_shareable
from terrain.library.services import download_record, file_upload
from terrain.search.services import search_index, search_remove
from terrain.structures.models import Official, Structure
from terrain.tracts.feed_items import TRACT_ACCEPTED, TRACT_PUBLISHED
from terrain.tracts.models import Tract, TractOffer, TractReuse, TractTheme
from terrain.tracts.search_documents import TRACT, TRACT_RECEIVED
from terrain.tracts.themes import MAX_THEMES, theme_key, themes_clean
from terrain.tracts.tools import TRACTS


def structures_for_author(*, cooperative: Cooperative, user) -> list[Structure]:
    """The structures a tract of ``cooperative`` may say it is from: the cooperative's own, and
    those where ``user`` holds a mandate."""
    ids = set(Official.objects.filter(user=user).values_list("structure_id", flat=True))
    if cooperative.structure_id:
        ids.add(cooperative.structure_id)
    return list(Structure.objects.filter(pk__in=ids).order_by("depth", "name", "pk"))


def _check(*, cooperative: Cooperative, file: File, structure: Structure | None, by, themes: list[str]) -> None:
    if file.cooperative_id != cooperative.pk or file.deleted_at is not None:
        raise ValidationError({"file": _("Choose a file of this cooperative's library.")}, code="file")
    if structure is not None and structure not in structures_for_author(cooperative=cooperative, user=by):
        raise ValidationError(
            {"structure": _("Choose this cooperative's structure or one where you hold a mandate.")}, code="structure"
        )
    if len(themes) > MAX_THEMES:
        raise ValidationError({"themes": _("At most %(count)d themes.") % {"count": MAX_THEMES}}, code="themes")


def _set_themes(tract: Tract, themes: list[str]) -> None:
    tract.themes_text = "\n".join(themes)
    TractTheme.objects.filter(tract=tract).delete()
    TractTheme.objects.bulk_create([TractTheme(tract=tract, key=theme_key(t)) for t in themes])


def _reindex(tract: Tract) -> None:
    search_index(kind=TRACT, objects=[tract])
    accepted = list(TractOffer.objects.filter(tract=tract, status=TractOffer.Status.ACCEPTED))
    if accepted:
        search_index(kind=TRACT_RECEIVED, objects=accepted)


@transaction.atomic
def tract_create(
    *,
    cooperative: Cooperative,
    title: str,
    date: Date,
    by,
    file: File | None = None,
    upload=None,
    description: str = "",
    themes: list[str] | tuple = (),
    structure: Structure | None = None,
) -> Tract:
    """A tract of ``cooperative`` made of one of its library files, or of ``upload`` (added to
    the library first: refused uploads raise the library's ``ValidationError``, on ``upload``);
    in its feed at once."""
    themes = themes_clean(themes)
    if upload is not None:
        try:
            file = file_upload(cooperative=cooperative, folder=None, upload=upload, by=by, record=False)
        except ValidationError as error:
            raise ValidationError({"upload": error.messages}, code="upload") from error
    if structure is None and cooperative.structure_id:
        structure = cooperative.structure
    _check(cooperative=cooperative, file=file, structure=structure, by=by, themes=themes)
    tract = Tract.objects.create(
        cooperative=cooperative,
        file=file,
        title=title.strip() or file.name,
        description=description.strip(),
        date=date,
        structure=structure,
        author=by,
        themes_text="\n".join(themes),
    )
    _set_themes(tract, themes)
    activity_record(cooperative=cooperative, actor=by, verb=TRACT_PUBLISHED, target=tract)
    search_index(kind=TRACT, objects=[tract])
    return tract


@transaction.atomic
def tract_update(
    *,
    tract: Tract,
    title: str,
    date: Date,
    by,
    description: str = "",
    themes: list[str] | tuple = (),
    structure: Structure | None = None,
) -> Tract:
    themes = themes_clean(themes)
    _check(cooperative=tract.cooperative, file=tract.file, structure=structure, by=by, themes=themes)
    tract.title = title.strip() or tract.file.name
    tract.description = description.strip()
    tract.date = date
    tract.structure = structure
    _set_themes(tract, themes)
    tract.save()
    _reindex(tract)
    return tract


@transaction.atomic
def tracts_file_removed(*, file: File) -> int:
    """The library removed ``file``: its tracts leave the search at once (their pages and feed
    items already hide them). For the library to call when a file is deleted; returns how many
    tracts. Registered with the library's ``on_file_removed`` (``TractsConfig.ready``)."""
    tract_ids = list(Tract.objects.filter(file=file).values_list("pk", flat=True))
    if tract_ids:
        search_remove(kind=TRACT, ids=tract_ids)
        search_remove(
            kind=TRACT_RECEIVED, ids=TractOffer.objects.filter(tract_id__in=tract_ids).values_list("pk", flat=True)
        )
    return len(tract_ids)


@transaction.atomic
def tract_delete(*, tract: Tract, by) -> None:
    """Take the tract out of every tractothèque (its library file stays in the library)."""
    offer_ids = list(TractOffer.objects.filter(tract=tract).values_list("pk", flat=True))
    search_remove(kind=TRACT, ids=[tract.pk])
    search_remove(kind=TRACT_RECEIVED, ids=offer_ids)
    activities_delete(verbs=[TRACT_PUBLISHED], targets=[tract])
    activities_delete(verbs=[TRACT_ACCEPTED], targets=list(TractOffer.objects.filter(tract=tract)))
    tract.delete()


def receiving_cooperatives(tract: Tract) -> list[Cooperative]:
    """The live private cooperatives of every structure below the source's, at any depth."""
    source = tract.cooperative
    if source.structure_id is None:
        return []
    return list(
        Cooperative.objects.filter(structure__path__startswith=source.structure.path, archived_at__isnull=True)
        .exclude(pk=source.pk)
        .select_related("structure")
        .order_by("structure__path")
    )


@transaction.atomic
def tract_publish(*, tract: Tract, by) -> list[TractOffer]:
    """Offer ``tract`` to the cooperatives of every structure below its cooperative's; their
    facilitators are told (in the app, and by e-mail if they wish).

    Idempotent: a cooperative already offered it (whatever it decided) is not offered it again;
    publishing again offers it to the sub-structures created since. Returns the new offers.
    A photo of identifiable people without their consent never leaves its cooperative.
    """
    tract = (
        Tract.objects.select_for_update(of=("self",)).select_related("cooperative__structure", "file").get(pk=tract.pk)
    )
    if tract.cooperative.structure_id is None:
        raise ValidationError(
            _("Only a structure's own cooperative can offer tracts to its sub-structures."), code="not_structure"
        )
    if not photo_shareable(tract.file):
        raise ValidationError(
            _(
                "This photo shows people who can be identified and their consent is not recorded: it cannot "
                "be offered to other cooperatives. Mark their consent in the library first."
            ),
            code="consent",
        )
    if tract.published_at is None:
        tract.published_at = timezone.now()
        tract.save(update_fields=["published_at", "updated_at"])
    already = set(TractOffer.objects.filter(tract=tract).values_list("cooperative_id", flat=True))
    targets = [c for c in receiving_cooperatives(tract) if c.pk not in already]
    TractOffer.objects.bulk_create([TractOffer(tract=tract, cooperative=c) for c in targets], ignore_conflicts=True)
    offers = list(TractOffer.objects.filter(tract=tract, cooperative__in=targets).select_related("cooperative"))
    _tell_offered(tract=tract, cooperatives=[o.cooperative for o in offers if o.cooperative.tool_on(TRACTS)], by=by)
    return offers


def _tell_offered(*, tract: Tract, cooperatives: list[Cooperative], by) -> None:
    if not cooperatives:
        return
    by_coop = {c.pk: c for c in cooperatives}
    animateurs: dict[int, list] = defaultdict(list)
    for membership in Membership.objects.filter(
        cooperative_id__in=list(by_coop), role=Membership.Role.ANIMATEUR, user__is_active=True
    ).select_related("user"):
        if membership.user_id != by.pk:
            animateurs[membership.cooperative_id].append(membership.user)
    summary = shorten(
        _("%(source)s offers the tract “%(title)s”") % {"source": tract.cooperative.name, "title": tract.title}, 200
    )
    items = []
    mails = []
    for coop_id, users in animateurs.items():
        coop = by_coop[coop_id]
        url = reverse("tracts:offers", args=[coop.code])
        for user in users:
            items.append(
                (
                    user,
                    {
                        "reason": Notification.Reason.TRACT_SHARED,
                        "actor": by,
                        "cooperative": coop,
                        "summary": summary,
                        "target_url": url,
                    },
                )
            )
            if user.email and user.email_notifications:
                mails.append((user, coop, url))
    notifications_create_many(items)

    def send() -> None:
        from terrain.accounts.services import email_send

        for user, coop, url in mails:
            context = {
                "tract": tract,
                "source": tract.cooperative,
                "cooperative": coop,
                "actor": by,
                "link": settings.SITE_URL + url,
            }
            with translation.override(user.language or settings.LANGUAGE_CODE):
                email_send(template="tracts/email/offered", context=context, to=[user.email])

    if mails:
        transaction.on_commit(send)


def tract_offers_catch_up(*, cooperative: Cooperative) -> int:
    """Offer ``cooperative`` the tracts published above it before its structure existed (or
    moved there). Idempotent and cheap when nothing is missing (one read); called when its
    facilitators open their tractothèque. Returns how many offers were added."""
    if cooperative.structure_id is None or cooperative.is_archived:
        return 0
    above = cooperative.structure.ancestor_ids()
    if not above:
        return 0
    missing = list(
        Tract.objects.filter(cooperative__structure_id__in=above, published_at__isnull=False)
        .exclude(offers__cooperative=cooperative)
        .values_list("pk", flat=True)
    )
    if not missing:
        return 0
    TractOffer.objects.bulk_create(
        [TractOffer(tract_id=pk, cooperative=cooperative) for pk in missing], ignore_conflicts=True
    )
    return len(missing)


@transaction.atomic
def tract_offer_decide(*, offer: TractOffer, accept: bool, by) -> TractOffer:
    """The facilitators of the receiving cooperative accept the offered tract (it joins their
    tractothèque, marked with its origin, and their feed) or decline it. A decision can be
    changed: accepting a declined tract, or taking back an accepted one."""
    offer = (
        TractOffer.objects.select_for_update(of=("self",))
        .select_related("cooperative", "tract__cooperative")
        .get(pk=offer.pk)
    )
    status = TractOffer.Status.ACCEPTED if accept else TractOffer.Status.DECLINED
    if offer.status == status:
        return offer
    was_accepted = offer.status == TractOffer.Status.ACCEPTED
    offer.status = status
    offer.decided_by = by
    offer.decided_at = timezone.now()
    offer.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        search_index(kind=TRACT_RECEIVED, objects=[offer])
        activities_delete(verbs=[TRACT_ACCEPTED], targets=[offer])
        activity_record(cooperative=offer.cooperative, actor=by, verb=TRACT_ACCEPTED, target=offer)
    elif was_accepted:
        search_remove(kind=TRACT_RECEIVED, ids=[offer.pk])
        activities_delete(verbs=[TRACT_ACCEPTED], targets=[offer])
    return offer


@transaction.atomic
def tract_reuse_record(*, tract: Tract, cooperative: Cooperative, kind: str, by) -> TractReuse:
    """``by``, a member of ``cooperative``, says the cooperative used the tract (handed out, put
    up, published, sent to the workshop). The source sees counts per cooperative, not names."""
    if kind not in TractReuse.Kind.values:
        raise ValidationError({"kind": _("Choose what you did with the tract.")}, code="kind")
    return TractReuse.objects.create(tract=tract, cooperative=cooperative, user=by, kind=kind)


@transaction.atomic
def tract_download_record(*, tract: Tract, cooperative: Cooperative, by) -> FileDownload:
    """A download of the tract's file through ``cooperative``: a library download, counted with
    the file's, and shown to the source per cooperative."""
    file = tract.file
    return download_record(file=file, version=file.current_version, user=by, cooperative=cooperative)
