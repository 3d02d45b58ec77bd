"""Reports: altair charts, Spanish/English templates, self-contained HTML, PDF and CSV/Parquet exports."""

from observatory.reporting.report import ReportPaths, build_report

__all__ = ["ReportPaths", "build_report"]
