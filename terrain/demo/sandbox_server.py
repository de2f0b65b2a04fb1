"""Serve the demo's sandbox: ``python -m terrain.demo.sandbox_server [--port 8701]``.

Started by ``make run`` (``scripts/run.py``) next to the web server. Each network of
:data:`terrain.demo.sandbox.ACCOUNTS` gets its fake on ``port + offset`` (Mastodon is
mastodon-mock, the others the fakes of ``terrain/networks/fakes``), seeded with the demo's
account, its credentials and its followers. A few readers like and share what arrives,
now and then, so that the statistics have something to collect, and answer it (replies,
mentions, comments in the Telegram channel's discussion group), so that the inbox fills. The
section's e-mail address is a mailbox of a local IMAP server (plain IMAP on the loopback), where
:data:`MAILS` are already delivered when it starts. Everything stays in memory and on the loopback:
nothing reaches a real network.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import threading
import time
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

import httpx

from terrain.demo.sandbox import ACCOUNTS, HOST, SandboxAccount, first_port
from terrain.networks.fakes.bluesky import FakeBluesky
from terrain.networks.fakes.facebook import FacebookFake
from terrain.networks.fakes.imap import ImapFake
from terrain.networks.fakes.server import FakeServer
from terrain.networks.fakes.telegram import Channel, FakeTelegram
from terrain.networks.fakes.x import FakeX
from terrain.networks.fakes.x import User as XUser

READERS = 12  # Mastodon accounts that follow the section and like its posts
ENGAGEMENT_SECONDS = 30.0
#: What the sandbox's readers say to the section (the inbox's demo material; not translated: people write it).
READER_LINES = (
    "Merci pour l'info, on sera là !",
    "C'est à quelle heure exactement ?",
    "Encore une grève… et les patients, vous y pensez ?",
    "Bravo à toute l'équipe de nuit.",
    "Est-ce que les contractuels sont concernés ?",
)

#: E-mails waiting in the section's mailbox at every start: key, hours ago, sender, subject, text
#: (demo material in French, not translated: people write it).
MAILS = (
    (
        "question-rtt",
        20,
        "Nadia Benali <nadia.benali@courriel.example>",
        "Question sur mes jours de RTT",
        "Bonjour,\n\nJe suis aide-soignante de nuit en réanimation, adhérente depuis l'an dernier. "
        "Mon cadre refuse les deux jours de RTT que j'ai posés en juillet. A-t-il le droit ? "
        "Est-ce que je peux passer à la permanence de mercredi pour en parler ?\n\nMerci d'avance,\nNadia",
    ),
    (
        "interview-urgences",
        9,
        "Claire Morel <c.morel@journal-du-nord.example>",
        "Demande d'interview : les urgences cet été",
        "Bonjour,\n\nJe prépare pour Le Journal du Nord un article sur les urgences de l'Hôpital Nord "
        "avant l'été. Une ou un responsable de la section pourrait-il m'accorder un entretien de vingt "
        "minutes, par téléphone ou sur place, d'ici jeudi ?\n\nBien cordialement,\nClaire Morel, journaliste",
    ),
    (
        "reclamation-prime",
        3,
        "Gérard Lemoine <gerard.lemoine@courriel.example>",
        "Réclamation : toujours aucune réponse",
        "Bonjour,\n\nCela fait trois semaines que j'ai écrit à la section au sujet de ma prime de nuit, "
        "et personne ne m'a répondu. Je paie ma cotisation tous les mois : j'attends un minimum de "
        "considération. Je suis très déçu.\n\nGérard Lemoine, brancardier",
    ),
)


def reader_token(i: int) -> str:
    return f"sandbox-reader-{i}"


def seeded_bluesky(account: SandboxAccount) -> FakeBluesky:
    fake = FakeBluesky()
    fake.add_account(
        account.secrets["identifier"],
        account.secrets["app_password"],
        display_name=account.display_name,
        followers=account.followers,
    )
    fake.post_as("lecteur.bsky.social", "Quelqu'un sait si la section tient une permanence cette semaine ?",
                 mention=account.secrets["identifier"])  # fmt: skip
    return fake


def seeded_telegram(account: SandboxAccount) -> FakeTelegram:
    fake = FakeTelegram()
    with fake.lock:
        fake.tokens.add(account.secrets["bot_token"])
        channel_id = int(account.remote_id)
        fake.channels[channel_id] = Channel(
            channel_id, account.handle.lstrip("@"), account.display_name, members=account.followers
        )
        fake.link_discussion_group(account.handle.lstrip("@"))  # comments, for the inbox
    return fake


def seeded_facebook(account: SandboxAccount) -> FacebookFake:
    """A Page with the demo's id and Page token (a Page token does not expire), managed by the fake's person."""
    fake = FacebookFake()
    with fake.lock:
        page_id = fake.add_page(account.display_name, managers=[fake.user_id], followers=account.followers)
        page = fake.pages.pop(page_id)
        grant = fake.tokens.pop(page["access_token"])
        page.update(id=account.remote_id, username=account.handle, access_token=account.secrets["access_token"])
        page["link"] = f"https://www.facebook.com/{account.remote_id}"
        fake.pages[account.remote_id] = page
        fake.tokens[page["access_token"]] = {**grant, "page_id": account.remote_id}
    return fake


def seeded_x(account: SandboxAccount) -> FakeX:
    """The demo's X account, with a token that stays valid (no refresh: the demo has no OAuth app)."""
    fake = FakeX()
    with fake.lock:
        user = XUser(account.remote_id, account.handle.lstrip("@"), account.display_name, followers=account.followers)
        fake.users[user.id] = user
        fake.consenting_user = user.id
        fake.access[account.secrets["access_token"]] = (user.id, float(account.secrets["expires_at"]))
        fake.refresh[account.secrets["refresh_token"]] = user.id
    fake.post_as("lecteur", f"Bonjour {account.handle}, la réunion de jeudi est maintenue ?")
    return fake


def mail(account: SandboxAccount, key: str, hours_ago: float, sender: str, subject: str, text: str) -> bytes:
    """One e-mail to the section's address, as a mail server stores it (RFC 5322, UTF-8)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = account.handle
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC) - timedelta(hours=hours_ago))
    message["Message-ID"] = f"<{key}@sandbox.hopital-nord.example>"
    message.set_content(text)
    return message.as_bytes(policy=policy.SMTP)  # CRLF line ends, as IMAP carries them


def seeded_imap(account: SandboxAccount) -> ImapFake:
    """The section's mailbox, with :data:`MAILS` delivered: what the inbox reads from it.

    A new UIDVALIDITY at each start, as a rebuilt mailbox has: the inbox reads it again from the
    start, and stores nothing twice (the items keep their Message-ID).
    """
    fake = ImapFake(user=account.secrets["username"], password=account.secrets["password"])
    fake.uidvalidity = int(time.time())
    for key, hours_ago, sender, subject, text in MAILS:
        fake.deliver(mail(account, key, hours_ago, sender, subject, text))
    return fake


#: How each network's fake (a ``FakeServer`` of ``terrain/networks/fakes``, or the IMAP server)
#: takes the demo's account.
SEEDERS = {
    "bluesky": seeded_bluesky,
    "telegram": seeded_telegram,
    "facebook": seeded_facebook,
    "x": seeded_x,
    "imap": seeded_imap,
}


def mastodon_app(account: SandboxAccount, port: int):
    """mastodon-mock in memory, with the section's account and readers who follow it."""
    from mastodon_mock.app import create_app
    from mastodon_mock.config import MastodonMockConfig, SeedAccount, SeedConfig, SeedFollow, StreamingConfig

    username = account.handle.lstrip("@")
    # Followers without a token fill the count; the readers (with tokens) also like posts.
    followers = [SeedAccount(username=f"abonne{i}") for i in range(account.followers - READERS)]
    readers = [SeedAccount(username=f"lecteur{i}", access_token=reader_token(i)) for i in range(READERS)]
    seed = SeedConfig(
        accounts=[
            SeedAccount(
                username=username, display_name=account.display_name, access_token=account.secrets["access_token"]
            ),
            *followers,
            *readers,
        ],
        follows=[SeedFollow(follower=a.username, following=username) for a in [*followers, *readers]],
    )
    config = MastodonMockConfig(
        domain=f"{HOST}:{port}", url_scheme="http", streaming=StreamingConfig(enabled=False), seed=seed
    )
    return create_app(config)


def engage(fakes: dict[str, FakeServer | ImapFake], mastodon_base: str, username: str, *, rng: random.Random) -> None:
    """One round of readers' reactions to what the sandbox received (likes, reposts, replies)."""
    facebook = fakes.get("facebook")
    if isinstance(facebook, FacebookFake):
        for post in facebook.received():
            if rng.random() < 0.5:
                facebook.engage(post["id"], reactions=rng.randint(1, 4), shares=int(rng.random() < 0.2))
    x = fakes.get("x")
    if isinstance(x, FakeX):
        with x.lock:
            for user in x.users.values():
                for tweet in user.tweets.values():
                    if rng.random() < 0.5:
                        tweet["public_metrics"]["like_count"] += rng.randint(1, 3)
    bluesky = fakes.get("bluesky")
    if isinstance(bluesky, FakeBluesky):
        for post in bluesky.received():
            if rng.random() < 0.5:
                bluesky.like(post["id"], rng.randint(1, 3))
            if rng.random() < 0.2:
                bluesky.repost(post["id"])
    answer(fakes, rng=rng)
    if not mastodon_base:
        return
    try:
        found = httpx.get(f"{mastodon_base}/api/v1/accounts/lookup", params={"acct": username}, timeout=5).json()
        statuses = httpx.get(f"{mastodon_base}/api/v1/accounts/{found['id']}/statuses", timeout=5).json()
        for status in statuses:
            if rng.random() < 0.5:
                token = reader_token(rng.randrange(READERS))
                action = rng.choice(("favourite", "favourite", "reblog"))
                httpx.post(
                    f"{mastodon_base}/api/v1/statuses/{status['id']}/{action}",
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=5,
                )
    except (httpx.HTTPError, KeyError, TypeError, ValueError):
        pass  # mastodon-mock is starting or stopping: next round


def answer(fakes: dict[str, FakeServer | ImapFake], *, rng: random.Random) -> None:
    """Now and then a reader answers one of the section's posts (what the inbox reads)."""
    section = {account.kind: account for account in ACCOUNTS}
    bluesky = fakes.get("bluesky")
    if isinstance(bluesky, FakeBluesky) and "bluesky" in section:
        ours = [p for p in bluesky.received() if p["account"] == section["bluesky"].secrets["identifier"]]
        if ours and rng.random() < 0.3:
            bluesky.post_as("lecteur.bsky.social", rng.choice(READER_LINES), reply_to=rng.choice(ours)["id"])
    x = fakes.get("x")
    if isinstance(x, FakeX) and "x" in section:
        ours = [p for p in x.received() if f"@{p['account']}" == section["x"].handle]
        if ours and rng.random() < 0.3:
            x.post_as("lecteur", rng.choice(READER_LINES), reply_to=rng.choice(ours)["id"])
    telegram = fakes.get("telegram")
    if isinstance(telegram, FakeTelegram) and "telegram" in section:
        channel = section["telegram"].handle.lstrip("@")
        posts = [p for p in telegram.channel_posts(channel) if p.get("text") or p.get("caption")]
        if posts and rng.random() < 0.3:
            # A post sent before the group was linked has no forward to comment (StopIteration).
            with contextlib.suppress(StopIteration):
                telegram.comment(rng.choice(posts)["message_id"], rng.choice(READER_LINES), channel=channel)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m terrain.demo.sandbox_server", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="first port (default SANDBOX_PORT or 8701)")
    args = parser.parse_args(argv)
    port = args.port or first_port()

    fakes: dict[str, FakeServer | ImapFake] = {}
    mastodon = next((account for account in ACCOUNTS if account.kind == "mastodon"), None)
    for account in ACCOUNTS:
        if account.kind in SEEDERS:
            fakes[account.kind] = SEEDERS[account.kind](account)
            fakes[account.kind].start(port + account.offset)
    for kind, fake in fakes.items():
        print(f"Sandbox: {kind} on {fake.base_url}", flush=True)

    mastodon_base = f"http://{HOST}:{port + mastodon.offset}" if mastodon else ""

    def reactions() -> None:
        rng = random.Random()
        while True:
            time.sleep(ENGAGEMENT_SECONDS)
            engage(fakes, mastodon_base, mastodon.handle.lstrip("@") if mastodon else "", rng=rng)

    threading.Thread(target=reactions, name="sandbox-readers", daemon=True).start()
    if mastodon is None:
        threading.Event().wait()
        return
    import uvicorn

    print(f"Sandbox: mastodon on {mastodon_base}", flush=True)
    uvicorn.run(
        mastodon_app(mastodon, port + mastodon.offset),
        host=HOST,
        port=port + mastodon.offset,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
