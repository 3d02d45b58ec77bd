"""Item pipelines (ItemAdapter-based): normalise → validate → flag duplicates → count missing fields.

Invalid items are dropped from the output *with their reason* in the log and in the crawl stats
(``observatory/invalid/<reason>``, plus the list the crawl report writes); nothing vanishes silently.
Near-duplicates are linked (``duplicate_of``), never dropped.
"""

from __future__ import annotations

import re
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from observatory.scraping.fingerprint import FingerprintIndex, similar_titles
from observatory.scraping.items import missing_fields, normalise_posting, validate_posting


class _StatsPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        return cls(crawler)

    def inc(self, key: str, n: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"observatory/{key}", n)


class NormalisationPipeline(_StatsPipeline):
    """Raw strings → the normalised posting record (dates in UTC, salary, place, vocabularies, clean text)."""

    def process_item(self, item: Any) -> dict[str, Any]:
        return normalise_posting(ItemAdapter(item).asdict())


class ValidationPipeline(_StatsPipeline):
    """Drop records that cannot be stored, counting and logging the reason."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.invalid: list[dict[str, Any]] = []

    def process_item(self, item: Any) -> Any:
        record = ItemAdapter(item)
        reason = validate_posting(record.asdict())
        if reason is None:
            self.inc("valid")
            return item
        self.inc("invalid")
        self.inc("invalid/" + re.sub(r"\W+", "_", reason.split(" '")[0]).strip("_"))
        self.invalid.append({"native_id": record.get("native_id"), "url": record.get("url"), "reason": reason})
        raise DropItem(f"invalid posting {record.get('url')!r}: {reason}")

    def close_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        if spider is not None:
            spider.invalid_postings = self.invalid  # type: ignore[attr-defined]


class DuplicatesPipeline(_StatsPipeline):
    """Exact repeats (portal + native id) within a crawl are dropped; near-duplicates get ``duplicate_of``."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.seen: set[tuple[str, str]] = set()
        self.index = FingerprintIndex()
        self.titles: dict[str, str | None] = {}

    def process_item(self, item: Any) -> Any:
        record = ItemAdapter(item)
        key = (str(record["portal"]), str(record["native_id"]))
        if key in self.seen:
            self.inc("duplicate_exact")
            raise DropItem(f"posting {key[0]}:{key[1]} already emitted by this crawl")
        self.seen.add(key)
        posting = f"{key[0]}:{key[1]}"
        fp = record.get("fingerprint")
        record["duplicate_of"] = None
        if fp is not None:
            title = record.get("title")
            twin = self.index.nearest(
                fp, exclude=posting, accept=lambda other: similar_titles(title, self.titles.get(other))
            )
            if twin:
                record["duplicate_of"] = twin
                self.inc("duplicate_near")
            self.index.add(fp, posting)
            self.titles[posting] = title
        return item


class CompletenessPipeline(_StatsPipeline):
    """Count every expected field that came out empty (``observatory/missing/<field>``)."""

    def process_item(self, item: Any) -> Any:
        record = ItemAdapter(item).asdict()
        for name in missing_fields(record):
            self.inc(f"missing/{name}")
        self.inc("items")
        return item
