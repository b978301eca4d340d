"""Claims in the command line's outputs, the scorer's command, and hostile articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo import cli
from geo.articles import load_article
from geo.claims import FIELDS, KINDS, claims_for
from geo.errors import InputError
from geo.places import places_from_article

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "libya-2019-12.md"
GOLD = ROOT / "tests" / "claims" / "gold.json"
HOSTILE = sorted((ROOT / "tests" / "hostile" / "articles").glob("*"))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_places_json_carries_each_documents_claims(capsys):
    code, out, _ = run(capsys, "places", "--format", "json", str(SEED))
    assert code == 0
    doc = json.loads(out)["documents"][0]
    text = SEED.read_text(encoding="utf-8")
    assert {c["kind"] for c in doc["claims"]} >= {"advance", "clash", "interception", "deployment"}
    for c in doc["claims"]:
        assert tuple(c) == FIELDS
        assert text[c["start"] : c["end"]] == c["mention"]


def test_claims_layer_in_csv_and_geojson(capsys):
    code, out, _ = run(capsys, "places", "--format", "csv", "--layer", "claims", str(SEED))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split(",") == ["path", *FIELDS]
    assert len(lines) == 6
    code, out, _ = run(capsys, "places", "--format", "geojson", "--layer", "claims", str(SEED))
    features = json.loads(out)["features"]
    assert len(features) == 5
    assert all(f["properties"]["layer"] == "claims" for f in features)
    assert features[0]["geometry"]["type"] == "Point"


def test_export_has_a_claims_layer(tmp_path, capsys):
    from geo import export

    out = tmp_path / "seed.gpkg"
    assert run(capsys, "export", str(SEED), "-o", str(out))[0] == 0
    layers = export.read_layers(out, "gpkg")
    assert len(layers["claims"]) == 5
    assert set(layers["claims"]["kind"]) >= {"advance", "interception"}


def test_eval_claims_scores_a_gold_file(tmp_path, capsys):
    article = tmp_path / "a.md"
    article.write_text(
        "---\ndate: 2025-01-29\n---\nM23 rebels seized Goma on Monday. "
        "Thousands of people fled Bukavu.\n",
        encoding="utf-8",
    )
    gold = {
        "articles": [
            {
                "path": "a.md",
                "heldout": False,
                "claims": [
                    {"kind": "capture", "actor": None, "actor_text": ["M23 rebels"],
                     "place": "Goma", "lat": -1.68, "lon": 29.22, "date": "2025-01-27",
                     "date_precision": "day"},
                    {"kind": "siege", "actor": None, "actor_text": [], "place": "Uvira",
                     "lat": -3.4, "lon": 29.14, "date": None, "date_precision": None},
                ],
            }
        ]
    }  # fmt: skip
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    code, out, _ = run(capsys, "eval-claims", str(tmp_path / "gold.json"), "--format", "json")
    assert code == 0
    report = json.loads(out)["development"]
    assert report["kind_place"] == {"precision": 0.5, "recall": 0.5}
    assert report["kind_actor_place"]["recall"] == 0.5
    assert report["date_accuracy"] == 1.0


def test_eval_claims_bad_gold_is_one_line(tmp_path, capsys):
    bad = tmp_path / "gold.json"
    bad.write_text("{not json", encoding="utf-8")
    code, out, err = run(capsys, "eval-claims", str(bad))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "eval-claims", str(tmp_path / "missing.json"))
    assert code == 2 and "no such file" in err


def test_the_gold_set_is_big_and_varied_enough():
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    claims = [c for a in gold for c in a["claims"]]
    assert len(gold) >= 12 and len(claims) >= 120
    assert sum(a["heldout"] for a in gold) >= 4
    assert {c["kind"] for c in claims} == set(KINDS)
    for a in gold:
        assert (GOLD.parent / a["path"]).is_file()


@pytest.mark.parametrize("path", HOSTILE, ids=[p.name for p in HOSTILE])
def test_hostile_articles_give_claims_or_one_error(path):
    try:
        article = load_article(path)
    except InputError:
        return
    doc = places_from_article(article)
    claims = claims_for(article.text, doc.places, article.date, article.body_start)
    for c in claims:
        assert article.text[c["start"] : c["end"]] == c["mention"]
        assert c["sentence"]


def test_review_csv_lists_claims_the_theatre_data_contradicts(contradicting_maps):
    import csv
    import io

    out = contradicting_maps
    rows = list(csv.DictReader(io.StringIO((out / "contradicts.review.csv").read_text())))
    flagged = [r for r in rows if r["kind"].startswith("claim:")]
    assert len(flagged) == 1
    assert flagged[0]["name"] == "Tripoli" and flagged[0]["candidate_id"] == "lna"
    assert "seized Tripoli" in flagged[0]["sentence"]


def _seed_claims() -> list[dict]:
    from geo.claims import claims_of_document

    return claims_of_document(places_from_article(load_article(SEED)))


def test_claim_markers_carry_their_kinds_icon_and_actors_colour():
    from geo.render.claims import KIND_ICONS, NO_ACTOR, claim_features, claims_legend

    claims = _seed_claims()
    actors = {"lna": {"name": "Libyan National Army", "colour": "#1b9e77"}}
    features = claim_features(claims, actors)
    assert len(features) == len(claims) == 5
    for claim, f in zip(claims, features, strict=True):
        p = f["properties"]
        assert p["_icon"] == KIND_ICONS[claim["kind"]][0]
        assert p["_color"] == ("#1b9e77" if claim["actor"] == "lna" else NO_ACTOR)
    # Every icon is a different one: a kind is told by its icon alone.
    assert len({icon for icon, _ in KIND_ICONS.values()}) == len(KIND_ICONS)
    legend = claims_legend(claims, actors)
    labels = [e.label for e in legend]
    assert [lab for lab in labels if lab.startswith("claim: ")] == [
        "claim: advance",
        "claim: clash",
        "claim: deployment",
        "claim: interception",
    ]
    assert "claim by Libyan National Army" in labels
    assert all(e.icon for e in legend if e.label.startswith("claim: "))


def test_story_items_list_each_sentences_claims():
    from geo.render.places import group_places
    from geo.render.story import story_items

    doc = places_from_article(load_article(SEED))
    claims = _seed_claims()
    items = story_items(group_places(doc.places), doc.article.text, claims)
    listed = [c for item in items for c in item.get("claims", [])]
    assert sorted(c["claim"] for c in listed) == list(range(len(claims)))
    boarded = next(i for i in items if "cargo ship off" in i["html"])
    assert [c["html"] for c in boarded["claims"]] == [
        "interception Haftar&#x27;s troops off Libya (2019-12-15)"
    ]
    # Claims never leak raw markup into the panel.
    hostile = [{**claims[0], "actor_text": "<img src=x onerror=alert(1)>"}]
    html = story_items(group_places(doc.places), doc.article.text, hostile)
    assert "<img" not in json.dumps(html)
