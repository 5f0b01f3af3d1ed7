"""An html.parser subclass that keeps a page's readable text as paragraphs, minus boilerplate."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIPPED = frozenset(
    {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "iframe", "svg"}
    | {"template", "title", "select", "textarea", "object", "canvas"}
)
_BLOCKS = frozenset(
    {"address", "article", "blockquote", "body", "caption", "dd", "details", "dialog", "div"}
    | {"dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5"}
    | {"h6", "header", "hr", "html", "li", "main", "ol", "p", "pre", "section", "summary"}
    | {"table", "tbody", "tfoot", "thead", "tr", "ul"}
)
_MAIN = frozenset({"article", "main"})
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # NBSP is content, not markup whitespace


class ArticleTextParser(HTMLParser):
    """Collects block-separated text, marking what lies inside <article> or <main>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.first_h1 = ""
        self.meta: dict[str, str] = {}
        """The first content of each <meta name|property|itemprop> (keys in lower case), the
        canonical <link>'s href under "canonical", the first <time datetime> under "time"."""
        self._paragraphs: list[tuple[str, bool]] = []
        self._lines: list[list[str]] = [[]]
        self._skipping: list[str] = []
        self._title_parts: list[str] = []
        self._main_depth = 0
        self._pre_depth = 0

    def text(self) -> str:
        """The paragraphs joined by blank lines: only <article>/<main> ones when there are any."""
        self._flush()
        main = [text for text, in_main in self._paragraphs if in_main]
        return "\n\n".join(main or [text for text, _ in self._paragraphs])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note metadata; open a skipped region, a block, a line break or a table cell."""
        self._note_metadata(tag, dict(attrs))
        kept_header = tag == "header" and self._main_depth > 0  # an article's own headline
        if self._skipping or (tag in _SKIPPED and not kept_header):
            if tag in _SKIPPED:
                self._skipping.append(tag)
        elif tag in _BLOCKS:
            self._flush()
            self._main_depth += tag in _MAIN
            self._pre_depth += tag == "pre"
        elif tag == "br":
            self._lines.append([])
        elif tag in ("td", "th"):
            self._lines[-1].append(" ")

    def handle_endtag(self, tag: str) -> None:
        """Close a skipped region (taking the page title from <title>) or a block."""
        if self._skipping:
            if tag in self._skipping:
                if self._skipping == ["title"] and not self.title:
                    self.title = _collapse("".join(self._title_parts))
                del self._skipping[len(self._skipping) - self._skipping[::-1].index(tag) - 1 :]
        elif tag in _BLOCKS:
            paragraph = self._flush()
            if tag == "h1" and not self.first_h1:
                self.first_h1 = _collapse(paragraph)
            self._main_depth = max(0, self._main_depth - (tag in _MAIN))
            self._pre_depth = max(0, self._pre_depth - (tag == "pre"))

    def handle_data(self, data: str) -> None:
        """Keep text outside skipped regions; collect the first <title>'s text."""
        if not self._skipping:
            self._lines[-1].append(data)
        elif self._skipping == ["title"] and not self.title:
            self._title_parts.append(data)

    def _note_metadata(self, tag: str, attrs: dict[str, str | None]) -> None:
        """Keep <meta> contents, the canonical link and the article's first <time datetime>."""
        key = attrs.get("name") or attrs.get("property") or attrs.get("itemprop")
        if tag == "meta" and key and attrs.get("content"):
            self.meta.setdefault(key.strip().lower(), _collapse(attrs["content"] or ""))
        elif tag == "link" and "canonical" in (attrs.get("rel") or "").lower().split():
            self.meta.setdefault("canonical", (attrs.get("href") or "").strip())
        elif tag == "time" and attrs.get("datetime") and not self._skipping:
            self.meta.setdefault("time", (attrs["datetime"] or "").strip())

    def _flush(self) -> str:
        """End the current block: collapse its whitespace (not in <pre>) and store it."""
        lines = ["".join(parts) for parts in self._lines]
        self._lines = [[]]
        if not self._pre_depth:
            lines = [_collapse(line) for line in lines]
        paragraph = "\n".join(lines).strip("\r\n")
        if paragraph.strip():
            self._paragraphs.append((paragraph, self._main_depth > 0))
        return paragraph


def _collapse(text: str) -> str:
    """Runs of HTML whitespace become one space; the ends are trimmed."""
    return _HTML_SPACE.sub(" ", text).strip(" ")
