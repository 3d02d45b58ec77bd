"""Skill extraction: ESCO taxonomy, the bundled vocabulary and the multi-method extractor."""
