"""Property tests: any text geoparses without error and every offset points at its mention."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.places import places_from_text

PLACES = ["Tripoli", "Libya", "the Russians", "New York", "Gulf of Sirte", "Ankara", "U.S."]
ODD = ["\u200d", "\u0301", "\r\n", "\x00", "\u202e", "😀", "ـ", "\ufeff", "’s", "-", "---\n"]

pieces = st.one_of(
    st.sampled_from(PLACES),
    st.sampled_from(ODD),
    st.text(min_size=0, max_size=12),
    st.text(alphabet=st.characters(whitelist_categories=["Lu", "Ll", "Zs"]), max_size=12),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(pieces, max_size=30).map(" ".join))
def test_offsets_always_point_at_the_mention(gazetteer, text):
    doc = places_from_text(text)
    for p in doc.places:
        assert text[p["start"] : p["end"]] == p["mention"]
        assert 0 <= p["score"] <= 1


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200))
def test_front_matter_like_text_never_crashes(gazetteer, tail):
    from geo.articles import article_from_text
    from geo.errors import InputError

    text = "---\n" + tail
    try:
        article_from_text(text)
    except InputError:
        return  # a clear error is fine; a crash is not
    doc = places_from_text(text)
    for p in doc.places:
        assert text[p["start"] : p["end"]] == p["mention"]
