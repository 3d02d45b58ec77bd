"""Sections of a posting (requirements, responsibilities, benefits, company) and importance cues.

Works on folded text (see :mod:`observatory.skills.normalize`). Portals often strip newlines
("…PresencialRequisitos:- Python"), so headers are found both at line starts and glued before a colon.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from observatory.skills.normalize import positions, trie_pattern

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
# "Misión:" heads the company's mission statement or the role's own mission ("Misión: detectar y responder
# incidentes"): it is the company's only when the text under it speaks of the company (see _mission_section).
_MISSION_HEADER = "mission"
# Benefit headers that announce one fact ("Modalidad: presencial", "Horario: 9 a 18 hs"), not a block: where
# newlines were stripped the requirements that follow them are not benefits.
_FACT_HEADERS = frozenset(
    "modalidad|modalidad de trabajo|horario|jornada|lugar de trabajo|zona de trabajo|salario|remuneracion"
    "|ubicacion|horarios|horarios de trabajo".split("|")
)

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
        "a quien buscamos",
        "quien buscamos",
        "a quienes buscamos",
        "que perfil buscamos",
        "perfil que buscamos",
        "que necesitamos de vos",
        "que necesitamos de ti",
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
        "perks benefits",  # "Perks & Benefits": "&" is not a word
        "benefits and perks",
        "benefits perks",
        "our benefits",
        "what we offer you",
        "what we provide",
        "what's in it for you",
        "whats in it for you",
        "what you'll get",
        "what you get",
        "why you'll love working with us",
        "why you'll love working here",
        "why work with us",
        "compensation and benefits",
        "compensation benefits",
        "te brindamos",
        "que te brindamos",
        "brindamos",
        "lo que te damos",
        "por que elegirnos",
        "ubicacion",
        "horarios",
        "horarios de trabajo",
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
        "vision",
        "nuestra vision",
        "mision y vision",
        "mision vision y valores",
        "mision vision valores",
        "nuestra mision",
        "nuestros valores",
        "valores corporativos",
        "nuestra cultura",
        "nuestro proposito",
        "our mission",
        "our vision",
        "our values",
        "mission and values",
        "mission values",
        "our culture",
        "our story",
    ],
    _MISSION_HEADER: ["mision", "mission"],
}


def _keyword_key(words: list[str]) -> str:
    return " ".join(words).lower().replace("-", " ")


_KEYWORD_SECTION: dict[str, str] = {}
for _section, _keywords in _HEADERS.items():
    for _word in _keywords:
        _KEYWORD_SECTION[_keyword_key(_word.split())] = _section
_MAX_KEYWORD_WORDS = max(len(k.split()) for k in _KEYWORD_SECTION)
_FIRST_WORDS = frozenset(k.split()[0] for k in _KEYWORD_SECTION)
_KEYWORD_PREFIXES = frozenset(" ".join(k.split()[:size]) for k in _KEYWORD_SECTION for size in range(1, len(k.split())))
_MAX_TAIL = 25  # characters between a header keyword and its colon ("Requisitos del puesto:")

# Company keywords that are also ordinary words ("Visión de negocio", "Misión del puesto"): a header only alone.
_EXACT_KEYWORDS = frozenset({"vision", "mision", "mission"})

_WORD = re.compile(r"[A-Za-z0-9']+")
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z])")  # "PresencialRequisitos" once newlines were stripped
_BULLET = re.compile(r"[ \t\-*#>\d.)]*")
_REGION_START = re.compile(r"[\n.;()!?\-]")
_HEADER_END = re.compile(r"[:?]")  # the reference of _header_ends (a test compares them)


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


def _header_ends(text: str, start: int) -> list[int]:
    """Positions of every colon and question mark from ``start`` on, in order: what ``_HEADER_END.finditer`` finds,
    by two ``str.find`` scans (a regex of a character class tests every character: several times slower)."""
    return sorted([*positions(text, ":", start), *positions(text, "?", start)])


def _may_open_header(content: str) -> bool:
    """Whether the first word of a line (its part before a glued capital, as :func:`_words` cuts it) may start a
    header keyword: most lines are ordinary text, and this spares splitting them into words."""
    first = _WORD.match(content)
    if first is None:
        return False
    word = first.group()
    if not word[1:].islower():
        cut = 0
        for glue in _GLUE.finditer(word):
            cut = glue.start()
        if cut:
            word = word[:cut]
    return word.lower() in _FIRST_WORDS


def _keyword_at(words: list[tuple[str, int, int]], index: int, limit: int, max_tail: int = _MAX_TAIL) -> str | None:
    """The section of the longest header keyword starting at ``words[index]`` with at most ``max_tail``
    characters between its end and ``limit``."""
    # Words are ASCII letters, digits and apostrophes: their keys are their lowercase forms, and a key grows word by
    # word for as long as it starts a keyword (most words start none, or only a short one).
    key = words[index][0].lower()
    if key not in _FIRST_WORDS:
        return None
    found = None
    last = min(len(words), index + _MAX_KEYWORD_WORDS) - 1
    at = index
    while True:
        section = _KEYWORD_SECTION.get(key)
        if section is not None and limit - words[at][2] <= (0 if key in _EXACT_KEYWORDS else max_tail):
            found = section  # the longest keyword that fits wins
        if at == last or key not in _KEYWORD_PREFIXES:
            return found
        at += 1
        key = f"{key} {words[at][0].lower()}"


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
            if not _may_open_header(content):
                line_start = line_end + 1
                continue
            words = _words(content, line_start + begin)
            if words and words[0][1] == line_start + begin:
                # A list item ("- Experience with Datadog") is a header only if it is the keyword alone
                # or ends with a colon; otherwise it is an item of the current section.
                item = bool(lead and lead.group().strip(" \t#")) and not line.rstrip().endswith(":")
                section = _keyword_at(words, 0, line_start + begin + len(content), 0 if item else _MAX_TAIL)
                if section == _MISSION_HEADER:
                    section = _mission_section(text, line_end)
                if section is not None:
                    preferred = section == _PREFERRED_HEADER
                    found[words[0][1]] = (REQUIREMENTS if preferred else section, preferred)
        line_start = line_end + 1
    # Headers before a colon or a question mark ("¿Qué ofrecemos?").
    for colon in _header_ends(text, body_start):
        window_start = max(body_start, colon - 70)
        region_start = window_start
        for boundary in _REGION_START.finditer(text, window_start, colon):
            region_start = boundary.end()
        if text[colon] == "?":  # the question itself is the header ("…de la empresa ¿Qué buscamos?")
            question = text.rfind("\u00bf", region_start, colon)
            if question == -1:
                continue
            region_start = question + 1
        words = _words(text[region_start:colon], region_start)
        for index in range(len(words)):
            section = _keyword_at(words, index, colon)
            if section == _MISSION_HEADER:
                section = _mission_section(text, colon + 1)
            if section is not None:
                # "Deseable: Docker" inside a list covers its own clause only (see importance()).
                if section != _PREFERRED_HEADER:
                    found.setdefault(words[index][1], (section, False))
                break
    # An offer opening a long line that a colon ends ("Qué ofrecemos para que tu trabajo (y tu vida) sea más fácil:"):
    # longer than a header line, its keyword too far from the colon, it still heads the benefits that follow.
    if any(word in text for word in _OFFER_WORDS):
        for match in _OFFER_LINE.finditer(text, body_start):
            found.setdefault(match.start("key"), (BENEFITS, False))
    # Block headers glued to the previous sentence without a colon ("…Hominis.Requisitos Experiencia en…").
    for match in _glued_headers(text, body_start):
        key = match.group("key").split()
        section = _KEYWORD_SECTION.get(_keyword_key(key)) or _KEYWORD_SECTION[_keyword_key(key[:1])]
        found.setdefault(match.start("key"), (section, False))
    # Capitalised headers inside running text ("…del negocio. PRINCIPALES RESPONSABILIDADES • Coordinar…").
    for match in _CAPS_RUN.finditer(text, body_start):
        before = text[max(body_start, match.start() - 3) : match.start()].rstrip(" \t")
        if before and before[-1] not in ".!?:)\n" and not before[-1].islower():
            continue
        caps = match.group().split()
        for size in range(len(caps), 0, -1):
            section = _KEYWORD_SECTION.get(_keyword_key(caps[:size]))
            if section == _MISSION_HEADER:
                section = _mission_section(text, match.end())
            if section is not None and section != _PREFERRED_HEADER:
                found.setdefault(match.start(), (section, False))
                break
    return found


# A run of at most five capitalised words that is not part of capitalised prose (a whole posting in capitals).
# Written to start with a capital (then "no letter before it" as a look-behind) so that the regex engine skips
# to capitals instead of trying every position: the same matches as (?<![A-Za-z])[A-Z]{3,}…, 2.5x faster.
_CAPS_RUN = re.compile(r"[A-Z](?<![A-Za-z][A-Z])[A-Z]{2,}(?:[ \t]+[A-Z]{2,}){0,4}(?![a-z])(?![ \t]*[A-Z]{2,})")


# Headers that open a block and never start an ordinary sentence, found glued after the previous sentence
# when the portal stripped newlines; a capital, a bullet or a colon must follow ("Requisitos Experiencia…").
def _title_and_upper(words: str) -> str:
    return "|".join(f"{w[0].upper()}{w[1:]}|{w.upper()}" for w in words.split("|")).replace(" ", r"\s+")


_GLUED_BLOCKS = "requisitos|requerimientos|responsabilidades|funciones|tareas"
_GLUED_OFFERS = "beneficios|ofrecemos|te ofrecemos|que buscamos"
_GLUED_HEADER = re.compile(
    rf"(?<=[a-z).!?])(?P<key>(?:{_title_and_upper(_GLUED_BLOCKS)})"
    rf"(?:\s+(?:principales|PRINCIPALES))?|{_title_and_upper(_GLUED_OFFERS)})"
    r"[ \t]*(?=[A-Z*\u2022\-])"
)
# Every glued header starts with one of these capitals right after a letter or a stop: found by a scan that the
# regex engine runs over capitals only (the pattern above, tried at every position, was ~7x slower).
_GLUED_INITIALS = "".join(sorted({w[0].upper() for w in f"{_GLUED_BLOCKS}|{_GLUED_OFFERS}".split("|")}))
_GLUED_START = re.compile(rf"[{_GLUED_INITIALS}](?<=[a-z).!?][{_GLUED_INITIALS}])")


def _glued_headers(text: str, body_start: int) -> Iterator[re.Match[str]]:
    """What ``_GLUED_HEADER.finditer(text, body_start)`` finds (its matches cannot overlap one another's starts)."""
    end = body_start
    for start in _GLUED_START.finditer(text, body_start):
        if start.start() < end:
            continue
        match = _GLUED_HEADER.match(text, start.start())
        if match is not None:
            end = match.end()
            yield match


_OFFER_WORDS = ("frecemos", "FRECEMOS", "rindamos", "RINDAMOS")  # a cheap test before _OFFER_LINE's scan
_OFFER_LINE = re.compile(
    r"(?im)^[ \t\-*#>\u2022\u00b7]*\u00bf?(?P<key>(?:(?:que|lo[ \t]+que)[ \t]+)?(?:(?:te|les|le)[ \t]+)?"
    r"(?:ofrecemos|brindamos))\b[^\n:?]{0,80}[:?][ \t]*$"
)
_FACT_HEADER = re.compile(
    "(?:" + "|".join(sorted(_FACT_HEADERS, key=len, reverse=True)) + r")\b[^\n:.]{0,25}[ \t]*[:\n]?[ \t\n]*\S"
)
_FACT_REACH = 45
_MISSION_REACH = 600
# A company's mission speaks of "us" ("Misión: brindar a nuestros clientes…", "ser la empresa líder…") or comes
# with a vision or values header; a role's mission speaks of tasks ("Misión: detectar y responder incidentes").
_COMPANY_MISSION = re.compile(
    r"\b(?:nuestr[oa]s?|somos|our|we|us)\b|\bser\s+(?:la|el|una|un|los|las)\s+(?:empresa|compania|lider|lideres"
    r"|referente|mejor|primer)"
)
_VISION_HEADER = re.compile(r"\b(?:vision|valores|values)\b[ \t]*[:\n]")


def _mission_section(text: str, after: int) -> str | None:
    """A "Misión" header is the company's when its first sentence speaks of the company or a vision or values
    header follows; otherwise it is no header at all (the role's mission stays in its section)."""
    window = text[after : after + _MISSION_REACH].lower()
    end = _SENTENCE_END.search(window.lstrip(" \t\n:"))
    first = window.lstrip(" \t\n:")[: end.start() if end else None]
    return COMPANY if _COMPANY_MISSION.search(first) or _VISION_HEADER.search(window) else None


class _Heads:
    """Where a pattern may match whose every match starts, after a word boundary, with one of ``heads``."""

    def __init__(self, heads: tuple[str, ...]) -> None:
        self.heads = heads
        words = [h for h in heads if h[0].isalnum()]
        self.others = tuple(h for h in heads if not h[0].isalnum())  # "-based": found by str.find
        self.first = re.compile(trie_pattern(words, prefixes=True))
        # A word head follows a non-word character: the engine skips to those, then compares the tree.
        self.after_break = re.compile(rf"\W(?={trie_pattern(words, prefixes=True)})")

    def places(self, text: str, start: int, end: int) -> list[int]:
        places = [m.end() for m in self.after_break.finditer(text, max(0, start - 1), end)]
        if start == 0 and self.first.match(text, 0, end):
            places.insert(0, 0)
        for head in self.others:
            at = text.find(head, start, end)
            while at != -1:
                places.append(at)
                at = text.find(head, at + 1, end)
        return sorted(places) if self.others else places


# Cue patterns are lowercase and matched on the lowercased text (much faster than case-insensitive scans).
# A sentence presenting the company, not the job ("Somos una empresa líder…").
_COMPANY_SENTENCE = re.compile(
    r"\b(?:somos\s+(?:una|un|el|la|lideres|lider)\b|we\s+are\s+(?:a|an|the)\b|es\s+una\s+(?:empresa|compania)"
    r"|is\s+an?\s+(?:leading\s+)?(?:company|global|technology|software|fintech|startup)"
    r"|\bcompany\s+(?:focused|specializ\w+|dedicated|based)\b|-based\s+company|somos\s+especialistas\s+en"
    r"|fundada\s+en|founded\s+in|con\s+presencia\s+en|with\s+presence\s+in"
    r"|somos\s+[^\s,.;:]+(?:\s+[^\s,.;:]+)?\s*,\s*(?:una|un|la|el)\b|we\s+are\s+[^\s,.;:]+\s*,\s*(?:a|an|the)\b"
    r"|nuestra\s+(?:mision|vision)|nuestros\s+valores|nuestro\s+proposito"
    r"|our\s+(?:mission|vision|values|purpose))"
)
_BLURB_REACH = 1200
# What every match of _COMPANY_SENTENCE starts with (a test checks it against the pattern).
_COMPANY_HEADS = _Heads(tuple("somos we es is company -based fundada founded con with nuestr our".split()))
# …unless the same sentence says what the company is looking for.
_SEARCH_CUE = re.compile(
    r"(?:busca|busqueda|buscamos|incorporar|sumar\s+a|seleccionar|requiere|necesita|looking\s+for|seeking|hiring"
    r"|to\s+join)"
)
_SENTENCE_END = re.compile(r"[\n]|[.!?](?=\s|[A-Z]|$)")
# What only the search sentence says, never a perk ("nos encontramos en la búsqueda de un/a desarrollador/a").
_SEARCH_SENTENCE = re.compile(
    r"\b(?:buscamos|estamos\s+buscando|en\s+(?:la\s+)?busqueda\s+de|we\s+are\s+looking\s+for|we\s+are\s+seeking)\b"
)

# Perks that make a clause a benefit wherever it stands (lowercase, folded text).
_BENEFIT_CUE = re.compile(
    r"\b(?:prepagas?|obra\s+social|reintegros?|aguinaldo|vacaciones|gimnasio|gympass|refrigerio"
    r"|descuentos?\s+(?:en|de|para|exclusivos|corporativos)|medicina\s+prepaga|cobertura\s+medica|plan\s+de\s+salud"
    r"|seguro\s+(?:de\s+vida|de\s+salud|medico)|licencias?\s+(?:por\s+|extendidas?|de\s+(?:maternidad|paternidad))"
    r"|dia\s+(?:libre\s+)?(?:por|de|en)\s+(?:tu\s+)?cumpleanos|bono\s+(?:anual|por\s+desempeno)"
    r"|(?:clases|cursos)\s+(?:de|gratuitos\s+de)\s+(?:ingles|idiomas?|portugues)|horarios?\s+flexibles?"
    r"|insurance|paid\s+time\s+off|pto|vacations?|holidays|stipend|allowance|reimburse(?:d|ment)?|gym|wellness"
    r"|401\s?k|stock\s+options|parental\s+leave|birthday|learning\s+budget|training\s+budget|setup\s+for\s+you"
    r"|(?:english|language)\s+(?:classes|lessons)|flexible\s+(?:hours|schedule|working\s+hours)"
    r"|(?:provided|covered|paid)\s+by\s+(?:us|the\s+company)|salario|sueldo|remuneracion|compensacion|salary"
    r"|compensation)\b"
)
_PERK_ITEM_CHARS = 40
# What every match of _BENEFIT_CUE starts with (a test checks it against the pattern).
_BENEFIT_HEADS = _Heads(
    tuple(
        """prepaga obra reintegro aguinaldo vacaciones gimnasio gym refrigerio descuento medicina cobertura plan seguro
    licencia dia bono clases cursos horario insurance paid pto vacation holidays stipend allowance reimburse wellness
    401 stock parental birthday learning training setup english language flexible provided covered salario sueldo
    remuneracion compensacion salary compensation""".split()
    )
)
# Words that make a clause a demand even when it names a perk ("experiencia en venta de seguros de vida").
_DEMAND_CUE = re.compile(
    r"\b(?:experiencia|conocimientos?|manejo|dominio|liquidaci|liquidar|gestion|gestionar|administra|vent[ae]|vend"
    r"|comercializ|asesor|cotiz|tramit|requisit|excluyente|indispensable|deseable|capacidad|habilidad|dictar|impartir"
    r"|ensenar|atencion|atender|organiz|coordin|planific|supervis|elabor|registr|busca|requiere|necesita"
    r"|experience|knowledge|proficien|skills?|selling|sell|sales|manag|process|handl|required|must|familiar|teach"
    r"|seeking|looking\s+for)"
)
_PREFERRED_CUE = re.compile(
    r"(?:\b(?:no\s+excluyente|deseables?|deseado|deseada|valorables?|se\s+valorar[aá]|valoramos|valorad[oa]|"
    r"plus|suma(?:r[aá])?|nice[\s-]to[\s-]have|preferible(?:mente)?|preferentemente|preferente|idealmente|ideally|"
    r"preferred|preferably|bonus|opcional|optional|good\s+to\s+have|would\s+be\s+great|is\s+a\s+plus|"
    r"ser[ií]a\s+ideal|ser[ií]a\s+un\s+diferencial|diferencial)\b)"
)
# A word that every match of each cue contains: where none stands, the cue's regex need not run.
_PREFERRED_WORDS = tuple(
    "excluyente desea valora plus suma nice prefer ideal bonus opcional optional good would diferencial".split()
)
_REQUIRED_WORDS = tuple(
    "excluyente indispensable imprescindible obligatori requerid required must mandatory essential".split()
)
_REQUIRED_CUE = re.compile(
    r"(?:\b(?:excluyente|indispensable|imprescindible|obligatori[oa]|requerid[oa]|required|must|mandatory|essential)\b)"
)
# Clauses end at line breaks, semicolons, sentence dots (not the dot of "Node.js") and dash bullets.
# Each alternative starts with its own character (not "[\n;]"), so that the regex engine skips to those characters.
_CLAUSE_END = re.compile(r"\n|;|\.(?=\s|[A-Z(]|$)|-(?=\s)|-(?<=[a-z.)]-)(?=[A-Z])|:(?=\s*-)")
_ITEM_WINDOW = 80
# "[,(]|\b(?:y|and|o|or)\b", written so that each alternative starts with its own character (the regex engine then
# skips to those characters; a test checks that both forms find the same spans).
_ITEM_END = re.compile(r",|\(|y(?<!\wy)(?!\w)|and(?<!\wand)(?!\w)|o(?<!\wo)r?(?!\w)")


def _cue_matches(pattern: re.Pattern[str], heads: _Heads, text: str, start: int, end: int) -> list[re.Match[str]]:
    """What ``pattern.finditer(text, start, end)`` finds, for a pattern of ``\\b`` and words such as _BENEFIT_CUE.

    Such a pattern gives the regex engine no first character to skip to, so it tries every word at every position;
    trying it only where one of its first words starts gives the same matches (in order, each after the end of the
    previous one) about twice as fast."""
    found: list[re.Match[str]] = []
    after = start
    for at in heads.places(text, start, end):
        if at >= after:
            match = pattern.match(text, at, end)
            if match is not None:
                found.append(match)
                after = match.end()
    return found


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
    _cue_words: dict[tuple[str, ...], list[int]] = field(default_factory=dict)

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
        structure._end_fact_headers()
        structure._end_company_at_search()
        structure._mark_company_sentences(body_start)
        structure._mark_benefit_clauses(body_start)
        return structure

    def _section_end(self, pos: int) -> int:
        index = bisect_right(self.starts, pos)
        return self.starts[index] if index < len(self.starts) else len(self.text)

    def _end_fact_headers(self) -> None:
        """A one-fact header ("Modalidad: presencial.") covers its sentence; the section before it resumes."""
        index = 2
        while index < len(self.sections):
            start = self.starts[index]
            fact = _FACT_HEADER.match(self.lower, start) if self.sections[index] == BENEFITS else None
            if fact is not None:
                # A fact is short: where newlines were stripped, the search sentence may follow without a stop.
                reach = min(len(self.text), fact.end() + _FACT_REACH)
                end_match = _SENTENCE_END.search(self.text, fact.end(), reach)
                cue = _SEARCH_CUE.search(self.lower, fact.end(), reach)
                end = min(end_match.end() if end_match else reach, cue.start() if cue else reach)
                if end < self._section_end(start):
                    self.starts.insert(index + 1, end)
                    self.sections.insert(index + 1, self.sections[index - 1])
                    self.preferred_header.insert(index + 1, self.preferred_header[index - 1])
            index += 1

    def _end_company_at_search(self) -> None:
        """A company block ends at the first sentence saying whom the company is looking for; so does a benefits
        block that goes on to the search ("¿Qué ofrecemos? En Acme … nos encontramos en la búsqueda de…")."""
        index = 0
        while index < len(self.sections):
            section = self.sections[index]
            cue_pattern = _SEARCH_CUE if section == COMPANY else _SEARCH_SENTENCE if section == BENEFITS else None
            start, end = self.starts[index], self._section_end(self.starts[index])
            cue = cue_pattern.search(self.lower, start, end) if cue_pattern is not None else None
            index += 1
            if cue is None:
                continue
            sentence_start = start
            for boundary in _SENTENCE_END.finditer(self.text, start, cue.start()):
                sentence_start = boundary.end()
            if sentence_start <= start:
                continue  # the header line itself says it ("Sobre el puesto que buscamos")
            self.starts.insert(index, sentence_start)
            self.sections.insert(index, OTHER)
            self.preferred_header.insert(index, False)

    def _mark_company_sentences(self, body_start: int) -> None:
        # Blurbs open or close a posting: only those stretches are scanned.
        head_end = min(len(self.text), body_start + _BLURB_REACH)
        tail_start = max(head_end, len(self.text) - _BLURB_REACH)
        matches = _cue_matches(_COMPANY_SENTENCE, _COMPANY_HEADS, self.lower, body_start, head_end)
        if tail_start < len(self.text):
            matches += _cue_matches(_COMPANY_SENTENCE, _COMPANY_HEADS, self.lower, tail_start, len(self.text))
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

    def _mark_benefit_clauses(self, body_start: int) -> None:
        """A clause naming a perk ("Clases de inglés", "Health insurance", "Hardware setup for you") is a benefit
        wherever it stands, unless it also asks for something ("experiencia en venta de seguros")."""
        for match in _cue_matches(_BENEFIT_CUE, _BENEFIT_HEADS, self.lower, body_start, len(self.text)):
            if self.section_at(match.start())[0] in NON_DEMAND_SECTIONS:
                continue
            left, right = self.clause(match.start(), match.end())
            left = max(left, body_start)
            if _DEMAND_CUE.search(self.lower, left, right):
                continue
            index = bisect_right(self.starts, left)
            resume, resume_preferred = self.section_at(left)
            # Sections that start inside the clause are kept after it.
            inner = bisect_right(self.starts, right - 1)
            if inner > index:
                resume, resume_preferred = self.sections[inner - 1], self.preferred_header[inner - 1]
                del self.starts[index:inner], self.sections[index:inner], self.preferred_header[index:inner]
            self.starts[index:index] = [left, right]
            self.sections[index:index] = [BENEFITS, resume]
            self.preferred_header[index:index] = [False, resume_preferred]
        # A short item between two perks is a perk too ("- Salario en USD\n- Hardware y software.\n- Prepaga").
        for index in range(1, len(self.sections) - 1):
            if self.sections[index - 1] == BENEFITS and self.sections[index + 1] == BENEFITS:
                item = self.lower[self.starts[index] : self.starts[index + 1]]
                if len(item) <= _PERK_ITEM_CHARS and not _DEMAND_CUE.search(item):
                    self.sections[index] = BENEFITS

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
        if not (self._holds(_PREFERRED_WORDS, left, right) or self._holds(_REQUIRED_WORDS, left, right)):
            # Most clauses hold no cue word: neither the item's cues nor the clause's can apply. The clause's answer
            # is cached by its start as _clause_is_preferred would (a mention may run past a clause end).
            self._clause_cache.setdefault(left, False)
            return PREFERRED if self.section_at(start)[1] else REQUIRED
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
        if self._holds(_PREFERRED_WORDS, item_left, item_right) and _PREFERRED_CUE.search(
            self.lower, item_left, item_right
        ):
            return PREFERRED
        if self._holds(_REQUIRED_WORDS, item_left, item_right) and _REQUIRED_CUE.search(
            self.lower, item_left, item_right
        ):
            return REQUIRED
        if self._clause_is_preferred(left, right):
            return PREFERRED
        return PREFERRED if self.section_at(start)[1] else REQUIRED

    def _holds(self, words: tuple[str, ...], start: int, end: int) -> bool:
        """Whether one of ``words`` starts in ``lower[start:end]`` (their places found once per posting)."""
        places = self._cue_words.get(words)
        if places is None:
            places = []
            for word in words:  # str.find in a loop: a generator per word cost more than the scans themselves
                at = self.lower.find(word)
                while at != -1:
                    places.append(at)
                    at = self.lower.find(word, at + 1)
            places.sort()
            self._cue_words[words] = places
        index = bisect_left(places, start)
        return index < len(places) and places[index] < end

    def _clause_is_preferred(self, left: int, right: int) -> bool:
        """A cue anywhere in the clause covers the whole list ("Deseable: Docker y Kubernetes"),
        unless it is a parenthesised tag of another item; computed once per clause."""
        cached = self._clause_cache.get(left)
        if cached is None:
            cached = self._holds(_PREFERRED_WORDS, left, right) and any(
                self.text[max(left, m.start() - 1) : m.start()] != "("
                for m in _PREFERRED_CUE.finditer(self.lower, left, right)
            )
            self._clause_cache[left] = cached
        return cached
