"""Sections of a posting (requirements, responsibilities, benefits, company) and importance cues.

Works on folded text (see :mod:`observatory.skills.normalize`). Portals often strip newlines
("…PresencialRequisitos:- Python"), so headers are found both at line starts and glued before a colon.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

REQUIREMENTS = "requirements"
RESPONSIBILITIES = "responsibilities"
BENEFITS = "benefits"
COMPANY = "company"
OTHER = "other"
TITLE = "title"
# Sections whose skills are not demand: a course offered as a benefit or a company's own stack blurb.
NON_DEMAND_SECTIONS = frozenset({BENEFITS, COMPANY})

REQUIRED = "required"
PREFERRED = "preferred"

_PREFERRED_HEADER = "preferred"  # a requirements section whose items are all nice to have

_HEADERS: dict[str, list[str]] = {
    REQUIREMENTS: [
        "requisitos excluyentes",
        "requisitos",
        "requerimientos",
        "requerimos",
        "requisitos del puesto",
        "perfil requerido",
        "perfil buscado",
        "perfil del candidato",
        "perfil del puesto",
        "perfil",
        "tu perfil",
        "que buscamos",
        "lo que buscamos",
        "buscamos que",
        "que necesitas",
        "que necesitamos",
        "lo que necesitas",
        "que esperamos",
        "esperamos que",
        "te buscamos si",
        "candidato ideal",
        "el candidato ideal",
        "conocimientos tecnicos",
        "conocimientos requeridos",
        "conocimientos",
        "competencias tecnicas",
        "competencias",
        "habilidades tecnicas",
        "habilidades",
        "skills tecnicos",
        "stack tecnologico",
        "stack tecnico",
        "tecnologias",
        "experiencia requerida",
        "formacion",
        "formacion academica",
        "educacion",
        "estudios",
        "idiomas",
        "requirements",
        "qualifications",
        "minimum qualifications",
        "basic qualifications",
        "required skills",
        "required qualifications",
        "technical skills",
        "tech stack",
        "what we're looking for",
        "what we are looking for",
        "what you need",
        "what you'll need",
        "what you will need",
        "what you bring",
        "what you'll bring",
        "you have",
        "must have",
        "must-have",
        "must haves",
        "about you",
        "who you are",
        "your profile",
        "skills",
        "experience",
        "requisitos minimos",
        "indispensable",
        "excluyente",
    ],
    _PREFERRED_HEADER: [
        "deseables",
        "deseable",
        "requisitos deseables",
        "valorables",
        "valorable",
        "se valorara",
        "valoramos",
        "plus",
        "suma",
        "sumaria",
        "puntos extra",
        "nice to have",
        "nice-to-have",
        "nice to haves",
        "bonus points",
        "bonus",
        "preferred qualifications",
        "preferred skills",
        "preferred",
        "extra points",
        "es un plus",
        "te destacaras si",
        "conocimientos deseables",
        "seria ideal",
        "ideal",
    ],
    RESPONSIBILITIES: [
        "responsabilidades",
        "principales responsabilidades",
        "funciones",
        "principales funciones",
        "funciones del puesto",
        "tareas",
        "principales tareas",
        "tareas principales",
        "actividades",
        "principales actividades",
        "que haras",
        "cual sera tu rol",
        "tu rol",
        "el rol",
        "tus desafios",
        "desafios",
        "tu mision",
        "mision del puesto",
        "descripcion del puesto",
        "descripcion del cargo",
        "sobre el puesto",
        "sobre el rol",
        "objetivo del puesto",
        "responsibilities",
        "key responsibilities",
        "what you'll do",
        "what you will do",
        "your role",
        "the role",
        "duties",
        "day to day",
        "your mission",
        "your responsibilities",
        "job description",
        "about the role",
    ],
    BENEFITS: [
        "beneficios",
        "ofrecemos",
        "que ofrecemos",
        "te ofrecemos",
        "lo que ofrecemos",
        "se ofrece",
        "ofrece",
        "condiciones",
        "condiciones laborales",
        "que te ofrecemos",
        "nuestros beneficios",
        "compensacion",
        "por que sumarte",
        "por que unirte",
        "por que trabajar con nosotros",
        "te sumas a",
        "salario",
        "remuneracion",
        "modalidad",
        "modalidad de trabajo",
        "horario",
        "jornada",
        "lugar de trabajo",
        "zona de trabajo",
        "benefits",
        "perks",
        "what we offer",
        "we offer",
        "why join us",
        "why us",
        "compensation",
        "perks and benefits",
    ],
    COMPANY: [
        "sobre nosotros",
        "quienes somos",
        "acerca de nosotros",
        "nuestra empresa",
        "la empresa",
        "sobre la empresa",
        "acerca de la empresa",
        "nuestra compania",
        "about us",
        "about the company",
        "who we are",
        "our company",
        "company description",
        "la compania",
        "nosotros",
    ],
}


def _keyword_key(words: list[str]) -> str:
    return " ".join(words).lower().replace("-", " ")


_KEYWORD_SECTION: dict[str, str] = {}
for _section, _keywords in _HEADERS.items():
    for _word in _keywords:
        _KEYWORD_SECTION[_keyword_key(_word.split())] = _section
_MAX_KEYWORD_WORDS = max(len(k.split()) for k in _KEYWORD_SECTION)
_FIRST_WORDS = frozenset(k.split()[0] for k in _KEYWORD_SECTION)
_MAX_TAIL = 25  # characters between a header keyword and its colon ("Requisitos del puesto:")

_WORD = re.compile(r"[A-Za-z0-9']+")
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z])")  # "PresencialRequisitos" once newlines were stripped
_BULLET = re.compile(r"[ \t\-*#>\d.)]*")
_REGION_START = re.compile(r"[\n.;()!?\-]")


def _words(text: str, offset: int) -> list[tuple[str, int, int]]:
    """Words of a short region with absolute offsets, glued words split where a capital starts."""
    words = []
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        cut = 0
        if not word[1:].islower():
            for glue in _GLUE.finditer(word):
                cut = glue.start()
        if cut:
            words.append((word[:cut], offset + start, offset + start + cut))
            word, start = word[cut:], start + cut
        words.append((word, offset + start, offset + start + len(word)))
    return words


def _keyword_at(words: list[tuple[str, int, int]], index: int, limit: int, max_tail: int = _MAX_TAIL) -> str | None:
    """The section of the longest header keyword starting at ``words[index]`` with at most ``max_tail``
    characters between its end and ``limit``."""
    if words[index][0].lower().replace("-", " ").split(" ")[0] not in _FIRST_WORDS:
        return None
    for size in range(min(_MAX_KEYWORD_WORDS, len(words) - index), 0, -1):
        key = _keyword_key([w for w, _, _ in words[index : index + size]])
        section = _KEYWORD_SECTION.get(key)
        if section is not None and limit - words[index + size - 1][2] <= max_tail:
            return section
    return None


def find_headers(text: str, body_start: int = 0) -> dict[int, tuple[str, bool]]:
    """Section headers of ``text[body_start:]``: ``{position: (section, nice-to-have block)}``.

    A header is a line of its own ("Requisitos", "## Beneficios:") or a keyword before a colon, even
    glued to the previous word ("PresencialRequisitos:- Python"); only colons and short lines are
    inspected, which keeps this fast on long postings.
    """
    found: dict[int, tuple[str, bool]] = {}
    # Headers on a line of their own.
    line_start = body_start
    while line_start <= len(text):
        line_end = text.find("\n", line_start)
        if line_end == -1:
            line_end = len(text)
        line = text[line_start:line_end]
        if 0 < len(line.strip()) <= 60:
            lead = _BULLET.match(line)
            begin = lead.end() if lead else 0
            content = line[begin:].rstrip(": \t\r")
            words = _words(content, line_start + begin)
            if words and words[0][1] == line_start + begin:
                # A list item ("- Experience with Datadog") is a header only if it is the keyword alone
                # or ends with a colon; otherwise it is an item of the current section.
                item = bool(lead and lead.group().strip(" \t#")) and not line.rstrip().endswith(":")
                section = _keyword_at(words, 0, line_start + begin + len(content), 0 if item else _MAX_TAIL)
                if section is not None:
                    preferred = section == _PREFERRED_HEADER
                    found[words[0][1]] = (REQUIREMENTS if preferred else section, preferred)
        line_start = line_end + 1
    # Headers before a colon.
    colon = text.find(":", body_start)
    while colon != -1:
        window_start = max(body_start, colon - 70)
        region_start = window_start
        for boundary in _REGION_START.finditer(text, window_start, colon):
            region_start = boundary.end()
        words = _words(text[region_start:colon], region_start)
        for index in range(len(words)):
            section = _keyword_at(words, index, colon)
            if section is not None:
                # "Deseable: Docker" inside a list covers its own clause only (see importance()).
                if section != _PREFERRED_HEADER:
                    found.setdefault(words[index][1], (section, False))
                break
        colon = text.find(":", colon + 1)
    return found


# Cue patterns are lowercase and matched on the lowercased text (much faster than case-insensitive scans).
# A sentence presenting the company, not the job ("Somos una empresa líder…").
_COMPANY_SENTENCE = re.compile(
    r"\b(?:somos\s+(?:una|un|el|la|lideres|lider)\b|we\s+are\s+(?:a|an|the)\b|es\s+una\s+(?:empresa|compania)"
    r"|is\s+an?\s+(?:leading\s+)?(?:company|global|technology|software|fintech|startup)"
    r"|fundada\s+en|founded\s+in|nuestra\s+mision|our\s+mission|con\s+presencia\s+en|with\s+presence\s+in)"
)
_BLURB_REACH = 1200
# …unless the same sentence says what the company is looking for.
_SEARCH_CUE = re.compile(
    r"(?:busca|busqueda|buscamos|incorporar|sumar\s+a|seleccionar|requiere|necesita|looking\s+for|seeking|hiring"
    r"|to\s+join)"
)
_SENTENCE_END = re.compile(r"[\n]|[.!?](?=\s|[A-Z]|$)")

_PREFERRED_CUE = re.compile(
    r"(?:\b(?:no\s+excluyente|deseables?|deseado|deseada|valorables?|se\s+valorar[aá]|valoramos|valorad[oa]|"
    r"plus|suma(?:r[aá])?|nice[\s-]to[\s-]have|preferible(?:mente)?|preferentemente|preferente|idealmente|ideally|"
    r"preferred|preferably|bonus|opcional|optional|good\s+to\s+have|would\s+be\s+great|is\s+a\s+plus|"
    r"ser[ií]a\s+ideal|ser[ií]a\s+un\s+diferencial|diferencial)\b)"
)
_REQUIRED_CUE = re.compile(
    r"(?:\b(?:excluyente|indispensable|imprescindible|obligatori[oa]|requerid[oa]|required|must|mandatory|essential)\b)"
)
# Clauses end at line breaks, semicolons, sentence dots (not the dot of "Node.js") and dash bullets.
_CLAUSE_END = re.compile(r"[\n;]|\.(?=\s|[A-Z(]|$)|-(?=\s)|-(?<=[a-z.)]-)(?=[A-Z])|:(?=\s*-)")
_ITEM_WINDOW = 80
_ITEM_END = re.compile(r"[,(]|\b(?:y|and|o|or)\b")


def lower_same_length(text: str) -> str:
    """``text.lower()``, keeping any character whose lowercase is longer ("İ") so offsets stay valid."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def sentence_start_before(text: str, lower: int, pos: int) -> int:
    """Start of the sentence containing ``pos`` (not before ``lower``)."""
    start = lower
    for boundary in _SENTENCE_END.finditer(text, lower, pos):
        start = boundary.end()
    return start


@dataclass
class PostingStructure:
    """Where each section of one (folded) posting text starts, and where its clauses end."""

    text: str
    starts: list[int]
    sections: list[str]
    preferred_header: list[bool]
    clause_ends: list[int]
    lower: str = ""  # lowercased text of the same length: cue words are matched on it
    _clause_cache: dict[int, bool] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str, body_start: int = 0, lower: str | None = None) -> PostingStructure:
        """Find headers and company sentences in ``text[body_start:]`` (what precedes it is the title);
        ``lower`` is ``lower_same_length(text)`` when the caller has it already."""
        found = find_headers(text, body_start)
        starts, sections, preferred_flags = [0, body_start], [TITLE, OTHER], [False, False]
        for pos in sorted(found):
            section, preferred = found[pos]
            starts.append(pos)
            sections.append(section)
            preferred_flags.append(preferred)
        structure = cls(
            text,
            starts,
            sections,
            preferred_flags,
            [m.start() for m in _CLAUSE_END.finditer(text)],
            lower if lower is not None else lower_same_length(text),
        )
        structure._end_company_at_search()
        structure._mark_company_sentences(body_start)
        return structure

    def _section_end(self, pos: int) -> int:
        index = bisect_right(self.starts, pos)
        return self.starts[index] if index < len(self.starts) else len(self.text)

    def _end_company_at_search(self) -> None:
        """A company block ends at the first sentence saying whom the company is looking for."""
        for index, section in enumerate(list(self.sections)):
            if section != COMPANY:
                continue
            start, end = self.starts[index], self._section_end(self.starts[index])
            cue = _SEARCH_CUE.search(self.lower, start, end)
            if cue is None:
                continue
            sentence_start = start
            for boundary in _SENTENCE_END.finditer(self.text, start, cue.start()):
                sentence_start = boundary.end()
            if sentence_start <= start:
                continue  # the header line itself says it ("Sobre el puesto que buscamos")
            self.starts.insert(index + 1, sentence_start)
            self.sections.insert(index + 1, OTHER)
            self.preferred_header.insert(index + 1, False)

    def _mark_company_sentences(self, body_start: int) -> None:
        # Blurbs open or close a posting: only those stretches are scanned.
        head_end = min(len(self.text), body_start + _BLURB_REACH)
        tail_start = max(head_end, len(self.text) - _BLURB_REACH)
        matches = [*_COMPANY_SENTENCE.finditer(self.lower, body_start, head_end)]
        if tail_start < len(self.text):
            matches += _COMPANY_SENTENCE.finditer(self.lower, tail_start)
        for match in matches:
            if self.section_at(match.start())[0] != OTHER:
                continue
            sentence_start = max(self.text.rfind("\n", 0, match.start()), body_start - 1) + 1
            for boundary in _SENTENCE_END.finditer(self.text, sentence_start, match.start()):
                sentence_start = boundary.end()
            end_match = _SENTENCE_END.search(self.text, match.end())
            end = end_match.end() if end_match else len(self.text)
            if _SEARCH_CUE.search(self.lower, sentence_start, end):
                continue
            # A blurb of several sentences goes on until one says what is sought (not too far away:
            # without a cue only the presenting sentence is the company's).
            limit = min(self._section_end(match.start()), end + 600)
            cue = _SEARCH_CUE.search(self.lower, end, limit)
            if cue is not None:
                end = sentence_start_before(self.text, end, cue.start())
            # Insert a company span and resume the surrounding section after it.
            index = bisect_right(self.starts, match.start())
            resume = self.sections[index - 1]
            self.starts[index:index] = [sentence_start, end]
            self.sections[index:index] = [COMPANY, resume]
            self.preferred_header[index:index] = [False, False]

    def section_at(self, pos: int) -> tuple[str, bool]:
        """``(section, in a nice-to-have block)`` at character ``pos``."""
        index = bisect_right(self.starts, pos) - 1
        return self.sections[index], self.preferred_header[index]

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """Bounds of the clause (list item, sentence, line) around ``[start, end)``."""
        index = bisect_right(self.clause_ends, start)
        left = self.clause_ends[index - 1] + 1 if index > 0 else 0
        right_index = bisect_right(self.clause_ends, end - 1)
        right = self.clause_ends[right_index] if right_index < len(self.clause_ends) else len(self.text)
        return left, right

    def importance(self, start: int, end: int) -> str:
        """``required`` or ``preferred`` for a mention at ``[start, end)``."""
        left, right = self.clause(start, end)
        # A cue right next to the item ("Docker (deseable)") decides for that item alone; items are
        # short, so only a window before the mention is scanned.
        item_left = max(left, start - _ITEM_WINDOW)
        for match in _ITEM_END.finditer(self.lower, item_left, start):
            item_left = match.end()
        next_item = _ITEM_END.search(self.lower, end, min(right, end + _ITEM_WINDOW))
        item_right = right
        if next_item:
            item_right = next_item.end()
            if next_item.group() == "(":
                close = self.text.find(")", item_right, right)
                item_right = close + 1 if close != -1 else right
        if _PREFERRED_CUE.search(self.lower, item_left, item_right):
            return PREFERRED
        if _REQUIRED_CUE.search(self.lower, item_left, item_right):
            return REQUIRED
        if self._clause_is_preferred(left, right):
            return PREFERRED
        return PREFERRED if self.section_at(start)[1] else REQUIRED

    def _clause_is_preferred(self, left: int, right: int) -> bool:
        """A cue anywhere in the clause covers the whole list ("Deseable: Docker y Kubernetes"),
        unless it is a parenthesised tag of another item; computed once per clause."""
        cached = self._clause_cache.get(left)
        if cached is None:
            cached = any(
                self.text[max(left, m.start() - 1) : m.start()] != "("
                for m in _PREFERRED_CUE.finditer(self.lower, left, right)
            )
            self._clause_cache[left] = cached
        return cached
