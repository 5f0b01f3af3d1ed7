"""Articles arrive with their metadata (issue 19 item 7): every reader fills title, date (ISO),
source and URL where its format states them, and header lines leave the stored text only where
no offsets point into it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.io.readers.article_meta import iso_date, split_front_matter, split_header
from annotator.io.readers.csv import read_csv
from annotator.io.readers.docx import read_docx
from annotator.io.readers.html import read_html
from annotator.io.readers.jsonl import read_jsonl
from annotator.io.readers.text import read_md, read_txt
from builders import document_xml, make_docx, paragraph

BODY = (
    "In a significant shift in defense alliances, Azerbaijan's Ministry of Defense and Turkish "
    "aircraft manufacturer Baykar have inked an agreement.\n\nAdvertisment\n\nStrategic Shift\n"
)
SEED = " date 2024-03-08 " + BODY  # how the seed article opens: the date, then the text


def test_the_seed_articles_date_prefix_becomes_its_date_not_its_title():
    [doc] = read_txt(Path("seed.txt"), SEED.encode())
    assert doc.meta["date"] == "2024-03-08"
    assert doc.text == BODY
    assert doc.title.startswith("In a significant shift") and "date" not in doc.title


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2024-03-08", "2024-03-08"),
        ("2024-03-08T09:30:00+01:00", "2024-03-08"),
        ("8 March 2024", "2024-03-08"),
        ("March 8, 2024", "2024-03-08"),
        ("Friday, March 8th, 2024", "2024-03-08"),
        ("08.03.2024", "2024-03-08"),
        ("Fri, 08 Mar 2024 10:00:00 GMT", "2024-03-08"),
        ("03/08/2024", None),  # March or August: not guessed
        ("2024-02-30", None),
        ("spring 2024", None),
    ],
)
def test_dates_become_iso_only_when_unambiguous(written, iso):
    assert iso_date(written) == iso


def test_a_header_block_of_the_plain_text_gives_title_date_source_and_url():
    text = (
        "Title: Baykar signs with Azerbaijan\nDate: 8 March 2024\nSource: Reuters\n"
        "URL: https://example.org/baykar\n\n" + BODY
    )
    [doc] = read_txt(Path("a.txt"), text.encode())
    assert doc.title == "Baykar signs with Azerbaijan"
    assert doc.text == BODY
    assert doc.meta["date"] == "2024-03-08"
    assert (doc.meta["source"], doc.meta["url"]) == ("Reuters", "https://example.org/baykar")


def test_header_lines_below_the_top_and_an_unreadable_date_are_kept():
    later = "Intro line.\nTitle: not a header\n" + BODY
    assert split_header(later)[1] == later
    [doc] = read_txt(Path("a.txt"), b"Date: early spring\n\n" + BODY.encode())
    assert doc.meta["date_text"] == "early spring" and "date" not in doc.meta
    only_header = "Title: nothing else\n"
    assert split_header(only_header) == (split_header("")[0], only_header)


def test_markdown_front_matter_is_metadata_and_not_text():
    text = '---\ntitle: "Baykar: a deal"\ndate: 2024-03-08\nsource: Daily Sabah\n'
    text += "tags:\n  - x\n---\n"
    [doc] = read_md(Path("a.md"), (text + "# Baykar\n\n" + BODY).encode())
    assert doc.text == "# Baykar\n\n" + BODY
    assert doc.title == "Baykar: a deal"
    assert (doc.meta["date"], doc.meta["source"]) == ("2024-03-08", "Daily Sabah")
    assert split_front_matter("---\nno end\n" + BODY)[1] == "---\nno end\n" + BODY


HTML = """<html><head><title>Baykar deal | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="og:url" content="https://example.org/baykar">
<meta name="author" content="A. Writer">
<meta property="article:published_time" content="2024-03-08T09:30:00Z">
</head><body><header><time datetime="2026-01-01">today</time></header>
<article><h1>Baykar deal</h1><p>In a significant shift.</p></article></body></html>"""


def test_html_title_meta_tags_and_time():
    [doc] = read_html(Path("a.html"), HTML.encode())
    assert doc.title == "Baykar deal | Example News"
    assert doc.meta["date"] == "2024-03-08"
    assert doc.meta["source"] == "Example News"
    assert doc.meta["url"] == "https://example.org/baykar"
    assert doc.meta["author"] == "A. Writer"


def test_html_time_in_the_article_is_the_date_and_the_site_headers_is_not():
    page = HTML.replace('<meta property="article:published_time"', '<meta name="x"')
    page = page.replace("<h1>", '<time datetime="2024-03-07">7 March</time><h1>')
    [doc] = read_html(Path("a.html"), page.encode())
    assert doc.meta["date"] == "2024-03-07"


def test_docx_core_properties_give_title_date_and_author():
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>Baykar memo</dc:title>'
        "<dc:creator>A. Writer</dc:creator>"
        "<dcterms:created>2024-03-08T10:00:00Z</dcterms:created></cp:coreProperties>"
    )
    parts = {
        "word/document.xml": document_xml(paragraph("<w:t>In a significant shift.</w:t>")),
        "docProps/core.xml": core,
    }
    [doc] = read_docx(Path("a.docx"), make_docx(parts))
    assert doc.title == "Baykar memo"
    assert (doc.meta["date"], doc.meta["author"]) == ("2024-03-08", "A. Writer")


def test_a_header_in_a_docx_wins_over_its_properties_and_leaves_the_text():
    body = paragraph("<w:t>date 2024-03-01</w:t>") + paragraph("<w:t>In a shift.</w:t>")
    [doc] = read_docx(Path("a.docx"), make_docx({"word/document.xml": document_xml(body)}))
    assert (doc.meta["date"], doc.text) == ("2024-03-01", "In a shift.")


def test_jsonl_meta_and_top_level_keys_and_a_header_that_spans_point_past():
    records = [
        {"text": "A text.", "meta": {"title": "T", "date": "8 March 2024", "url": "https://x"}},
        {"text": "B text.", "title": "U", "date": "2024-03-09", "source": "AP"},
        {"text": SEED, "spans": [{"start": 62, "end": 72, "label": "ACTOR"}]},
    ]
    data = "".join(json.dumps(r) + "\n" for r in records).encode()
    first, second, seed = read_jsonl(Path("a.jsonl"), data)
    assert (first.title, first.meta["date"], first.meta["url"]) == ("T", "2024-03-08", "https://x")
    assert (second.title, second.meta["date"], second.meta["source"]) == ("U", "2024-03-09", "AP")
    assert seed.text == SEED  # offsets point into it: the header stays
    assert SEED[62:72] == "Azerbaijan" and (seed.spans[0].start, seed.spans[0].end) == (62, 72)
    assert seed.meta["date"] == "2024-03-08" and seed.title.startswith("In a significant")


def test_csv_date_column_is_made_iso():
    [doc] = read_csv(Path("a.csv"), b"text,date,source\nSome text,8 March 2024,AP\n")
    assert (doc.meta["date"], doc.meta["source"]) == ("2024-03-08", "AP")
