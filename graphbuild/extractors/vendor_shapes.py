"""Where unknown vendors hide: table name columns, sub-processor lists, "such as A, B and C",
"provided by X", "we use X to …" — and the guards that keep generic words out."""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
from functools import lru_cache

from graphbuild.extractors.common import lead_in
from graphbuild.extractors.tables import cell_texts, column_roles, is_header
from graphbuild.knowledge.taxonomy import TAXONOMIES, taxonomy
from graphbuild.model import Document, Sentence

# A capitalised name of one to five words ("Acme Cloud", "Mail.io", "G2 Crowd").
_WORD = r"(?:[A-Z0-9][\w&.'’+-]*[\w+]|[A-Z])"
_NAME = rf"{_WORD}(?:\s+(?:{_WORD}|(?:of|for|&|and)(?=\s+[A-Z])))*"
# "third-party services such as Stripe, Intercom and Mixpanel" / "including A, B, or C" / "(e.g., A, B)".
_SUCH_AS = re.compile(
    rf"\b(?:such\s+as|including|like|e\.g\.,?|for\s+example,?|namely)\s+((?:{_NAME})(?:\s*,\s*(?:and\s+|or\s+)?(?:{_NAME})|\s+(?:and|or)\s+(?:{_NAME}))*)"
)
# "provided by Acme", "powered by Acme", "hosted by/on Acme", "operated by Acme", "a service of Acme".
_PROVIDED_BY = re.compile(
    rf"\b(?:provided|powered|hosted|operated|processed|supplied|delivered|offered|managed)\s+(?:by|on|with|through|via)\s+({_NAME})"
)
# "We use Acme to send e-mail" / "We use Acme for analytics" / "we rely on Acme to".
_WE_USE = re.compile(
    rf"\b[Ww]e\s+(?:(?:do\s+not|don['’]t|never|may|also|currently|will|might|can)\s+)*(?:use|uses|rely\s+on|work\s+with|partner\s+with|engage|utili[sz]e|employ)\s+({_NAME})(?:['’]s)?\s+(?:to|for|as|in\s+order|which|that|,)"
)
# The vendor-ish context that makes a list or a "such as" list a list of vendors.
_LIST_CONTEXT = re.compile(
    r"\b(?:sub-?processors?|processors?|vendors?|service\s+providers?|providers?|suppliers?|third[- ]part(?:y|ies)|"
    r"partners?|tools?|services?\s+(?:we\s+use|used)|platforms?|plugins?|sdks?|integrations?|following\s+(?:services|companies|providers))\b",
    re.I,
)
# Search engines and browsers given as examples are not recipients ("search engines (e.g., Google or Bing)").
EXAMPLE_CONTEXT = re.compile(
    r"\b(?:search\s+engines?|browsers?|browser\s+(?:extensions?|add-ons?|plug-?ins?)(?:\s+\w+){0,4}?|operating\s+systems?|devices?|app\s+stores?)\s*(?:\(|,)?\s*(?:such\s+as|like|e\.g\.|including|for\s+example)",
    re.I,
)
_LIST_END = re.compile(r"\s*(?:[.,;:)]|$|\s*(?:to|for|as|in|on|that|which|who|are|is|and|or|etc|among|with)\b)")
_SPLIT = re.compile(r"\s*(?:,|\band\b|\bor\b)\s*")
_HEAD_END = re.compile(
    r"\s+(?:[-–—:|]|\(|is\b|are\b|for\b|to\b|which\b|that\b|provides?\b|helps?\b|as\b|–)|[,:(;]|\s+-\s+"
)
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.I)

# Words that never make a vendor on their own: generic nouns, document parts, laws and regulators.
_GENERIC = set(
    """
a an the and or of for to in on with by our your their its we you they us this that these those any all each other
some such certain third party parties service services provider providers vendor vendors processor processors
sub-processor sub-processors subprocessor subprocessors partner partners company companies platform platforms tool tools
app apps application applications website websites site sites web page pages cloud hosting host server servers storage
data information personal privacy policy policies notice statement terms conditions cookie cookies analytics
marketing advertising ads payment payments billing support customer customers user users email e-mail mail
newsletter newsletters communication communications security fraud
prevention infrastructure content delivery network cdn
crm chat help desk helpdesk live video call calls sms messaging message messages notification notifications push
purpose purposes location locations country countries region name names entity entities yes no n/a na none other
description category categories processing activities activity recipient recipients contact us legal law laws act
regulation regulations authority authorities commission court courts agency department government state federal
google-style general data protection gdpr ccpa cpra coppa hipaa pipeda lgpd ico cnil ftc eu eea uk us usa european union
shield framework clauses standard contractual scc sccs dpf bcr binding corporate rules adequacy decision
social media network networks search engine engines browser browsers settings account accounts login sign single
january february march april may june july august september october november december monday friday
transactional transaction transactions identity verification document documents file files backup backups
integration integrations plugin plugins sdk sdks api apis widget widgets button buttons form forms
internal external affiliates affiliate group subsidiaries subsidiary employees staff team teams
product products feature features solution solutions software system systems online mobile desktop
address phone number ip ids id device devices
business transfer transfers merger mergers acquisition acquisitions sale enforcement requirement requirements
consent interest interests legitimate performance contract contracts obligation obligations vital public task
request requests right rights access deletion rectification portability objection restriction complaint complaints
withdraw withdrawal opt-out opt out children child minors retention period changes change updates update
contact contacts about overview introduction summary definitions definition scope general additional important
note notes miscellaneous first last full date birth age gender title job position employer company's
situations cases purposes uses use usage how why what where who when situation other others
official nonprofit public benefit identifiers audio internet
""".split()
)
_LAWS = re.compile(
    r"\b(?:act|regulation|directive|law|code|framework|shield|clauses|commission|commissioner|authority|"
    r"board|court|tribunal|ombudsman|office|ministry|agency|council|parliament|article|section|policy|notice|"
    r"terms|agreement|addendum|dpa|guide|handbook|whitepaper|license|licence|documentation)\b$",
    re.I,
)


_QUESTION = {"what", "how", "why", "when", "where", "who", "which", "do", "does", "can", "will", "is", "are", "should"}
_CONNECTORS = {"of", "for", "and", "&", "by", "the", "de", "la", "du", "von", "van", "der", "y", "et"}


@lru_cache(maxsize=1)
def _taxonomy_phrases() -> frozenset[str]:
    """Every taxonomy synonym: 'Email Address' or 'Legitimate Interests' is not a vendor."""
    return frozenset(
        s.lstrip("^").casefold() for n in TAXONOMIES for t in taxonomy(n).terms.values() for s in t.synonyms
    )


def plausible(name: str, countries: Container[str]) -> bool:
    """Guards against generic nouns, laws, regulators, document names, countries and data categories."""
    words = name.split()
    if not words or len(words) > 6 or len(name) < 2 or len(name) > 60:
        return False
    if not re.match(r"[A-Z0-9]|[a-z]+[A-Z]", name) or name.isdigit() or re.fullmatch(r"[\d\W]+", name):
        return False
    if words[0].casefold() in _QUESTION or name.endswith("?"):
        return False  # "What do we collect information for?" is a heading, not a company
    if any(w.islower() and w not in _CONNECTORS for w in words[1:]):
        return False  # "History of our communication": names keep their words capitalised
    if all(w.lower().strip(".,'’()") in _GENERIC for w in words):
        return False
    low = name.casefold()
    if low in _taxonomy_phrases() or name in countries or _LAWS.search(name):
        return False
    if _ROMAN.fullmatch(name) or words[0].lower().endswith("ing") and len(words[0]) > 5:
        return False  # "see III above"; "Delivering Professional Services" is an activity
    return not (len(words) == 1 and name.isupper() and len(name) <= 2)


_ROMAN = re.compile(r"(?=[MDCLXVI])M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})\.?")


def common_words(doc: Document) -> frozenset[str]:
    """Words the document writes in lower case: a candidate made only of them is a phrase, not a name
    ("Business Operations" where the text also says "business" and "operations")."""
    return _common_words(doc.text)


@lru_cache(maxsize=8)
def _common_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"(?<![\w@./-])[a-z][a-z'-]+(?![\w@/-]|\.[a-z])", text))


def is_phrase(name: str, doc: Document) -> bool:
    """True when every word of ``name`` also stands in lower case in the document."""
    words = [w.strip(".,'’()").lower() for w in name.split()]
    common = common_words(doc)
    return bool(words) and all(w in common or w in _CONNECTORS for w in words)


def example_spans(text: str) -> list[tuple[int, int]]:
    """Spans of example lists that are not recipients: '(e.g., Google, Yahoo, or Bing)' after 'search engines'."""
    spans = []
    for m in EXAMPLE_CONTEXT.finditer(text):
        end = re.search(r"[).;]|$", text[m.end() :])
        spans.append((m.start(), m.end() + (end.start() if end else 0)))
    return spans


def clean(name: str) -> str:
    """A candidate as a name: trimmed of brackets, URLs, articles and trailing punctuation."""
    name = re.sub(r"https?://\S+|www\.\S+", "", name)
    name = re.sub(r"\s*\([^)]*\)?\s*$", "", name)
    name = _LEADING.sub("", name.strip())
    return name.strip(" \t-–—:;,.*•\"'“”")


def _head(text: str) -> str:
    """The name at the head of a list item or cell: 'Acme Inc. – e-mail delivery' → 'Acme Inc.'."""
    m = _HEAD_END.search(text)
    return text[: m.start()] if m else text


def candidates(doc: Document, s: Sentence, text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, name) of vendor-shaped spans in one sentence, offsets relative to the sentence."""
    block = doc.blocks[s.block]
    if block.kind == "row" and s.start == block.start:
        roles = column_roles(doc, s.block)
        if roles and not is_header(doc, s.block):
            i = roles["name"]
            a, b = block.cells[i]
            cell = cell_texts(doc, s.block)[i]
            head = _head(cell).strip()
            if head:
                start = doc.text.index(head, a, b) - s.start if head in doc.text[a:b] else a - s.start
                yield start, start + len(head), head
        return
    if block.kind == "item" and s.start == block.start:
        context = lead_in(doc, s)
        heading = doc.section_at(s.start)
        if _LIST_CONTEXT.search(context) or (heading and _LIST_CONTEXT.search(heading.heading) and not context):
            head = _head(text).strip()
            if head and (len(head) < len(text) or len(text) <= 60):
                yield 0, len(head), head
    for pattern in (_PROVIDED_BY, _WE_USE):
        for m in pattern.finditer(text):
            yield m.start(1), m.end(1), m.group(1)
    if _LIST_CONTEXT.search(text):
        for m in _SUCH_AS.finditer(text):
            if EXAMPLE_CONTEXT.search(text[max(0, m.start() - 40) : m.end(1)]):
                continue
            if not _LIST_END.match(text, m.end(1)):
                continue  # "such as First name and last name": the list runs on in lower case, so not names
            at = m.start(1)
            for part in _SPLIT.split(m.group(1)):
                if part:
                    pos = text.find(part, at)
                    yield pos, pos + len(part), part
                    at = pos + len(part)


# Links to these are references, not recipients: regulators, opt-out and industry sites, encyclopaedias.
_CODE_HOSTS = re.compile(r"(?:^|\.)(?:github|gitlab|bitbucket)\.(?:com|org|io)$")
_REFERENCE_HOSTS = re.compile(
    r"(?:^|\.)(?:europa\.eu|edpb\.europa\.eu|ico\.org\.uk|ftc\.gov|[\w-]+\.gov(?:\.[a-z]{2})?|youronlinechoices\.\w+|"
    r"aboutads\.info|networkadvertising\.org|allaboutcookies\.org|wikipedia\.org|w3\.org|dataprivacyframework\.gov|"
    r"privacyshield\.gov|cnil\.fr|oag\.ca\.gov|ec\.europa\.eu|optout\.\w+|youradchoices\.\w+|iabeurope\.eu|"
    r"tools\.google\.com|adssettings\.google\.com|myaccount\.google\.com|play\.google\.com|apps\.apple\.com|"
    r"itunes\.apple\.com|support\.(?:google|mozilla|apple|microsoft)\.(?:com|org)|support\.mozilla\.org|"
    r"windows\.microsoft\.com|help\.opera\.com|brave\.com|allaboutdnt\.com)$",
    re.I,
)
_POLICY_PATH = re.compile(r"privacy|legal|polic|terms|gdpr|dpa|cookie|trust|security|data-?protection", re.I)
_POLICY_WORDS = re.compile(
    r"(?:['’]s)?\s*\(?\s*(?:privacy\s+(?:policy|notice|statement|shield)|cookie\s+policy|terms(?:\s+of\s+\w+)?|"
    r"legal|opt[- ]out|here|link|website|this\s+link)\s*\)?[.,]?$",
    re.I,
)
_NAME_BEFORE = re.compile(rf"({_NAME})\s*[(:–—-]?\s*$")


def host_of(href: str) -> str:
    """The host name of a URL, without 'www.'."""
    m = re.match(r"https?://([^/:?#]+)", href)
    return m.group(1).lower().removeprefix("www.") if m else ""


def link_candidates(doc: Document, s: Sentence, text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, name, host) for outbound links in a sentence: the link text when it is a name, else the
    name just before it ("Viber (Privacy Policy)"), else no name ('')."""
    for link in doc.links:
        if not (s.start <= link.start < s.end):
            continue
        host = host_of(link.href)
        if not host or _REFERENCE_HOSTS.search(host):
            continue
        a, b = link.start - s.start, min(link.end, s.end) - s.start
        label = _POLICY_WORDS.sub("", text[a:b]).strip(" ()")
        if label and label[0].isupper() and not _POLICY_PATH.fullmatch(label):
            if _CODE_HOSTS.search(host) and host.split(".")[-2] not in label.lower():
                continue  # "Read the Adjust documentation" on github.com: a page kept there, not the code host
            yield a, a + len(label), label, host
            continue
        before = _NAME_BEFORE.search(text[:a])
        if before and _POLICY_PATH.search(link.href):
            yield before.start(1), before.end(1), before.group(1), host
        elif _POLICY_PATH.search(link.href.split(host, 1)[-1]):
            # no name in the text, but a link to a vendor's privacy or legal page: the host may be a known
            # vendor's ("see our CRM's policy"); a bare "More information here" to a code host is a reference
            yield a, b, "", host
