"""Render a template once for every reader, then fill in per request what differs between readers.

The *skeleton* of a template is its HTML with a marker wherever a part depends
on the reader or on the clock (a relative date, the reader's own rights, a form
with the reader's CSRF token). It is rendered **without any request or
reader** in its context, so nothing personal can end up in it, and can be
cached and shared. ``fill`` then puts each part back for one reader.

Tags that render such parts call ``hole(context, kind, *args)`` first: while a
skeleton is rendered it records ``(kind, *args)`` and returns the marker;
otherwise it returns None and the tag renders as usual. Each kind has a filler,
registered with ``@filler(kind)``, called at fill time as
``filler(context, *args)`` with the reader's context.

``{% per_reader %}…{% endper_reader %}`` (``news`` tags) marks a whole block
as the reader's: the block's template and position are recorded, the block is
rendered at fill time with the reader's context. ``{% per_reader when <expr> %}``
marks a block shown only to the readers for whom ``<expr>`` holds: its content
goes in the skeleton (with holes of its own), the condition is checked at fill time. Objects of the context that a
block needs (the comment it belongs to) are recorded by their position in
sequences the caller names (``bindings``), and bound again at fill time.

Misuse fails loudly instead of leaving a hole in a page. A skeleton is rendered
in a ``SkeletonContext``: a name it was not given (``user``, ``request``,
``perms``, a value the caller forgot) raises ``SkeletonError`` instead of
rendering empty. A variable set by the template around a ``{% per_reader %}``
block (a loop's variable, a ``{% with %}``) that the caller did not bind is
given to the block at fill time as a value that raises when used: such a block
would otherwise be right in a plain rendering and empty from the cache.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.template import Context
from django.template.base import Template
from django.utils.safestring import SafeString, mark_safe

# An HTML comment: rich text is stored and shown through nh3 with comments
# stripped and every other value is escaped, so user content cannot forge one.
# ``render_skeleton`` still checks that the markers match the holes recorded.
MARKER = mark_safe("<!--terrain:hole-->")
_RECORDER = "_skeleton_recorder"
_FILLERS: dict[str, Callable[..., str]] = {}


class SkeletonError(RuntimeError):
    """A skeleton (or a block filled into one) used something it cannot have. Not a KeyError nor an
    AttributeError: the template engine would turn those into an empty string."""


# What belongs to the reader of a page: never in a skeleton's context, whatever the caller gives.
READER_NAMES = frozenset({"request", "user", "perms", "messages"})


class SkeletonContext(Context):
    """The context of a skeleton: a variable it does not hold raises ``SkeletonError``, as does asking
    it for what belongs to the reader (``READER_NAMES``), even through ``context.get``."""

    def __getitem__(self, key):
        for d in reversed(self.dicts):
            if key in d:
                return d[key]
        given = sorted(name for layer in self.dicts for name in layer if name != _RECORDER)
        raise SkeletonError(
            f"{{{{ {key} }}}} in a skeleton, which has only {given}: give it to the skeleton "
            "(in the card's value), or put what uses it in a {% per_reader %} block"
        )

    def get(self, key, otherwise=None):
        for d in reversed(self.dicts):
            if key in d:
                return d[key]
        if key in READER_NAMES:
            raise SkeletonError(f"{key} in a skeleton: put what uses it in a {{% per_reader %}} block")
        return otherwise


class Unbound:
    """At fill time, a variable the template set around a ``{% per_reader %}`` block and the caller did
    not bind (``bindings``): any use of it raises ``SkeletonError``."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def _fail(self, *_args, **_kwargs):
        raise SkeletonError(
            f"{{{{ {self.name} }}}} in a {{% per_reader %}} block: the template set it around the block, and a "
            "skeleton's block is filled without it; bind it (``bindings``) or move the block"
        )

    __str__ = __bool__ = __iter__ = __len__ = __getitem__ = __html__ = __call__ = _fail

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        self._fail()


@dataclass(frozen=True)
class Skeleton:
    parts: tuple[str, ...]  # one more than holes
    holes: tuple[tuple, ...]


class _Recorder:
    def __init__(self, bindings: dict[str, Sequence], depth: int = 0):
        self.holes: list[tuple] = []
        self.bindings = bindings
        self.failed = False
        self.depth = depth  # the context's layers given by the caller; those above are the template's

    def bound(self, context, *, unbound: bool = True) -> dict[str, int | None]:
        """Where the bound objects of ``context`` sit in their sequences, and (``unbound``) None for
        each variable the template set (a loop's, a ``{% with %}``'s) that is not bound: filled as
        ``Unbound``."""
        found: dict[str, int | None] = {}
        if unbound:
            for layer in context.dicts[self.depth :]:
                for name in layer:
                    if name != _RECORDER:
                        found[name] = None
        for name, sequence in self.bindings.items():
            value = context.get(name)
            if value is not None:
                for index, item in enumerate(sequence):
                    if item is value:
                        found[name] = index
                        break
        return found


def filler(kind: str):
    def register(function: Callable[..., str]) -> Callable[..., str]:
        _FILLERS[kind] = function
        return function

    return register


def recording(context) -> _Recorder | None:
    return context.get(_RECORDER) if context is not None else None


def hole(context, kind: str, *args) -> str | None:
    """The marker when a skeleton is being rendered (and ``(kind, *args)`` recorded), else None."""
    recorder = recording(context)
    if recorder is None:
        return None
    recorder.holes.append((kind, *args))
    return MARKER


def render_skeleton(
    template: Template, values: dict, *, bindings: dict[str, Sequence] | None = None, part=None
) -> Skeleton | None:
    """The skeleton of ``template`` (or of ``part``, a nodelist of it: a part of a page)
    rendered with ``values`` only (no request, no reader).

    None when the markers do not match the holes (user content carrying a marker):
    the caller then renders the template as usual.
    """
    recorder = _Recorder(bindings or {})
    context = SkeletonContext({**values, "csrf_token": _NoToken(), _RECORDER: recorder}, autoescape=True)
    recorder.depth = len(context.dicts)
    with context.render_context.push_state(template), context.bind_template(template):
        html = (template.nodelist if part is None else part).render(context)
    return _skeleton(html, recorder)


def render_nested(nodelist, context) -> Skeleton | None:
    """The skeleton of a part of the skeleton being rendered (a block shown to some readers only)."""
    outer = recording(context)
    inner = _Recorder(outer.bindings, outer.depth)
    with context.push({_RECORDER: inner}):
        html = nodelist.render(context)
    skeleton = _skeleton(html, inner)
    if skeleton is None:
        outer.failed = True
    return skeleton


def _skeleton(html: str, recorder: _Recorder) -> Skeleton | None:
    """``html`` cut at its markers, or None when they do not match the holes ``recorder`` saw."""
    parts = tuple(html.split(MARKER))
    if recorder.failed or len(parts) != len(recorder.holes) + 1:
        return None
    return Skeleton(parts=parts, holes=tuple(recorder.holes))


class _NoToken:
    """The CSRF token of a skeleton: there is none, and a ``{% csrf_token %}`` outside a
    ``{% per_reader %}`` block fails loudly instead of leaving a form without it."""

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:
        raise SkeletonError("{% csrf_token %} in a skeleton: put it in a {% per_reader %} block")


def bound_values(bound: dict[str, int | None], bindings: dict[str, Sequence]) -> dict:
    """The variables of a block at fill time: each bound one from the reader's sequence, each
    unbound one as ``Unbound``."""
    return {name: Unbound(name) if index is None else bindings[name][index] for name, index in bound.items()}


def fill(skeleton: Skeleton, context, *, bindings: dict[str, Sequence] | None = None) -> SafeString:
    """The skeleton with each hole filled for the reader of ``context``."""
    parts = skeleton.parts
    out = [parts[0]]
    for index, (kind, *args) in enumerate(skeleton.holes):
        out.append(str(_FILLERS[kind](context, *args, bindings=bindings or {})))
        out.append(parts[index + 1])
    return mark_safe("".join(out))  # noqa: S308 (static parts rendered autoescaped, fillers return safe HTML)
