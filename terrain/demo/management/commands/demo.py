"""Fill the database with a small, realistic French world to try Terrain."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from terrain.accounts.models import User
from terrain.demo.world import DEMO_PASSWORD, EMAIL_DOMAIN, LOGINS, build_demo_world


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
                return
            raise CommandError("This database already has members. The demonstration needs an empty database.")
        world = build_demo_world(seed=options["seed"])
        self.stdout.write(self.style.SUCCESS("Demonstration world ready."))
        self.stdout.write(f"\n  Open {settings.SITE_URL}/ and sign in with one of these:\n")
        for key, role in LOGINS:
            self.stdout.write(f"    {world.login(key):<32} password: {DEMO_PASSWORD:<14} ({role})")
        self.stdout.write("")
