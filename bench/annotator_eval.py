"""Benchmark: quote and entity extraction quality and speed.

Run from the repository root:

    python bench/annotator_eval.py [--gum PATH] [--verbose]

Prints precision, recall, F1 and speaker accuracy on (a) the labelled articles in
tests/annotator/ and (b) the GUM Wikinews articles (read in place, never copied),
then articles per second on one core.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.extract import Extraction, KnownEntity, extract  # noqa: E402

FIXTURES = ROOT / "tests" / "annotator"
GUM = Path("/work/shared/data/gum-news")
QUOTE_CHARS = "\"“”„«»‘’'"
WIKIFIED_ONLY = False  # --wikified-only: the first version's entity gold (Wikipedia-linked only)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    speaker_ok: int = 0
    speaker_total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.speaker_ok += other.speaker_ok
        self.speaker_total += other.speaker_total
        self.misses += other.misses

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_ok / self.speaker_total if self.speaker_total else 1.0


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip(QUOTE_CHARS + " \n\t")).strip(" ,.")


# ---- (a) labelled articles -------------------------------------------------------------------

def load_fixtures(folder: Path = FIXTURES) -> list[dict]:
    articles: list[dict] = []
    for path in sorted(folder.glob("*.json")):
        articles.extend(load_fixtures_file(path))
    return articles


def load_fixtures_file(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def _known(article: dict) -> tuple[KnownEntity, ...]:
    return tuple(KnownEntity(k["id"], k["name"], k["type"], tuple(k.get("aliases", ())))
                 for k in article.get("known", ()))


def score_fixture(article: dict, result: Extraction) -> tuple[Score, Score]:
    text = article["text"]
    quotes, entities = Score(), Score()
    found = [(_norm(text[q.start:q.end]), q) for q in result.quotes]
    used: set[int] = set()
    for gold in article["quotes"]:
        want = _norm(gold["text"])
        hit = next((i for i, (got, _) in enumerate(found) if i not in used and got == want), None)
        if hit is None:
            quotes.fn += 1
            quotes.misses.append(f"{article['id']}: missed quote {want[:60]!r}")
            continue
        used.add(hit)
        quotes.tp += 1
        if "speaker" in gold:  # an explicit null means "no speaker": a wrong person is an error
            quotes.speaker_total += 1
            q = found[hit][1]
            got = result.entities[q.speaker].name if q.speaker is not None else None
            if got == gold["speaker"]:
                quotes.speaker_ok += 1
            else:
                quotes.misses.append(f"{article['id']}: speaker {got!r} != {gold['speaker']!r}"
                                     f" for {want[:40]!r}")
    for i, (got, _) in enumerate(found):
        if i not in used:
            quotes.fp += 1
            quotes.misses.append(f"{article['id']}: extra quote {got[:60]!r}")
    gold_entities = {(e["name"], e["type"]) for e in article.get("entities", ())}
    got_entities = {(e.name, e.type) for e in result.entities}
    # Entities are judged on the names an article lists; unlisted extras count against us.
    entities.tp = len(gold_entities & got_entities)
    entities.fn = len(gold_entities - got_entities)
    entities.fp = len(got_entities - gold_entities)
    entities.misses += [f"{article['id']}: missed entity {e}" for e in gold_entities - got_entities]
    entities.misses += [f"{article['id']}: extra entity {e}" for e in got_entities - gold_entities]
    return quotes, entities


def evaluate_fixtures(articles: list[dict]) -> tuple[Score, Score]:
    quotes, entities = Score(), Score()
    for article in articles:
        q, e = score_fixture(article, extract(article["text"], _known(article)))
        quotes.add(q)
        entities.add(e)
    return quotes, entities


# ---- (b) GUM Wikinews articles ---------------------------------------------------------------

_SAY = frozenset(re.findall(r"\w+", """
say tell add explain state note ask answer reply respond warn argue insist claim
write declare announce confirm acknowledge admit suggest recall comment continue conclude observe
remark urge caution predict promise vow pledge counter concede maintain contend reiterate stress
emphasize emphasise complain tweet post describe call testify joke boast allege deny assure report
accord"""))
_ENTITY_RE = re.compile(r"\(([^()]+)(\))?|(\d+)\)")


@dataclass
class GumDoc:
    name: str
    text: str
    quotes: list[tuple[int, int, str | None]]  # span, gold speaker entity id
    chains: dict[str, list[tuple[int, int]]]
    chain_type: dict[str, str]
    names: list[tuple[int, int, str]]  # named mentions: span, type


def load_gum(folder: Path = GUM) -> list[GumDoc]:
    return [_read_conllu(p) for p in sorted((folder / "dep").glob("GUM_news_*.conllu"))]


def _read_conllu(path: Path) -> GumDoc:
    parts: list[str] = []
    pos = 0
    sentences: list[list[dict]] = []
    open_ents: dict[str, list[int]] = {}
    chains: dict[str, list[tuple[int, int]]] = {}
    chain_type: dict[str, str] = {}
    chain_ident: dict[str, str] = {}
    mention_tokens: list[tuple[str, list[dict]]] = []
    open_mentions: dict[str, list[list[dict]]] = {}
    quote_open: int | None = None
    q_depth = 0
    quote_spans: list[tuple[int, int]] = []
    skip_block = False
    block_quotes: dict[int, int] = {}  # paragraph -> its first n sentences are a block <quote>
    first_in_para = True
    sentence: list[dict] = []
    para = 0
    sent_text, cursor, base = "", 0, 0
    saw_newpar = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newpar_block"):
            skip_block = "= head" in line or "= figure" in line
            if saw_newpar:
                saw_newpar = False
                if "= quote" in line:
                    block_quotes[para] = _block_size(line)
                continue
        if line.strip() == "# newpar" or (line.startswith("# newpar_block") and not saw_newpar):
            saw_newpar = True
            if pos:
                parts.append("\n\n")
                pos += 2
                para += 1
            first_in_para = True
            if line.startswith("# newpar_block") and "= quote" in line:
                block_quotes[para] = _block_size(line)
            continue
        if line.startswith("# text = "):
            sent_text = line[len("# text = "):]
            if not skip_block:
                if not first_in_para:
                    parts.append(" ")
                    pos += 1
                first_in_para = False
                parts.append(sent_text)
                base, cursor = pos, 0
                pos += len(sent_text)
            continue
        if line.startswith("#") or not line.strip():
            if sentence:
                sentences.append(sentence)
                sentence = []
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        misc = dict(kv.split("=", 1) for kv in cols[9].split("|") if "=" in kv)
        xml = misc.get("XML", "")
        if skip_block:
            continue
        found = sent_text.find(cols[1], cursor)
        if found < 0 or found - cursor > 3:
            found = cursor
        start = base + found
        cursor = found + len(cols[1])
        tok = {"id": int(cols[0]), "form": cols[1], "lemma": cols[2], "upos": cols[3],
               "head": int(cols[6]) if cols[6].isdigit() else 0, "deprel": cols[7],
               "start": start, "end": start + len(cols[1]), "ents": [], "para": para,
               "xpos": cols[4], "in_q": q_depth > 0 or "<q>" in xml,
               "in_quote": quote_open is not None or "<quote" in xml}
        sentence.append(tok)
        if "<quote" in xml and quote_open is None:
            quote_open = start
        for m in _ENTITY_RE.finditer(misc.get("Entity", "")):
            if m.group(1):
                fields = m.group(1).split("-", 7)
                ent = fields[0]
                chain_type[ent] = fields[1]
                if len(fields) == 8:
                    chain_ident[ent] = fields[7]
                open_ents.setdefault(ent, []).append(start)
                open_mentions.setdefault(ent, []).append([])
                if m.group(2):
                    _close(ent, tok, open_ents, open_mentions, chains, mention_tokens)
            elif m.group(3):
                _close(m.group(3), tok, open_ents, open_mentions, chains, mention_tokens,
                       pending=True)
        for stack in open_mentions.values():
            for toks in stack:
                toks.append(tok)
        _flush_pending(tok, open_ents, open_mentions, chains, mention_tokens)
        q_depth += xml.count("<q>") - xml.count("</q>")
        if "</quote>" in xml and quote_open is not None:
            quote_spans.append((quote_open, tok["end"]))
            quote_open = None
    if sentence:
        sentences.append(sentence)
    text = "".join(parts).rstrip()
    for ent, toks in mention_tokens:
        for t in toks:
            t["ents"].append((ent, toks[0]["start"], toks[-1]["end"]))
    # GUM marks a block quotation as a <quote> element around its paragraph; the CoNLL-U
    # files record that only as a `newpar_block = quote` comment, not in the XML column.
    blocks = [[t for sent in [s for s in sentences if s and s[0]["para"] == p][:n] for t in sent]
              for p, n in block_quotes.items()]
    quote_spans += [(toks[0]["start"], toks[-1]["end"]) for toks in blocks if toks]
    quotes = _gold_quotes(text, quote_spans + _marked_quotes(sentences), sentences)
    names = _named_mentions(mention_tokens, chain_type, chain_ident if WIKIFIED_ONLY else None)
    return GumDoc(path.stem, text, quotes, chains, chain_type, names)


_PENDING: list[str] = []


def _block_size(line: str) -> int:
    m = re.search(r"\((\d+) s\)", line)
    return int(m.group(1)) if m else 1


def _close(ent, tok, open_ents, open_mentions, chains, mention_tokens, pending=False):
    if pending:
        _PENDING.append(ent)  # the closing token is added to the mention first
        return
    if not open_ents.get(ent):
        return
    start = open_ents[ent].pop()
    toks = open_mentions[ent].pop()
    toks.append(tok)
    chains.setdefault(ent, []).append((start, tok["end"]))
    mention_tokens.append((ent, toks))


def _flush_pending(tok, open_ents, open_mentions, chains, mention_tokens):
    while _PENDING:
        ent = _PENDING.pop()
        if open_ents.get(ent):
            start = open_ents[ent].pop()
            toks = open_mentions[ent].pop()
            chains.setdefault(ent, []).append((start, tok["end"]))
            mention_tokens.append((ent, toks))


def _marked_quotes(sentences) -> list[tuple[int, int]]:
    """Quotation-mark spans that GUM leaves untagged but that are plainly direct speech.

    GUM tags many direct quotes with <quote>, but not all (whole articles have none). A
    span between gold opening and closing quote tokens (within a paragraph) also counts
    when it is not a <q> mention and either a speech verb outside it governs, or is
    governed by, a word inside it, or it is one or more whole sentences of speech
    (ends with . ! ? inside the marks), the news convention for a continuing quote.
    """
    out: list[tuple[int, int]] = []
    tokens = [(t, sent) for sent in sentences for t in sent]
    opened = None
    for i, (tok, _) in enumerate(tokens):
        if opened is not None and tok["para"] != tokens[opened][0]["para"]:
            opened = None
        if tok["xpos"] == "``" and opened is None:
            opened = i
        elif tok["xpos"] == "''" and opened is not None:
            inside = [t for t, _ in tokens[opened + 1:i]]
            untagged = inside and not any(t["in_q"] or t["in_quote"] for t in inside)
            if untagged and (
                _speech_linked(inside, {id(s) for _, s in tokens[opened:i + 1]}, tokens)
                or (inside[-1]["form"] in ".!?" and inside[0]["form"][:1].isupper()
                    and len(inside) >= 4)
            ):
                out.append((tokens[opened][0]["start"], tok["end"]))
            opened = None
    return out


def _speech_linked(inside, sentence_ids, tokens) -> bool:
    inside_ids = {id(t) for t in inside}
    for t, sent in tokens:
        if id(sent) not in sentence_ids or id(t) in inside_ids:
            continue
        if t["lemma"] in _SAY and t["upos"] == "VERB":
            by_id = {x["id"]: x for x in sent}
            head = by_id.get(t["head"])
            if (head is not None and id(head) in inside_ids) or any(
                c["head"] == t["id"] and id(c) in inside_ids for c in sent
            ):
                return True
    return False


def _gold_quotes(text, spans, sentences):
    spans = sorted(set(spans))
    # Join quote elements that only whitespace or quotation marks separate (one quote, 2 sentences).
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and not text[merged[-1][1]:s].strip(QUOTE_CHARS + " \n"):
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    tokens = [t for sent in sentences for t in sent]
    out: list[tuple[int, int, str | None]] = []
    previous: tuple[str | None, int] = (None, -9)
    for s, e in merged:
        while s < e and text[s] in QUOTE_CHARS + " \n":
            s += 1
        while e > s and text[e - 1] in QUOTE_CHARS + " \n":
            e -= 1
        if e <= s:
            continue
        speaker = _gold_speaker(s, e, sentences)
        para = next((t["para"] for t in tokens if t["start"] >= s), 0)
        if speaker is None and para - previous[1] <= 1:
            speaker = previous[0]
        if speaker is not None:
            previous = (speaker, para)
        out.append((s, e, speaker))
    return out


def _gold_speaker(s: int, e: int, sentences) -> str | None:
    """Speaker from the dependency tree: subject of a speech verb outside the quote."""
    for sent in sentences:
        if not sent or sent[-1]["end"] < s or sent[0]["start"] > e:
            continue
        outside = [t for t in sent if t["end"] <= s - 1 or t["start"] >= e + 1]
        by_id = {t["id"]: t for t in sent}
        for t in outside:
            if t["lemma"] == "accord":
                head = by_id.get(t["head"])
                if head is not None:
                    return _entity_of(head)
        for t in outside:
            if t["lemma"] in _SAY and t["upos"] == "VERB":
                subj = [c for c in sent if c["head"] == t["id"] and c["deprel"].startswith("nsubj")
                        and not c["deprel"].endswith("pass")]
                if not subj and t["deprel"] in ("advcl", "xcomp", "conj"):
                    parent = by_id.get(t["head"])
                    subj = [c for c in sent if parent and c["head"] == parent["id"]
                            and c["deprel"].startswith("nsubj")]
                if subj:
                    return _entity_of(subj[0])
    return None


def _entity_of(tok) -> str | None:
    if not tok["ents"]:
        return None
    return min(tok["ents"], key=lambda x: x[2] - x[1])[0]


def _named_mentions(mention_tokens, chain_type, chain_ident):
    out = []
    for ent, toks in mention_tokens:
        kind = chain_type.get(ent)
        # Every named person, organisation and place counts, not only the ones with a
        # Wikipedia page (`chain_ident`): the extractor must find the little-known ones too.
        if kind not in ("person", "organization", "place") or (
            chain_ident is not None and ent not in chain_ident
        ):
            continue
        propn = [t for t in toks if t["upos"] == "PROPN"]
        if propn:
            out.append((propn[0]["start"], propn[-1]["end"], kind))
    return sorted(set(out))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score_gum(doc: GumDoc, result: Extraction) -> tuple[Score, Score]:
    quotes, entities = Score(), Score()
    used: set[int] = set()
    for q in result.quotes:
        best, best_ratio = None, 0.0
        for i, (s, e, _) in enumerate(doc.quotes):
            if i in used:
                continue
            ov = _overlap((q.start, q.end), (s, e))
            ratio = ov / (max(q.end, e) - min(q.start, s))
            if ratio > best_ratio:
                best, best_ratio = i, ratio
        if best is None or best_ratio < 0.5:
            quotes.fp += 1
            quotes.misses.append(f"{doc.name}: extra {doc.text[q.start:q.end][:60]!r}")
            continue
        used.add(best)
        quotes.tp += 1
        gold_speaker = doc.quotes[best][2]
        if gold_speaker is None:
            continue
        quotes.speaker_total += 1
        if _speaker_matches(doc, result, q, gold_speaker):
            quotes.speaker_ok += 1
        else:
            got = result.entities[q.speaker].name if q.speaker is not None else None
            gold_text = [doc.text[s:e] for s, e in doc.chains.get(gold_speaker, [])][:3]
            quotes.misses.append(f"{doc.name}: speaker {got!r} != {gold_text} for "
                                 f"{doc.text[q.start:q.end][:40]!r}")
    for i, (s, e, _) in enumerate(doc.quotes):
        if i not in used:
            quotes.fn += 1
            quotes.misses.append(f"{doc.name}: missed {doc.text[s:e][:60]!r}")
    got = [(m.start, m.end, ent.type) for ent in result.entities for m in ent.mentions]
    gold = doc.names
    matched_gold = {g for g in gold if any(_overlap(g[:2], p[:2]) and g[2] == p[2] for p in got)}
    matched_got = {p for p in got if any(_overlap(g[:2], p[:2]) and g[2] == p[2] for g in gold)}
    entities.tp = len(matched_gold)
    entities.fn = len(gold) - len(matched_gold)
    entities.fp = len(got) - len(matched_got)
    return quotes, entities


def _speaker_matches(doc: GumDoc, result: Extraction, q, gold: str) -> bool:
    spans = [(q.speaker_span.start, q.speaker_span.end)] if q.speaker_span else []
    if q.speaker is not None:
        spans += [(m.start, m.end) for m in result.entities[q.speaker].mentions]
    for s, e in spans:
        for gs, ge in doc.chains.get(gold, []):
            if (gs <= s and e <= ge) or (s <= gs and ge <= e):
                return True
    return False


def evaluate_gum(docs: list[GumDoc]) -> tuple[Score, Score]:
    quotes, entities = Score(), Score()
    for doc in docs:
        q, e = score_gum(doc, extract(doc.text))
        quotes.add(q)
        entities.add(e)
    return quotes, entities


# ---- report ----------------------------------------------------------------------------------

def speed(texts: list[str], rounds: int = 3) -> tuple[float, int]:
    """Articles per second, scaled to 800-word articles."""
    words = sum(len(t.split()) for t in texts)
    best = float("inf")
    for _ in range(rounds):
        began = time.perf_counter()
        for t in texts:
            extract(t)
        best = min(best, time.perf_counter() - began)
    per_article = best / (words / 800)
    return 1 / per_article, words


def _row(label: str, quotes: Score, entities: Score) -> str:
    return (f"| {label} | {quotes.precision:.3f} | {quotes.recall:.3f} | {quotes.f1:.3f} | "
            f"{quotes.speaker_accuracy:.3f} ({quotes.speaker_ok}/{quotes.speaker_total}) | "
            f"{entities.precision:.3f} | {entities.recall:.3f} | {entities.f1:.3f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gum", type=Path, default=GUM)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--wikified-only", action="store_true",
                        help="GUM entity gold restricted to Wikipedia-linked entities")
    args = parser.parse_args(argv)
    global WIKIFIED_ONLY
    WIKIFIED_ONLY = args.wikified_only
    header = ("| set | quote P | quote R | quote F1 | speaker acc "
              "| entity P | entity R | entity F1 |")
    rows = [header, "|---|---|---|---|---|---|---|---|"]
    fixtures = load_fixtures()
    for path in sorted(FIXTURES.glob("*.json")):
        part = load_fixtures_file(path)
        rows.append(_row(f"labelled {path.name} ({len(part)})", *evaluate_fixtures(part)))
    fq, fe = evaluate_fixtures(fixtures)
    rows.append(_row(f"labelled, all ({len(fixtures)} articles)", fq, fe))
    texts = [a["text"] for a in fixtures]
    docs: list[GumDoc] = []
    if (args.gum / "dep").is_dir():
        docs = load_gum(args.gum)
        gq, ge = evaluate_gum(docs)
        rows.append(_row(f"GUM news ({len(docs)} articles)", gq, ge))
        texts += [d.text for d in docs]
    rate, words = speed(texts)
    print("\n".join(rows))
    print(f"\nspeed: {rate:.0f} articles/second (800-word equivalents, {words} words, one core)")
    if args.verbose:
        for line in fq.misses + fe.misses + (gq.misses if docs else []):
            print(" ", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
