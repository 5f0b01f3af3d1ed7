"""HTML reader: article text without boilerplate, paragraphs, entities, titles and encodings."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.io.readers.html import read_html

PATH = Path("page.html")

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title> Drone   news | Example </title>
<style>p { color: red }</style><script>var s = "<p>not text</p>";</script></head>
<body>
<header><h1>Example site</h1><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<aside>Advertisement</aside>
<main>
  <article>
    <header><h1>Baykar &amp; the   TB2</h1></header>
    <p>The <b>TB2</b> is a
       medium-altitude drone.</p><!-- a comment -->
    <p>Line one<br>line two</p>
    <ul><li>first</li><li>second</li></ul>
    <table><tr><td>Range</td><td>150&nbsp;km</td></tr></table>
    <pre>
  code   kept
    as is</pre>
    <svg><title>icon</title><text>svg text</text></svg>
    <form><label>Subscribe</label><input name="q"></form>
    <noscript>Enable JavaScript</noscript><iframe>frame</iframe>
  </article>
</main>
<footer>© 2024 Example</footer>
</body></html>
"""


def read(markup: str | bytes) -> tuple[str, str]:
    data = markup.encode() if isinstance(markup, str) else markup
    [doc] = read_html(PATH, data)
    return doc.title, doc.text


def test_the_article_text_is_kept_and_the_boilerplate_dropped():
    [doc] = read_html(PATH, PAGE.encode())
    assert doc.text == (
        "Baykar & the TB2\n\n"
        "The TB2 is a medium-altitude drone.\n\n"
        "Line one\nline two\n\n"
        "first\n\nsecond\n\n"
        "Range 150\u00a0km\n\n"
        "  code   kept\n    as is"
    )
    assert doc.title == "Drone news | Example"
    assert doc.meta == {"format": "html", "filename": "page.html"}
    assert doc.source == str(PATH)
    assert not doc.verbatim


def test_without_article_or_main_the_body_is_used():
    markup = "<html><body><nav>Menu</nav><div>One <i>two</i></div><div>Three</div></body></html>"
    assert read(markup) == ("One two", "One two\n\nThree")


def test_the_first_h1_is_the_title_when_there_is_no_title_element():
    assert read("<body><p>Intro</p><h1>The  headline</h1><p>Text</p></body>")[0] == "The headline"


def test_without_title_or_h1_the_first_line_is_the_title():
    assert read("<p>Just a paragraph.</p>") == ("Just a paragraph.", "Just a paragraph.")


def test_a_doctype_internal_subset_is_ignored_and_its_entities_not_expanded():
    markup = '<!DOCTYPE html [<!ENTITY boom "BOOM">]><html><body><p>a &boom; b</p></body></html>'
    assert read(markup)[1] == "a &boom; b"


def test_unclosed_skipped_elements_nested_in_each_other_are_handled():
    markup = "<body><nav><ul><li>Menu<svg><g><text>x</text></g></svg></nav><p>Text</p></body>"
    assert read(markup)[1] == "Text"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (
            '<html><head><meta charset="windows-1251"></head><body><p>Привет</p>'.encode("cp1251"),
            "Привет",
        ),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
            + "<p>“naïve”</p>".encode("cp1252"),
            "“naïve”",
        ),
        (codecs.BOM_UTF16_LE + "<p>naïve</p>".encode("utf-16-le"), "naïve"),
        ('<meta charset="utf-16"><p>naïve</p>'.encode(), "naïve"),
        (
            "<p>façade — naïve “quotes” and a café</p>".encode("cp1252"),
            "façade — naïve “quotes” and a café",
        ),
    ],
)
def test_the_encoding_comes_from_the_bom_the_meta_charset_or_detection(data, text):
    assert read(data)[1] == text


def test_a_page_without_text_is_refused():
    with pytest.raises(InputError) as info:
        read_html(
            PATH, b"<html><head><script>x()</script></head><body><nav>Menu</nav></body></html>"
        )
    assert info.value.reason == "no text found in the HTML (only markup or boilerplate)"


def test_an_empty_file_is_refused():
    with pytest.raises(InputError) as info:
        read_html(PATH, b"  \n")
    assert info.value.reason == "empty file"
