"""HTML-only letters turned into readable text: paragraphs kept, scripts and styles dropped, quoted
parts (<blockquote>) marked with "> " so that the cleaner removes them like a quoted plain-text reply."""
from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = {"script", "style", "head", "title", "noscript", "template", "xml"}
_BLOCK = {"p", "div", "br", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr",
          "section", "article", "header", "footer", "address", "dd", "dt", "dl", "center", "form"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self.line: list[str] = []
        self.skipping = 0
        self.quote_depth = 0
        self.line_depth = 0
        self.in_pre = 0

    def break_line(self):
        text = "".join(self.line) if self.in_pre else " ".join("".join(self.line).split())
        self.lines.append((self.line_depth, text))
        self.line, self.line_depth = [], self.quote_depth

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP and tag not in _VOID:
            self.skipping += 1
        elif tag == "blockquote":
            self.break_line()
            self.quote_depth += 1
            self.line_depth = self.quote_depth
        elif tag == "li":
            self.break_line()
            self.line.append("- ")
        elif tag in _BLOCK:
            self.in_pre += tag == "pre"
            self.break_line()
        elif tag in ("td", "th"):
            self.line.append(" ")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "blockquote":
            self.break_line()
            self.quote_depth = max(0, self.quote_depth - 1)
            self.line_depth = self.quote_depth
        elif tag in _BLOCK:
            self.in_pre -= tag == "pre" and self.in_pre > 0
            self.break_line()

    def handle_data(self, data):
        if not self.skipping:
            if not "".join(self.line).strip():
                self.line_depth = self.quote_depth
            self.line.append(data)


def html_to_text(markup: str) -> str:
    reader = _Reader()
    try:
        reader.feed(markup)
        reader.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient, but a letter must never be lost to a parser
        return " ".join(re.sub(r"<[^>]*>", " ", markup).split())
    reader.break_line()
    lines = [("> " * depth + text).rstrip() if text else "" for depth, text in reader.lines]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
