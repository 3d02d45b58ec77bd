"""LLM normalisation: a loopback server speaking the chat-completions protocol (errors included)
and a tiny transformers model built from a config."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from observatory.config import load_settings
from observatory.llm import LLMError, OpenAICompatibleClient, TransformersClient, client_from_settings
from observatory.llm.normalise import Candidate, SkillNormaliser, fold

SECRET = "sk-test-do-not-leak-123"


class ScriptedServer:
    """Answers each POST with the next scripted (status, headers, body) and records requests."""

    def __init__(self) -> None:
        self.script: list[tuple[int, dict[str, str], str]] = []
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append(
                    {"path": self.path, "auth": self.headers.get("Authorization"), "json": json.loads(body)}
                )
                status, headers, text = outer.script.pop(0) if outer.script else (500, {}, "exhausted")
                payload = text.encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def reply(self, content: str) -> tuple[int, dict[str, str], str]:
        return 200, {"Content-Type": "application/json"}, json.dumps({"choices": [{"message": {"content": content}}]})


@pytest.fixture()
def server() -> Iterator[ScriptedServer]:
    s = ScriptedServer()
    yield s
    s.httpd.shutdown()


def client(server: ScriptedServer, **kw: Any) -> OpenAICompatibleClient:
    return OpenAICompatibleClient(server.url, "tiny", SECRET, backoff=0.01, **kw)


def test_completion_and_protocol(server: ScriptedServer) -> None:
    server.script = [server.reply("2")]
    assert client(server).complete("hola") == "2"
    req = server.requests[0]
    assert req["path"] == "/v1/chat/completions"
    assert req["auth"] == f"Bearer {SECRET}"
    assert req["json"]["messages"][0]["content"] == "hola"
    assert req["json"]["temperature"] == 0


def test_retries_429_with_retry_after_then_succeeds(server: ScriptedServer) -> None:
    server.script = [(429, {"Retry-After": "0"}, "slow down"), (503, {}, "busy"), server.reply("ok")]
    assert client(server).complete("x") == "ok"
    assert len(server.requests) == 3


def test_persistent_5xx_fails_clearly(server: ScriptedServer, caplog: pytest.LogCaptureFixture) -> None:
    server.script = [(500, {}, "boom")] * 3
    with caplog.at_level(logging.DEBUG), pytest.raises(LLMError, match="after 3 attempts: HTTP 500"):
        client(server, retries=2).complete("x")
    assert SECRET not in caplog.text


def test_bad_json_and_refusal(server: ScriptedServer) -> None:
    server.script = [(200, {}, "<html>not json</html>")]
    with pytest.raises(LLMError, match="not a chat completion"):
        client(server).complete("x")
    server.script = [(401, {}, '{"error": "bad key"}')]
    with pytest.raises(LLMError, match="HTTP 401") as info:
        client(server).complete("x")
    assert SECRET not in str(info.value)


def test_unreachable_server() -> None:
    c = OpenAICompatibleClient("http://127.0.0.1:9/v1", "m", SECRET, retries=1, backoff=0.01, timeout=1)
    with pytest.raises(LLMError, match="ConnectError"):
        c.complete("x")


CANDIDATES = [
    Candidate("postgresql", "PostgreSQL", ("postgres", "postgre sql")),
    Candidate("mysql", "MySQL"),
    Candidate("sql_server", "SQL Server", ("ms sql server", "mssql")),
    Candidate("excel", "Excel", ("microsoft excel",)),
]


def test_rules_decide_without_llm() -> None:
    n = SkillNormaliser(CANDIDATES, llm=None)
    assert n.normalise("MS SQL Server").skill_id == "sql_server"
    assert n.normalise("MS SQL Server").method == "exact"
    fuzzy = n.normalise("Postgre-SQL")
    assert (fuzzy.skill_id, fuzzy.method) == ("postgresql", "exact")  # punctuation folds away
    typo = n.normalise("Microsof Excel")
    assert (typo.skill_id, typo.method) == ("excel", "fuzzy")
    assert n.normalise("bases de datos relacionales").method == "unresolved"
    assert fold("Programación en C#") == "programacion en c#"


def test_llm_decides_among_candidates_only(server: ScriptedServer) -> None:
    n = SkillNormaliser(CANDIDATES, llm=client(server), fuzzy_threshold=0.99)
    server.script = [server.reply("Answer: 1")]
    d = n.normalise("Postgres 14")
    assert d.method == "llm"
    assert d.skill_id == d.considered[0]
    prompt = server.requests[-1]["json"]["messages"][0]["content"]
    assert '"Postgres 14"' in prompt and "0. none of these" in prompt
    server.script = [server.reply("99")]  # names no candidate: rejected
    assert n.normalise("MySQL 8").skill_id is None
    server.script = [server.reply("0")]
    assert n.normalise("SQL Servr 2019").method == "unresolved"
    assert n.normalise("Postgres 14") is d  # cached: no second request
    assert len(server.requests) == 3


def test_llm_failure_leaves_unresolved(server: ScriptedServer) -> None:
    server.script = [(500, {}, "x")] * 5
    n = SkillNormaliser(CANDIDATES, llm=client(server, retries=1), fuzzy_threshold=0.99)
    assert n.normalise("Postgres 14").method == "unresolved"


def _tiny_model(path: Path) -> Path:
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    words = ["[UNK]", "[EOS]", "0", "1", "2", "3", "skill", "candidates", "answer", "python", "none"]
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", eos_token="[EOS]")
    fast.save_pretrained(path)
    config = GPT2Config(vocab_size=len(words), n_positions=256, n_embd=16, n_layer=1, n_head=2)
    config.eos_token_id = 1
    GPT2LMHeadModel(config).save_pretrained(path)
    return path


def test_transformers_client_tiny_model(tmp_path: Path) -> None:
    import torch

    torch.manual_seed(0)
    model_dir = _tiny_model(tmp_path / "tiny")
    llm = TransformersClient(model_dir, quantize=False)
    first = llm.complete("skill python answer", max_tokens=3)
    assert isinstance(first, str)
    assert first == llm.complete("skill python answer", max_tokens=3)  # greedy: deterministic
    # Random weights answer anything; the normaliser must only ever pick a listed candidate.
    n = SkillNormaliser(CANDIDATES, llm=llm, fuzzy_threshold=0.99)
    d = n.normalise("Postgres 14")
    assert d.skill_id is None or d.skill_id in d.considered


def test_client_from_settings(server: ScriptedServer, tmp_path: Path) -> None:
    assert client_from_settings(load_settings(llm_backend="none")) is None
    with pytest.raises(LLMError, match="OBSERVATORY_LLM_MODEL"):
        client_from_settings(load_settings(llm_backend="openai"))
    with pytest.raises(LLMError, match="OBSERVATORY_LLM_API_BASE"):
        client_from_settings(load_settings(llm_backend="openai", llm_model="m"))
    c = client_from_settings(
        load_settings(llm_backend="openai", llm_model="m", llm_api_base=server.url, llm_api_key=SECRET)
    )
    server.script = [server.reply("fine")]
    assert c is not None and c.complete("x") == "fine"
    with pytest.raises(LLMError, match="does not exist"):
        client_from_settings(load_settings(llm_backend="transformers", llm_model=str(tmp_path / "nope")))


def test_four_bit_configuration_and_cpu_path(tmp_path: Path) -> None:
    import torch
    from transformers import BitsAndBytesConfig

    from observatory.llm.clients import quantization_config

    config = quantization_config(True)
    assert isinstance(config, BitsAndBytesConfig)
    assert config.load_in_4bit and config.bnb_4bit_quant_type == "nf4" and config.bnb_4bit_use_double_quant
    assert config.bnb_4bit_compute_dtype == torch.bfloat16
    assert quantization_config(False) is None
    model_dir = _tiny_model(tmp_path / "tiny")
    llm = TransformersClient(model_dir)  # quantize=None: 4-bit only where CUDA is
    assert llm.quantized == torch.cuda.is_available()
    if torch.cuda.is_available():
        assert getattr(llm.model, "is_loaded_in_4bit", False)


def test_tiny_model_generation_through_the_normaliser(tmp_path: Path) -> None:
    import torch

    from observatory.llm.candidates import LexicalEscoCandidates
    from observatory.llm.mentions import MALFORMED, MentionInput, MentionNormaliser, PostingMentions

    torch.manual_seed(0)
    llm = TransformersClient(_tiny_model(tmp_path / "tiny"), quantize=False)
    answer = llm.generate("skill python answer", system="answer", max_tokens=4)
    assert answer.prompt_tokens == 4 and 1 <= answer.completion_tokens <= 4  # counted by the tokenizer
    retriever = LexicalEscoCandidates([("http://esco/python", "Python", "Python", [])])
    mention = MentionInput(1, "Python/Django", "python", "Python", None, 0.95)
    outcomes, stats = MentionNormaliser(llm, retriever, max_tokens=16).normalise(
        [PostingMentions("p", "Python/Django", [mention])]
    )
    # Random weights never write the JSON asked for: the rule result stands and the answer is counted.
    assert outcomes[0].outcome == MALFORMED and outcomes[0].method == "rules"
    assert stats.requests == 1 and stats.tokens > 0
