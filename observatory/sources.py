"""The registry of crawlable sources: the (country, portal) pairs that really exist.

Partitions, schedules, spiders and the CLI all read this one table, so a new source is one line here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """One portal site serving one country."""

    country: str  # ISO 3166-1 alpha-2, lower case
    portal: str  # spider name: computrabajo, bumeran, elempleo
    base_url: str
    timezone: str
    currency: str
    site_id: str | None = None  # Navent backends need an x-site-id header
    brand: str | None = None  # zonajobs, multitrabajos, konzerta share Bumeran's backend

    @property
    def key(self) -> str:
        """Partition key, e.g. ``co-computrabajo`` (no ``| , [ ]`` allowed by Dagster)."""
        name = self.brand or self.portal
        return f"{self.country}-{name}"


def _computrabajo(country: str, tz: str, currency: str) -> Source:
    return Source(country, "computrabajo", f"https://{country}.computrabajo.com", tz, currency)


SOURCES: dict[str, Source] = {
    s.key: s
    for s in [
        _computrabajo("co", "America/Bogota", "COP"),
        _computrabajo("mx", "America/Mexico_City", "MXN"),
        _computrabajo("ar", "America/Argentina/Buenos_Aires", "ARS"),
        _computrabajo("pe", "America/Lima", "PEN"),
        _computrabajo("cl", "America/Santiago", "CLP"),
        _computrabajo("ec", "America/Guayaquil", "USD"),
        _computrabajo("ve", "America/Caracas", "VES"),
        _computrabajo("cr", "America/Costa_Rica", "CRC"),
        Source("ar", "bumeran", "https://www.bumeran.com.ar", "America/Argentina/Buenos_Aires", "ARS", "BMAR"),
        Source(
            "ar",
            "bumeran",
            "https://www.zonajobs.com.ar",
            "America/Argentina/Buenos_Aires",
            "ARS",
            "ZJAR",
            brand="zonajobs",
        ),
        Source("pe", "bumeran", "https://www.bumeran.com.pe", "America/Lima", "PEN", "BMPE"),
        Source("ec", "bumeran", "https://www.bumeran.com.ec", "America/Guayaquil", "USD", "BMEC"),
        Source("ve", "bumeran", "https://www.bumeran.com.ve", "America/Caracas", "VES", "BMVE"),
        Source("co", "elempleo", "https://www.elempleo.com", "America/Bogota", "COP"),
        Source("cr", "elempleo", "https://www.elempleo.com", "America/Costa_Rica", "CRC"),
    ]
}

PORTALS: tuple[str, ...] = ("computrabajo", "bumeran", "elempleo")


class UnknownSourceError(ValueError):
    """Raised for a source key that is not in the registry."""


def get_source(key: str) -> Source:
    """Return the registered source for ``key`` or raise with the list of valid keys."""
    try:
        return SOURCES[key]
    except KeyError:
        valid = ", ".join(sorted(SOURCES))
        raise UnknownSourceError(f"unknown source {key!r}; known sources: {valid}") from None
