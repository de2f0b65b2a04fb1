"""Connectors to social networks and to the channels a structure owns.

One package per network (``terrain/networks/<kind>/``), each exposing a
:class:`~terrain.networks.base.Connector` subclass registered in
:mod:`terrain.networks.registry`. Connectors know nothing of Django models:
they receive an :class:`~terrain.networks.base.AccountData` and a
:class:`~terrain.networks.base.Content` and return plain values or raise one of
the classified errors of :mod:`terrain.networks.base`.
"""
