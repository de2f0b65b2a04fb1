"""Building blocks for tests, made through the real services."""

from __future__ import annotations

import io
from dataclasses import dataclass
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from terrain.accounts.services import user_create
from terrain.cooperatives.models import Cooperative
from terrain.cooperatives.services import cooperative_create_open, membership_add
from terrain.structures.models import OfficialRole, Structure, StructureKind
from terrain.structures.services import official_add, structure_create, structure_member_add

_seq = count(1)


def make_user(display_name: str | None = None, **fields):
    n = next(_seq)
    display_name = display_name or f"Membre {n}"
    email = fields.pop("email", f"membre{n}@example.org")
    return user_create(
        email=email, display_name=display_name, password=fields.pop("password", "motdepasse-solide-1"), **fields
    )


def make_image_file(name: str = "photo.jpg", *, fmt: str = "JPEG", size=(64, 48), exif: bytes | None = None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 40))
    kwargs = {"exif": exif} if exif else {}
    image.save(buffer, format=fmt, **kwargs)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


@dataclass
class World:
    alice: object
    bob: object
    charlie: object
    ud: Structure
    syndicat: Structure
    section: Structure
    private_coop: Cooperative  # the section's cooperative: alice official, bob member
    open_coop: Cooperative  # open, on request: alice animator, bob member


def make_world() -> World:
    alice = make_user("Alice Martin", email="alice@example.org")
    bob = make_user("Bob Durand", email="bob@example.org")
    charlie = make_user("Charlie Petit", email="charlie@example.org")
    ud = structure_create(
        kind=StructureKind.UNION_DEPARTEMENTALE, name="Union départementale du Rhône", departement="69"
    )
    syndicat = structure_create(kind=StructureKind.SYNDICAT, name="Syndicat de la santé", parent=ud, departement="69")
    section = structure_create(kind=StructureKind.SECTION, name="Section Hôpital Nord", parent=syndicat, commune="Lyon")
    official_add(structure=section, user=alice, role=OfficialRole.SECRETAIRE)
    structure_member_add(structure=section, user=bob)
    open_coop = cooperative_create_open(name="Égalité professionnelle", by=alice, description="Agir ensemble.")
    membership_add(cooperative=open_coop, user=bob)
    section.refresh_from_db()
    return World(alice, bob, charlie, ud, syndicat, section, section.cooperative, open_coop)
