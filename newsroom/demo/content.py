"""The demo newsroom: original stories in the shape of agency copy. Fiction, written for Newsroom."""

SECTIONS = [
    ("World", "world"),
    ("Business", "business"),
    ("Science", "science"),
    ("Politics", "politics"),
]

# Each story: paragraphs are plain text; ("RELATED", slug) places an inline related headline;
# ("QUOTE", speaker, text, description) files a quote found in the paragraph before it.
STORIES = [
    {
        "slug": "river-towns-brace-for-second-flood-crest",
        "section": "world",
        "headline": "River towns brace for second flood crest as levees weaken",
        "dek": "Engineers say the next 48 hours decide whether three towns along the lower valley stay dry.",
        "bylines": [("Marta Núñez", "author"), ("Tomas Berg", "additional")],
        "dateline": ("VIENNA", "AFP", 3),
        "tags": ["floods", "climate", "infrastructure"],
        "photo": {
            "caption": "Volunteers stack sandbags along the riverbank promenade on Monday.",
            "credit": "Tomas Berg/Newsroom",
            "file_photo": False,
            "alt": "Volunteers in rain jackets pass sandbags along a wall beside a swollen river.",
            "colour": (52, 96, 140),
        },
        "status": "published",
        "hours_ago": 5,
        "paragraphs": [
            "Emergency crews worked through the night to shore up earthen levees along the lower "
            "valley as forecasters warned a second crest would arrive by Wednesday, officials said.",
            "Hydrologist Anna Keller, who leads the regional flood office, said the river had "
            "already risen 40 centimetres above the level recorded during last spring's floods.",
            ("RELATED", "port-authority-approves-storm-barrier-budget"),
            '"We have never seen the ground this saturated this early in the season," Keller said. '
            '"The levees were built for a single crest, not two in one week."',
            (
                "QUOTE",
                "Anna Keller",
                "We have never seen the ground this saturated this early in the season. The levees "
                "were built for a single crest, not two in one week.",
                "hydrologist who leads the regional flood office",
            ),
            "Mayor Lukas Brandt ordered schools closed in the two lowest districts and opened "
            "three shelters in sports halls on higher ground.",
            '"Nobody should wait for the water to reach their door," Brandt told reporters.',
            (
                "QUOTE",
                "Lukas Brandt",
                "Nobody should wait for the water to reach their door.",
                "mayor",
            ),
        ],
        "related": ["port-authority-approves-storm-barrier-budget"],
    },
    {
        "slug": "port-authority-approves-storm-barrier-budget",
        "section": "business",
        "headline": "Port authority approves storm barrier budget after two-year fight",
        "dek": "The moveable gates will protect container terminals that handle a fifth of national trade.",
        "bylines": [("Priya Raman", "author")],
        "dateline": ("ROTTERDAM", "Reuters", 2),
        "tags": ["infrastructure", "trade", "climate"],
        "photo": {
            "caption": "Cranes line the container terminal at dusk.",
            "credit": "Harbour Authority",
            "file_photo": True,
            "alt": "Rows of container cranes silhouetted against an orange evening sky.",
            "colour": (170, 98, 40),
        },
        "status": "published",
        "hours_ago": 30,
        "paragraphs": [
            "The port authority's board voted 7-2 on Thursday to fund a set of moveable storm "
            "gates, ending a dispute over who pays for protecting the busiest terminals.",
            "Finance director Sofia Lindqvist said the gates would be paid for over 25 years "
            "through a small levy on every container handled.",
            '"Every shipping line that uses this port benefits, so every shipping line '
            'contributes," she said.',
            (
                "QUOTE",
                "Sofia Lindqvist",
                "Every shipping line that uses this port benefits, so every shipping line contributes.",
                "finance director of the port authority",
            ),
            ("RELATED", "river-towns-brace-for-second-flood-crest"),
            "Construction is expected to start next spring and take four years.",
        ],
        "related": ["river-towns-brace-for-second-flood-crest"],
    },
    {
        "slug": "glacier-survey-finds-faster-melt-at-high-altitude",
        "section": "science",
        "headline": "Glacier survey finds faster melt at high altitude than models predicted",
        "dek": "A decade of drone measurements shows thinning well above the line scientists expected.",
        "bylines": [
            ("Jonas Müller", "author"),
            ("Priya Raman", "author"),
            ("Lea Fontaine", "contributor"),
        ],
        "dateline": ("GENEVA", "UPI", 1),
        "tags": ["climate", "glaciers", "research"],
        "photo": {
            "caption": "A research drone surveys the upper ice field.",
            "credit": "Lea Fontaine/Alpine Survey",
            "file_photo": False,
            "license_url": "https://creativecommons.org/licenses/by/4.0/",
            "alt": "A small drone hovers above a white glacier with dark rock ridges behind it.",
            "colour": (120, 160, 190),
        },
        "status": "published",
        "hours_ago": 20,
        "paragraphs": [
            "Glaciers above 3,500 metres are thinning almost twice as fast as climate models "
            "projected, according to a study published Tuesday.",
            "Glaciologist Ingrid Haugen, the study's lead author at the Alpine Research "
            "Institute, said the team flew more than 900 drone surveys over ten summers.",
            "\u201cThe upper ice was supposed to be the safe reserve,\u201d Haugen said. "
            "\u201cIt is not behaving like one.\u201d",
            (
                "QUOTE",
                "Ingrid Haugen",
                "The upper ice was supposed to be the safe reserve. It is not behaving like one.",
                "glaciologist, lead author at the Alpine Research Institute",
            ),
            ("RELATED", "river-towns-brace-for-second-flood-crest"),
            "\u201cWe checked the numbers three times before we believed them.\u201d",
            (
                "QUOTE",
                "Ingrid Haugen",
                "We checked the numbers three times before we believed them.",
                "glaciologist, lead author at the Alpine Research Institute",
            ),
        ],
        "related": ["river-towns-brace-for-second-flood-crest"],
    },
    {
        "slug": "coalition-talks-stall-over-pension-age",
        "section": "politics",
        "headline": "Coalition talks stall over pension age as deadline nears",
        "dek": "Negotiators say a deal on everything else is within reach.",
        "bylines": [("Tomas Berg", "author")],
        "dateline": ("BRUSSELS", "AP", 0),
        "tags": ["elections", "pensions"],
        "photo": None,
        "status": "published",
        "hours_ago": 2,
        "paragraphs": [
            "Talks to form a new coalition government stalled on Friday over a proposal to raise "
            "the pension age by two years, negotiators from three parties said.",
            '"We agree on the budget, on housing and on defence," said Elena Varga, the centrist '
            'party\'s chief negotiator. "Pensions are the last wall."',
            (
                "QUOTE",
                "Elena Varga",
                "We agree on the budget, on housing and on defence. Pensions are the last wall.",
                "the centrist party's chief negotiator",
            ),
            ("RELATED", "port-authority-approves-storm-barrier-budget"),
            "The parties have until the end of the month before the king must ask another leader "
            "to try.",
        ],
        "related": ["port-authority-approves-storm-barrier-budget"],
    },
    {
        "slug": "city-library-opens-night-reading-rooms",
        "section": "world",
        "headline": "City library opens night reading rooms for shift workers",
        "dek": "The pilot keeps two floors open until 2 a.m. four nights a week.",
        "bylines": [("Lea Fontaine", "author")],
        "dateline": ("LYON", "AFP", 0),
        "tags": ["culture", "cities"],
        "photo": {
            "caption": "Readers at the long tables of the main hall after midnight.",
            "credit": "Lea Fontaine/Newsroom",
            "file_photo": False,
            "alt": "People reading at long wooden tables under warm lamps in a quiet hall.",
            "colour": (150, 120, 80),
        },
        "status": "published",
        "hours_ago": 8,
        "paragraphs": [
            "The central library began opening two floors until 2 a.m. this week, a pilot aimed at "
            "nurses, drivers and others who work late shifts.",
            "Head librarian Camille Roux said 300 people came on the first night.",
            '"People told us they had nowhere quiet to be between a shift and sleep," Roux said.',
            (
                "QUOTE",
                "Camille Roux",
                "People told us they had nowhere quiet to be between a shift and sleep.",
                "head librarian",
            ),
        ],
        "related": [],
    },
    {
        "slug": "draft-rail-strike-talks-resume",
        "section": "business",
        "headline": "Rail unions and operators to resume strike talks",
        "dek": "A draft for the desk: waiting for the union's statement.",
        "bylines": [("Priya Raman", "author")],
        "dateline": ("LONDON", "Reuters", 0),
        "tags": ["transport", "labour"],
        "photo": None,
        "status": "draft",
        "paragraphs": [
            "Rail unions and train operators will meet again on Monday, both sides said, after "
            "a week of walkouts cancelled thousands of services.",
        ],
        "related": [],
    },
    {
        "slug": "scheduled-budget-preview",
        "section": "politics",
        "headline": "What to watch in next week's budget",
        "dek": "Scheduled: goes live automatically.",
        "bylines": [("Tomas Berg", "author")],
        "dateline": None,
        "tags": ["budget"],
        "photo": None,
        "status": "scheduled",
        "hours_ahead": 24,
        "paragraphs": [
            "The finance minister presents the budget on Wednesday. Here are the measures most "
            "likely to change household bills.",
        ],
        "related": [],
    },
]
