"""Language of a posting (es / en / pt) from counts of frequent function words; fast and dependency-free."""

from __future__ import annotations

import re

UNDETERMINED = "und"

# Words frequent in one language and rare in the others (Portuguese and Spanish share many words,
# so only the distinctive ones count).
_WORDS = {
    "es": "el la los las del y con una por es para que se su sus al como experiencia conocimiento conocimientos "
    "trabajo empresa buscamos requisitos nuestro nuestra muy años deseable manejo ofrecemos tu te",
    "en": "the and of to with in for you we our your are is be will on as an experience knowledge skills "
    "team work role years required strong looking have this that",
    "pt": "não você uma com em os das dos são também vaga conhecimento experiência trabalho nosso nossa "
    "ou na no para pelo pela atuar requisitos desejável anos equipe",
}
_PATTERN = re.compile(r"[a-záéíóúñçãõâêôàü]+")
_LOOKUP: dict[str, list[str]] = {}
for _lang, _words in _WORDS.items():
    for _word in _words.split():
        _LOOKUP.setdefault(_word, []).append(_lang)
# Words every language above uses do not decide anything.
_LOOKUP = {w: langs for w, langs in _LOOKUP.items() if len(langs) == 1}


def detect_language(text: str, sample: int = 800) -> str:
    """``es``, ``en`` or ``pt`` (``und`` for text with no telling words); reads the first ``sample`` chars."""
    scores = {"es": 0, "en": 0, "pt": 0}
    for word in _PATTERN.findall(text[:sample].lower()):
        langs = _LOOKUP.get(word)
        if langs:
            scores[langs[0]] += 1
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else UNDETERMINED
