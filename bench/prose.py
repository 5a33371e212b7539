"""Benchmark corpus: the cast (people, organisations, places) and the prose templates.

Everything here is original text written for the benchmark: invented names built from
syllables, and sentence templates with slots. `bench/corpus.py` assembles articles from it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


def _words(text: str) -> list[str]:
    return text.split()


GIVEN_F = _words(
    "Anna Elena Sofia Nadia Irena Clara Helena Ingrid Lucia Marta Petra Greta Hanna Vera "
    "Olga Laura Amira Yara Leila Rosa Ines Dana Mila Zofia Ruth Esther Alma Freya Tamsin Nora"
)
GIVEN_M = _words(
    "Viktor Tomas Pavel Mattias Jonas Stefan Andrei Marek Lukas Oskar Erik Daniel Samuel Felix "
    "Anton Karim Omar Rafael Pedro Milan Ivo Adrian Bruno Emil Nikolai Teodor Henrik Joel Arne"
)
_SUR_HEAD = "Kal Bren Dor Fal Hal Kest Lind Mor Nov Orl Pell Rad Sand Tor Vel Wend Zar Ast Bel Cor"
_SUR_TAIL = "ov ner ane ik sen berg wood ski ard ani ell ez mann ley ford in ic as"
_PLACE_HEAD = "Ast Bran Carr Dun Elm Fen Gal Hart Ister Kel Lor Mar Ost Rav Sel Thal Ulm Wes"
_PLACE_TAIL = "ford haven mouth mere wick holm by dale port gard stad field"
COUNTRIES = ("Veldmark", "Ostravia", "Carrowmere", "Lunaria", "Estmark", "Norvale")

MONTHS = _words(
    "January February March April May June July August September October November December"
)
WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday")


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    given: str
    surname: str
    title: str  # "Defense Minister", "" for people named by a lowercase role instead
    role: str  # "the country's defense minister" (appositive), or "union leader" (untitled)
    pronoun: str  # "he" | "she"

    @property
    def name(self) -> str:
        return f"{self.given} {self.surname}"

    @property
    def appositive(self) -> str:
        """"Koval, the country's defense minister, said"; "Voss, a nurse, said"."""
        if self.title:
            return self.role
        return ("an " if self.role[0] in "aeio" else "a ") + self.role  # "a union leader"

    @property
    def first_mention(self) -> str:
        """How a reporter names them the first time: with their title."""
        return f"{self.title} {self.name}" if self.title else f"{self.role} {self.name}"


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    name: str
    short: str  # "the ministry", "the union": how later sentences refer to it
    the: bool  # "the Ministry of Finance", but "Kalov Holdings"

    @property
    def ref(self) -> str:
        return f"the {self.name}" if self.the else self.name


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str


# (title, appositive role); "{place}" and "{country}" are filled per person.
TITLED_ROLES = (
    ("Defense Minister", "the country's defense minister"),
    ("Finance Minister", "the country's finance minister"),
    ("Interior Minister", "the country's interior minister"),
    ("Health Minister", "the country's health minister"),
    ("Transport Minister", "the minister responsible for transport"),
    ("Prime Minister", "the prime minister"),
    ("Senator", "a senator from {place}"),
    ("Mayor", "the mayor of {place}"),
    ("Police Chief", "the head of the {place} police"),
    ("Judge", "the presiding judge"),
    ("Professor", "an economist at the University of {place}"),
    ("Dr.", "a senior physician at {place} General Hospital"),
    ("Governor", "the governor of {place} province"),
    ("General", "the army's chief of staff"),
    ("Ambassador", "{country}'s ambassador to the region"),
    ("Councillor", "an opposition member of the {place} council"),
)
UNTITLED_ROLES = (
    "union leader", "local shopkeeper", "harbour pilot", "retired teacher", "nurse",
    "economist", "analyst", "lawyer", "head teacher", "farmer", "campaigner", "spokesperson",
)
ORG_FORMS = (
    ("{place} City Council", "the council"),
    ("Ministry of {field}", "the ministry"),
    ("{country} {field} Agency", "the agency"),
    ("National {trade} Union", "the union"),
    ("{place} Harbour Authority", "the authority"),
    ("Central Bank of {country}", "the central bank"),
    ("{place} Chamber of Commerce", "the chamber"),
    ("{surname} Holdings", "the company"),
    ("{place} General Hospital", "the hospital"),
    ("University of {place}", "the university"),
    ("{country} Supreme Court", "the court"),
    ("{adjective} Alliance", "the party"),
)
FIELDS = _words("Finance Defense Health Transport Energy Justice Education Housing Agriculture")
TRADES = _words("Rail Dockworkers Teachers Nurses Miners Drivers Farmers Postal")
ADJECTIVES = _words("Civic Green Liberal Progressive National Coastal Northern Democratic")

TOPICS: dict[str, tuple[str, ...]] = {
    # topic: objects a story is about
    "politics": ("the coalition agreement", "the reform bill", "the confidence vote",
                 "the electoral law", "the cabinet reshuffle"),
    "economy": ("the budget", "the interest rate decision", "the new fuel levy",
                "the trade agreement", "the pension reform"),
    "health": ("the hospital waiting lists", "the vaccination campaign",
               "the nurses' pay offer", "the clinic closures"),
    "courts": ("the corruption trial", "the appeal", "the verdict", "the sentencing hearing"),
    "environment": ("the flood defences", "the emissions target", "the river clean-up",
                    "the new wind farm"),
    "transport": ("the rail strike", "the ferry timetable", "the bridge repairs",
                  "the new tram line"),
    "defense": ("the procurement contract", "the border exercises", "the defense budget",
                "the conscription plan"),
    "housing": ("the rent freeze", "the waterfront development", "the social housing plan"),
    "labour": ("the strike", "the wage talks", "the automation deal", "the pay settlement"),
    "sport": ("the stadium plan", "the promotion race", "the transfer window"),
}
GROUPS = ("families", "pensioners", "small businesses", "commuters", "patients",
          "taxpayers", "workers", "residents", "farmers", "students")
SERVICES = ("an operation", "a ferry", "a court date", "a new flat", "a school place")

HEADLINES = (
    "{surname} defends {object} as critics cry foul",
    "{org} approves {object} after late-night session",
    "{surname} warns of delays over {object}",
    "Talks on {object} collapse in {place}",
    "{place} braces for {object}",
    "{org} under pressure over {object}",
    "{surname} promises review of {object}",
    "Questions mount over {object} in {place}",
    "{org} and {org2} clash over {object}",
    "What {object} means for {place}",
)
QUOTES = (
    "We will not accept {object} if it leaves {group} paying the bill",
    "This is the most serious test we have faced in a decade",
    "Nobody in {place} should have to wait {number} months for {service}",
    "The numbers speak for themselves",
    "We have listened, and we have changed the plan",
    "I understand the anger, but the money has to come from somewhere",
    "There is no version of this where everyone wins",
    "It is too early to say what went wrong, and I will not guess",
    "Every week of delay costs {place} another {number} million",
    "We were promised a plan and we got a press release",
    "If the figures hold, we will be back to normal by {month}",
    "My door remains open to anyone who wants to talk",
    "This was never about money. It was about trust",
    "We expect {object} to pass before the summer recess",
    "The people of {place} deserve a straight answer",
    "I have seen nothing in the report that changes my mind",
    "We are asking for fairness, not favours",
    "Nobody voted for this",
    "The old arrangement was not working, and everybody knew it",
    "We will look at every option, including the ones we do not like",
    "Our members are tired, and they are angry",
    "I would rather be honest now than sorry in {month}",
    "The decision is made. Now the work starts",
    "You cannot run a country on promises",
    "We knew this day would come, and we did not prepare for it",
    "I have met the families. They are not asking for much",
    "The law is clear, and we intend to follow it",
    "We are not going to rush this",
    "Half of what was promised has already been spent",
    "Nobody here is pretending this will be easy",
    "The timetable was always ambitious. Now it is impossible",
    "I want to thank the crews who worked through the night",
    "It would be irresponsible to say more while the inquiry is running",
    "We have done our part. The ministry has to do its part",
    "If you ask {group} what they want, they will tell you",
    "Frankly, the answer is no",
    "We welcome the decision, but the details matter",
    "There will be no extra money until the accounts are in order",
    "I have spent {number} years on this, and I am not stopping now",
    "This is a good day for {place}",
)
FRAGMENTS = (
    "a gamble with public money", "long overdue", "a step in the right direction",
    "deeply irresponsible", "the worst of both worlds", "not up for negotiation",
    "a political stunt", "a fair compromise", "dangerously optimistic",
    "a betrayal of {group}", "the only sensible option", "unworkable in practice",
)
CONTEXT = (
    "{org} has been under pressure since {month} {year}, when the first figures "
    "were published.",
    "{place} has recorded {number} complaints this year, up from {number2} in {year}.",
    "Talks between {org} and {org2} broke down in {month} and have not resumed.",
    "The figures were published on {weekday} by {org}, which collects them every quarter.",
    "Critics say {object} was drawn up in a hurry and without proper consultation.",
    "Supporters point out that similar measures were introduced in {place2} without trouble.",
    "The plan would cost about {number} million over five years, according to official "
    "estimates.",
    "Opinion polls suggest that {group} are split almost evenly on the question.",
    "A final decision is not expected before {month}.",
    "Officials in {place} said the first changes could be visible within weeks.",
    "The opposition has called for an independent inquiry.",
    "It is the third time in {number} years that the issue has come before {org}.",
    "The last comparable dispute, in {year}, lasted {number} weeks.",
    "Turnout at the public meeting in {place} was the highest anyone could remember.",
    "About {number} people gathered outside the building on {weekday} morning.",
    "The committee's report runs to {number2} pages and makes {number} recommendations.",
    "{org} declined to say how many staff would be affected.",
    "Budget documents show spending on the programme fell by {number} percent last year.",
    "Residents of {place2} have watched the dispute closely.",
    "Lawyers for both sides are due back in court in {month}.",
    "The ministry has promised a written answer within {number} days.",
    "A similar proposal was rejected by a narrow margin in {year}.",
    "Independent analysts say the savings are smaller than advertised.",
    "Trade figures for the quarter are due next {weekday}.",
    "Several members of {org2} have said privately that they share the concerns.",
    "The consultation closed in {month} after drawing more than {number2}00 responses.",
    "{place} was hit hardest, with {number} businesses reporting losses.",
    "The regional assembly will debate the question on {weekday}.",
    "Unions have threatened further action if the talks fail.",
    "The timetable has already slipped twice since {year}.",
)
TRANSITIONS = ("Not everyone is convinced.", "The opposition sees it differently.",
               "The reaction was swift.", "Others were more cautious.")
ACTIONS = (
    "spent most of the morning meeting {group} in {place}",
    "arrived late to the session and left before the vote",
    "has spoken repeatedly about {object} in recent weeks",
    "visited {place} on {weekday} to answer questions from {group}",
    "faced hostile questions in parliament",
    "set out the plan at a crowded briefing in {place}",
    "broke a week of silence on {weekday}",
    "defended the decision in a radio interview",
)
INDIRECT = (
    "the government would publish its own figures within a month",
    "{group} had been let down for too long",
    "talks would continue over the weekend",
    "nobody had asked for the changes",
)
SUBHEADS = ("What happens next", "The money", "A long dispute", "Reaction", "Behind the numbers")
SAID = ("said", "added", "insisted", "argued", "said on {weekday}", "told the chamber")
WARN = ("warned", "said", "added", "told the committee")


def _syllable_names(head: str, tail: str) -> list[str]:
    return [h + t for h in head.split() for t in tail.split()]


def make_cast(rng: random.Random, people: int, orgs: int, places: int) -> tuple[
    list[Person], list[Organisation], list[Place]
]:
    """The archive's recurring cast, most newsworthy first (the Zipf head)."""
    town_names = _syllable_names(_PLACE_HEAD, _PLACE_TAIL)
    rng.shuffle(town_names)
    town_names = [f"Port {n}" if i % 9 == 0 else n for i, n in enumerate(town_names)]
    place_list = [Place(_slug(n), n) for n in [*COUNTRIES, *town_names][:places]]
    surnames = _syllable_names(_SUR_HEAD, _SUR_TAIL)
    rng.shuffle(surnames)
    person_list: list[Person] = []
    used_names: set[str] = set()
    for i in range(people):
        female = rng.random() < 0.5
        given = rng.choice(GIVEN_F if female else GIVEN_M)
        surname = surnames[i % len(surnames)]
        if f"{given} {surname}" in used_names:
            given = rng.choice(GIVEN_F if female else GIVEN_M)
        used_names.add(f"{given} {surname}")
        fill = {"place": rng.choice(place_list[6:]).name, "country": rng.choice(COUNTRIES)}
        if rng.random() < 0.75:
            title, role = rng.choice(TITLED_ROLES)
        else:
            title, role = "", rng.choice(UNTITLED_ROLES)
        person_list.append(Person(_slug(f"{given} {surname}"), given, surname, title,
                                  role.format(**fill), "she" if female else "he"))
    org_list: list[Organisation] = []
    seen: set[str] = set()
    while len(org_list) < orgs:
        form, short = rng.choice(ORG_FORMS)
        name = form.format(place=rng.choice(place_list[6:]).name, country=rng.choice(COUNTRIES),
                           field=rng.choice(FIELDS), trade=rng.choice(TRADES),
                           surname=rng.choice(surnames), adjective=rng.choice(ADJECTIVES))
        if name in seen:
            continue
        seen.add(name)
        org_list.append(Organisation(_slug(name), name, short, "Holdings" not in name))
    return person_list, org_list, place_list


def _slug(name: str, limit: int = 60) -> str:
    """Lowercase words joined by "-", cut at a word under `limit` (Broadsheet cuts at 80)."""
    text = name.lower().replace(".", "").replace("'", "").replace("’", "")
    slug = "-".join("".join(c if c.isalnum() else " " for c in text).split())
    return slug if len(slug) <= limit else slug[:limit].rsplit("-", 1)[0]
