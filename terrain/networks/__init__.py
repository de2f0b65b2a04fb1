"""Connectors to social networks and to the channels a structure owns.

One package per network (``terrain/networks/<kind>/``), each exposing a
:class:`~terrain.networks.base.Connector` subclass in its ``connector`` module, found
by :mod:`terrain.networks.registry`. A connector owns everything Terrain knows of its
network (label, limit and counting rule, where the link goes, share link, auth flow);
the apps derive their choice lists, counters and share targets from the registry.

Connectors know nothing of Django models: they receive an
:class:`~terrain.networks.base.AccountData` and a :class:`~terrain.networks.base.Content`
and return plain values or raise one of the classified errors of
:mod:`terrain.networks.base`. This package imports only ``terrain.lib`` and itself
(``tests/test_boundaries.py``); a channel that works on an app's models (the newsletter)
is a connector in that app, registered from its ``AppConfig.ready()``.
"""
