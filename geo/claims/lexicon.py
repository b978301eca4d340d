"""Word lists the claim rules read: event triggers per kind, actor heads, hedges and denials.

Every rule of the extractor is a list here, so extending it to a new conflict is adding words,
not code. Triggers are regular expressions over a sentence, matched case-insensitively; a
``(?-i:...)`` part needs its capitals (a place name after "took").
"""

from __future__ import annotations

KINDS = (
    "capture", "withdrawal", "advance", "siege", "attack", "clash", "deployment",
    "displacement", "departure", "interception", "rescue", "landing", "shipwreck",
)  # fmt: skip

# A following place or control word, for verbs that are events only with such an object.
_OBJ = (
    r"(?=\s+(?:back\s+|over\s+|full\s+|total\s+)?(?:control|(?:the\s+)?(?:town|city|village"
    r"|port|airport|base|district|capital|key|strategic|rebel|border|last|northern|southern"
    r"|eastern|western|central)\b|(?-i:[A-Z])))"
)

# Ships and boats: a vessel seized or hijacked is stopped at sea (an interception), not territory.
_VESSEL = (
    r"(?:ships?|vessels?|tankers?|freighters?|carriers?|boats?|dhows?|trawlers?|ferry|ferries"
    r"|yachts?|dinghy|dinghies)"
)
_A_VESSEL = r"\s+(?:an?|the|two|three|several)\s+(?:[\w-]+\s+){0,3}?" + _VESSEL + r"\b"
# Weapons fired or launched, and what a ship or building is hit by.
_WEAPON = (
    r"(?:rockets?|missiles?|shells|mortars?|drones?|artillery|grenades?|rounds|torpedo(?:es)?"
    r"|mines?)"
)

TRIGGERS: dict[str, list[str]] = {
    "capture": [
        r"(?:took|taken|take|takes|taking)" + _OBJ,
        r"(?:re)?(?:seized?|seizes|seizing)(?!" + _A_VESSEL + ")",
        r"(?:re)?(?:captured?|captures|capturing)",
        r"retook|retaken|retake|retakes|retaking",
        r"(?:entered|enters|entering)" + _OBJ,
        r"(?:fell|fallen|falls|falling)\s+(?:to|into\s+the\s+hands\s+of)",
        r"overran|overrun|overrunning",
        r"(?:gained|seized|wrested|taken|took|claimed|assumed)\s+(?:full\s+)?control\s+of",
        r"(?:liberated|liberates|liberating)" + _OBJ,
        r"(?:regained|regains)" + _OBJ,
        r"capture\s+of|fall\s+of|takeover\s+of|recapture\s+of",
    ],
    "withdrawal": [
        r"withdr[ea]w|withdrawn|withdraws|withdrawing|withdrawal",
        r"(?:pulled|pulls|pulling|pull)\s+(?:out|back)",
        r"retreat(?:ed|s|ing)?",
        r"(?:abandoned|abandons|abandoning)\s+(?:their\s+|its\s+)?(?:positions|bases?|posts?)",
        r"(?:evacuated|evacuate)\s+(?:their\s+|its\s+)?(?:positions|bases?|troops|forces)",
        r"(?:troops|forces|soldiers|peacekeepers|mission|fighters)\s+(?:\w+\s+){0,2}"
        r"(?:left|leaving|leave)",
    ],
    "advance": [
        r"advanc(?:ed|es|ing|e)",
        r"(?:launched|launching|launch|began|beginning|started|starting|mounted|mounting)\s+"
        r"(?:an?\s+|its\s+|their\s+)?(?:new\s+|major\s+|fresh\s+|lightning\s+|ground\s+)?offensive",
        r"clos(?:ing|ed|e|es)\s+in\s+on",
        r"(?:pushed|pushing|push|pushes)\s+(?:on\s+)?(?:(?:north|south|east|west)(?:ward|wards)?\s+)?"
        r"(?:toward|towards|into|deeper|closer|on\s+to)",
        r"(?:moved|moving|marched|marching|headed|heading|drove|driving)\s+(?:on\s+)?(?:toward|towards|on)\b",
        r"offensive\s+(?:on|against|toward|towards|to\s+take)",
        r"(?:gained|gaining|gains|made)\s+(?:more\s+)?(?:ground|gains)",
    ],
    "siege": [
        r"besieg(?:ed|es|ing|e)",
        r"encircl(?:ed|es|ing|e|ement)",
        r"(?:laid|lay|laying)\s+siege",
        r"under\s+siege|siege\s+of",
        r"surround(?:ed|s|ing)" + _OBJ,
        r"(?:cut|cutting)\s+off\s+(?:the\s+)?(?:last\s+)?(?:supply|road|roads|routes?)",
        r"blockad(?:ed|ing|e)",
    ],
    "attack": [
        r"air\s*-?\s*strikes?|airstrikes?|air\s+raids?|air\s+attacks?",
        r"drone\s+(?:strikes?|attacks?)|missile\s+(?:strikes?|attacks?)|rocket\s+(?:attacks?|fire)",
        r"(?:shelled|shelling)\b",
        r"(?:stormed|storms|storming)(?=\s+(?:an?|the|its|their|two|three|several)\s|" + _OBJ[3:],
        r"bomb(?:ed|ing|ings|arded|arding|ardment)",
        r"struck|strikes?\s+(?:on|against|hit)",
        r"(?:attacked|attacking|attacks?)\b",
        r"ambush(?:ed|es)?",
        r"(?:raided|raids?)\b",
        r"massacred?|massacres",
        r"(?:burned|burnt|burning|torched|torching)(?=\s+(?:down\s+)?(?:an?|the|\d+|dozens|hundreds"
        r"|several|homes|houses|villages?|churches|mosques|schools|shops|markets?)\b)"
        r"|set\s+fire\s+to",
        r"(?:suicide\s+)?(?:car\s+)?bomb\s+(?:attack|blast)|explosion|blast",
        r"(?:fired|firing|launched|lobbed)\s+(?:[\w-]+\s+){0,3}?" + _WEAPON,
        r"(?:opened\s+fire|fired)\s+(?:on|at|upon)\b",
        r"(?:hit|hits|hitting)(?=\s+by\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?" + _WEAPON + r"\b)",
        r"(?:hit|hits|hitting)\s+(?:drones?|missiles?|rockets?|shells?)",
        r"(?:killed|killing)\s+(?:at\s+least\s+)?\d+",
    ],
    "clash": [
        r"(?:heavy\s+|fierce\s+)?fighting|fought|fight(?=\s+(?:for|over)\s+(?:the\s+)?(?:control|town|city))",
        r"clash(?:ed|es|ing)?",
        r"battl(?:e|es|ed|ing)(?=\s+(?:for|over|in|around|near|between|with|against|that|which|of)\b)",
        r"firefights?|gunfights?|gun\s+battles?|skirmish(?:es|ed)?",
        r"exchang(?:ed|ing)\s+(?:fire|gunfire|artillery)",
    ],
    "deployment": [
        r"deploy(?:ed|s|ing|ment)?",
        r"(?:sent|send|sends|sending|dispatched|dispatch|flew|flown|airlifted|shipped|moved)\s+"
        r"(?:in\s+)?(?:(?:more|hundreds|thousands|of|several|a|an|\d[\d,]*|(?-i:[a-z][a-z-]+))\s+){0,4}"
        r"(?:troops|soldiers|fighters|forces|mercenaries|reinforcements|weapons|arms|drones|tanks"
        r"|warships|destroyers?|frigates?|jets|advisers|advisors|units|marines|paratroopers"
        r"|vehicles|artillery|ammunition|missiles|shells|officers|police|volunteers|recruits"
        r"|equipment|batteries|air\s+defences?)",
        r"(?:were|was|been|being)\s+(?:flown|sent|airlifted|redeployed)\s+to",
        r"(?:troops|soldiers|forces|tanks|fighters|mercenaries)\s+(?:\w+\s+){0,2}crossed",
        r"reinforcements",
        r"(?:stationed|station)\s+(?:troops|forces|soldiers)",
        r"(?:troops|soldiers|fighters|forces|mercenaries|reinforcements)\s+(?:have\s+|had\s+)?"
        r"(?:arrived|landed)",
    ],
    "displacement": [
        r"fled|flee(?:ing|s)?",
        r"(?:were|been|was|are|being)\s+(?:forcibly\s+)?(?:displaced|uprooted|driven\s+(?:out|from))",
        r"displac(?:ed|ement)(?!\s+(?:camps?|sites?|settlements?))|uprooted",
        r"(?:were|was|been|being)\s+evacuated|evacuation\s+of\s+(?:civilians|residents|families)",
        r"(?:moved|transferred|expelled|expelling|deported|deporting|bused|forced)\s+(?:\w+\s+){0,3}"
        r"(?:migrants|refugees|people|families|civilians|residents|haitians|afghans|syrians|sudanese)",
        r"forced\s+(?:\w+\s+){0,3}(?:from|out\s+of)\s+their\s+homes",
        r"crossed\s+(?:the\s+border\s+)?into|crossing\s+(?:the\s+border\s+)?into",
        r"sought\s+refuge|seeking\s+refuge|(?:poured|pouring|streamed|streaming)\s+(?:into|across)",
        r"exodus",
        r"(?:families|residents|civilians|villagers|inhabitants)\s+(?:\w+\s+){0,2}(?:left|leaving)",
    ],
    "departure": [
        r"set\s+(?:off|sail|out)|sets\s+(?:off|sail|out)|setting\s+(?:off|sail|out)",
        r"(?:departed|departs|departing|departure)",
        r"(?:sailed|sailing)\s+from",
        r"(?:boats?|dinghy|dinghies|vessels?)\s+(?:that\s+)?(?:had\s+)?(?:left|leaving|leave)",
        r"(?:launched|launching)\s+from",
        r"(?:left|leaving|leave)\s+(?:from\s+)?(?:the\s+|a\s+)?(?:beach|beaches|coast|shore|port"
        r"|harbou?r)\b",
    ],
    "interception": [
        r"intercept(?:ed|s|ing|ion|ions)?",
        r"(?:returned|returning|brought|taken)\s+back\s+to|(?:returned|returning)\s+to\s+(?:shore|port|land)",
        r"(?:boarded|boarding)(?=\s+(?:an?|the)\s+)",
        r"(?:pushed|turned)\s+back|pushbacks?",
        r"stopped\s+(?:a|an|the|\d+)\s+(?:boat|vessel|dinghy|ship)",
        r"(?:hijacked|hijacking|hijacks|commandeered|(?:re)?(?:seized?|seizes|seizing))(?="
        + _A_VESSEL
        + ")",
    ],
    "rescue": [
        r"rescu(?:ed|es|ing|e)(?!\s+(?:ships?|boats?|vessels?|workers?|teams?|crews?|services?"
        r"|cent(?:re|er)s?|region|zone|area|organi[sz]ations?|groups?|charit(?:y|ies)|ngos?|aircraft"
        r"|coordination|missions?)\b)",
        r"(?:pulled|plucked)\s+(?:\w+\s+){0,3}from\s+the\s+(?:water|sea)",
        r"picked\s+up\s+(?:\d+|dozens|hundreds|survivors)",
        r"saved\s+(?:\d+|dozens|hundreds)",
    ],
    "landing": [
        r"disembark(?:ed|s|ing|ation)?",
        r"came\s+ashore|brought\s+ashore|reached\s+(?:the\s+)?(?:shore|coast|port|island)",
        r"(?:landed|landing)\s+(?:on|in|at)",
        r"docked|(?:was|were)\s+allowed\s+to\s+dock",
        r"(?:brought|taken|ferried|towed)\s+(?:[\w,]+\s+){0,6}?(?:ashore|to\s+(?=(?-i:[A-Z]))"
        r"|to\s+(?:the\s+)?(?:port|harbour|shore|island)\s+of)",
        r"(?:migrants|refugees|people|asylum\s+seekers|passengers|boats?|canoes?|cayucos?|dinghy"
        r"|dinghies|rafts?|vessels?)\s+(?:carrying\s+(?:[\w,-]+\s+){1,4}?|(?:\w+\s+){0,2})"
        r"(?:arrived|reached)",
    ],
    "shipwreck": [
        r"capsiz(?:ed|es|ing|e)",
        r"sank|sunk|sinking",
        r"drown(?:ed|ing|s)?",
        r"shipwrecks?|wreck\s+of",
        r"went\s+down",
    ],
}

# Words that make the phrase before a verb an actor ("M23 rebels", "the coast guard").
ACTOR_HEADS = frozenset(
    """forces force troops troop army armies soldiers soldier rebels rebel militia militias
    militiamen fighters fighter militants militant jihadists jihadist insurgents insurgent
    paramilitaries paramilitary guerrillas guerrilla gunmen gunman jets warplanes aircraft planes
    drones artillery navy guard guards coastguard units unit brigade brigades battalion
    battalions division regiment police government junta coalition group groups faction
    factions movement alliance authorities military mercenaries contractors commandos marines
    migrants refugees people boat boats dinghy vessel vessels ship ships passengers survivors
    families civilians residents villagers ngo charity crew crews rescuers volunteers agency
    separatists loyalists regime houthis shabaab wagner hamas hezbollah trawler trawlers canoe
    canoes cayuco cayucos carrier tanker boat dinghies fishermen fisherman sailors peacekeepers
    mission man men woman women child children protesters gangs gang officers""".split()
)
# Weapons that can be the actor a report names ("hit by a drone", "a missile struck").
WEAPON_HEADS = frozenset("drone missile rocket shell mine torpedo bomb".split())
# After a place name these make it a modifier of a party ("al-Shabaab fighters", "Houthi
# rebels"), not where something happened.
PARTY_NOUNS = frozenset(
    """forces troops army soldiers rebels militia militias fighters militants jihadists
    insurgents paramilitaries police government navy coastguard jets drones officials
    authorities commanders units gunmen""".split()
)
# Military or armed actors; others (migrants, boats) change what "arrived" or "left" means.
MOVERS = frozenset(
    """migrants refugees people boat boats dinghy vessel vessels passengers asylum seekers
    families civilians residents villagers survivors""".split()
)
# Capitalised at the start of a sentence without being a name.
SENTENCE_OPENERS = frozenset(
    """the a an this that these those there it its their his her our meanwhile however later
    earlier overnight now then some many most several both all each other another one two
    three four five six seven eight nine ten dozens hundreds thousands""".split()
)
PRONOUNS = frozenset({"they", "it", "he", "she", "we"})
# Before a participle these make its subject the main clause's ("attacked X before pulling out").
PARTICIPLE_LINKS = frozenset({"before", "after", "while", "without"})

# Words that end an actor phrase when reading back from the trigger.
PHRASE_BOUNDARY = frozenset(
    """that which who whom whose when after before as while since because but where said says
    say told according if although though than then so yet also in on at near from into with
    for over across around toward towards through under within without between against during
    until by off along outside inside beyond behind amid among last this next is are was were
    be been being has have had do did does will would could should may might must can to""".split()
)
# Words skipped between an actor phrase and its trigger ("had reportedly finally seized").
AUXILIARIES = frozenset(
    """is are was were be been being has have had 's 've 'd reportedly allegedly also then
    later finally again already now still apparently swiftly quickly eventually briefly
    partially partly largely fully effectively nearly almost just recently""".split()
)
# Before these a word ending in -ed or -ing is a verb, not an adjective ("spotted eleven boats").
OBJECT_STARTS = frozenset(
    """the a an its their his her this that these those some several dozens hundreds thousands
    one two three four five six seven eight nine ten eleven twelve""".split()
)
# Words that introduce the speaker of a reported claim ("the LNA said it had ...", "Kinshasa
# accused Rwanda of sending troops": the accused is the actor, the accuser only speaks).
SPEECH_VERBS = frozenset(
    """said says claimed claims announced announces confirmed confirms reported reports stated
    insisted added acknowledged admitted denied denies accused accuses accusing blamed blames
    warned warns""".split()
)
# Right after a place: the place is a government speaking ("a charge Kigali denies", "Moscow
# said"), not where anything happened (claims and the map's first view both read it).
SPEAKS_AFTER = (
    r"\s+(?:(?:has|have|had|also|later|quickly|strongly)\s+)?(?:"
    + "|".join(sorted(SPEECH_VERBS))
    + r")\b"
)
# Determiners and words kept at the start of an actor phrase though they are boundaries.
PHRASE_INNER = frozenset(
    {"of", "loyal", "allied", "aligned", "backed", "and", "the", "its", "their"}
)

# Before a trigger in its clause: the event is denied or did not happen.
NEGATIONS = (
    r"\b(?:not|never|no|n[o']t|denied|denies|deny|denying|rejected|dismissed|refuted"
    r"|failed\s+to)\b|n't\b"
)
# The event is intended, promised, threatened or reported rather than asserted.
HEDGES = (
    r"\b(?:would|will|shall|plans?\s+to|planned\s+to|planning\s+to|promised|promises|pledged|"
    r"vowed|vows|threatened|threatens|intends?|intended|aims?\s+to|offered\s+to|ready\s+to|"
    r"prepared\s+to|wants?\s+to|wanted\s+to|seeks?\s+to|sought\s+to|expected\s+to|set\s+to|"
    r"reportedly|allegedly|claimed|claims|said\s+(?:that\s+)?(?:it|they|he|she|"
    r"(?:its|their|his|her)\s+(?:\w+\s+){0,2}?\w+)\s+had|is\s+said\s+to|"
    r"was\s+said\s+to|were\s+said\s+to|according\s+to|unconfirmed|purportedly|reports?\s+that|"
    r"accus(?:ed|es|ing)|blam(?:ed|es|ing))\b|'ll\b"
)
# The sentence only wonders: no claim is made at all.
SPECULATION = (
    r"\b(?:(?-i:may)|might|could|possibly|perhaps|feared|fears|rule\s+out|not\s+excluded|"
    r"whether|unless|in\s+case|risk\s+of)\b"
)
# "fighting for power", "battle for hearts": struggles with no place on the ground.
IDIOMS = (
    r"\b(?:fight(?:ing)?|battl(?:e|ing))\s+for\s+"
    r"(?:power|survival|recognition|legitimacy|influence|hearts)\b"
)
