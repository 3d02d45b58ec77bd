"""A token and cost budget for one normalisation run: once spent, no further request is sent and the remaining
mentions keep their rule result (the run ends cleanly and says so)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


class BudgetExhausted(RuntimeError):
    """The run's token or cost budget does not allow another request."""


@dataclass
class Budget:
    """``max_tokens`` / ``max_cost`` of None mean no limit; prices are per million tokens (0 for local models)."""

    max_tokens: int | None = None
    max_cost: float | None = None
    prompt_price_per_million: float = 0.0
    completion_price_per_million: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_tokens is not None and self.max_tokens < 0:
            raise ValueError("max_tokens must be zero or more")
        if self.max_cost is not None and self.max_cost < 0:
            raise ValueError("max_cost must be zero or more")
        if self.prompt_price_per_million < 0 or self.completion_price_per_million < 0:
            raise ValueError("token prices must be zero or more")

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def cost_of(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (
            prompt_tokens * self.prompt_price_per_million + completion_tokens * self.completion_price_per_million
        ) / 1_000_000

    @property
    def cost(self) -> float:
        """Estimated cost so far, in the currency of the prices."""
        return self.cost_of(self.prompt_tokens, self.completion_tokens)

    def reserve(self, prompt_tokens: int, completion_tokens: int) -> None:
        """Raise :class:`BudgetExhausted` unless a request of about this size still fits."""
        with self._lock:
            if self.max_tokens is not None and self.tokens + prompt_tokens + completion_tokens > self.max_tokens:
                raise BudgetExhausted(f"token budget of {self.max_tokens:,} reached ({self.tokens:,} used)")
            if self.max_cost is not None and self.cost + self.cost_of(prompt_tokens, completion_tokens) > self.max_cost:
                raise BudgetExhausted(f"cost budget of {self.max_cost:.4f} reached ({self.cost:.4f} spent)")

    def spend(self, prompt_tokens: int, completion_tokens: int) -> None:
        with self._lock:
            self.prompt_tokens += prompt_tokens
            self.completion_tokens += completion_tokens
