"""The mention normaliser against a loopback chat-completions server: accepted and rejected answers, malformed JSON,
429/500/timeouts, the database cache on re-run, the budget stop and redaction of what leaves the machine."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from observatory.llm import OpenAICompatibleClient
from observatory.llm.budget import Budget
from observatory.llm.cache import DatabaseCache, MemoryCache
from observatory.llm.candidates import LexicalEscoCandidates
from observatory.llm.mentions import (
    ACCEPTED,
    BUDGET,
    ERROR,
    MALFORMED,
    REJECTED_NAME,
    REJECTED_URI,
    MentionInput,
    MentionNormaliser,
    PostingMentions,
    grounded,
    posting_vocabulary,
    uncertainty,
)
from observatory.llm.prompts import NORMALISE
from observatory.llm.redact import redact
from observatory.storage import Database
from observatory_tests.llm.conftest import ChatServer, Reply, chat_reply

ESCO = "http://data.europa.eu/esco/skill/"
CONCEPTS = [
    (ESCO + "python", "Python", "Python", ["programación en Python"]),
    (ESCO + "django", "Django", "Django", []),
    (ESCO + "office", "programas de ofimática", "office software", ["herramientas ofimáticas"]),
    (ESCO + "customer", "atención al cliente", "customer service", []),
    (ESCO + "java", "Java", "Java", []),
]


@pytest.fixture(scope="module")
def retriever() -> LexicalEscoCandidates:
    return LexicalEscoCandidates(CONCEPTS)


def mentions_of(prompt: str) -> dict[int, tuple[str, list[str]]]:
    """Number → (surface, candidate URIs) as the prompt lists them."""
    found: dict[int, tuple[str, list[str]]] = {}
    current = 0
    for line in prompt.splitlines():
        if m := re.match(r'^(\d+)\. "(.*)"$', line):
            current = int(m.group(1))
            found[current] = (m.group(2), [])
        elif m := re.match(r"^\s+- (\S+) : ", line):
            found[current][1].append(m.group(1))
    return found


def answering(skills_for: dict[str, list[dict[str, Any]]]) -> Any:
    """A responder that answers each listed mention with ``skills_for[surface]`` ("$0" is the first candidate)."""

    def respond(body: dict[str, Any], attempt: int) -> Reply:
        prompt = body["messages"][-1]["content"]
        answer = []
        for number, (surface, uris) in mentions_of(prompt).items():
            skills = [
                {**s, "esco_uri": uris[0] if s.get("esco_uri") == "$0" and uris else s.get("esco_uri")}
                for s in skills_for.get(surface, [])
            ]
            answer.append({"id": number, "skills": skills})
        return chat_reply(json.dumps({"mentions": answer}), prompt_tokens=120, completion_tokens=30)

    return respond


def client(server: ChatServer, **kw: Any) -> OpenAICompatibleClient:
    kw.setdefault("backoff", 0.01)
    return OpenAICompatibleClient(server.url, "loopback-model", "sk-secret", **kw)


def posting(pid: str, text: str, *mentions: tuple[str, str, float, str | None]) -> PostingMentions:
    items = [
        MentionInput(key=(pid, i), surface=s, skill_id=sid, name=s, esco_uri=uri, confidence=conf, context=text[:200])
        for i, (s, sid, conf, uri) in enumerate(mentions)
    ]
    return PostingMentions(pid, text, items)


TEXT = "Buscamos desarrollador con Python/Django y manejo de herramientas ofimáticas. Trabajo en equipo."
POSTING = posting(
    "p1",
    TEXT,
    ("Python/Django", "python", 0.95, ESCO + "python"),
    ("manejo de herramientas ofimáticas", "tag:manejo de herramientas ofimaticas", 0.6, None),
    ("Trabajo en equipo", "teamwork", 0.85, ESCO + "teamwork"),  # certain: not sent
)


def test_uncertainty_rules() -> None:
    def m(surface: str, skill_id: str = "x", conf: float = 0.95, uri: str | None = "u") -> str | None:
        return uncertainty(MentionInput(1, surface, skill_id, surface, uri, conf))

    assert m("Python/Django") == "combined"
    assert m("Excel y Word") == "combined"
    assert m("manejo de herramientas ofimáticas") == "combined"
    assert m("Ventas", "tag:ventas") == "unmapped_tag"
    assert m("Scrum", conf=0.6) == "low_confidence"
    assert m("Scrum", uri=None) == "no_esco"
    assert m("CI/CD") is None and m("C++") is None and m("Python") is None
    words = posting_vocabulary(TEXT)
    assert grounded("Django", words) and grounded("herramientas ofimáticas", words)
    assert not grounded("Java", words) and not grounded("Microsoft Excel", words)


def test_accepted_answers_split_and_map(chat_server: ChatServer, retriever: LexicalEscoCandidates) -> None:
    chat_server.responder = answering(
        {
            "Python/Django": [
                {"name_es": "Python", "name_en": "Python", "esco_uri": ESCO + "python"},
                {"name_es": "Django", "name_en": "Django", "esco_uri": ESCO + "django"},
            ],
            "manejo de herramientas ofimáticas": [
                {"name_es": "herramientas ofimáticas", "name_en": "office software", "esco_uri": "$0"}
            ],
        }
    )
    normaliser = MentionNormaliser(client(chat_server), retriever, top_k=3)
    outcomes, stats = normaliser.normalise([POSTING])
    assert [o.outcome for o in outcomes] == [ACCEPTED, ACCEPTED]
    assert [s.name_es for s in outcomes[0].skills] == ["Python", "Django"]
    assert outcomes[1].skills[0].esco_uri == ESCO + "office"
    assert (stats.mentions, stats.uncertain, stats.sent, stats.requests) == (3, 2, 2, 1)  # one request per posting
    assert (stats.prompt_tokens, stats.completion_tokens) == (120, 30)  # the server's usage figures
    body = json.loads(chat_server.bodies[0])
    assert body["messages"][0] == {"role": "system", "content": NORMALISE.system}
    assert body["response_format"] == {"type": "json_object"} and body["temperature"] == 0


def test_grounding_rejections_keep_the_rule_result(chat_server: ChatServer, retriever: LexicalEscoCandidates) -> None:
    chat_server.responder = answering(
        {
            # Java is not written in the posting.
            "Python/Django": [{"name_es": "Python", "esco_uri": None}, {"name_es": "Java", "esco_uri": None}],
            # A URI the candidates did not offer (Java's concept is not a candidate for this mention).
            "manejo de herramientas ofimáticas": [{"name_es": "ofimática", "esco_uri": ESCO + "java"}],
        }
    )
    outcomes, stats = MentionNormaliser(client(chat_server), retriever).normalise([POSTING])
    assert [o.outcome for o in outcomes] == [REJECTED_NAME, REJECTED_URI]
    assert all(o.method == "rules" for o in outcomes)
    assert outcomes[0].skills[0].name_es == "Python/Django" and outcomes[0].skills[0].esco_uri == ESCO + "python"
    assert stats.rejections == 2 and stats.accepted == 0


@pytest.mark.parametrize(
    "content", ["Sure! The skills are Python and Django.", '{"mentions": [{"id": "one"', '{"mentions": "none"}']
)
def test_malformed_answers_are_counted(chat_server: ChatServer, retriever: LexicalEscoCandidates, content: str) -> None:
    chat_server.responder = lambda body, n: chat_reply(content)
    outcomes, stats = MentionNormaliser(client(chat_server), retriever).normalise([POSTING])
    assert {o.outcome for o in outcomes} == {MALFORMED} and stats.outcomes[MALFORMED] == 2
    assert all(o.skills[0].name_es == o.mention.name for o in outcomes)


def test_fenced_json_and_missing_usage_are_accepted(chat_server: ChatServer, retriever: LexicalEscoCandidates) -> None:
    answer = {"mentions": [{"id": 1, "skills": [{"name_es": "Django", "name_en": "Django", "esco_uri": "null"}]}]}
    chat_server.responder = lambda body, n: chat_reply(f"```json\n{json.dumps(answer)}\n```", prompt_tokens=None)
    outcomes, stats = MentionNormaliser(client(chat_server), retriever).normalise([POSTING])
    assert outcomes[0].outcome == ACCEPTED and outcomes[0].skills[0].esco_uri is None
    assert stats.prompt_tokens > 100  # estimated from the text when the server reports no usage


def test_429_retry_after_then_success(chat_server: ChatServer, retriever: LexicalEscoCandidates) -> None:
    ok = answering({"Python/Django": [{"name_es": "Django"}]})
    chat_server.responder = lambda body, n: (429, {"Retry-After": "1"}, "slow down") if n == 1 else ok(body, n)
    outcomes, _ = MentionNormaliser(client(chat_server, backoff=5.0), retriever).normalise([POSTING])
    assert outcomes[0].outcome == ACCEPTED
    waited = chat_server.times[1] - chat_server.times[0]
    assert 0.9 <= waited < 4.0  # Retry-After's second, not the 5 s backoff


def test_500_and_timeouts_keep_rules(chat_server: ChatServer, retriever: LexicalEscoCandidates) -> None:
    chat_server.responder = lambda body, n: (500, {}, "boom")
    outcomes, stats = MentionNormaliser(client(chat_server, retries=2), retriever).normalise([POSTING])
    assert {o.outcome for o in outcomes} == {ERROR} and len(chat_server.bodies) == 3
    assert stats.requests == 0 and stats.tokens == 0
    chat_server.bodies.clear()
    chat_server.delay = 1.0
    chat_server.responder = answering({"Python/Django": [{"name_es": "Django"}]})
    outcomes, _ = MentionNormaliser(client(chat_server, retries=1, timeout=0.2), retriever).normalise([POSTING])
    assert {o.outcome for o in outcomes} == {ERROR} and len(chat_server.bodies) == 2  # one retry after the timeout


def test_budget_stops_cleanly(chat_server: ChatServer, retriever: LexicalEscoCandidates) -> None:
    chat_server.responder = answering({"Python/Django": [{"name_es": "Django"}]})
    postings = [posting(f"p{i}", f"{TEXT} Sede {i}.", ("Python/Django", "python", 0.95, None)) for i in range(6)]
    budget = Budget(max_tokens=900, prompt_price_per_million=2.0, completion_price_per_million=8.0)
    normaliser = MentionNormaliser(client(chat_server), retriever, budget=budget, concurrency=1, max_tokens=200)
    outcomes, stats = normaliser.normalise(postings)
    assert stats.budget_stopped and stats.outcomes[BUDGET] > 0
    assert stats.tokens <= 900 and stats.requests == len(chat_server.bodies) >= 1
    assert stats.cost == pytest.approx((stats.prompt_tokens * 2.0 + stats.completion_tokens * 8.0) / 1e6)
    assert all(o.method == "rules" for o in outcomes if o.outcome == BUDGET)


def test_database_cache_makes_a_rerun_free(
    chat_server: ChatServer, retriever: LexicalEscoCandidates, db: Database
) -> None:
    chat_server.responder = answering({"Python/Django": [{"name_es": "Python"}, {"name_es": "Django"}]})
    postings = [posting(f"p{i}", TEXT + f" Sede {i}.", ("Python/Django", "python", 0.95, None)) for i in range(5)]
    first = MentionNormaliser(client(chat_server), retriever, cache=DatabaseCache(db), concurrency=3)
    outcomes, stats = first.normalise(postings)
    assert stats.requests == 5 and stats.cache_hits == 0 and stats.accepted == 5
    again = MentionNormaliser(client(chat_server), retriever, cache=DatabaseCache(db))
    outcomes2, stats2 = again.normalise(postings)
    assert stats2.requests == 0 and stats2.cache_hits == 5 and stats2.tokens == 0
    assert len(chat_server.bodies) == 5
    assert [[s.name_es for s in o.skills] for o in outcomes2] == [[s.name_es for s in o.skills] for o in outcomes]
    assert all(o.cached for o in outcomes2)
    other_model = OpenAICompatibleClient(chat_server.url, "another-model", backoff=0.01)
    MentionNormaliser(other_model, retriever, cache=DatabaseCache(db)).normalise(postings[:1])
    assert len(chat_server.bodies) == 6  # the model is part of the key


PRIVATE = (
    "Analista contable. Excel avanzado y contabilidad/tributación. Enviar CV a María Fernanda López al correo "
    "seleccion.rrhh@empresa.com.co o al WhatsApp +57 310 555 1234. Cédula 1.023.456.789 del responsable."
)


def test_nothing_personal_leaves_the_machine(chat_server: ChatServer, retriever: LexicalEscoCandidates) -> None:
    chat_server.responder = answering({})
    item = posting(
        "p9",
        PRIVATE,
        ("contabilidad/tributación", "accounting", 0.9, None),
        ("Contactar a Pedro Gómez 3105551234", "tag:contactar", 0.6, None),
    )
    item = PostingMentions("p9", PRIVATE, [m.__class__(**{**m.__dict__, "context": PRIVATE}) for m in item.mentions])
    MentionNormaliser(client(chat_server), retriever, cache=MemoryCache()).normalise([item])
    sent = "\n".join(chat_server.bodies)
    for secret in ("María", "López", "seleccion.rrhh", "empresa.com", "310 555 1234", "3105551234", "1.023.456.789",
                   "Pedro", "Gómez"):  # fmt: skip
        assert secret not in sent and json.dumps(secret)[1:-1] not in sent
    assert (
        "[EMAIL]" in sent
        and "[NOMBRE]" in sent
        and "[TELÉFONO]" in json.loads(chat_server.bodies[0])["messages"][1]["content"]
    )
    assert "contabilidad/tributación" in json.loads(chat_server.bodies[0])["messages"][1]["content"]


def test_redact_keeps_skills_and_money() -> None:
    assert redact("Python 3.11, Excel 2019, salario 2.500.000, CI/CD, inglés B2") == (
        "Python 3.11, Excel 2019, salario 2.500.000, CI/CD, inglés B2"
    )
    assert redact("DNI: 30.123.456 / RUT 12.345.678-9 / CUIT 20-12345678-3") == (
        "DNI: [DOCUMENTO] / RUT [DOCUMENTO] / CUIT [DOCUMENTO]"
    )
    assert redact("contactar a nuestro equipo de selección") == "contactar a nuestro equipo de selección"
    assert (
        redact("enviar hoja de vida a la señora Ana de la Torre hoy") == "enviar hoja de vida a la señora [NOMBRE] hoy"
    )
