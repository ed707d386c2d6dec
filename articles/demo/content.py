"""The demo newsroom: sections, authors, tags and stories, as plain data.

Written for Newsroom; all people, organisations and events are invented.
`load_demo` turns this into rows, keyed by slug so that loading it twice
changes nothing. Each story's `hours_ago` is only used when it is first created.
"""

SECTIONS = [
    {"slug": "news", "name": "News", "order": 0, "description": "What happened today."},
    {
        "slug": "politics",
        "name": "Politics",
        "order": 1,
        "description": "Councils, parliament and the people who run them.",
    },
    {
        "slug": "business",
        "name": "Business",
        "order": 2,
        "description": "Work, money and the firms that employ the town.",
    },
    {
        "slug": "environment",
        "name": "Environment",
        "order": 3,
        "description": "Rivers, coast, weather and wildlife.",
    },
    {
        "slug": "health",
        "name": "Health",
        "order": 4,
        "description": "Clinics, hospitals and the care people get.",
    },
    {
        "slug": "culture",
        "name": "Culture",
        "order": 5,
        "description": "Arts, books, music and festivals.",
    },
    {"slug": "sport", "name": "Sport", "order": 6, "description": "Results, players and clubs."},
]

AUTHORS = [
    {
        "slug": "nadia-okafor",
        "name": "Nadia Okafor",
        "role": "Public spending correspondent",
        "bio": "Nadia follows public money from the budget to the building site. "
        "She previously covered local courts for eight years.",
    },
    {
        "slug": "james-whitcombe",
        "name": "James Whitcombe",
        "role": "Political editor",
        "bio": "James has reported on the council chamber and Westminster since 2009.",
    },
    {
        "slug": "ruth-delaney",
        "name": "Ruth Delaney",
        "role": "Business reporter",
        "bio": "Ruth writes about employers large and small, and the people who work for them.",
    },
    {
        "slug": "owen-pritchard",
        "name": "Owen Pritchard",
        "role": "Environment correspondent",
        "bio": "Owen covers the coast, the rivers and the weather that shapes both.",
    },
    {
        "slug": "sofia-marchetti",
        "name": "Sofia Marchetti",
        "role": "Arts writer",
        "bio": "Sofia reviews theatre, exhibitions and new books, and runs our events listings.",
    },
    {
        "slug": "daniel-asante",
        "name": "Daniel Asante",
        "role": "Sports reporter",
        "bio": "Daniel has followed Lowmouth Athletic home and away for eleven seasons.",
    },
    {
        "slug": "leah-kaplan",
        "name": "Leah Kaplan",
        "role": "Health reporter",
        "bio": "Leah reports on local NHS services: waiting lists, clinics and their staff.",
    },
]

TAGS = {
    "public-contracts": "Public contracts",
    "flooding": "Flooding",
    "civil-service": "Civil service",
    "lowmouth": "Lowmouth",
    "local-government": "Local government",
    "budget": "Budget",
    "jobs": "Jobs",
    "small-business": "Small business",
    "wildlife": "Wildlife",
    "rivers": "Rivers",
    "arts": "Arts",
    "education": "Education",
    "football": "Football",
    "health-services": "Health services",
    "energy": "Energy",
}

LEAD_STORY = {
    "slug": "procurement-chief-resigns-over-estuary-gate-contract",
    "section": "news",
    "headline": (
        "Procurement chief resigns over £740m Estuary Gate contract, saying she could not defend it"
    ),
    "standfirst": (
        "Helena Marsh, who checked the value of the department's largest contracts, says "
        "a flood-barrier deal was awarded without competition and against her team's advice."
    ),
    "authors": ["nadia-okafor", "james-whitcombe"],
    "tags": ["public-contracts", "flooding", "civil-service", "lowmouth"],
    "hours_ago": 3,
    "is_lead": True,
    "hero": {
        "palette": ((12, 34, 64), (24, 120, 140), (230, 238, 240)),
        "motif": "barrier",
        "alt": (
            "Abstract illustration: deep blue and teal bands like water at dusk, "
            "crossed by a row of pale upright bars."
        ),
        "caption": (
            "The Estuary Gate barrier would close across the mouth of the Lowe during storm surges."
        ),
        "credit": "Illustration: Newsroom demo",
    },
    "paragraphs": [
        "A senior official responsible for checking the value of public contracts has resigned "
        "from the Department for Water and Coastal Resilience, saying she could not approve a "
        "£740 million agreement to build a tidal barrier across the Lowmouth estuary.",
        "Helena Marsh, who led the department's commercial assurance team for six years, set out "
        "her reasons in a four-page letter to the permanent secretary. The letter, dated Monday, "
        "says the contract went to Calder Rock Infrastructure without an open competition, under "
        "rules meant for emergency repairs rather than for a scheme that has been planned for "
        "almost a decade.",
        "According to the letter, her team questioned the price, the penalty clauses and the pace "
        "of the decision on at least three occasions, and each time was told the matter had been "
        "“settled at a higher level”. The department's own cost model, she writes, put the likely "
        "price of the work about £180 million lower.",
        "“I have spent my working life making sure that public money buys what it is meant to "
        "buy,” Ms Marsh wrote. “This time I was asked to put my name to a number I did not "
        "believe, and I have decided that I would rather leave than do that.”",
        "The letter was made public on Tuesday evening by Priya Raman, an investigative reporter "
        "who covers infrastructure spending, who posted photographs of all four pages on X. In a "
        "second post an hour later she said two people who had seen the original had confirmed "
        "that it was genuine.",
        "The Estuary Gate barrier is meant to protect about 40,000 homes in Lowmouth and the "
        "villages upstream from storm surges, which have flooded the lower town twice in the "
        "past five years. Councillors of every party have campaigned for it since 2017, and "
        "almost nobody disputes that it is needed. The argument is about how it was bought.",
        "Open Ledger Trust, a campaign group that tracks public procurement, said the "
        "resignation showed why contracts of this size should be published in full on the day "
        "they are signed. The group has asked the department for the contract and for the "
        "assessment that justified treating the work as urgent.",
        "The department told Open Ledger Trust that the contract had been awarded lawfully, that "
        "the urgency rules applied because of the risk of winter storms, and that its accounting "
        "officer had reviewed the decision. It said a summary of the contract would be published "
        "“in due course”.",
        "It is understood that Ms Marsh's objections were recorded in the department's risk "
        "register and that the matter has been referred to the National Audit Commission, which "
        "examines whether public money has been properly spent. The Commission would not say "
        "whether it had opened an inquiry.",
        "Calder Rock Infrastructure said in a short statement that it had complied with every "
        "requirement of the procurement process, and that work on the barrier's foundations "
        "would begin in the spring as planned.",
        "Two members of the Public Accounts Committee have written to the permanent secretary "
        "asking him to appear before them before the end of the month and to bring the "
        "department's cost model with him.",
        "In Lowmouth itself the row brings a worry of its own: that a fight over the contract "
        "could delay the barrier. “We don't mind who builds it,” said Margaret Oyelaran, who "
        "chairs the Lowmouth Flood Action Group. “We mind that it gets built, and that it works "
        "when the water comes.”",
        "Ms Marsh has not spoken publicly since the letter appeared. Her resignation takes "
        "effect at the end of the month.",
    ],
    "sources": [
        {
            "key": "letter",
            "title": "Resignation letter of Helena Marsh, as posted on X",
            "kind": "social",
            "publisher": "Priya Raman (@PriyaRamanNews) on X",
            "url": "https://social.example/PriyaRamanNews/status/1",
            "days_ago": 1,
            "quoted_text": (
                "The resignation letter Helena Marsh sent to the permanent secretary of the "
                "Department for Water and Coastal Resilience this week. Four pages; the last "
                "paragraph is the one to read: “I cannot sign off a contract I would not be "
                "able to defend to the people whose homes it is meant to protect, and I will "
                "not ask my team to do it in my place. My resignation takes effect at the end "
                "of the month.”"
            ),
        },
        {
            "key": "follow-up",
            "title": "Follow-up post confirming the letter",
            "kind": "social",
            "publisher": "Priya Raman (@PriyaRamanNews) on X",
            "url": "https://social.example/PriyaRamanNews/status/2",
            "days_ago": 1,
            "quoted_text": (
                "Two people who saw the original letter have confirmed to me that this is it. "
                "The department has not disputed it."
            ),
        },
        {
            "key": "statement",
            "title": "Statement to Open Ledger Trust",
            "kind": "statement",
            "publisher": "Department for Water and Coastal Resilience, to Open Ledger Trust",
            "url": "https://openledger.example/estuary-gate/department-response",
            "days_ago": 0,
            "quoted_text": (
                "The Estuary Gate contract was awarded in line with the procurement rules for "
                "urgent works, and every stage was reviewed by the department's accounting "
                "officer. A summary of the contract will be published in due course."
            ),
        },
        {
            "key": "campaign",
            "title": "Estuary Gate: the questions still unanswered",
            "kind": "report",
            "publisher": "Open Ledger Trust",
            "url": "https://openledger.example/estuary-gate",
            "days_ago": 0,
            "quoted_text": (
                "When the person whose job is to check a contract walks out rather than "
                "approve it, the public deserves to see what she saw. We first asked for the "
                "contract in the spring and are still waiting for an answer. Publish the "
                "contract and the urgency assessment this week, not after the next flood."
            ),
        },
    ],
    "pull_quotes": [
        {
            "text": (
                "I cannot sign off a contract I would not be able to defend to the people whose "
                "homes it is meant to protect, and I will not ask my team to do it in my place."
            ),
            "speaker": "Helena Marsh",
            "speaker_role": (
                "Deputy Director of Commercial Assurance, Department for Water and Coastal "
                "Resilience, in her resignation letter"
            ),
            "source": "letter",
            "after_paragraph": 3,
        },
        {
            "text": (
                "When the person whose job is to check a contract walks out rather than approve "
                "it, the public deserves to see what she saw. […] Publish the contract and the "
                "urgency assessment this week, not after the next flood."
            ),
            "speaker": "Dr. Tobias Wren",
            "speaker_role": "Executive Director of Open Ledger Trust",
            "source": "campaign",
            "after_paragraph": 7,
        },
        {
            "text": (
                "The Estuary Gate contract was awarded in line with the procurement rules for "
                "urgent works, and every stage was reviewed by the department’s accounting "
                "officer."
            ),
            "speaker": "Department for Water and Coastal Resilience",
            "speaker_role": "in a statement to Open Ledger Trust",
            "source": "statement",
            "after_paragraph": 8,
        },
    ],
}

SHORTER_STORIES = [
    {
        "slug": "council-leader-survives-confidence-vote",
        "section": "politics",
        "headline": "Council leader survives confidence vote after budget row",
        "standfirst": "Ayesha Brandt keeps her job by four votes, but her plan to close two "
        "libraries is sent back for a rethink.",
        "authors": ["james-whitcombe"],
        "tags": ["local-government", "budget", "lowmouth"],
        "hours_ago": 9,
        "hero": {
            "palette": ((70, 20, 40), (170, 60, 70), (250, 230, 220)),
            "motif": "circles",
            "alt": "Abstract illustration: overlapping pale circles on a wine-red background.",
            "caption": "The vote took place in a packed council chamber.",
            "credit": "Illustration: Newsroom demo",
        },
        "paragraphs": [
            "The leader of Lowmouth Borough Council, Ayesha Brandt, survived a vote of no "
            "confidence on Wednesday night by 27 votes to 23, after a three-hour debate on her "
            "spending plans for next year.",
            "The motion was tabled after councillors from her own group objected to a proposal "
            "to close the libraries in Eastcliff and Harbour Road to save £410,000 a year.",
            "Cllr Brandt told the chamber she had heard the objections and would bring back a "
            "revised budget in a fortnight. “Nobody came into local government to close "
            "libraries,” she said. “But the gap in our accounts is real, and it has to be closed "
            "somewhere.”",
            "Opposition councillors said the vote had settled nothing and called for the budget "
            "consultation to be reopened.",
        ],
    },
    {
        "slug": "bakery-chain-opens-first-factory",
        "section": "business",
        "headline": "Family bakery chain to open its first factory, creating 85 jobs",
        "standfirst": "Hollins & Daughters will bake for all 19 of its shops from a converted "
        "warehouse on the Quayside estate.",
        "authors": ["ruth-delaney"],
        "tags": ["jobs", "small-business", "lowmouth"],
        "hours_ago": 26,
        "hero": {
            "palette": ((120, 70, 30), (220, 160, 90), (252, 240, 220)),
            "motif": "stripes",
            "alt": "Abstract illustration: warm diagonal stripes in brown, amber and cream.",
            "caption": "The Quayside warehouse will house three ovens and a packing line.",
            "credit": "Illustration: Newsroom demo",
        },
        "paragraphs": [
            "Hollins & Daughters, the bakery chain that began as a single shop on Market Street "
            "in 1962, is to open its first factory, creating 85 jobs.",
            "The firm will convert a former furniture warehouse on the Quayside estate and "
            "expects to start baking there in September. Until now each shop has baked on its "
            "own premises.",
            "Managing director Carys Hollins, granddaughter of the founder, said the shops had "
            "run out of room. “We have been turning down orders from cafés for two years "
            "because we physically could not fit another oven in,” she said.",
            "The company said every current baker had been offered a job at the new site or "
            "the choice to stay in a shop.",
        ],
    },
    {
        "slug": "otters-return-to-upper-lowe",
        "section": "environment",
        "headline": "Volunteers record otters on the upper Lowe for the first time in 30 years",
        "standfirst": "Camera traps set by a river survey group caught a female and two cubs "
        "near the old mill weir.",
        "authors": ["owen-pritchard", "nadia-okafor"],
        "tags": ["wildlife", "rivers"],
        "hours_ago": 50,
        "hero": {
            "palette": ((20, 60, 40), (60, 140, 100), (225, 240, 220)),
            "motif": "waves",
            "alt": "Abstract illustration: soft green waves layered like a river bank.",
            "caption": "The survey group has set 14 cameras along the upper river.",
            "credit": "Illustration: Newsroom demo",
        },
        "paragraphs": [
            "Otters have been recorded on the upper reaches of the River Lowe for the first time "
            "in three decades, according to volunteers from the Lowe Valley River Survey.",
            "Cameras set along the bank near the old mill weir filmed a female and two cubs on "
            "four nights in a row last week.",
            "The group's coordinator, Gareth Pughsley, said the sightings reflected years of work "
            "to reduce run-off from farmland upstream. “Otters are fussy about what they eat,” he "
            "said. “If they are back, the fish are back, and that tells you the water is better.”",
            "The survey group asked walkers to keep dogs on leads along the stretch between the "
            "weir and Fenn Bridge while the cubs are young.",
        ],
    },
    {
        "slug": "harbour-festival-programme-built-by-schools",
        "section": "culture",
        "headline": "Harbour arts festival returns with a programme chosen by pupils",
        "standfirst": "Students from six schools picked the bands, films and workshops for "
        "this year's three-day event.",
        "authors": ["sofia-marchetti"],
        "tags": ["arts", "education", "lowmouth"],
        "hours_ago": 75,
        "hero": {
            "palette": ((40, 30, 90), (200, 80, 140), (255, 220, 150)),
            "motif": "circles",
            "alt": "Abstract illustration: bright pink and gold circles on deep violet.",
            "caption": "The festival's main stage stands on the north quay.",
            "credit": "Illustration: Newsroom demo",
        },
        "paragraphs": [
            "The Lowmouth Harbour Festival returns next month with a programme chosen entirely "
            "by pupils from the town's six secondary schools.",
            "A panel of 24 students spent the spring term listening to demos, watching short "
            "films and interviewing workshop leaders before settling on a line-up of 40 events "
            "over three days.",
            "Festival director Imogen Tull said the experiment had changed her mind about what "
            "young audiences want. “They chose more poetry than I would have dared to,” she "
            "said.",
            "Most events are free; tickets for the closing concert go on sale on Friday.",
        ],
    },
    {
        "slug": "lowmouth-athletic-clinch-promotion",
        "section": "sport",
        "headline": "Lowmouth Athletic clinch promotion with stoppage-time winner",
        "standfirst": "Kofi Mensah's header in the 94th minute sends the club up for the first "
        "time since 2008.",
        "authors": ["daniel-asante"],
        "tags": ["football", "lowmouth"],
        "hours_ago": 100,
        "hero": {
            "palette": ((10, 70, 30), (40, 160, 70), (240, 250, 240)),
            "motif": "stripes",
            "alt": "Abstract illustration: broad green stripes like a mown pitch.",
            "caption": "The Quay ground was sold out for the final home game.",
            "credit": "Illustration: Newsroom demo",
        },
        "paragraphs": [
            "Lowmouth Athletic were promoted on Saturday after Kofi Mensah headed in a corner "
            "four minutes into stoppage time to beat Dunmere Town 2-1 at the Quay.",
            "Dunmere had led from the 20th minute until Sam Ellery equalised just after the "
            "hour, and a draw would have left Athletic needing a result on the final day.",
            "Manager Lorna Feeney said she had not watched the winning goal. “I was looking at "
            "my shoes,” she said. “I heard it.”",
            "It is the club's first promotion since 2008. The final match of the season, away "
            "at Carrow Vale, is now a celebration.",
        ],
    },
    {
        "slug": "walk-in-clinic-extends-evening-hours",
        "section": "health",
        "headline": "Walk-in clinic to stay open until 10pm after winter pressure",
        "standfirst": "Evening opening at the Harbour Road centre is meant to take pressure off "
        "the hospital's emergency department.",
        "authors": ["leah-kaplan"],
        "tags": ["health-services", "lowmouth"],
        "hours_ago": 130,
        "hero": {
            "palette": ((20, 50, 90), (90, 150, 210), (235, 245, 255)),
            "motif": "waves",
            "alt": "Abstract illustration: calm pale-blue waves on a navy background.",
            "caption": "The clinic saw 31,000 patients last year.",
            "credit": "Illustration: Newsroom demo",
        },
        "paragraphs": [
            "The walk-in clinic on Harbour Road will stay open until 10pm every day from next "
            "month, three hours later than now.",
            "The local health board said about a third of the people who arrived at the "
            "hospital's emergency department after 7pm last winter could have been treated at "
            "the clinic had it been open.",
            "Dr. Sunita Rao, the clinic's lead GP, said the extra hours would be staffed by "
            "nurses and paramedics as well as doctors. “Most people who come in the evening "
            "need a wound looked at or a child checked over,” she said.",
        ],
    },
    {
        "slug": "tidal-energy-start-up-raises-funding",
        "section": "business",
        "headline": "Tidal energy start-up raises £12m to test turbines off the point",
        "standfirst": "Lowe Current Power will install two trial turbines in the channel "
        "next summer.",
        "authors": ["ruth-delaney", "owen-pritchard"],
        "tags": ["energy", "jobs"],
        "hours_ago": 160,
        "hero": {
            "palette": ((0, 40, 60), (0, 140, 150), (210, 250, 245)),
            "motif": "barrier",
            "alt": "Abstract illustration: teal water bands crossed by slim upright posts.",
            "caption": "The trial site lies a mile off Lowmouth Point.",
            "credit": "Illustration: Newsroom demo",
        },
        "paragraphs": [
            "Lowe Current Power, a start-up founded by two former harbour engineers, has raised "
            "£12 million to test tidal turbines in the channel off Lowmouth Point.",
            "The company plans to install two turbines on the seabed next summer and to run "
            "them for 18 months, measuring how much electricity they produce and how they affect "
            "fish and seabirds.",
            "Co-founder Tamsin Edevane said the channel's currents were among the strongest on "
            "the coast. “Twice a day, every day, the sea moves a vast amount of water past the "
            "point,” she said. “We want to find out how much of that we can use.”",
            "The funding round was led by a regional investment fund, with smaller stakes from "
            "two energy companies.",
        ],
    },
]

# The demo's people. Passwords are set to DEMO_PASSWORD on every run (demo only).
DEMO_PASSWORD = "newsroom-demo"  # noqa: S105  (published in the README: demo accounts)
ACCOUNTS = [
    {"username": "admin", "superuser": True, "group": None, "what": "everything (superuser)"},
    {"username": "editor", "superuser": False, "group": "Editors", "what": "write and publish"},
    {
        "username": "writer",
        "superuser": False,
        "group": "Writers",
        "what": "write drafts, submit them for review",
    },
    {
        "username": "moderator",
        "superuser": False,
        "group": "Moderators",
        "what": "moderate responses",
    },
]

# Notes editors added after publication (issue 18 §1), by story slug: what a
# corrected story looks like. `hours_after`: after the story went out.
NOTES = {
    "bakery-chain-opens-first-factory": [
        {
            "kind": "correction",
            "hours_after": 4,
            "text": (
                "An earlier version of this story said the factory would create 58 jobs. "
                "The company's figure is 85."
            ),
        },
    ],
}
