"""Fill the database with a small, realistic French world to try Terrain."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from terrain.accounts.models import User
from terrain.demo.world import DEMO_PASSWORD, EMAIL_DOMAIN, LOGINS, build_demo_world, demo_emails


class Command(BaseCommand):
    help = (
        "Build a demonstration world through the real services: a departmental union, two unions, three "
        "branches, about forty members, five open cooperatives and a month of news. Sign in with "
        f"admin@{EMAIL_DOMAIN} (platform administrator), animatrice@{EMAIL_DOMAIN} (facilitator) or "
        f"membre@{EMAIL_DOMAIN} (member); the password is '{DEMO_PASSWORD}' for all three."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing when any member exists")
        parser.add_argument("--seed", type=int, default=2027)

    def handle(self, *args, **options):
        if User.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Members already exist: no demonstration data added.")
                # At every start of `make run`, as long as the demo's members are there.
                self._sign_ins(list(User.objects.filter(email__in=demo_emails(), is_active=True)))
                return
            raise CommandError("This database already has members. The demonstration needs an empty database.")
        world = build_demo_world(seed=options["seed"])
        self.stdout.write(self.style.SUCCESS("Demonstration world ready."))
        self._sign_ins([world.people[key] for key, _role in LOGINS])

    def _sign_ins(self, users: list[User]) -> None:
        """The demo's sign-ins that still exist, with their role, and the password if it still works."""
        by_email = {user.email: user for user in users}
        lines = []
        for email, (_key, role) in zip(demo_emails(), LOGINS, strict=True):
            user = by_email.get(email)
            if user is None:
                continue
            password = DEMO_PASSWORD if user.check_password(DEMO_PASSWORD) else "(changed)"
            lines.append(f"    {email:<32} password: {password:<14} ({role})")
        if not lines:
            return
        self.stdout.write(f"\n  Open {settings.SITE_URL}/ and sign in with one of these:\n")
        for line in lines:
            self.stdout.write(line)
        self.stdout.write("")
