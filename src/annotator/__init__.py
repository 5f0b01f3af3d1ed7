"""annotator: highlight, tag and export spans in articles, offline."""

__version__ = "0.1.0"
