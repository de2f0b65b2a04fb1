from __future__ import annotations

import pytest

from terrain.modeles.documents import DOCX, ODT, WRITTEN
from terrain.modeles.samples import MEETING_REPORT_HTML, meeting_request_docx, strike_tract_odt
from terrain.modeles.services import template_create


@pytest.fixture
def letter(world, alice):
    return template_create(
        cooperative=world.private_coop,
        name="Lettre de demande de réunion",
        kind="letter",
        description="À envoyer à la direction.",
        source=DOCX,
        content=meeting_request_docx(),
        by=alice,
    )


@pytest.fixture
def tract(world, alice):
    return template_create(
        cooperative=world.private_coop,
        name="Tract d'appel à la grève",
        kind="tract",
        description="",
        source=ODT,
        content=strike_tract_odt(),
        by=alice,
    )


@pytest.fixture
def report(world, alice):
    return template_create(
        cooperative=world.private_coop,
        name="Compte rendu de réunion",
        kind="other",
        description="",
        source=WRITTEN,
        content=MEETING_REPORT_HTML,
        by=alice,
    )
