"""A realistic synthetic news corpus, for tests and benchmarks at corpus scale.

No large public corpus of conflict news can be downloaded here, so articles are written from
sentence templates about fighting, displacement and migration, filled with the places news
actually names: the theatres' own places (news spellings such as "Misrata", "Khan Shaykhun"),
the countries around them and towns from the gazetteer. Dates fall where the theatres have
control data, so the control join is exercised too.

The same ``seed`` always gives the same articles, byte for byte.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from geo import settings

# Countries of the two theatres, their neighbours and the migration corridor to Europe.
COUNTRIES = ("LY", "SY", "TN", "NE", "TD", "SD", "EG", "IT", "MT", "GR", "TR", "LB", "JO", "IQ")
THEATRE_COUNTRY = {"libya": "Libya", "syria": "Syria"}
FIRST_DAY = dt.date(2019, 4, 3)  # the first control snapshot in the bundled theatres
LAST_DAY = dt.date(2020, 12, 31)
_ASCII_NAME = re.compile(r"^[A-Z][A-Za-z' -]{2,30}$")

_ACTORS = {
    "libya": [
        "forces loyal to the Government of National Accord",
        "fighters of the Libyan National Army",
        "troops commanded by Khalifa Haftar",
        "militias from the west of the country",
        "Russian mercenaries",
    ],
    "syria": [
        "government troops",
        "rebel fighters",
        "the Syrian Democratic Forces",
        "Turkish-backed factions",
        "Russian warplanes",
    ],
}
_SOURCES = ("Reuters", "Associated Press", "Al Jazeera", "The Guardian", "Agence France-Presse")
_TITLES = (
    "Fighting flares near {town} as {actor_short} push on",
    "Civilians flee {town} after days of shelling",
    "Migrants leave {port} as clashes spread in {country}",
    "{town}: hospitals overwhelmed after strikes",
    "Talks on {country} stall while fighting goes on around {town}",
    "Hundreds rescued off {port} in a week",
)
_OPENERS = (
    "Heavy fighting broke out on {weekday} around {town}, residents said, as {actor} tried to "
    "take the road to {town2}.",
    "{actor_cap} shelled the outskirts of {town} overnight, killing at least {n} civilians, "
    "according to medics in {town2}.",
    "Thousands of families have fled {town} in the past week, the UN said, many of them heading "
    "for {town2} and the border with {neighbour}.",
    "Officials in {city} said on {weekday} that {actor} had withdrawn from positions south of "
    "{town}.",
)
_BODY = (
    "The road between {town} and {town2} has been closed since {month}.",
    "Aid groups in {city} warned that food and fuel were running short.",
    "A spokesman for {actor} said the operation would continue until {town} was secured.",
    "Drone strikes were reported near {town2} and along the road towards {town3}.",
    "Diplomats from {foreign} and {foreign2} met in {capital} to discuss a ceasefire.",
    "{foreign} has denied sending weapons, despite reports of cargo flights landing near {town2}.",
    "Prices in the markets of {city} have doubled since the fighting began.",
    "Residents of {town3} said they had had no electricity for {n} hours.",
    "The mayor of {town} said {n} houses had been destroyed.",
    "Fighters moved from {town2} towards {town3} under cover of darkness.",
    "Hospitals in {city} are treating wounded people from {town} and {town2}.",
)
# Sentences without places: most of a news article is context, quotes and numbers.
_CONTEXT = (
    '"We have nothing left," said a father of five, who asked not to be named.',
    "The United Nations said at least {n} people had been killed since the start of the month.",
    "Neither side could be reached for comment on {weekday}.",
    "Independent verification of the claims was not possible.",
    "A ceasefire agreed in {month} has been broken repeatedly by both sides.",
    "Aid workers said access to the area remained severely restricted.",
    "The health ministry said {n} people had been wounded, many of them children.",
    "Analysts say neither side is strong enough to win outright.",
    "Schools have been closed for weeks and many teachers have left.",
    "The conflict has displaced hundreds of thousands of people since it began.",
    "Officials said the number of casualties was likely to rise.",
    "A statement attributed to {actor} said they were responding to attacks on civilians.",
    "Human rights groups have called for an independent investigation.",
    "Food prices have risen sharply, and fuel queues stretch for hours.",
    "A local journalist said communications had been cut for {n} hours.",
    "Diplomats say talks could resume next month if the fighting eases.",
)
# What each theatre's news adds: the sea crossing from Libya, the camps and borders of Syria.
_THEATRE_BODY = {
    "libya": (
        "Smugglers in {port} have taken advantage of the chaos, sending boats towards {eu_port}.",
        "Coast guard vessels intercepted {n} people off {port} and returned them to detention "
        "centres in {town}.",
        "Many of the migrants had crossed the desert from {sahel_town} in {sahel_country}.",
        "Rescue ships brought {n} survivors to {eu_port} on {weekday}.",
    ),
    "syria": (
        "More than {n} families reached camps near the border with {neighbour} this week.",
        "Aid convoys from {neighbour} were held up at the crossing north of {town2}.",
        "Displaced people from {town} are sheltering in schools in {city}.",
    ),
}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "March", "May", "July", "September", "November")
_EU_PORTS = ("Lampedusa", "Malta", "Sicily", "Pozzallo", "Catania", "Augusta")
_SAHEL = (("Agadez", "Niger"), ("Dirkou", "Niger"), ("Khartoum", "Sudan"), ("Faya", "Chad"))
_FOREIGN = ("Turkey", "Russia", "Egypt", "the United Arab Emirates", "France", "Italy", "Qatar")
_CAPITALS = ("Berlin", "Moscow", "Ankara", "Cairo", "Rome", "Geneva", "Paris")


@dataclass(frozen=True)
class SyntheticArticle:
    """One generated article: what a news archive export holds per row."""

    id: str
    date: str
    title: str
    source: str
    text: str


@lru_cache(maxsize=4)
def _gazetteer_towns(path: str) -> dict[str, tuple[str, ...]]:
    """Towns of 50,000+ with plain ASCII names per country, sorted so the pool is stable.

    Read straight from the index file: the index API looks names up, it does not list them.
    """
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT country, name FROM places WHERE kind = 'city' AND population >= 50000 "
            f"AND country IN ({','.join('?' * len(COUNTRIES))}) ORDER BY country, id",
            COUNTRIES,
        ).fetchall()
    finally:
        con.close()
    out: dict[str, list[str]] = {}
    for country, name in rows:
        if _ASCII_NAME.match(name) and name not in out.get(country, []):
            out.setdefault(country, []).append(name)
    return {k: tuple(v) for k, v in out.items()}


def _theatre_places(theatre: str, country: str) -> tuple[str, ...]:
    """The theatre's own towns, districts and ports in ``country``, as news spells them."""
    path = settings.PACKAGE_DIR / "theatres" / theatre / "places.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(
            r["name"]
            for r in csv.DictReader(fh)
            if r["kind"] in ("city", "town", "village", "district", "port")
            and r["country"] == country
        )


def _pools() -> dict[str, dict[str, tuple[str, ...]]]:
    from geo.gazetteer.build import ensure_index

    towns = _gazetteer_towns(str(ensure_index()))
    return {
        "libya": {
            "towns": _theatre_places("libya", "LY"),
            "extra": towns.get("LY", ()) + towns.get("TN", ()),
            "neighbours": ("Tunisia", "Algeria", "Niger", "Chad", "Sudan", "Egypt"),
        },
        "syria": {
            "towns": _theatre_places("syria", "SY"),
            "extra": towns.get("SY", ()) + towns.get("LB", ()) + towns.get("TR", ()),
            "neighbours": ("Turkey", "Lebanon", "Jordan", "Iraq"),
        },
    }


def _sentence(template: str, fill: dict[str, str], n: int) -> str:
    text = template.format(**fill, n=n)
    return text[0].upper() + text[1:]


def _article(rng: random.Random, n: int, pools: dict) -> SyntheticArticle:
    theatre = "libya" if rng.random() < 0.65 else "syria"
    pool = pools[theatre]
    # News concentrates on a few towns: pick the theatre's own places most of the time.
    towns = list(pool["towns"])
    picks = rng.sample(towns, 4)
    if pool["extra"] and rng.random() < 0.5:
        picks[3] = rng.choice(pool["extra"])
    town, town2, town3, city = picks
    ports = [t for t in towns if t in ("Zuwara", "Sabratha", "Zawiya", "Tripoli", "Misrata")]
    fill = {
        "town": town,
        "town2": town2,
        "town3": town3,
        "city": city,
        "port": rng.choice(ports or towns),
        "eu_port": rng.choice(_EU_PORTS),
        "country": THEATRE_COUNTRY[theatre],
        "neighbour": rng.choice(pool["neighbours"]),
        "foreign": "",
        "foreign2": "",
        "capital": rng.choice(_CAPITALS),
        "weekday": rng.choice(_WEEKDAYS),
        "month": rng.choice(_MONTHS),
    }
    fill["foreign"], fill["foreign2"] = rng.sample(_FOREIGN, 2)
    fill["sahel_town"], fill["sahel_country"] = rng.choice(_SAHEL)
    actor = rng.choice(_ACTORS[theatre])
    fill["actor"] = actor
    fill["actor_cap"] = actor[0].upper() + actor[1:]
    fill["actor_short"] = actor.split(" of ")[-1].split(" loyal to ")[-1]
    paragraphs = []
    body = _BODY + _THEATRE_BODY[theatre]
    sentences = rng.sample(body, rng.randint(6, 11)) + rng.sample(_CONTEXT, rng.randint(8, 16))
    rng.shuffle(sentences)
    sentences.insert(0, rng.choice(_OPENERS))
    while sentences:
        size = rng.randint(2, 4)
        paragraphs.append(
            " ".join(_sentence(s, fill, rng.randint(3, 400)) for s in sentences[:size])
        )
        sentences = sentences[size:]
    day = FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
    titles = _TITLES if theatre == "libya" else [t for t in _TITLES if "{port}" not in t]
    title = rng.choice(titles).format(**fill)
    title = title[0].upper() + title[1:]
    return SyntheticArticle(
        id=f"syn-{n:06d}",
        date=day.isoformat(),
        title=title,
        source=rng.choice(_SOURCES),
        text="\n\n".join(paragraphs) + "\n",
    )


def synthetic_corpus(count: int, seed: int = 0) -> list[SyntheticArticle]:
    """``count`` articles, the same for the same ``seed`` (ids ``syn-000000`` upwards).

    Parameters
    ----------
    count
        How many articles.
    seed
        Seeds the one random generator everything is drawn from.
    """
    rng = random.Random(seed)
    pools = _pools()
    return [_article(rng, n, pools) for n in range(count)]


def _front_matter(a: SyntheticArticle) -> str:
    meta = {"title": a.title, "date": a.date, "source": a.source, "id": a.id, "slug": a.id}
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def write_files(articles: Iterable[SyntheticArticle], folder: str | Path) -> list[Path]:
    """One Markdown file with YAML front matter per article (``<id>.md``)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for a in articles:
        path = out / f"{a.id}.md"
        path.write_text(_front_matter(a) + a.text, encoding="utf-8")
        paths.append(path)
    return paths


def write_jsonl(articles: Iterable[SyntheticArticle], path: str | Path) -> Path:
    """JSON Lines with id, date, title, source and text: how news archives export."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with p.open("w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps(asdict(a), ensure_ascii=False, sort_keys=True) + "\n")
    return p


def write_csv(articles: Sequence[SyntheticArticle], path: str | Path) -> Path:
    """CSV with a header row id,date,title,source,text (texts quoted, newlines kept)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with p.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "date", "title", "source", "text"])
        writer.writeheader()
        for a in articles:
            writer.writerow(asdict(a))
    return p
