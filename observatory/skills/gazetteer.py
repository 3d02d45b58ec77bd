"""Place names of Latin America (``data/places.txt``): where a job is, which is never a skill it asks for."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from observatory.skills.normalize import fold_key

PLACES_PATH = Path(__file__).with_name("data") / "places.txt"
# Words that, around place names, still name a place ("Zona Norte de GBA", "Quito sur", "Provincia de Salta").
ZONE_WORDS = frozenset(
    """zona zonas norte sur este oeste centro noroeste noreste nordeste sudeste sureste sudoeste suroeste gran
    provincia prov pcia ciudad cdad capital departamento depto estado region partido barrio localidad
    alrededores aledanos cercanias area metropolitana oriente occidente distrito federal d c dc
    de del la el los las y e o en""".split()
)
_LONGEST = 5  # words of the longest name in the file


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Folded place names of the gazetteer."""
    lines = PLACES_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(fold_key(line) for line in lines if line.strip() and not line.lstrip().startswith("#"))


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    return frozenset(name.split()[0] for name in place_names())


def is_place(text: str) -> bool:
    """Whether ``text`` is only place names and zone words ("CABA", "Zona Norte", "Bogotá D.C.", "sur de Quito")."""
    return is_place_key(fold_key(text))


def is_place_key(key: str) -> bool:
    """:func:`is_place` of a key already folded and lowercased (an open-vocabulary candidate's)."""
    words = [w.strip(".") for w in key.replace(",", " ").split() if w.strip(".")]
    # Most phrases start with a word no place name starts with: one set look-up answers them.
    if not words or (words[0] not in _first_words() and words[0] not in ZONE_WORDS):
        return False
    places = place_names()
    found = False
    index = 0
    while index < len(words):
        for size in range(min(_LONGEST, len(words) - index), 0, -1):
            if " ".join(words[index : index + size]) in places:
                index += size
                found = True
                break
        else:
            if words[index] not in ZONE_WORDS:
                return False
            index += 1
    # Zone words alone are a place only as a zone ("Zona Norte"), not as a common word ("la capital").
    return found or (words[0] in ("zona", "zonas") and len(words) > 1)
