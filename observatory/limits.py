"""Size limits shared by the stages that read postings, so that what ingest accepts extraction can read.

Kept in a module of its own (no imports) because both the loader and the spaCy extractor need them and
neither should import the other.
"""

# Title + description of one posting, in characters: the most the skill extractor reads (spaCy's
# ``max_length`` follows it). Ingest refuses a longer posting by row, and extraction skips one stored earlier.
MAX_POSTING_CHARS = 5_000_000
