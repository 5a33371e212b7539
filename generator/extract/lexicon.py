"""Extraction word lists: places, demonyms, titles, organisation cues, given names, speech verbs.

Written by hand for Broadsheet. They are deliberately modest: the rules in
entities.py and quotes.py lean on cues and context, and these lists only settle
the cases that context cannot (is "Jordan" a place or a person?).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from . import given_names


def words(block: str) -> frozenset[str]:
    return frozenset(block.split())


def alternation(options: frozenset[str] | set[str]) -> str:
    """A regex matching any of `options`, as a trie: Python's engine tries the branches of
    a flat `a|b|c` one by one at every position, a trie only the letters that can follow.
    Longer options win over their prefixes, as in a longest-first flat alternation."""
    tree: dict = {}
    for option in options:
        node = tree
        for ch in option:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return f"(?:{build(tree)})"


def whole_words(options: Iterable[str]) -> re.Pattern[str] | None:
    r"""A pattern for `find_whole` of these (non-empty) options, as a trie; None if there
    are none. It does not start with `(?<!\w)`: a pattern that starts with a
    lookbehind is tried in full at every position, one that starts with its letters
    only where one of their first letters is."""
    kept = {option for option in options if option}
    return re.compile(rf"{alternation(kept)}(?!\w)") if kept else None


def find_whole(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    r"""The matches of a `whole_words` pattern that start a word: what `(?<!\w)` and
    `finditer` would find, four to six times faster on a registry's names."""
    search, position = pattern.search, 0
    while (found := search(text, position)) is not None:
        start = found.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):  # \w
            position = start + 1
            continue
        yield found
        position = found.end()


def _table(block: str) -> dict[str, str]:
    """Lines of `key | value` into a dict; used for country | demonym | capital."""
    out: dict[str, str] = {}
    for line in block.strip().splitlines():
        key, _, value = line.partition("|")
        out[key.strip()] = value.strip()
    return out


# country | demonyms (comma separated) | capital
_COUNTRIES = """
Afghanistan | Afghan | Kabul
Albania | Albanian | Tirana
Algeria | Algerian | Algiers
Argentina | Argentine,Argentinian | Buenos Aires
Armenia | Armenian | Yerevan
Australia | Australian | Canberra
Austria | Austrian | Vienna
Azerbaijan | Azerbaijani | Baku
Bahrain | Bahraini | Manama
Bangladesh | Bangladeshi | Dhaka
Belarus | Belarusian | Minsk
Belgium | Belgian | Brussels
Bolivia | Bolivian | La Paz
Bosnia | Bosnian | Sarajevo
Brazil | Brazilian | Brasilia
Bulgaria | Bulgarian | Sofia
Cambodia | Cambodian | Phnom Penh
Cameroon | Cameroonian | Yaounde
Canada | Canadian | Ottawa
Chile | Chilean | Santiago
China | Chinese | Beijing
Colombia | Colombian | Bogota
Congo | Congolese | Kinshasa
Croatia | Croatian | Zagreb
Cuba | Cuban | Havana
Cyprus | Cypriot | Nicosia
Czech Republic | Czech | Prague
Denmark | Danish | Copenhagen
Ecuador | Ecuadorian | Quito
Egypt | Egyptian | Cairo
Estonia | Estonian | Tallinn
Ethiopia | Ethiopian | Addis Ababa
Finland | Finnish | Helsinki
France | French | Paris
Georgia | Georgian | Tbilisi
Germany | German | Berlin
Ghana | Ghanaian | Accra
Greece | Greek | Athens
Guatemala | Guatemalan | Guatemala City
Haiti | Haitian | Port-au-Prince
Hungary | Hungarian | Budapest
Iceland | Icelandic | Reykjavik
India | Indian | New Delhi
Indonesia | Indonesian | Jakarta
Iran | Iranian | Tehran
Iraq | Iraqi | Baghdad
Ireland | Irish | Dublin
Israel | Israeli | Jerusalem
Italy | Italian | Rome
Japan | Japanese | Tokyo
Jordan | Jordanian | Amman
Kazakhstan | Kazakh | Astana
Kenya | Kenyan | Nairobi
Kosovo | Kosovar | Pristina
Kuwait | Kuwaiti | Kuwait City
Latvia | Latvian | Riga
Lebanon | Lebanese | Beirut
Libya | Libyan | Tripoli
Lithuania | Lithuanian | Vilnius
Malaysia | Malaysian | Kuala Lumpur
Mali | Malian | Bamako
Mexico | Mexican | Mexico City
Moldova | Moldovan | Chisinau
Mongolia | Mongolian | Ulaanbaatar
Morocco | Moroccan | Rabat
Mozambique | Mozambican | Maputo
Myanmar | Burmese | Naypyidaw
Nepal | Nepali,Nepalese | Kathmandu
Netherlands | Dutch | Amsterdam
New Zealand | New Zealander | Wellington
Nicaragua | Nicaraguan | Managua
Niger | Nigerien | Niamey
Nigeria | Nigerian | Abuja
North Korea | North Korean | Pyongyang
Norway | Norwegian | Oslo
Oman | Omani | Muscat
Pakistan | Pakistani | Islamabad
Palestine | Palestinian | Ramallah
Panama | Panamanian | Panama City
Paraguay | Paraguayan | Asuncion
Peru | Peruvian | Lima
Philippines | Filipino,Philippine | Manila
Poland | Polish | Warsaw
Portugal | Portuguese | Lisbon
Qatar | Qatari | Doha
Romania | Romanian | Bucharest
Russia | Russian | Moscow
Rwanda | Rwandan | Kigali
Saudi Arabia | Saudi | Riyadh
Senegal | Senegalese | Dakar
Serbia | Serbian,Serb | Belgrade
Singapore | Singaporean | Singapore
Slovakia | Slovak | Bratislava
Slovenia | Slovenian | Ljubljana
Somalia | Somali | Mogadishu
South Africa | South African | Pretoria
South Korea | South Korean | Seoul
South Sudan | South Sudanese | Juba
Spain | Spanish | Madrid
Sri Lanka | Sri Lankan | Colombo
Sudan | Sudanese | Khartoum
Sweden | Swedish | Stockholm
Switzerland | Swiss | Bern
Syria | Syrian | Damascus
Taiwan | Taiwanese | Taipei
Tanzania | Tanzanian | Dodoma
Thailand | Thai | Bangkok
Tunisia | Tunisian | Tunis
Turkey | Turkish | Ankara
Uganda | Ugandan | Kampala
Ukraine | Ukrainian | Kyiv
United Arab Emirates | Emirati | Abu Dhabi
United Kingdom | British | London
United States | American | Washington
Uruguay | Uruguayan | Montevideo
Uzbekistan | Uzbek | Tashkent
Venezuela | Venezuelan | Caracas
Vietnam | Vietnamese | Hanoi
Yemen | Yemeni | Sanaa
Zambia | Zambian | Lusaka
Zimbabwe | Zimbabwean | Harare
"""

COUNTRIES: frozenset[str] = frozenset()
DEMONYM_COUNTRY: dict[str, str] = {}
CAPITALS: frozenset[str] = frozenset()


def _load_countries() -> tuple[frozenset[str], dict[str, str], frozenset[str]]:
    countries: set[str] = set()
    demonyms: dict[str, str] = {}
    capitals: set[str] = set()
    for line in _COUNTRIES.strip().splitlines():
        country, dems, capital = (part.strip() for part in line.split("|"))
        countries.add(country)
        capitals.add(capital)
        for dem in dems.split(","):
            demonyms[dem] = country
            if not dem.endswith(("ese", "ish", "ch", "ss", "i")):
                demonyms[dem + "s"] = country  # "Afghans", "Russians"
    return frozenset(countries), demonyms, frozenset(capitals)


COUNTRIES, DEMONYM_COUNTRY, CAPITALS = _load_countries()

# Other ways the text names a country; the value is the canonical name.
PLACE_ALIASES: dict[str, str] = {
    "U.S.": "United States",
    "US": "United States",
    "USA": "United States",
    "U.S.A.": "United States",
    "America": "United States",
    "United States of America": "United States",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "Britons": "United Kingdom",
    "Holland": "Netherlands",
    "Burma": "Myanmar",
    "Kiev": "Kyiv",
    "Ivory Coast": "Ivory Coast",
    "DPRK": "North Korea",
    "Czechia": "Czech Republic",
    "UAE": "United Arab Emirates",
    "Washington, D.C.": "Washington",
    "Washington D.C.": "Washington",
    "D.C.": "Washington",
}
DEMONYM_COUNTRY.update(
    {
        "English": "England",
        "Scottish": "Scotland",
        "Welsh": "Wales",
        "Scots": "Scotland",
        "Kurdish": "Kurdistan",
        "Britons": "United Kingdom",
        "Americans": "United States",
        "Soviet": "Soviet Union",
    }
)
# Nouns for one person of a country: "the Spaniard said".
DEMONYM_COUNTRY.update(
    {
        "Spaniard": "Spain",
        "Spaniards": "Spain",
        "Frenchman": "France",
        "Frenchwoman": "France",
        "Briton": "United Kingdom",
        "Swede": "Sweden",
        "Swedes": "Sweden",
        "Turk": "Turkey",
        "Turks": "Turkey",
        "Scot": "Scotland",
        "Welshman": "Wales",
        "Irishman": "Ireland",
        "Englishman": "England",
        "Englishwoman": "England",
        "Dutchman": "Netherlands",
        "Scotsman": "Scotland",
        "Scotswoman": "Scotland",
    }
)
# ... of which these name one person ("the Slovak said"), not a people ("the Dutch").
PERSON_DEMONYMS = frozenset(
    d
    for d in DEMONYM_COUNTRY
    if not d.endswith(("ch", "sh", "ss", "ese", "s"))
    and d not in ("Soviet", "Kurdish", "Scottish", "Welsh")
)

# Cities, regions, states, continents: places that are not countries or capitals.
# Multi-word names need a separator other than space, so places are listed one per line.
_OTHER_PLACES = """
England|Scotland|Wales|Europe|Asia|Africa|Antarctica|Arctic|Oceania|Crimea|Donbas|Donetsk
Luhansk|Kharkiv|Kherson|Zaporizhzhia|Mariupol|Odesa|Lviv|Bakhmut|Gaza|Tel Aviv|West Bank
Sinai|Kashmir|Tibet|Xinjiang|Hong Kong|Macau|Shanghai|Shenzhen|Guangzhou|Mumbai|Delhi
Bangalore|Kolkata|Chennai|Karachi|Lahore|Istanbul|Dubai|Mecca|Medina|Alexandria|Lagos
Johannesburg|Cape Town|Casablanca|Marseille|Lyon|Munich|Hamburg|Frankfurt|Cologne|Milan
Naples|Venice|Florence|Barcelona|Seville|Valencia|Porto|Geneva|Zurich|Davos|Manchester
Liverpool|Birmingham|Glasgow|Edinburgh|Cardiff|Belfast|Oxford|Cambridge|New York
Los Angeles|Chicago|Houston|Phoenix|Philadelphia|San Antonio|San Diego|Dallas
San Francisco|Seattle|Boston|Miami|Atlanta|Denver|Detroit|Las Vegas|Baltimore|Portland
New Orleans|Toronto|Montreal|Vancouver|Calgary|Sydney|Melbourne|Brisbane|Perth|Auckland
Osaka|Kyoto|Hiroshima|Fukushima|Okinawa|Busan|Saint Petersburg|St. Petersburg|Siberia
Alaska|Hawaii|California|Texas|Florida|Arizona|Nevada|Oregon|Ohio|Michigan|Illinois
Pennsylvania|Virginia|Massachusetts|Colorado|Minnesota|Wisconsin|Iowa|Kansas|Kentucky
Tennessee|Alabama|Louisiana|Mississippi|Missouri|Montana|Nebraska|Oklahoma|Utah|Idaho
Maine|Vermont|Connecticut|Maryland|Delaware|Indiana|Arkansas|Wyoming|North Carolina
South Carolina|North Dakota|South Dakota|New Jersey|New Mexico|New Hampshire|Rhode Island
West Virginia|Queensland|Ontario|Quebec|Alberta|Bavaria|Catalonia|Normandy|Balkans
Caucasus|Middle East|Latin America|North America|South America|Central America
Southeast Asia|East Asia|Scandinavia|Caribbean|Mediterranean|Atlantic|Pacific|Baltic
Black Sea|Red Sea|Persian Gulf|Amazon|Nile|Sahara|Himalayas|Alps|Manhattan|Brooklyn
Silicon Valley|Wall Street|Downing Street|Capitol Hill|Soviet Union|Kurdistan|Hollywood
Moscow|Beijing|London|Paris|Berlin|Washington|Tokyo|Kyiv|Kabul|Tehran|Baghdad|Damascus
West|Soweto|Kandahar|Herat|Mosul|Aleppo|Homs|Benghazi|Darfur|Srinagar|Punjab|Bengal|Yorkshire
"""
OTHER_PLACES = frozenset(p.strip() for p in _OTHER_PLACES.replace("\n", "|").split("|") if p)

# Words that end a place name: "Hudson River", "Orange County".
PLACE_SUFFIXES = words("""
Street Avenue Road Square Park River Lake Mountain Mountains Mount Island Islands Valley
County Province Region District State City Town Village Bay Coast Sea Ocean Peninsula
Airport Station Bridge Harbour Harbor Port Canyon Desert Forest Beach Hill Hills Heights
Square Plaza Stadium Arena Hall Strait Gulf Canal Hotel Mosque Cathedral Temple Base
Point Pier Quay Wharf Docks Marina Gardens Abbey
""")

# Institutions named without a cue word; "the Kremlin" speaks for Russia's government.
KNOWN_ORGS = words("""
Kremlin Pentagon Congress Senate Parliament Bundestag Duma Knesset Politburo NATO UN EU
FBI CIA NSA KGB FSB NASA WHO IMF OPEC Interpol Europol Reuters AFP BBC CNN Microsoft
Google Apple Amazon Facebook Meta Twitter Tesla Toyota Samsung Hamas Hezbollah Taliban
Wikinews Wikipedia Vatican Gazprom Boeing Airbus Nintendo Sony Netflix Interfax TASS
Instagram TikTok YouTube WhatsApp LinkedIn Reddit Snapchat Telegram Weibo WeChat Bluesky
Mastodon Spotify
""") | frozenset(
    {
        "White House",
        "Supreme Court",
        "Downing Street",
        "Associated Press",
        "European Union",
        "United Nations",
        "Red Cross",
        "World Bank",
        "New York Times",
        "Washington Post",
        "Security Council",
        "Federal Reserve",
        "European Commission",
        "Islamic State",
        "Al Jazeera",
        "Al-Qaeda",
    }
)

# A last (or any) word that marks an organisation: "Defence Ministry", "Acme Inc".
ORG_WORDS = words("""
Ministry Department Party Council Committee Commission Agency Authority Bureau Office
Inc Inc. Corp Corp. Corporation Company Co. Ltd Ltd. LLC PLC Group Holdings Bank Fund
University College School Institute Academy Foundation Association Union Federation
League Club Society Church Court Assembly Parliament Congress Senate Board Police Army
Navy Force Forces Guard Service Services Network Times Post News Press Agency Airlines
Airways Railways Organization Organisation Movement Front Alliance Coalition Administration
Government Cabinet Museum Hospital Clinic Center Centre Team United Tribunal Trust
Laboratory Laboratories Lab Labs Studios Records Brigade Division Command Command
Secretariat Directorate Inspectorate Office Consulate Embassy Reserve Exchange Co
Corporation Enterprises Industries Technologies Systems Motors Energy Oil Petroleum
Chamber Caucus Conference Council Parliament FC Orchestra Band Choir Festival Foundation
Trains Rail Minerals Mining Metals Steel Chemicals Pharmaceuticals Pharma Therapeutics
Biotech Capital Partners Investments Ventures Securities Insurance Assurance Bancorp
Airline Aviation Aerospace Logistics Shipping Freight Motors Automotive Electric Power
Utilities Telecom Telecommunications Communications Media Broadcasting Publishing Pictures
Entertainment Games Software Solutions Networks Robotics Semiconductor Semiconductors
Foods Brands Beverages Brewery Brewing Retail Stores Markets Hotels Resorts Properties
Realty Construction Engineering Aggregates Cement Textiles Apparel Gas Renewables Solar
Mines Refinery Plc GmbH AG SA NV Bhd Limited Incorporated Cooperative Co-op Consortium
Athletic Rovers Wanderers Hotspur Courier Journal Herald Gazette Tribune Chronicle Telegraph
Examiner Inquirer Water Democrats Republicans Conservatives Lettings Homes Estates Developments
Coaches Buses Dynamics Analytics Pharmacy Distillery Consulting Associates Elementary Ledger
Sentinel Dispatch Bulletin Courant Enquirer
""")

# Nouns for a news outlet or platform: an organisation that reports or carries speech,
# not one that speaks (`the company told Reuters`, `in a post on Instagram`).
OUTLETS = words("""
Reuters AFP BBC CNN Interfax TASS Wikinews Wikipedia Twitter Facebook Instagram TikTok
YouTube Telegram Bloomberg NPR ABC CBS NBC Fox Sky AP UPI dpa EFE ANSA Xinhua Threads
""")
OUTLET_WORDS = words(
    "Times Post News Press Journal Herald Guardian Telegraph Tribune Gazette "
    "Observer Mail Chronicle Radio Television TV Weekly Daily Magazine Courier "
    "Examiner Inquirer Ledger Sentinel Dispatch Bulletin Courant Enquirer"
)

# First words of place names: "Cape of Good Hope", "Mount Kenya".
PLACE_PREFIXES = words("Cape Mount Mt. Lake Isle Fort Strait Kingdom Republic")

# First words of the names of storms and military operations: "Hurricane Delphine".
EVENT_PREFIXES = words("Hurricane Typhoon Cyclone Storm Tropical Operation Tour")

# Words of web-page furniture in capitals: "READ MORE", "WATCH LIVE".
CAPS_BOILERPLATE = words("""
READ MORE ALSO RELATED WATCH LISTEN SEE ADVERTISEMENT UPDATE UPDATED BREAKING LIVE EXCLUSIVE
SUBSCRIBE SIGN UP NEWSLETTER CLICK HERE VIDEO PHOTO PHOTOS GALLERY TOP STORIES LATEST NEWS
OPINION ANALYSIS EDITOR NOTE SPONSORED CONTENT SHARE THIS ARTICLE STORY FULL COVERAGE
""")

# Capitalised abbreviations that name no organisation: "everyone is OK", "GDP".
NOT_ORG_ACRONYMS = words("""
OK TV GDP DNA HIV AIDS COVID IVF LGBT LGBTQ GPS SUV SUVs VAT ID IT PR AI VR CCTV PPE EV EVs
IPO CO2 PhD MPs CEOs USB PIN FAQ ATM HR RIP LOL OMG
""")

# Words that make a capitalised sequence an event or work rather than a name.
OTHER_WORDS = words("""
War Olympics Games Cup Championship Championships Prize Award Awards Act Treaty Accord
Agreement Summit Festival Day Week Revolution Crisis Protocol Constitution Declaration
Bible Koran Quran Marathon Grand Prix Expo Show Convention Plan Program Programme Project
Series Tournament Open Election Elections Referendum Law Bill Index Report Challenge
""")

# Titles and roles that precede a person's name and are not part of it.
TITLE_WORDS = words("""
President Vice Prime Minister Deputy Secretary Ambassador Senator Sen. Representative Rep.
Governor Gov. Mayor Chancellor King Queen Prince Princess Pope Cardinal Bishop Archbishop
Reverend Rev. Rabbi Imam Sheikh Sultan Emir General Gen. Lt. Lieutenant Colonel Col. Major
Maj. Captain Capt. Commander Admiral Adm. Sergeant Sgt. Officer Detective Inspector Chief
Judge Justice Attorney Prosecutor Director Chairman Chairwoman Chair Chairperson Speaker
Leader Spokesman Spokeswoman Spokesperson Professor Prof. Dr. Dr Mr. Mr Mrs. Mrs Ms. Ms Miss
Sir Dame Lord Lady Dean Coach Manager Executive CEO CFO COO Founder Co-founder Commissioner
Councillor Councilor Councilman Councilwoman Congressman Congresswoman Assemblyman
Assemblywoman Premier Envoy Foreign Defence Defense Interior Finance Health Justice Home
Education Trade Energy Economy State Treasury Agriculture Transport Culture Labour Labor
Environment Former Ex Acting Interim Senior Junior Executive Managing Assistant Associate
Head Crown Supreme Commanding Minority Majority Whip Private Field Marshal Brigadier Consul
Opposition Party Shadow Foreign Affairs Security National Homeland Secretary-General
Superintendent Constable Sheriff Deputy Father Brother Sister Saint St. Elder Ayatollah
Sen Rep Lt Col Capt Sgt Gen Prof Rev Chief-of-staff Economic Communications Labour Army
Police Team Member Coordinator Analyst Economist Spokesperson Activist Anchor Reporter
Correspondent Editor Author Writer Producer Singer Actor Actress Striker Goalkeeper
Administrator Curator Campaigner Instructor Lecturer Researcher Scientist Astronaut
President-elect Vice-President Emeritus Pastor Priest Commissioner Treasurer Mufti
MP MEP MSP MLA
""")

# Nouns that describe the person a sentence opens with: "Parent Isla Baird said ...".
ROLE_NOUNS = words("""
Parent Resident Shopper Fan Teacher Nurse Student Farmer Witness Neighbour Neighbor Driver
Passenger Voter Owner Worker Volunteer Organiser Organizer Pensioner Grandmother Grandfather
Mother Survivor Victim Veteran Tourist Doctor Lawyer Surgeon Pilot Firefighter Paramedic
Midwife Engineer Architect Artist Designer Photographer Chef Historian Novelist Poet Comedian
Presenter Blogger Entrepreneur Businessman Businesswoman Landlord Tenant Protester Demonstrator
Defender Midfielder Winger Batsman Bowler Jockey Rider Cyclist Runner Swimmer Boxer Golfer
Shopkeeper Commuter Motorist Retiree Homeowner Patient Carer Caregiver Mechanic Plumber
""")

# Party labels before a name: "Republican Thomas Whitaker", "Labour MP Ann Cole".
PARTY_LABELS = words(
    "Republican Democrat Democratic Conservative Tory Liberal Labour Green "
    "Socialist Independent Unionist Nationalist Reform"
)

# Abbreviated titles, as the role a later "the senator" names.
TITLE_ABBREVIATIONS = {
    "sen": "senator",
    "gov": "governor",
    "rep": "representative",
    "gen": "general",
    "lt": "lieutenant",
    "col": "colonel",
    "capt": "captain",
    "sgt": "sergeant",
    "prof": "professor",
    "rev": "reverend",
    "adm": "admiral",
    "maj": "major",
    "chairwoman": "chairman",
    "chairperson": "chairman",
    "chair": "chairman",
}

# Titles that settle a person's gender, for resolving "he" and "she".
MALE_TITLES = words(
    "Mr. Mr Sir Lord King Prince Father Brother Congressman Councilman "
    "Spokesman Chairman Assemblyman Sheikh Sultan Emir Pope Rabbi Imam"
)
FEMALE_TITLES = words(
    "Mrs. Mrs Ms. Ms Miss Dame Lady Queen Princess Sister Congresswoman "
    "Councilwoman Spokeswoman Chairwoman Assemblywoman Actress"
)

# Honorifics: a name after them is certainly a person.
HONORIFICS = words("Mr. Mr Mrs. Mrs Ms. Ms Miss Dr. Dr Sir Dame Prof. Professor")

_EITHER = words(given_names.EITHER)
MALE_NAMES = words(given_names.MALE) - _EITHER
FEMALE_NAMES = words(given_names.FEMALE) - MALE_NAMES - _EITHER
GIVEN_NAMES = MALE_NAMES | FEMALE_NAMES | _EITHER

# Verbs that attribute speech, as they appear after a speaker ("Smith said").
SPEECH_VERBS = words("""
said says say told tells added adds stated states explained explains noted notes
asked asks answered answers replied replies responded responds warned warns argued argues
insisted insists claimed claims wrote writes declared declares announced announces
confirmed confirms acknowledged acknowledges admitted admits suggested suggests
recalled recalls commented comments continued continues concluded concludes observed
observes remarked remarks urged urges cautioned cautions predicted predicts promised
promises vowed vows pledged pledges countered counters conceded concedes maintained
maintains contended contends reiterated reiterates stressed stresses emphasized
emphasised emphasizes emphasises complained complains told tweeted tweets posted posts
recounted recounts testified testifies described describes called calls quipped quips
joked jokes shouted shouts cried cries whispered whispers mused muses lamented laments
boasted boasts charged charges alleged alleges denied denies assured assures reported
reports indicated indicates wondered wonders pointed agreed agrees disagreed disagrees
proclaimed proclaims announced conceded tells telling saying adding noting explaining
says telling writing warning arguing insisting stating reads reporting reasoned
chanted chants yelled yells screamed screams texted emailed laughed laughs sighed sighs
accused accuses
""")

# Nouns that mark a speaker role: "a spokesman said", "officials said".
SPEAKER_NOUNS = words("""
spokesman spokeswoman spokesperson official officials minister ministry police statement
source sources officer officers president leader chief director expert experts analyst
analysts researcher researchers scientist scientists witness witnesses resident residents
lawyer lawyers attorney prosecutor prosecutors judge report agency government company
authorities organizers organisers campaigners activists critics supporters opponents
""")

# Speaker nouns that stand for an organisation: "the company said", "a spokeswoman for it".
ORG_ROLES = words("""
company firm ministry department agency government council union party group bank club team
authority office spokesman spokeswoman spokesperson statement board administration police
airline carrier carmaker automaker label studio insurer lender retailer regulator operator
manufacturer maker producer developer publisher broadcaster charity miner railway utility
spokespeople representative representatives
""")

# Short forms of international bodies, named in full on their pages.
ORG_SHORT = {
    "EU": "European Union",
    "E.U.": "European Union",
    "UN": "United Nations",
    "U.N.": "United Nations",
}

# Short forms of organisations: the news agencies of datelines, mostly.
ORG_ALIASES = {
    "AP": "Associated Press",
    "AFP": "AFP",
    "Reuters": "Reuters",
    "UPI": "UPI",
    "dpa": "dpa",
    "EFE": "EFE",
    "ANSA": "ANSA",
    "PA": "PA Media",
}

# First words that make a name an organisation: "Real Madrid", "Deutsche Bank".
ORG_PREFIXES = words("Real Atletico Atlético Sporting Dynamo Deutsche Banco Grupo Air Radio")

# Plural or generic nouns that open sentences in capitals but name no one.
GENERIC_CAPS = SPEAKER_NOUNS | words("""
critics supporters opponents residents officials experts analysts police protesters
investors voters doctors nurses teachers students parents farmers workers scientists
engineers users fans members lawmakers legislators prosecutors researchers authorities
""")

# Capitalised words that are never entity names on their own.
STOP_CAPS = words("""
The A An And But Or Nor For So Yet If In On At To Of By With From As Into About After
Before Since Until While When Where Why How What Who Whom Whose Which That This These Those
There Here Then Than Now Today Yesterday Tomorrow Tonight It Its He She They We I You His
Her Their Our Your My Me Him Them Us Mr Mrs Ms Dr No Not Yes Also Although Though However
Meanwhile Still Even Just Only Some Many Most More Much Few Several All Both Each Every
Any Other Another Such One Two Three Four Five Six Seven Eight Nine Ten First Second Third
Last Next Old Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
February March April May June July August September October November December Mon Tue Wed
Thu Fri Sat Sun Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Speaking According
Despite During Under Over Against Among Between Through Without Within Because Unless
Whether Do Does Did Is Are Was Were Be Been Being Have Has Had Will Would Can Could Shall
Should May Might Must Let Please Thanks Thank Oh Well Western Eastern Northern Southern
Mondays Tuesdays Wednesdays Thursdays Fridays Saturdays Sundays
Christmas Easter Ramadan Internet Web Source Link Read Watch Click Photo Image Video
Update Updated Editor Note Sources Advertisement Related Home Share Email Print AM PM
Inside Outside Around Above Below Near Once Twice Almost Perhaps Maybe Instead Indeed
Already Again Never Always Often Sometimes Whatever Whoever Either Neither Nobody
Nothing Everyone Everything Someone Something Anyone Anything Government Officials
""")
