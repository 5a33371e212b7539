"""Tests for the automatic extractor: what an editor reviewing the annotations would notice."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from generator.extract import Extraction, KnownEntity, extract
from generator.extract.marks import find_passages

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_335e48ff48485389.txt"


def quotes_of(text: str, known: tuple[KnownEntity, ...] = ()) -> list[tuple[str, str | None]]:
    result = extract(text, known)
    return [
        (text[q.start : q.end], result.entities[q.speaker].name if q.speaker is not None else None)
        for q in result.quotes
    ]


def entities_of(text: str, known: tuple[KnownEntity, ...] = ()) -> dict[str, str]:
    return {e.name: e.type for e in extract(text, known).entities}


def entity(result: Extraction, name: str):
    return next(e for e in result.entities if e.name == name)


# ---- the seed ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[str, Extraction]:
    body = SEED.read_text(encoding="utf-8").split("\n", 1)[1]
    return body, extract(body)


def test_seed_quotes_and_speakers(seed):
    body, result = seed
    got = [
        (body[q.start : q.end], result.entities[q.speaker].name if q.speaker is not None else None)
        for q in result.quotes
    ]
    assert [(t[:40], s) for t, s in got] == [
        ("This is not bluff.", "Vladimir Putin"),
        ("Fake referendums and mobilizations are s", "Bridget Brinker"),
        ("The United States will never recognize R", "Bridget Brinker"),
        ("an admission that his invasion had faile", "Ben Wallace"),
        ("He and his secretary of defense have sen", "Ben Wallace"),
        ("No amount of threats and propaganda can ", "Ben Wallace"),
    ]
    assert got[3][0] == "an admission that his invasion had failed"
    assert got[2][0].endswith("as long as it needs to,")


def test_seed_speaker_mentions(seed):
    body, result = seed
    spans = [body[q.speaker_span.start : q.speaker_span.end] for q in result.quotes]
    assert spans[2] == "she"
    assert spans[4] == "Wallace"


def test_seed_has_no_hoax_quote(seed):
    body, result = seed
    assert all("hoax" not in body[q.start : q.end] for q in result.quotes)


def test_seed_entities(seed):
    _, result = seed
    types = {e.name: e.type for e in result.entities}
    for person in ("Vladimir Putin", "Sergei Shoigu", "Bridget Brinker", "Ben Wallace"):
        assert types[person] == "person"
    for place in ("Russia", "Ukraine", "Kyiv", "United States"):
        assert types[place] == "place"
    assert types["Kremlin"] == "organization"
    assert "Russian" not in types and "Ukrainian" not in types
    assert not {"Defense Minister Sergei Shoigu", "Shoigu", "Putin", "Wednesday"} & set(types)


def test_seed_title_stripped_and_surname_merged(seed):
    body, result = seed
    shoigu = entity(result, "Sergei Shoigu")
    assert [body[m.start : m.end] for m in shoigu.mentions] == ["Sergei Shoigu", "Shoigu"]
    russia = [body[m.start : m.end] for m in entity(result, "Russia").mentions]
    assert "Russian" in russia and "Russia" in russia


# ---- attribution patterns -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, quote, speaker",
    [
        ('"The plan works," Lena Hart said.', "The plan works,", "Lena Hart"),
        ('"The plan works," said Lena Hart.', "The plan works,", "Lena Hart"),
        ('"The plan works," Lena Hart told reporters on Monday.', "The plan works,", "Lena Hart"),
        ('"The plan works," Lena Hart said in a statement.', "The plan works,", "Lena Hart"),
        ('"The plan works," according to Lena Hart.', "The plan works,", "Lena Hart"),
        (
            '"The plan works," Lena Hart, the city\'s planning chief, said.',
            "The plan works,",
            "Lena Hart",
        ),
        (
            'Lena Hart warned: "The plan will fail without money."',
            "The plan will fail without money.",
            "Lena Hart",
        ),
        (
            'Lena Hart responded by saying: "The plan will fail without money."',
            "The plan will fail without money.",
            "Lena Hart",
        ),
        (
            'Lena Hart described the plan as "a bridge to nowhere at twice the price".',
            "a bridge to nowhere at twice the price",
            "Lena Hart",
        ),
        (
            '"We have no comment at this stage," the Acme Corporation said.',
            "We have no comment at this stage,",
            "Acme Corporation",
        ),
        # a place speaks as the head of its phrase, never as where the speaker is
        (
            'Beijing said: "We will respond firmly to any provocation."',
            "We will respond firmly to any provocation.",
            "Beijing",
        ),
        (
            'One nurse in Bucharest, who asked not to be named, said: "We have no more beds."',
            "We have no more beds.",
            None,
        ),
        (
            'A lecturer from Harbin said: "The visit was symbolic and nothing more."',
            "The visit was symbolic and nothing more.",
            None,
        ),
        (
            'Officials in Washington said: "The talks will resume next week in Geneva."',
            "The talks will resume next week in Geneva.",
            None,
        ),
    ],
)
def test_attribution_patterns(text, quote, speaker):
    assert quotes_of(text) == [(quote, speaker)]


def test_quote_continues_in_next_sentence_and_paragraph():
    text = (
        '"We will appeal," Omar Haddad said. "The verdict is wrong."\n\n'
        '"We have the evidence and we will use it."'
    )
    assert [s for _, s in quotes_of(text)] == ["Omar Haddad"] * 3


def test_pronouns_resolve_by_gender():
    text = (
        "Judge Maria Santos questioned Detective Paul Brody for an hour.\n\n"
        '"I followed every rule in the book," he said.\n\n'
        '"That remains to be seen," she said.'
    )
    assert [s for _, s in quotes_of(text)] == ["Paul Brody", "Maria Santos"]


def test_pronoun_without_gender_cue_takes_most_recent_person():
    text = 'Kiri Tanaka met Ode Balogun. "We agreed on nothing," he said.'
    assert quotes_of(text) == [("We agreed on nothing,", "Ode Balogun")]


# ---- what is not a quote ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'Officials dismissed the claims as a "hoax" on Monday.',
        'The so-called "peace dividend" never arrived.',
        'She starred in "The Long Night Home" last year.',
        'The novel "Winter in the Valley" sold well.',
    ],
)
def test_scare_quotes_and_titles_are_not_quotes(text):
    assert quotes_of(text) == []


def test_apostrophes_are_not_quotation_marks():
    text = (
        "The dogs' owners didn't come back since the '90s, and Russia’s envoy "
        "said it's O'Brien's turn."
    )
    assert quotes_of(text) == []


# ---- quotation marks ----------------------------------------------------------------------


def test_curly_straight_single_and_guillemet_quotes():
    assert quotes_of("“It is over,” Ana Ruiz said.") == [("It is over,", "Ana Ruiz")]
    assert quotes_of('"It is over," Ana Ruiz said.') == [("It is over,", "Ana Ruiz")]
    assert quotes_of("'It is over,' Ana Ruiz said.") == [("It is over,", "Ana Ruiz")]
    assert quotes_of("«It is over», Ana Ruiz said.") == [("It is over", "Ana Ruiz")]


def test_nested_quote_stays_inside_outer_quote():
    text = "\"He told me 'go home', and I went,\" said Tom Reyes."
    assert quotes_of(text) == [("He told me 'go home', and I went,", "Tom Reyes")]


def test_quote_over_several_paragraphs():
    text = (
        'Nadia Petrova spoke first.\n\n"We waited a long time.\n\n'
        '"Now we are done waiting," Petrova said.'
    )
    quoted = quotes_of(text)
    assert len(quoted) == 1
    assert quoted[0][0].startswith("We waited") and quoted[0][0].endswith("done waiting,")
    assert quoted[0][1] == "Nadia Petrova"


def test_unclosed_quote_in_a_paragraph_is_dropped():
    text = '"This never closes, Mark Hill said.\n\nThe meeting ended early.'
    assert quotes_of(text) == []


# ---- entities -----------------------------------------------------------------------------


def test_titles_stripped_and_surname_merged():
    text = (
        "U.S. Secretary of State Dana Whitlock met Chancellor Jonas Brandt. "
        "Whitlock later flew home. Brandt stayed in Berlin."
    )
    types = entities_of(text)
    assert types["Dana Whitlock"] == "person" and types["Jonas Brandt"] == "person"
    assert types["United States"] == "place" and types["Berlin"] == "place"
    assert "Whitlock" not in types and "Brandt" not in types
    assert not any(name.startswith(("Secretary", "Chancellor", "U.S.")) for name in types)


def test_demonyms_link_to_their_country():
    text = "Kenyan runners beat the Ethiopian team while French fans watched."
    types = entities_of(text)
    assert types == {"Kenya": "place", "Ethiopia": "place", "France": "place"}


def test_days_months_and_sentence_words_are_not_entities():
    text = "On Monday the board met. However, in March Prices rose. The report came in June."
    assert entities_of(text) == {}


def test_organisation_cues():
    text = (
        "The Ministry of Finance and Borealis Mining Inc disagreed. The Pentagon "
        "and the White House stayed silent."
    )
    types = entities_of(text)
    for org in ("Ministry of Finance", "Borealis Mining Inc", "Pentagon", "White House"):
        assert types[org] == "organization"


def test_known_entities_win_on_name_alias_and_type():
    known = (
        KnownEntity("harbour-board", "Veld Harbour Board", "organization", ("the Board",)),
        KnownEntity("ana-li", "Ana Li", "person"),
    )
    text = (
        'Veld Harbour Board met on Monday. "We vote tomorrow," Ana Li said. '
        "Li said the Board would agree. Ana Lithgow disagreed."
    )
    result = extract(text, known)
    board = next(e for e in result.entities if e.known_id == "harbour-board")
    assert board.type == "organization"
    assert [text[m.start : m.end] for m in board.mentions] == ["Veld Harbour Board", "the Board"]
    ana = next(e for e in result.entities if e.known_id == "ana-li")
    assert [text[m.start : m.end] for m in ana.mentions] == ["Ana Li", "Li"]
    assert result.quotes[0].speaker == result.entities.index(ana)


def test_known_entity_overrides_the_guessed_type():
    known = (KnownEntity("jordan-vale", "Jordan Vale", "place"),)
    assert entities_of("Jordan Vale flooded.", known)["Jordan Vale"] == "place"


def test_dateline_gives_place_and_agency_not_an_acronym():
    types = entities_of("LONDON (Reuters) - Prices rose.\n\nNAIROBI, Kenya (AP) — Rain fell.")
    assert types["London"] == "place" and types["Nairobi"] == "place"
    assert types["Reuters"] == "organization" and types["Associated Press"] == "organization"
    assert "LONDON" not in types and "NAIROBI" not in types


def test_dateline_without_an_agency_is_a_place_but_a_label_is_not():
    types = entities_of("PARIS — The minister spoke.\n\nWASHINGTON — Lawmakers returned.")
    assert types == {"Paris": "place", "Washington": "place"}
    types = entities_of("SAN JUAN, Puerto Rico – Power returned.\n\nBREAKING — Rain fell.")
    assert types == {"San Juan": "place", "Puerto Rico": "place"}


@pytest.mark.parametrize(
    "text, names",
    [
        ("Visitors filled the National Air and Space Museum.", {"National Air and Space Museum"}),
        (
            "The Securities and Exchange Commission appealed. Reuters and Associated Press said.",
            {"Securities and Exchange Commission", "Reuters", "Associated Press"},
        ),
        ("Britain and France signed.", {"United Kingdom", "France"}),
        (
            "The head of the Refugee Council Enver Solomon spoke.",
            {"Refugee Council", "Enver Solomon"},
        ),
        ("Russia's Defence Ministry denied it.", {"Russia", "Defence Ministry"}),
    ],
)
def test_names_split_and_joined_at_the_right_places(text, names):
    assert set(entities_of(text)) == names


def test_lone_capitalised_words_and_plural_nouns_are_not_entities():
    text = "God knows. Critics said so. God help us. Hospital staff agreed, and Bay residents too."
    assert entities_of(text) == {}


def test_role_speaker_resolves_to_the_organisation_or_stays_unnamed():
    text = (
        "Halvard Shipping Group cut 300 jobs on Monday.\n\n"
        '"We regret this decision," the company said in a statement.\n\n'
        '"Most staff were told in person," officials said.'
    )
    assert quotes_of(text) == [
        ("We regret this decision,", "Halvard Shipping Group"),
        ("Most staff were told in person,", None),
    ]


@pytest.mark.parametrize(
    "text, quote, speaker",
    [
        (
            '"Small firms will suffer," Fiona Strachan, 54, chief executive of the Wellington '
            "Chamber of Commerce, said on Tuesday.",
            "Small firms will suffer,",
            "Fiona Strachan",
        ),
        (
            '"We lost. We will be back," Ana Ruiz said Tuesday during a news conference.',
            "We lost. We will be back,",
            "Ana Ruiz",
        ),
        (
            'Staff were told by the deputy director, Marc Olivier, that "no jobs are at risk".',
            "no jobs are at risk",
            "Marc Olivier",
        ),
        (
            'Redstone Minerals said in a statement that it was "fully committed" to the site.',
            "fully committed",
            "Redstone Minerals",
        ),
        (
            "Priya Natarajan told parliament that waiting lists had fallen for a sixth month, that "
            'the clinics were "working better than anyone expected" and that more would open.',
            "working better than anyone expected",
            "Priya Natarajan",
        ),
        (
            'Telvio Systems confirmed the breach to Reuters on Monday. "We are contacting every '
            'customer," the company said.',
            "We are contacting every customer,",
            "Telvio Systems",
        ),
        (
            'Critics of the Church of Scientology were angry, with one poster writing "How can '
            'people look at both sides if one side is gone?"',
            "How can people look at both sides if one side is gone?",
            None,
        ),
    ],
)
def test_wire_attribution_patterns(text, quote, speaker):
    assert quotes_of(text) == [(quote, speaker)]


def test_second_verb_of_a_sentence_shares_its_subject():
    text = (
        'Yvette Cooper said the idea was "badly overdue for everyone", and said it was '
        '"damning that the office has not acted already".'
    )
    assert [s for _, s in quotes_of(text)] == ["Yvette Cooper", "Yvette Cooper"]


def test_headline_quote_has_no_speaker():
    text = (
        "'We will not back down': nurses vote to strike\n\n"
        'Nurses voted to walk out. "We will not back down," said Grace Adebayo.'
    )
    assert quotes_of(text) == [
        ("We will not back down", None),
        ("We will not back down,", "Grace Adebayo"),
    ]


def test_unnamed_speakers_of_a_paragraph_are_not_the_previous_speaker():
    text = (
        '"This is entirely preventable," Amara Nwosu said.\n\n'
        "Health ministers from several countries responded in a joint letter. "
        'Their message was short: "We hear you, and we will act."'
    )
    assert [s for _, s in quotes_of(text)] == ["Amara Nwosu", None]


def test_company_names_with_industry_head_words_are_organisations():
    text = (
        "Northline Trains, Redstone Minerals, Kelso Labs, Orchard Capital and Meridian "
        "Pharmaceuticals said they would appeal. Northline said it was disappointed."
    )
    types = entities_of(text)
    for org in (
        "Northline Trains",
        "Redstone Minerals",
        "Kelso Labs",
        "Orchard Capital",
        "Meridian Pharmaceuticals",
    ):
        assert types[org] == "organization"
    assert "Northline" not in types


def test_company_short_name_before_a_title_is_not_a_person():
    text = (
        'Brightwater Energy bought Kelso Labs. "Kelso gives us the chemistry we were '
        'missing," said Brightwater chief executive Omar Siddiqui.'
    )
    assert quotes_of(text)[0][1] == "Omar Siddiqui"
    assert "Brightwater" not in entities_of(text)


def test_ing_verb_takes_the_name_just_before_it():
    text = (
        "The report quoted Lars Eide and Mona Vik, with Vik stating: "
        '"The form is far too long for anyone to finish."'
    )
    assert quotes_of(text) == [("The form is far too long for anyone to finish.", "Mona Vik")]


def test_german_low_high_quotation_marks():
    text = '„Wir haben keine Wahl“, sagte Lena Vogt. Vogt added: "We have no choice."'
    assert quotes_of(text)[-1] == ("We have no choice.", "Lena Vogt")
    first = find_passages(text)[0]
    assert text[first.start : first.end] == "Wir haben keine Wahl"


def test_block_quote_without_reopening_mark_continues_to_its_close():
    text = (
        'After the match, Omar Haddad said, "We learned a lot today.\n\n'
        'It was an emotional day for all of us."\n\nThe team flies home on Monday.'
    )
    quoted = quotes_of(text)
    assert len(quoted) == 1 and quoted[0][1] == "Omar Haddad"
    assert quoted[0][0].endswith("for all of us.")


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            'Lena Hart said her team had pushed for the change "for months", and it passed.',
            [("for months", "Lena Hart")],
        ),
        (
            'Ana Ruiz described the visit as "positive" on Friday.',
            [("positive", "Ana Ruiz")],
        ),
        (
            'Omar Haddad called the ruling "reckless" (in Arabic) and "unjust".',
            [("reckless", "Omar Haddad"), ("unjust", "Omar Haddad")],
        ),
        (
            'The Velmar Group said it would "engage constructively" with the regulator.',
            [("engage constructively", "Velmar Group")],
        ),
        (
            "Tomas Ferreira said the winger impressed him in a cup game last spring, when he "
            '"ran the whole match" against them.',
            [("ran the whole match", "Tomas Ferreira")],
        ),
        (
            'The form, which runs to 30 pages, "must be completed in English" by applicants.',
            [("must be completed in English", None)],
        ),
    ],
)
def test_partial_quotes_in_reported_speech(text, expected):
    assert quotes_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        'A forum thread headed "Age Checks Are Coming, Part 4" drew 300 replies.',
        'Their robot, named "Steel Sparrow," scored twice, according to coach Lena Hart.',
        'Ana Ruiz posted the video on YouTube under the heading "Free At Last".',
        'Writing on his blog, Omar Haddad dubbed the row: "Councils vs. the Press, part 9".',
        'Ana Ruiz said the band\'s second album was called "Salt and Iron".',
    ],
)
def test_names_and_titles_after_a_speech_verb_are_not_quotes(text):
    assert quotes_of(text) == []


def test_name_particles_hyphens_and_arabic_articles():
    text = (
        "Syrian President Bashar al-Assad met Miriam de la Fuente and Jean-Baptiste Mukendi "
        "in Damascus. Assad spoke first."
    )
    result = extract(text)
    types = {e.name: e.type for e in result.entities}
    for person in ("Bashar al-Assad", "Miriam de la Fuente", "Jean-Baptiste Mukendi"):
        assert types[person] == "person"
    assad = entity(result, "Bashar al-Assad")
    assert [text[m.start : m.end] for m in assad.mentions] == ["Bashar al-Assad", "Assad"]
    assert "Assad" not in types and "Bashar" not in types


def test_platforms_are_organisations_and_x_needs_a_cue():
    types = entities_of("The regulator wrote to X, TikTok and YouTube. Meta posted on Instagram.")
    for org in ("X", "TikTok", "YouTube", "Meta", "Instagram"):
        assert types[org] == "organization"
    assert "X" not in entities_of("Patient X was treated in Leeds.")


def test_bracketed_acronym_and_short_names_join_the_full_name():
    text = (
        "The World Health Organization (WHO) met on Monday. WHO experts disagreed. "
        "Calder Finch Logistics lost a bid. Calder Finch chair Deborah Ng said little."
    )
    result = extract(text)
    who = entity(result, "World Health Organization")
    assert [text[m.start : m.end] for m in who.mentions] == [
        "World Health Organization",
        "WHO",
        "WHO",
    ]
    types = {e.name: e.type for e in result.entities}
    assert "WHO" not in types and "Calder Finch" not in types
    assert types["Deborah Ng"] == "person"


def test_country_code_before_an_organisation_is_the_country():
    types = entities_of("The U.S. State Department said nothing. PSV Eindhoven won in Eindhoven.")
    assert types["State Department"] == "organization" and types["United States"] == "place"
    assert types["PSV Eindhoven"] == "organization" and types["Eindhoven"] == "place"


def test_words_of_a_quoted_title_and_languages_are_not_entities():
    text = (
        'Her paper "Subsurface Oceans of the Galilean Moons" won a prize. Speaking in English, '
        "Ana Ruiz thanked the towns near Faenza and Forli."
    )
    types = entities_of(text)
    assert types == {"Ana Ruiz": "person", "Faenza": "place", "Forli": "place"}


# ---- robustness ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        '"',
        "'",
        "“",
        "”",
        "«",
        '""',
        "\"'\"'",
        '"unclosed',
        'closed"',
        "\n\n\n",
        '"a\n\n"b\n\n"c',
        "It’s ’’’ ‘‘‘ “ ” ” “",
        "Mr. . . U.S. .",
        "\x00\ufeff\u200b",
    ],
)
def test_odd_input_never_raises(text):
    result = extract(text)
    for q in result.quotes:
        assert 0 <= q.start <= q.end <= len(text)


def test_many_quotation_marks():
    text = " ".join(['"yes," he said'] * 2500 + ['"'] * 2500)
    result = extract(text)
    assert 0 < len(result.quotes) <= 2500


def test_huge_paragraph_finishes():
    sentence = (
        'Maria Lopez said the "council" won\'t meet in Paris on Monday, according '
        "to the mayor's office."
    )
    words = sentence.split(" ")
    text = " ".join(words[i % len(words)] for i in range(100_000))
    result = extract(text)
    assert any(e.name == "Maria Lopez" for e in result.entities)


def test_offsets_stay_inside_text_for_every_fixture():
    for article in _eval_module().load_fixtures():
        text = article["text"]
        result = extract(text)
        for e in result.entities:
            assert all(0 <= m.start < m.end <= len(text) for m in e.mentions)


# ---- news conventions found by writing articles in many styles ---------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # the period of "Dr." does not end the speaker phrase
            '"We were surprised," said Dr. Lena Verhoeven, an ecologist who led the work.',
            [("We were surprised,", "Lena Verhoeven")],
        ),
        (  # an epithet names the person the story just named, the sentence's subject
            'Rafael Nadal beat Novak Djokovic. "It was a special night," the Spaniard said.',
            [("It was a special night,", "Rafael Nadal")],
        ),
        (
            'Marisol Vega scored twice. "It\'s the best feeling," the 24-year-old said.',
            [("It's the best feeling,", "Marisol Vega")],
        ),
        (  # a quote split by its attribution: both halves are the speaker's
            '"We," said Maria Lopez, "are not done yet."',
            [("We,", "Maria Lopez"), ("are not done yet.", "Maria Lopez")],
        ),
        (  # a relative or a lawyer speaks, not the person they are named by
            'Mark Delaney was charged. "My client is innocent," Delaney\'s lawyer said.',
            [("My client is innocent,", None)],
        ),
        (
            'Lawyers for Martin Cole said the case was "built on sand".',
            [("built on sand", None)],
        ),
        (  # an unnamed subject before a colon is nobody the story named
            "Peter Angove said he had written to the minister. One resident, who asked not "
            'to be named, put it more bluntly: "They\'ve forgotten we exist."',
            [("They've forgotten we exist.", None)],
        ),
        (  # the subject of the sentence before an unattributed quote speaks it
            "Anders Kjaer said it was a good arrangement.\n\nAsked how long she will go on, "
            'Margarethe Olsen laughs. "Until the bees tell me to stop."',
            [("Until the bees tell me to stop.", "Margarethe Olsen")],
        ),
        (  # "X was quoted as saying": X said it
            'Carmen Iturbe was quoted as saying that fares would "almost certainly" rise.',
            [("almost certainly", "Carmen Iturbe")],
        ),
        (  # a role in the lede is the person named with that title below it
            'The mayor of Brackenridge has accused the state of "starving" the city.\n\n'
            "Mayor Denise Okonkwo said the city had lost $40 million.",
            [("starving", "Denise Okonkwo")],
        ),
        (  # "the prime minister" is the Prime Minister, not the minister named last
            "Prime Minister Kaito Morishita spoke first. Finance Minister Reiko Tanabe "
            'followed. "We cannot wait," the prime minister told reporters.',
            [("We cannot wait,", "Kaito Morishita")],
        ),
    ],
)
def test_news_attribution_conventions(text, expected):
    assert quotes_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a fragment in the clause a plain "said" reports, even without "that"
            'Senator Priya Ramanathan said she had won "real teeth" for the watchdog.',
            [("real teeth", "Priya Ramanathan")],
        ),
        (
            'Residents of the village, led by Elsie Trevithick, say they feel "abandoned".',
            [("abandoned", "Elsie Trevithick")],
        ),
        (
            'Moravia Steel said it had cut emissions by a third since 2015 and was "fully '
            'compliant" with the limits.',
            [("fully compliant", "Moravia Steel")],
        ),
        (  # a list of fragments after one verb
            'Kofi Mensah called the offer "modest", "late" and "overdue".',
            [("modest", "Kofi Mensah"), ("late", "Kofi Mensah"), ("overdue", "Kofi Mensah")],
        ),
        (
            'Thomas Whitaker accused his opponent of "waving the white flag" on crime.',
            [("waving the white flag", "Thomas Whitaker")],
        ),
    ],
)
def test_partial_quotes_in_reported_clauses(text, expected):
    assert quotes_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        'Judge Martin Osei said the so-called "restructuring" had affected one person.',
        'Gareth Lomax was accused of "gross misconduct" by the board.',
        'The girls were granted parole as their entry would be a "significant public benefit."',
    ],
)
def test_scare_quotes_and_accusations_against_someone_are_not_their_words(text):
    assert quotes_of(text) == []


def test_pronoun_prefers_the_subject_whose_gender_is_known():
    text = 'Police arrested Tom Reed after a complaint by Mark Hollis. "I am innocent," he said.'
    assert quotes_of(text) == [("I am innocent,", "Tom Reed")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Republican Thomas Whitaker said so. Parent Isla Baird agreed.",
            {"Thomas Whitaker": "person", "Isla Baird": "person"},
        ),
        (
            "Conservative MP Jane Doe and CEO Tim Cook spoke.",
            {"Jane Doe": "person", "Tim Cook": "person"},
        ),
        (
            "North Carolina Governor Ray Holcomb spoke.",
            {"North Carolina": "place", "Ray Holcomb": "person"},
        ),
        (
            "The company, Roverly, said no. Campaign group Clean Tides Southsea said yes.",
            {"Roverly": "organization", "Clean Tides Southsea": "organization"},
        ),
        (
            "Vantora, the Finnish maker of industrial robots, said it would cut jobs.",
            {"Vantora": "organization", "Finland": "place"},
        ),
        (
            "Carmen Iturbe, chief executive of Iberiana, spoke to Tom Iredale of Green Futures.",
            {
                "Carmen Iturbe": "person",
                "Iberiana": "organization",
                "Tom Iredale": "person",
                "Green Futures": "organization",
            },
        ),
        (
            "She reached her first Grand Slam final. Hurricane Delphine hit the Outer Banks.",
            {"Hurricane Delphine": "other"},
        ),
        (
            "Dutch firm MediPlan sued. Everyone is OK, said Li Wen.",
            {"MediPlan": "organization", "Netherlands": "place", "Li Wen": "person"},
        ),
        (
            "Angela Ross works at St James's Hospital and Northern Horizon Capital.",
            {
                "Angela Ross": "person",
                "St James's Hospital": "organization",
                "Northern Horizon Capital": "organization",
            },
        ),
        (
            "UNITED NATIONS (Reuters) - The U.N. Security Council met. His brother Ewan left.",
            {
                "United Nations": "organization",
                "Reuters": "organization",
                "Security Council": "organization",
                "Ewan": "person",
            },
        ),
    ],
)
def test_entity_cues_of_news_copy(text, expected):
    assert entities_of(text) == expected


def test_pronoun_skips_the_possessor_in_an_apposition():
    text = (
        "Birgit Osei, Nadia Farrow's running mate, said she would keep her job. "
        '"Somebody has to," she said.'
    )
    assert quotes_of(text) == [("Somebody has to,", "Birgit Osei")]


def test_a_role_in_an_organisation_is_not_the_organisation():
    text = 'The chairman of a Premier League club has said he would "welcome" a regulator.'
    assert quotes_of(text) == [("welcome", None)]
    text = (
        'Harvest Mart said it would comply. "We have no choice," a spokeswoman for the chain said.'
    )
    assert quotes_of(text) == [("We have no choice,", "Harvest Mart")]


def test_plural_possessives_inside_single_quoted_speech():
    text = (
        "Union leader Dave O'Neill said members were 'furious'. 'The workers' patience has run "
        "out, and the bosses' excuses won't wash,' he said. She called the plans 'a charter for "
        "developers' and left."
    )
    assert [q for q, _ in quotes_of(text)] == [
        "furious",
        "The workers' patience has run out, and the bosses' excuses won't wash,",
        "a charter for developers",
    ]


def test_a_possessive_subject_speaks_for_its_owner():
    text = (
        "PC World's recent analysis of its own traffic concluded, \"Usually, Internet Explorer "
        'is the second browser after Firefox."'
    )
    result = extract(text)
    (quote,) = result.quotes
    assert result.entities[quote.speaker].name == "PC World"
    assert text[quote.speaker_span.start : quote.speaker_span.end] == (
        "PC World's recent analysis of its own traffic"
    )


def test_they_is_not_a_company_named_before_other_people():
    text = (
        "Castlegate Properties made an offer.\n\nTom and Ann Reyes run the bakery. "
        '"We will not move," they said. "We remain hopeful," Castlegate said.'
    )
    assert quotes_of(text) == [
        ("We will not move,", None),
        ("We remain hopeful,", "Castlegate Properties"),
    ]


def test_east_asian_names_settle_no_gender():
    text = (
        'The U.N. humanitarian chief, Li Wen, warned of famine. "We are running out of '
        'money," she said.'
    )
    assert quotes_of(text) == [("We are running out of money,", "Li Wen")]


# ---- quality floor ------------------------------------------------------------------------


def _eval_module():
    spec = importlib.util.spec_from_file_location(
        "annotator_eval", ROOT / "bench" / "annotator_eval.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("annotator_eval", module)  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def test_labelled_articles_meet_the_floor():
    module = _eval_module()
    articles = module.load_fixtures()
    assert len(articles) >= 70
    quotes, entities = module.evaluate_fixtures(articles)
    assert quotes.f1 >= 0.99, quotes.misses
    assert quotes.speaker_accuracy >= 0.99, quotes.misses
    assert entities.f1 >= 0.98, entities.misses


def test_gum_news_meets_the_floor():
    module = _eval_module()
    if not (module.GUM / "dep").is_dir():
        pytest.skip("GUM news articles not available")
    quotes, entities = module.evaluate_gum(module.load_gum())
    assert quotes.precision >= 0.94, quotes.misses
    assert quotes.f1 >= 0.935, quotes.misses
    # 73/78: of the five misses, the gold names a speaker the text does not support in three.
    assert quotes.speaker_accuracy >= 0.93, quotes.misses
    assert entities.f1 >= 0.68, entities.misses
