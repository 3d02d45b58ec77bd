"""Defaults of the near-synonym merge proposals, in a module of their own (no imports) so that the CLI can show
them in ``--help`` without importing the merge code and its database stack at every start."""

# Applied only at or above this confidence unless the caller says otherwise.
DEFAULT_MIN_CONFIDENCE = 0.9
# Two skills this similar (cosine of their vectors) are put to the LLM as a possible merge.
DEFAULT_MIN_SIMILARITY = 0.8
