"""What the document as a whole tells a clause: its kind, its parties and its defined terms.

``document_context(pages)`` reads a document's text once, before its sentences are classified:

- **kind** (:data:`DOC_KINDS`): weighted cues, title area first ("287(g)" + "Memorandum of
  Agreement"; "Privacy Impact Assessment"; "Data Sharing Report" / "Networks Shared With Me";
  "Master Services Agreement" / "Quote" / "Terms and Conditions"; "UNITED STATES DISTRICT COURT";
  "Freedom of Information Act" letters; ...) plus layout: a document that is mostly rows, not
  prose, is a log or a sharing list.
- **defined terms**: ``Freeborn County Sheriff's Office ("LEA")``, ``Flock Group Inc. ("Flock")``,
  ``U.S. Immigration and Customs Enforcement ("ICE")``, ``("Customer")``: each term gets the role
  of the party it names — ``ice`` (ICE/DHS immigration components), ``vendor`` (a company),
  ``party`` (the local or state agency that signs). Implicit terms by kind: in an agreement with
  ICE, "Federal" (investigation, personnel, supervision) and "the Government" are ICE; in a
  DHS/ICE privacy impact assessment, "users" and "personnel" are ICE's.

- **clause priors** (:func:`clause_prior`): what a document's kind says of its sentences before
  the classifier's thresholds: a court filing's own sentences are argument (halved), what it quotes
  as binding is a clause; in a 287(g) agreement ICE's duties restrict its access only when they
  name data.

:func:`rewrite` replaces those terms in a sentence with role tokens (``ICE_``, ``VENDOR_``,
``PARTY_``) before the clause classifier reads it, so "The LEA agrees to cooperate with any
Federal investigation ..., including providing access to appropriate databases" is read as
"PARTY_ agrees to cooperate with any ICE_ investigation ..." — a grant of access to ICE.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, Field

from foialens.models.records import CLAUSE_LABELS

DOC_KINDS: tuple[str, ...] = (
    "agreement_287g", "vendor_contract", "pia", "sharing_report", "policy", "law", "foia_letter",
    "production", "court_filing", "log", "manual", "report",
)
ROLE_TOKENS = {"ice": "ICE_", "vendor": "VENDOR_", "party": "PARTY_"}

_ICE_NAME = re.compile(
    r"(?-i:\b(?:ICE|ERO|HSI|DHS|CBP|USCIS)\b)|immigration and customs enforcement|homeland security"
    r"|customs and border protection|enforcement and removal|border patrol|citizenship and immigration",
    re.I,
)
# ICE content: an immigration-enforcement component by name, or DHS with immigration in view
# (DHS alone is also the grant funder and the parent of FEMA and the Secret Service).
_IMMIGRATION_NAME = re.compile(
    r"(?-i:\b(?:ICE|ERO|HSI|CBP|USCIS|USBP)\b)|immigration and customs enforcement|enforcement and removal|"
    r"homeland security investigations|customs and border protection|border patrol|citizenship and immigration|"
    r"\b287\s*\(\s*g\s*\)", re.I)
_IMMIGRATION_WORDS = re.compile(r"\bimmigra\w*|\bdeport\w*|\bremoval\b|\baliens?\b|\bdetainers?\b", re.I)
_COMPANY = re.compile(
    r"\b(?:inc|llc|l\.l\.c|corp|corporation|company|co|ltd|limited|lp|llp|plc|gmbh|group|solutions|"
    r"technologies|systems|safety|software|labs?)\b\.?", re.I)
_AGENCY = re.compile(
    r"\b(?:sheriff|police|county|city|town|village|state|department|agency|office|bureau|district|"
    r"commission|authority|board|corrections|patrol|lea|customer|university|college|school)\b", re.I)
# A defined term: ... ("TERM") / (the "TERM") / (hereinafter "TERM"), and acronyms: ... Name Words (NW)
_QUOTED = re.compile(
    r"\(\s*(?:(?:hereinafter|hereafter)\s+(?:referred\s+to\s+as\s+)?)?(?:the\s+)?[\"“”']{1,2}"
    r"(?P<term>[A-Z][\w .&'’-]{0,30}?)[\"“”'’]{1,2}\s*[),]")
_ACRONYM = re.compile(r"\(\s*(?P<term>[A-Z]{2,6})\s*\)")
_NOT_PARTY = re.compile(r"\b(?:data|period|date|form|purpose|term|terms|services?|fees?|notifications?|plan|"
                        r"obligations|agreement|party|parties|moa|mou|sop|recordings?|hardware|software|"
                        r"documentation|interruption|suspension|id|defect|information|far|dfar)\b", re.I)
_PARTY_NAME = re.compile(r"\b(?:sheriff|police|county|city|law enforcement agency|corrections|patrol|customer)\b", re.I)
WINDOW = 220  # characters before a definition searched for the party it names
_WORDS = re.compile(r"[A-Za-z]+")


class DocumentContext(BaseModel):
    kind: str = "production"
    terms: dict[str, str] = Field(default_factory=dict)  # term -> role (ice | vendor | party)
    ice_party: bool = False  # ICE/DHS immigration is a party or the author
    ice_content: bool = True  # the document speaks of ICE/DHS immigration enforcement at all

    @property
    def ice_author(self) -> bool:
        return self.kind == "pia" and self.ice_party


def role_of(name: str, term: str = "") -> str | None:
    """The role of a party named ``name`` (defined as ``term``)."""
    if _ICE_NAME.search(name) or _ICE_NAME.search(term):
        return "ice"
    if term.strip().lower() in ("customer", "agency", "lea", "department", "licensee", "client", "county", "city"):
        return "party"
    if not name:
        return None
    if _COMPANY.search(name):
        return "vendor"
    if _AGENCY.search(name):
        return "party"
    return None


def _initials_match(acronym: str, before: str) -> str | None:
    """The words before an acronym that it abbreviates ("law enforcement agency (LEA)"), or None."""
    words = [w for w in _WORDS.findall(before[-WINDOW:]) if w.lower() not in ("of", "and", "the", "for", "s")]
    n = len(acronym)
    if len(words) < n:
        return None
    tail = words[-n:]
    return " ".join(tail) if "".join(w[0] for w in tail).upper() == acronym else None


def _closest_role(before: str) -> str | None:
    """The role of the party named closest before a definition (ICE, a company, an agency)."""
    window = before[-WINDOW:]
    best: tuple[int, str] | None = None
    for rx, role in ((_ICE_NAME, "ice"), (_COMPANY, "vendor"), (_AGENCY, "party")):
        for m in rx.finditer(window):
            if best is None or m.end() > best[0]:
                best = (m.end(), role)
    return best[1] if best else None


def defined_terms(text: str) -> dict[str, str]:
    """Defined terms of a document and the role of the party each names."""
    out: dict[str, str] = {}
    for m in _QUOTED.finditer(text):
        term = " ".join(m.group("term").split()).strip(" .,")
        if not term or len(term.split()) > 3 or _NOT_PARTY.search(term):
            continue
        role = role_of("", term) or _closest_role(text[max(0, m.start() - WINDOW) : m.start()])
        if role:
            out.setdefault(term, role)
    for m in _ACRONYM.finditer(text):
        term = m.group("term")
        expansion = _initials_match(term, text[max(0, m.start() - WINDOW) : m.start()])
        if expansion is None or _NOT_PARTY.search(term):
            continue
        before = text[max(0, m.start() - WINDOW) : m.start()]
        context = before[-(len(expansion) + 40):]  # "ICE Field Office Director (FOD)"
        if _ICE_NAME.search(context):
            role = "ice"
        elif _PARTY_NAME.search(expansion):
            role = "party"
        else:
            continue
        out.setdefault(term, role)
    return out


# --- kind -------------------------------------------------------------------------------------

# (pattern, weight, where): "title" cues count only in the first TITLE_CHARS (a document names its
# own kind there), "any" cues count double in the first HEAD_CHARS and once elsewhere.
_KIND_CUES: dict[str, list[tuple[re.Pattern, float, str]]] = {
    "agreement_287g": [(re.compile(r"memorandum of (?:agreement|understanding)", re.I), 3.0, "title"),
                       (re.compile(r"287\s*\(\s*g\s*\)|warrant service officer|jail enforcement model|task force model", re.I), 1.5, "any")],
    "pia": [(re.compile(r"privacy impact assessment", re.I), 5.0, "title")],
    "sharing_report": [(re.compile(r"data sharing report|networks? shared with me|networks? i'?m sharing|"
                                   r"is sharing its detection data|hot[- ]?list sharing|detections shared", re.I), 4.0, "any"),
                       (re.compile(r"\bsearch enabled\b|\bhotlist tool\b", re.I), 3.0, "any")],
    "vendor_contract": [(re.compile(r"master (?:services|subscription) agreement|order form|statement of work|"
                                    r"terms (?:and|&) conditions|purchase order|quotation|\bquote\b|pricing|"
                                    r"subscription|license agreement|end user license|memorandum of understanding", re.I), 1.5, "any"),
                        (re.compile(r"\b(?:inc|llc|corporation)\b\.?", re.I), 0.5, "any")],
    "policy": [(re.compile(r"\b(?:general order|policy|directive|standard operating procedure|special order)\b", re.I), 1.5, "any"),
               (re.compile(r"^\s*(?:purpose|scope|definitions|procedures?)\s*$", re.I | re.M), 1.0, "any")],
    "law": [(re.compile(r"be it (?:enacted|ordained)|\bordinance no\b|assembly bill|senate bill|an act (?:to|relating)|"
                        r"\bchapter \d+|legislature|statute", re.I), 2.0, "any")],
    "foia_letter": [(re.compile(r"freedom of information|\bFOIA\b|public records (?:act|request)|\bCPRA\b|"
                                r"records request|your request", re.I), 1.5, "any"),
                    (re.compile(r"^\s*dear\b|\bsincerely\b", re.I | re.M), 1.0, "any")],
    # A court names itself at the top; a filing has a caption (parties by role) and cites cases.
    "court_filing": [(re.compile(r"united states district court|court of appeals|\bplaintiffs?\b|\bdefendants?\b|"
                                 r"\bcase no\b|\bpetitioner\b|\brespondent\b", re.I), 1.5, "any"),
                     (re.compile(r"\b(?:united states |u\.s\. )?(?:district court|court of appeals|supreme court"
                                 r"|circuit court|superior court|bankruptcy court)\b|\bclerk of (?:the )?court\b", re.I), 2.0, "title"),
                     (re.compile(r"\bappell(?:ant|ee)s?\b|\bper curiam\b|\bcircuit judges?\b|\bdate filed\b"
                                 r"|\bmemorandum (?:opinion|and order)\b|\bmotion (?:to|for)\b", re.I), 1.5, "any"),
                     (re.compile(r"\b\d+ (?:f\.(?: ?supp\.)? ?(?:2d|3d|4th)?|u\.s\.|s\. ?ct\.|s\.w\.[23]d|wl) \d+", re.I), 1.5, "any")],
    "manual": [(re.compile(r"user'?s? guide|user manual|system user|documentation|tutorial|getting started", re.I), 2.5, "title"),
               (re.compile(r"\bclick\b|log ?in screen|drop[- ]down|\bicon\b", re.I), 0.5, "any")],
    "report": [(re.compile(r"\breport\b|statistics|fiscal year|\bFY\s?\d{2,4}\b", re.I), 1.5, "title")],
    "log": [(re.compile(r"\baudit (?:log|trail|report)\b|request (?:data )?(?:table|log)|\bsearch log\b|"
                        r"\bdate of request\b|\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}", re.I), 4.0, "title")],
    "production": [(re.compile(r"\bBates\b|\(b\)\s*\(\d\)|invoice|^\s*(?:TO|FROM|SUBJECT):", re.I | re.M), 0.5, "any")],
}
# How much a sentence of a document of this kind is a clause: a court filing argues about and
# summarises agreements and policies ("the parties conferred", "CBP can conduct border searches");
# it grants or forbids nothing itself. The clause probabilities of its own sentences are multiplied
# by this; a clause it quotes (a quotation of QUOTED_WORDS words or more that binds someone: "shall",
# "must", "agrees to" ...) is read as the clause it is, while quoted case law ("evidence of
# contraband") and quoted records stay argument.
CLAUSE_PRIOR: dict[str, float] = {"court_filing": 0.5}
QUOTED_WORDS = 6
_QUOTATION = re.compile(r"[\"“]([^\"“”]+)[\"”]")
_BINDING = re.compile(r"\b(?:shall|must|will|may|agrees?|is (?:prohibited|required|permitted)|are (?:prohibited|required|permitted))\b", re.I)
# What data access is about: a sentence naming none of these limits no one's access to data.
DATA_OBJECT = re.compile(r"\b(?:data|information|records?|databases?|systems?|detections?|plates?|images?|photographs?|"
                         r"fingerprints?|files?|reports?|logs?|documents?|results?|queries|alerts?|lists?|custody)\b", re.I)
# In an agreement ICE signs (a 287(g) MOA), ICE's own obligations are about the agreement's life:
# it supervises, gives notice, suspends or terminates ("ICE will generally not terminate an
# agreement"). Those limit ICE's conduct, not its access to data: a sentence naming no data object
# has its ice_restriction probability multiplied by this.
AGREEMENT_RESTRICTION_PRIOR = 0.3


def clause_prior(kind: str, sentence: str) -> dict[str, float]:
    """Per label, the factor the document's kind puts on one of its sentences' probabilities
    (labels not named: 1.0)."""
    out: dict[str, float] = {}
    prior = CLAUSE_PRIOR.get(kind, 1.0)
    if prior != 1.0 and not any(len(q.split()) >= QUOTED_WORDS and _BINDING.search(q) for q in _QUOTATION.findall(sentence)):
        out = dict.fromkeys(CLAUSE_LABELS, prior)
    if kind == "agreement_287g" and not DATA_OBJECT.search(sentence):
        out["ice_restriction"] = out.get("ice_restriction", 1.0) * AGREEMENT_RESTRICTION_PRIOR
    return out

HEAD_CHARS = 3000  # the opening of a document
TITLE_CHARS = 800  # its title area
KIND_CHARS = 40_000  # the cues are looked for in this much of a document (~12 pages): enough to tell its kind
LONG_DOCUMENT = 6  # pages: a FOIA letter or a quote this long comes with other records (a production)


@lru_cache(maxsize=256)
def _prose_share(text: str) -> float:
    from foialens.models.prose import is_prose

    lines = [line for line in text.splitlines() if len(line.split()) >= 3]
    if not lines:
        return 0.0
    return sum(is_prose(line) for line in lines) / len(lines)


# The cues are matched on the lower-cased text (case-insensitive matching of long alternations is
# several times slower in `re`): the same patterns, lower-cased, without re.I.
_LOWER_CUES = {kind: [(re.compile(rx.pattern.lower(), rx.flags & ~re.I), weight, where) for rx, weight, where in cues]
               for kind, cues in _KIND_CUES.items()}
_PROGRAM_287G = re.compile(r"287\s*\(\s*g\s*\)")


def document_kind(text: str, pages: int = 1) -> str:
    lowered = text[:KIND_CHARS].lower()
    title = lowered[:TITLE_CHARS]
    scores: dict[str, float] = {}
    for kind, cues in _LOWER_CUES.items():
        score = 0.0
        for rx, weight, where in cues:
            if where == "title":
                score += weight if rx.search(title) else 0.0
            else:  # one scan: the first match in the opening counts double, elsewhere once
                m = rx.search(lowered)
                score += 0.0 if m is None else (2 * weight if m.end() <= HEAD_CHARS else weight)
        scores[kind] = score
    if not _PROGRAM_287G.search(lowered) or not _LOWER_CUES["agreement_287g"][0][0].search(title):
        scores["agreement_287g"] = 0.0  # a 287(g) agreement says so in its title and names the program
    prose = _prose_share(text[:20000])
    if prose < 0.15 and scores["sharing_report"] < 3.0 and len(text) > 2000:
        scores["log"] = max(scores["log"], 3.5)  # rows and rows: a log or a table dump
    best, score = max(scores.items(), key=lambda kv: kv[1])
    if best in ("foia_letter", "vendor_contract") and pages > LONG_DOCUMENT and \
            _LOWER_CUES["foia_letter"][0][0].search(lowered[:HEAD_CHARS]):
        return "production"  # a response letter with the records it releases
    return best if score >= 1.5 else "production"


def document_context(pages: list[tuple[int, str]], kind: str | None = None) -> DocumentContext:
    """The context of a document from its pages' text (``kind`` when it is known already)."""
    text = "\n".join(t for _, t in pages)
    kind = kind or document_kind(text, len(pages))
    terms = defined_terms(text[:20000])
    ice_party = "ice" in terms.values() or (kind in ("agreement_287g", "pia") and bool(_ICE_NAME.search(text[:HEAD_CHARS])))
    if kind == "agreement_287g" and ice_party:
        terms.setdefault("Federal", "ice")
        terms.setdefault("the Government", "ice")
    if kind == "pia" and ice_party:
        for term in ("users", "user", "personnel"):
            terms.setdefault(term, "ice")
    ice_content = bool(_IMMIGRATION_NAME.search(text)) or (
        bool(_ICE_NAME.search(text)) and bool(_IMMIGRATION_WORDS.search(text)))
    return DocumentContext(kind=kind, terms=terms, ice_party=ice_party, ice_content=ice_content)


@lru_cache(maxsize=512)
def _term_pattern(terms: tuple[tuple[str, str], ...]) -> re.Pattern | None:
    if not terms:
        return None
    parts = []
    for term, _role in sorted(terms, key=lambda tr: -len(tr[0])):
        body = re.escape(term).replace(r"\ ", r"\s+")
        if term.islower():  # implicit terms ("users") at the start of a sentence too
            body = f"(?i:{body})"
        # "the LEA", "LEA's"; lower-case implicit terms ("users") match only as whole words
        parts.append(rf"(?:\b[Tt]he\s+)?\b{body}\b(?:['’]s)?")
    return re.compile("|".join(f"(?P<t{i}>{p})" for i, p in enumerate(parts)))


def rewrite(text: str, ctx: DocumentContext | None) -> str:
    """``text`` with the document's defined terms replaced by role tokens (ICE_, VENDOR_, PARTY_)."""
    if ctx is None or not ctx.terms:
        return text
    ordered = tuple(sorted(ctx.terms.items(), key=lambda tr: -len(tr[0])))
    rx = _term_pattern(ordered)
    if rx is None:
        return text

    def repl(m: re.Match) -> str:
        index = int(m.lastgroup[1:])
        return f" {ROLE_TOKENS[ordered[index][1]]} "

    return rx.sub(repl, text)


_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")


def document_year(pages: list[tuple[int, str]]) -> str:
    """The most frequent plausible year on the first two pages ("" when none)."""
    from collections import Counter

    years = Counter(_YEAR.findall(" ".join(t for _, t in pages[:2])))
    return years.most_common(1)[0][0] if years else ""
