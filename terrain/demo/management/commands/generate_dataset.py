"""Build the confederation-scale dataset the feed benchmark reads (not test data, not demo data)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from terrain.demo.checks import dataset_problems
from terrain.demo.dataset import Scale, generate


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database with a confederation-scale dataset: by default 100,000 members, "
        "10,000 structures, 20,000 cooperatives (10,000 private + 10,000 open), 2,000,000 posts and "
        "comments, 20,000 forum topics, 80,000 replies, 5,000 FAQ entries and 200,000 library files over "
        "the last 12 months. Meant for a dedicated database (see bench/README.md); "
        "about 3 minutes on SQLite or PostgreSQL. Every generated member has the password 'terrain-bench'."
    )

    def add_arguments(self, parser):
        defaults = Scale()
        parser.add_argument("--members", type=int, default=defaults.members)
        parser.add_argument("--structures", type=int, default=defaults.structures)
        parser.add_argument("--cooperatives", type=int, default=defaults.cooperatives, help="open cooperatives")
        parser.add_argument("--items", type=int, default=defaults.items, help="posts + comments (30%% posts)")
        parser.add_argument("--seed", type=int, default=defaults.seed)
        for name in ("topics", "replies", "faq-entries", "files"):
            parser.add_argument(f"--{name}", type=int, help=f"{name} (default: in proportion to the items)")
        parser.add_argument(
            "--database-check", action="store_true", help="check the invariants of the rows afterwards (slower)"
        )

    def handle(self, *args, **options):
        scale = Scale(
            members=options["members"],
            structures=options["structures"],
            cooperatives=options["cooperatives"],
            items=options["items"],
            seed=options["seed"],
            topics=options["topics"],
            replies=options["replies"],
            faq_entries=options["faq_entries"],
            files=options["files"],
        )
        self.stdout.write(
            f"Generating {scale.members} members, {scale.structures} structures, "
            f"{scale.structures + scale.cooperatives} cooperatives, {scale.posts} posts, {scale.comments} comments, "
            f"{scale.topics} topics, {scale.replies} replies, {scale.faq_entries} FAQ entries, {scale.files} files…"
        )
        try:
            counts = generate(scale, out=self.stdout)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for table, count in sorted(counts.items()):
            self.stdout.write(f"  {table:<28} {count:>10}")
        if options["database_check"]:
            problems = dataset_problems()
            for problem in problems:
                self.stderr.write(f"  PROBLEM: {problem}")
            if problems:
                raise CommandError(f"{len(problems)} invariant(s) broken")
            self.stdout.write("  invariants checked: all good")
        self.stdout.write(self.style.SUCCESS("Dataset ready."))
