"""Word lists the recogniser's rules use; each list says in its name what it decides.

The list of common English words lives in the gazetteer index (``GazetteerIndex.common_words``)
because it depends on which names are big places.
"""

from __future__ import annotations

from pathlib import Path

from geo.gazetteer.fold import fold

_DATA = Path(__file__).resolve().parent / "data"


def _not_places() -> frozenset[str]:
    base = {
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "god",
        "allah",
        "christ",
        "jesus",
        "islam",
        "muslim",
        "christian",
        "un",
        "nato",
        "isis",
        "i",
        "mr",
        "mrs",
        "ms",
        "dr",
        # Proper names that GeoNames also lists as places but news uses for something else.
        "white house",
        "el nino",
        "la nina",
        "nina",
        "notre dame",
        "kremlin",
        "pentagon",
    }
    path = _DATA / "not_places.txt"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                base.add(fold(line))
    return frozenset(base)


NOT_PLACES: frozenset[str] = _not_places()


def _person_names() -> dict[str, frozenset[str]]:
    """The sections of data/person_names.txt, folded: given names that are also towns' and
    states' names, and frequent surnames."""
    out: dict[str, set[str]] = {}
    section = ""
    path = _DATA / "person_names.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif line and section:
            out.setdefault(section, set()).update(fold(w) for w in line.split())
    return {k: frozenset(v) for k, v in out.items()}


# "Jackson Smith", "Charlotte Brown": a given name that is also a town's, then a surname, is a
# person, not a place inside an organisation's name ("Austin Energy", "Dallas Cowboys").
GIVEN_NAMES, SURNAMES = (_person_names().get(k, frozenset()) for k in ("given", "surnames"))

# Lower-case words that may sit inside a multi-word name ("Gulf of Sirte", "Ras al-Hilal",
# "Maarrat an-Numan", "Deir ez-Zor").
CONNECTORS = frozenset(
    "of de del della di da do dos das du des la le les el al ad ar as ash at az ibn bin bint "
    "an en ez es ed et er ul il esh "
    "bani beni abu and the on upon sur am im van von der den y e".split()
)
# Words that split a run into separate names ("Libya and Syria").
SPLITTERS = frozenset({"and", "or", "y", "e"})

PERSON_TITLES = frozenset(
    """president presidents prime minister ministers secretary general gen lieutenant lt
    colonel col major maj captain capt admiral marshal field commander chief mr mrs ms dr
    sir lord lady dame king queen prince princess sheikh shaykh emir sultan pope imam
    ayatollah senator sen rep representative congressman congresswoman governor gov mayor
    chancellor ambassador envoy spokesman spokeswoman spokesperson leader dictator judge
    justice pastor rev reverend father brother sister officer sergeant sgt
    premier vice deputy foreign defence defense interior finance coach manager director
    ceo chairman chairwoman founder professor prof dean hon sheriff executive commissioner
    commissioners clerk coroner auditor treasurer assessor prosecutor supervisor supervisors
    administrator councillor councilman councilwoman alderman superintendent constable
    magistrate archbishop bishop cardinal rabbi mufti patriarch metropolitan""".split()
)

ORG_HEADS = frozenset(
    """university college school academy institute army navy force forces police council
    party front movement brigade brigades division regiment corps guard guards militia
    government ministry department agency commission committee court parliament assembly
    congress senate house bank company corporation corp inc ltd llc group association union
    federation league club fc times post news herald tribune journal gazette observer
    review daily television tv radio network airlines airways railways hospital church
    cathedral mosque temple museum library stadium hotel foundation fund trust observatory
    organization organisation authority office service services embassy consulate
    cross crescent express press studios records centre center centres centers institut
    instituto laboratory laboratories clinic clinics society societies programme program
    alliance coalition""".split()
)

# "Turkish parliament", "U.S. Navy": a country's own institutions stand for the country (unlike
# a named group such as the "Libyan National Army", where other name words come in between).
STATE_HEADS = frozenset(
    """government parliament army navy military congress senate ministry embassy consulate
    police presidency cabinet court courts coast air foreign defence defense interior
    department forces authorities officials troops attorney district federal trade treasury
    supreme border customs state justice intelligence armed security health education
    economy energy transport agriculture""".split()
)

# "Idlib Province", "Orange County": the name plus this word is still that place.
REGION_SUFFIXES = frozenset(
    "province governorate county region district state oblast prefecture municipality "
    "territory emirate canton township parish borough department".split()
)
# Administrative units written after their name in lower case, as health and conflict
# reports do ("Equateur province", "Beni health zone", "Jos North local government area"):
# the phrase is the unit, its last word the feature.
ADMIN_PHRASES = (
    "health zone",
    "health district",
    "local government area",
    "province",
    "governorate",
    "county",
    "region",
    "district",
    "state",
    "oblast",
    "prefecture",
    "department",
    "municipality",
    "emirate",
    "canton",
    "township",
    "parish",
    "lga",
)

# Diseases and pathogens named after places are no places: "Lassa fever", "Marburg virus",
# "West Nile virus", "Japanese encephalitis", "Middle East respiratory syndrome", "Lyme
# disease". The place-like name is followed by one of these words, perhaps after qualifiers.
DISEASE_WORDS = frozenset(
    """fever fevers virus viruses disease diseases syndrome encephalitis flu influenza pox
    pneumonia ebolavirus ebolaviruses hantavirus orthohantavirus""".split()
)
DISEASE_QUALIFIERS = frozenset(
    """respiratory haemorrhagic hemorrhagic hemorrhagic equine spotted tick-borne tickborne
    bat worm acute viral virus""".split()
)
# Words of a disease that the name of a big place may still precede as that place ("the Wuhan
# virus", "Texas flu cases"); a qualifier or any other disease word makes it the disease's
# name ("Hong Kong flu" stays Hong Kong, "Omsk haemorrhagic fever" is no place).
LOOSE_DISEASE_WORDS = frozenset({"virus", "viruses", "flu", "influenza"})
# Variants of a virus are named with Greek letters ("the Delta variant", "Omicron"); a Greek
# letter that is also a place ("Delta" in Nigeria) is no place before one of these words.
GREEK_LETTERS = frozenset(
    """alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho
    sigma tau upsilon phi chi psi omega""".split()
)
VARIANT_WORDS = frozenset(
    "variant variants subvariant subvariants strain strains lineage lineages wave".split()
)
# "Northern Syria", "East Yorkshire", "Western US": a compass word before a place is part of
# the mention; alone, or with only other such words ("West", "Central", "West Coast"), it
# names no particular place (GeoNames has regions called West, Central and Western in several
# countries) and so is not looked up.
COMPASS = frozenset(
    """north south east west northern southern eastern western central centre center middle
    northeast northwest southeast southwest northeastern northwestern southeastern
    southwestern upper lower greater inner outer far mid""".split()
)
GENERIC_AREA_WORDS = COMPASS | frozenset(
    "coast capital region province district state territory islands lakes highlands".split()
)
# "Royal Street", "Mississippi River": a feature named after or near the place.
FEATURE_SUFFIXES = frozenset(
    "street st avenue ave road rd boulevard blvd square park bridge river lake valley "
    "mountains mountain mount hills island islands bay beach port harbour harbor airport "
    "station coast border crossing camp desert plain plains basin strait canal".split()
)

# Words that begin a sentence or a noun phrase but never a person's name: "A Danbury mason"
# and "The Venice Commission" are not first name + surname.
FUNCTION_WORDS = frozenset(
    """a an the this that these those its his her their our my your some any every each no
    in on at from to by for with of as after before into onto over under since until while
    when where if but and or so than then there here all both many most several""".split()
)

# Countries whose names reach English through romanisations of Arabic (and Persian, Pashto,
# Urdu) script: the transliteration key ('Garabulli' = Qarabulli) looks for places there only.
TRANSLIT_COUNTRIES = frozenset(
    """DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE EH IR AF PK TD ER
    SS""".split()
)

# Unions of states named as actors ("the European Union imposed sanctions"): corpora count
# them as toponyms, but the place they stand for is their members' territory, not a point, so
# they are reported with role "in-name" (maps draw them faintly or not at all).
UNIONS = frozenset({"geo:european-union"})
