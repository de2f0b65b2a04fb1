"""What a view needs of an object: one vocabulary for every access helper.

Every helper ``get_<thing>_for(request, code, *, need=...)`` takes one ``Need`` (or its
plain value, ``need="manage"``) and raises ``Http404`` when the viewer may not know
the object exists, ``PermissionDenied`` when they may see it but not do ``need``. Its
access object answers ``allows(need)`` through its ``can_<need>`` property, the same
that templates read (``access.can_manage``). A word outside the vocabulary, or one the
object does not answer, is a programming error, never a silent yes or no.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar, Self

from django.core.exceptions import PermissionDenied


class Need(StrEnum):
    SEE = "see"  # know it exists: a name, a presentation
    READ = "read"  # its content
    POST = "post"  # add to it (a post, a comment)
    EDIT = "edit"  # change it
    DELETE = "delete"  # remove it
    ANIMATE = "animate"  # moderate a cooperative, manage its members
    WRITE = "write"  # write in a structure's workshop
    APPROVE = "approve"  # approve what others wrote
    MANAGE = "manage"  # run the structure, its workshop, its accounts


class Grants:
    """Base of the access objects: ``allows`` and ``require`` from the ``can_<need>`` properties."""

    #: The needs this kind of object answers (each has a ``can_<need>`` property).
    needs: ClassVar[frozenset[Need]] = frozenset()

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        missing = [need for need in cls.needs if not hasattr(cls, f"can_{need}")]
        if missing:
            raise TypeError(f"{cls.__name__} lists needs without a can_<need> property: {missing}")

    def allows(self, need: Need | str) -> bool:
        need = Need(need)  # ValueError for a word outside the vocabulary
        if need not in self.needs:
            raise ValueError(f"{type(self).__name__} does not answer the need {need.value!r}")
        return bool(getattr(self, f"can_{need}"))

    def require(self, need: Need | str) -> Self:
        """``self`` if it allows ``need``; ``PermissionDenied`` otherwise (the object is already seen)."""
        if not self.allows(need):
            raise PermissionDenied
        return self
