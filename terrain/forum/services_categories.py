"""Writes on a cooperative's forum categories (animateurs manage them)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from terrain.forum.models import CATEGORY_NAME_MAX, Category, CategorySubscription, Topic
from terrain.forum.search_documents import TOPIC
from terrain.search.services import search_index

DEFAULT_CATEGORY = "Général"


def _clean_name(cooperative, name: str, *, besides: Category | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Give the category a name."), code="name_empty")
    if len(name) > CATEGORY_NAME_MAX:
        raise ValidationError(
            _("The name is too long: %(max)s characters at most.") % {"max": CATEGORY_NAME_MAX}, code="name_long"
        )
    same = Category.objects.filter(cooperative=cooperative, name__iexact=name)
    if besides is not None:
        same = same.exclude(pk=besides.pk)
    if same.exists():
        raise ValidationError(_("A category of this forum already has this name."), code="name_taken")
    return name


def category_ensure_default(*, cooperative) -> None:
    """A forum with no category gets "Général", so that its members can post at once."""
    if Category.objects.filter(cooperative=cooperative).exists():
        return
    try:
        with transaction.atomic():
            Category.objects.create(cooperative=cooperative, name=DEFAULT_CATEGORY, position=0)
    except IntegrityError:  # two first visits at once: the other one made it
        pass


@transaction.atomic
def category_create(*, cooperative, name: str, description: str = "", by) -> Category:
    name = _clean_name(cooperative, name)
    last = Category.objects.filter(cooperative=cooperative).aggregate(m=Max("position"))["m"]
    try:
        with transaction.atomic():
            return Category.objects.create(
                cooperative=cooperative,
                name=name,
                description=(description or "").strip()[:300],
                position=0 if last is None else last + 1,
            )
    except IntegrityError as error:
        raise ValidationError(_("A category of this forum already has this name."), code="name_taken") from error


@transaction.atomic
def category_update(*, category: Category, name: str, description: str = "", by) -> Category:
    category.name = _clean_name(category.cooperative, name, besides=category)
    category.description = (description or "").strip()[:300]
    category.save(update_fields=["name", "description", "updated_at"])
    return category


@transaction.atomic
def category_shift(*, category: Category, up: bool, by) -> None:
    """Move the category one place up or down in its forum's list."""
    ordered = list(Category.objects.select_for_update().filter(cooperative_id=category.cooperative_id))
    index = next(i for i, c in enumerate(ordered) if c.pk == category.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered):
        if item.position != position:
            Category.objects.filter(pk=item.pk).update(position=position)


@transaction.atomic
def category_delete(*, category: Category, by, move_to: Category | None = None) -> int:
    """Delete a category; its topics (deleted ones too) go to ``move_to``, required when it has some.
    Returns how many topics moved."""
    topics = Topic.objects.filter(category=category)
    live = topics.filter(deleted_at__isnull=True)
    if move_to is None:
        if live.exists():
            raise ValidationError(_("This category still holds topics: choose where to move them."), code="not_empty")
        topics.delete()
        moved = 0
    else:
        if move_to.pk == category.pk or move_to.cooperative_id != category.cooperative_id:
            raise ValidationError(_("Choose another category of this forum."), code="bad_target")
        moved_ids = list(live.values_list("pk", flat=True))
        moved = topics.update(category=move_to)
        search_index(kind=TOPIC, objects=Topic.objects.filter(pk__in=moved_ids))
    CategorySubscription.objects.filter(category=category).delete()
    category.delete()
    return moved


@transaction.atomic
def category_set_subscribed(*, category: Category, user, subscribed: bool) -> None:
    if subscribed:
        CategorySubscription.objects.get_or_create(category=category, user=user)
    else:
        CategorySubscription.objects.filter(category=category, user=user).delete()
