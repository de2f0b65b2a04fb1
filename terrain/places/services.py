"""Writes of the places: the communes' table, replaced as a whole from the dataset."""

from __future__ import annotations

from django.db import transaction

from terrain.places.dataset import CommuneRecord
from terrain.places.models import Commune, PostalCode
from terrain.places.text import search_key

BATCH = 2000


@transaction.atomic
def communes_load(*, records: list[CommuneRecord]) -> int:
    """Replace every commune and postal code by ``records``, in one transaction (run twice, same table).

    Nothing points at a commune (a site keeps its own postal code, town and position), so
    the table is emptied and filled again: about 35,000 rows in a few seconds.
    """
    PostalCode.objects.all().delete()
    Commune.objects.all().delete()
    communes = Commune.objects.bulk_create(
        [
            Commune(
                insee=record.insee,
                name=record.name,
                key=search_key(record.name),
                bare_key=search_key(record.bare_name),
                departement=record.departement,
                population=record.population,
                latitude=record.latitude,
                longitude=record.longitude,
                postal_codes=" ".join(record.postal_codes)[:200],
            )
            for record in records
        ],
        batch_size=BATCH,
    )
    by_insee = {commune.insee: commune.pk for commune in communes}
    if None in by_insee.values():  # a backend that does not return the new keys
        by_insee = dict(Commune.objects.values_list("insee", "pk"))
    PostalCode.objects.bulk_create(
        [
            PostalCode(code=code, commune_id=by_insee[record.insee])
            for record in records
            for code in record.postal_codes
        ],
        batch_size=BATCH,
    )
    return len(communes)
