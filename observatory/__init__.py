"""Labor Market Observatory: skill demand in Latin American job postings."""

__version__ = "0.1.0"
