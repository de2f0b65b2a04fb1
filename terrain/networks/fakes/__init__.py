"""Local servers that speak each network's real HTTP API, for tests and benchmarks.

Mastodon uses the third-party ``mastodon-mock``; every other network has a fake
here, written from the official API reference, built on :class:`FakeServer`.
"""
