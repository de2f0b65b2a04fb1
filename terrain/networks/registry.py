"""The connector registry: every network Terrain knows, and everything derived from it.

Where connectors come from, later ones replacing earlier ones of the same kind:

1. every package ``terrain/networks/<name>/`` with a ``connector`` module (found, not
   listed: adding a network touches its own package only);
2. connectors an app registers from its ``AppConfig.ready()`` with :func:`register`
   (the newsletter app registers its newsletter and feed channels);
3. ``settings.NETWORK_CONNECTORS`` (kind -> dotted path), for a site or a test.

Share targets that are not networks Terrain publishes to (a messaging app, e-mail)
are registered with :func:`register_share_link`.

The model fields' choices (:func:`choices`, :func:`share_choices`, callables: adding a
network needs no migration), the composer's counters (:mod:`terrain.networks.counting`)
and the relays' share targets (:func:`share_targets`) all come from here.
"""

from __future__ import annotations

import pkgutil
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from typing import NamedTuple

from django.conf import settings

from terrain.networks.base import Connector
from terrain.networks.sharing import ShareLink

#: Packages of ``terrain/networks/`` that are not networks.
NOT_NETWORKS = frozenset({"fakes", "tests"})

_registered: dict[str, type[Connector] | str] = {}
_share_only: dict[str, tuple[str, ShareLink]] = {}
_instances: dict[str, Connector] = {}
_loaded_from: dict[str, type[Connector] | str] = {}


class ShareTarget(NamedTuple):
    kind: str
    label: str
    link: ShareLink


@cache
def _discovered() -> dict[str, type[Connector]]:
    """The connectors of the network packages, by kind (each package's ``connector`` module)."""
    import terrain.networks

    found: dict[str, type[Connector]] = {}
    for package in sorted(pkgutil.iter_modules(terrain.networks.__path__), key=lambda p: p.name):
        if not package.ispkg or package.name in NOT_NETWORKS:
            continue
        name = f"terrain.networks.{package.name}.connector"
        try:
            if find_spec(name) is None:
                continue
            module = import_module(name)
        except ImportError:  # a connector whose library is not installed: the others still work
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Connector)
                and value.__module__ == name
                and getattr(value, "kind", "")
            ):
                found[value.kind] = value
    return found


def register(connector: type[Connector] | str, *, kind: str = "") -> None:
    """Add (or replace) a connector: a class, or a dotted path with its ``kind``.

    Call it from an app's ``AppConfig.ready()``; a test calls :func:`unregister` after.
    """
    if isinstance(connector, str):
        if not kind:
            raise ValueError("A connector registered by its dotted path needs its kind.")
    else:
        kind = kind or connector.kind
    _registered[kind] = connector
    _instances.pop(kind, None)


def unregister(kind: str) -> None:
    _registered.pop(kind, None)
    _instances.pop(kind, None)


def register_share_link(kind: str, label: str, link: ShareLink) -> None:
    """Add a share target that is not a network Terrain publishes to (WhatsApp, e-mail)."""
    _share_only[kind] = (label, link)


def unregister_share_link(kind: str) -> None:
    _share_only.pop(kind, None)


def _sources() -> dict[str, type[Connector] | str]:
    return {**_discovered(), **_registered, **getattr(settings, "NETWORK_CONNECTORS", {})}


def get_connector(kind: str) -> Connector:
    """The connector of ``kind``; KeyError when no connector has this kind."""
    source = _sources()[kind]
    if kind not in _instances or _loaded_from.get(kind) is not source:
        if isinstance(source, str):
            module_path, _dot, class_name = source.rpartition(".")
            source_class = getattr(import_module(module_path), class_name)
        else:
            source_class = source
        _instances[kind] = source_class()
        _loaded_from[kind] = source
    return _instances[kind]


def find_connector(kind: str) -> Connector | None:
    """The connector of ``kind``, or None (a row left from a network no longer installed)."""
    try:
        return get_connector(kind)
    except (KeyError, ImportError, AttributeError):
        return None


def available_kinds() -> list[str]:
    """Kinds whose connector loads, in display order (``position``, then as found)."""
    connectors = [(kind, find_connector(kind)) for kind in _sources()]
    loaded = [(kind, connector) for kind, connector in connectors if connector is not None]
    return [kind for kind, connector in sorted(loaded, key=lambda pair: pair[1].position)]


def choices() -> list[tuple[str, str]]:
    """(kind, label) of every network, for model fields and forms."""
    return [(kind, get_connector(kind).label) for kind in available_kinds()]


def label(kind: str) -> str:
    """The network's name for people; the kind itself for a network no longer installed."""
    connector = find_connector(kind)
    return str(connector.label) if connector is not None else kind


def display_order(kind: str) -> tuple[int, int | str]:
    """A sort key putting networks in display order (unknown kinds last, by name)."""
    kinds = available_kinds()
    return (0, kinds.index(kind)) if kind in kinds else (1, kind)


def share_targets() -> list[ShareTarget]:
    """Every share target in display order: the networks' own, then the others."""
    targets = [
        ShareTarget(kind, str(connector.label), connector.share)
        for kind in available_kinds()
        if (connector := get_connector(kind)).share is not None
    ]
    known = {target.kind for target in targets}
    targets += [ShareTarget(kind, str(name), link) for kind, (name, link) in _share_only.items() if kind not in known]
    return targets


def share_target(kind: str) -> ShareTarget | None:
    return next((target for target in share_targets() if target.kind == kind), None)


def share_choices() -> list[tuple[str, str]]:
    """(kind, label) of every share target, for the relays' model field and pages."""
    return [(target.kind, target.label) for target in share_targets()]


def share_label(kind: str) -> str:
    """The share target's name for people; the kind itself for one no longer installed."""
    target = share_target(kind)
    return target.label if target is not None else kind
