"""Scraping: Scrapy spiders for Computrabajo, Bumeran and ElEmpleo, their pipelines, the crawl runner and loader.

Nothing here imports Dagster; ``observatory.defs.scraping`` wraps it.
"""
