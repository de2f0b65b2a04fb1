"""The tools a cooperative offers (news, forum, FAQ, library...): a registry every app fills.

Each tool says its ``key``, its ``label`` (the tab), the ``url_name`` of its first page (reversed
with the cooperative's code) and where its tab stands (``order``). Animateurs turn each tool on or
off for their cooperative (``Cooperative.disabled_tools``); every tool starts on. The tabs, the feed
items (``feed.items.ItemKind.tool``) and the search (``search.registry.SearchKind.tool``) follow
that choice, and a tool's views call ``CooperativeAccess.require_tool`` so that a disabled tool's
pages answer 404.

An app registers its tool in a ``tools.py`` module (found at start-up, like ``feed_items.py``)::

    from terrain.cooperatives.tools import Tool, register

    register(Tool(key="forum", label=_("Forum"), url_name="forum:home", order=20))
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

KEY_LENGTH = 20


@dataclass(frozen=True)
class Tool:
    key: str
    label: str | Promise
    # Reversed with the cooperative's code as its only argument.
    url_name: str
    order: int = 100
    # One line for the settings page: what the tool is for.
    description: str | Promise = ""


_TOOLS: dict[str, Tool] = {}


def register(tool: Tool) -> Tool:
    existing = _TOOLS.get(tool.key)
    if existing is not None and existing != tool:
        raise ValueError(f"The cooperative tool {tool.key!r} is registered already.")
    if not tool.key.isidentifier() or len(tool.key) > KEY_LENGTH:
        raise ValueError(f"A tool key is a short identifier, not {tool.key!r}.")
    _TOOLS[tool.key] = tool
    return tool


def unregister(key: str) -> None:
    """Remove a tool (for tests)."""
    _TOOLS.pop(key, None)


def tools() -> list[Tool]:
    """Every registered tool, in the order of the tabs."""
    return sorted(_TOOLS.values(), key=lambda t: (t.order, t.key))


def tool(key: str) -> Tool | None:
    return _TOOLS.get(key)


def disabled_keys(stored: str) -> frozenset[str]:
    """The keys in a ``Cooperative.disabled_tools`` value (space-separated)."""
    return frozenset(stored.split())


def stored_value(disabled: set[str] | frozenset[str]) -> str:
    """What ``Cooperative.disabled_tools`` stores for these disabled keys (known tools only)."""
    return " ".join(sorted(k for k in disabled if k in _TOOLS))
