"""The structure's own channels, as connectors: its e-mail newsletter and its Atom feed.

They live in this app, not in ``terrain/networks/``, because they read and write this
app's models; :meth:`terrain.newsletter.apps.NewsletterConfig.ready` registers them
with :func:`terrain.networks.registry.register`.
"""

#: The kinds of the two channels (the ``network`` of their connected accounts).
NEWSLETTER = "newsletter"
FEED = "rss"
