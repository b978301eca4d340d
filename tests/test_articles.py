"""Articles: front matter, offsets into the whole text, and every unusable input as InputError."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.articles import Sentences, article_from_text, load_article, slugify
from geo.errors import InputError


def test_front_matter_is_read_and_body_offset_kept():
    text = "---\ntitle: A title\ndate: 2019-12-22\nslug: x\n---\nTripoli is a city.\n"
    a = article_from_text(text, "a.md")
    assert a.title == "A title" and a.date == "2019-12-22" and a.slug == "x"
    assert a.text == text  # offsets index the whole file, front matter included
    assert a.body.startswith("Tripoli")


def test_plain_text_without_front_matter():
    a = article_from_text("Just text.", "b.txt")
    assert a.title is None and a.body_start == 0 and a.slug == "b"


@pytest.mark.parametrize(
    "front, message",
    [
        ("title: [unclosed\n", "not valid YAML"),
        ("- a list\n", "mapping"),
        ("date: 22/12/2019\n", "YYYY-MM-DD"),
    ],
)
def test_bad_front_matter_is_one_clear_error(front, message):
    with pytest.raises(InputError, match=message):
        article_from_text(f"---\n{front}---\nbody", "c.md")


def test_missing_directory_binary_and_bad_utf8(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_article(tmp_path / "missing.md")
    with pytest.raises(InputError, match="directory"):
        load_article(tmp_path)
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\x89PNG\x00\x00\x01")
    with pytest.raises(InputError, match="binary"):
        load_article(binary)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Tripoli \xff\xfe is here")
    with pytest.raises(InputError, match="UTF-8"):
        load_article(bad)


def test_empty_file_is_an_empty_article(tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_text("")
    assert load_article(empty).text == ""


def test_slug_cannot_escape_the_output_folder():
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("/abs/path") == "abs-path"
    assert slugify("\x00") == "article"
    assert len(slugify("x" * 500)) <= 80


def test_sentence_around_an_offset():
    text = "First one. Second about Tripoli! Third?"
    s = Sentences(text)
    assert s.around(text.index("Tripoli")) == "Second about Tripoli!"


def test_front_matter_aliases_are_refused_before_they_expand():
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n---\n"
    with pytest.raises(InputError, match="aliases"):
        article_from_text(bomb, "bomb.md")


def test_lone_surrogates_in_front_matter_become_replacement_characters():
    a = article_from_text('---\ntitle: "x\\ud800y"\n---\nbody', "s.md")
    assert a.title == "x\ufffdy"
    a.title.encode("utf-8")  # writable anywhere


def test_front_matter_reads_the_same_with_libyaml_and_python(monkeypatch):
    """libyaml's safe loader (fast, where installed) and Python's give the same values; what
    libyaml refuses (an escaped surrogate) is still read by Python's."""
    import yaml

    from geo import articles

    samples = [
        '---\ntitle: "Haftar\'s forces"\ndate: 2019-12-22\nsource: Outlet\n---\nbody',
        "---\ntitle: Ma'arrat al-Nu'man\ndate: 2019-12-22T08:00:00Z\ntags: [a, b]\n---\nb",
        "---\ntitle: 'x: y'\nurl: https://example.org/a?b=1#c\nn: 3\n---\nbody",
        '---\ntitle: "x\\ud800y"\n---\nbody',
    ]
    seeds = sorted((Path(__file__).parent.parent / "seeds").glob("*.md"))
    samples += [p.read_text(encoding="utf-8") for p in seeds]
    fast = [article_from_text(s, "a.md") for s in samples]
    monkeypatch.setattr(articles, "_FAST_SAFE_LOADER", yaml.SafeLoader)
    slow = [article_from_text(s, "a.md") for s in samples]
    assert [(a.title, a.date, a.source, a.url) for a in fast] == [
        (a.title, a.date, a.source, a.url) for a in slow
    ]
    assert fast[3].title == "x\ufffdy"
