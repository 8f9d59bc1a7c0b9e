"""HTML loader: a saved web page, an HTML manual or a fetched URL -> a Document.

A page is read in one of two ways:

* **Documents** (manuals, API references, READMEs saved as HTML) are converted
  element by element by :mod:`osce_brief.loaders.htmldoc`: everything in the
  main region is kept (nested lists, definition lists, tables, code), only
  navigation is left out, and the headings of the page are the sections. A page
  is read as a document when a documentation tool made it (its ``generator``
  meta names makeinfo, DocBook, Docutils/Sphinx, gtk-doc, Doxygen...), when it is
  a static page without the marks of a web article (no ``og:type=article`` or
  article JSON-LD, hardly any scripts), or when it is too large or too deeply
  nested for the article extractor.
* **Web articles** go through trafilatura (the optional ``web`` extra), which
  extracts the main text as Markdown, comments excluded, plus the page
  metadata. :func:`clean_markdown` then tidies that Markdown with general rules:

  * the page headline (the first heading, when it opens the text) becomes the
    document title, and a sentence-like heading right after it (the "dek") the
    subtitle, not sections;
  * clutter headings are dropped: widgets and site furniture such as
    "Comments", "Related stories", "Popular on ...", "Tell us what you think",
    "Share this", "Newsletter", "Read more" (by heading text patterns), headings
    whose body is only a list of links or teaser headlines (by structure), and runs
    of empty headings (sign-up widget leftovers). When a pattern heading sits on
    real prose, only the heading goes and the prose joins the section before it;
  * lists nested deeper than :data:`~osce_brief.loaders.htmldoc.MAX_NEST` levels
    are flattened to that level (every item kept).

Either way permalink anchors ("#", "¶") are not part of headings, author, date
and site name go to ``Document.author`` and ``Document.meta``, and the date is
taken from the page's markup or its prose, never from a code sample.

``Document.source`` is the extracted Markdown: every offset refers to the
extracted text, not to the HTML. ``Document.path`` keeps what the user gave
(file or URL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError
from ..model import Document
from ..record import replace

INSTALL_HINT = "install the web extra: pip install 'osce_brief[web]' (in a checkout: pip install '.[web]')"


def _trafilatura():
    """Import trafilatura's ``extract``, or raise the one-line install hint."""
    try:
        from trafilatura import extract as trafilatura_extract  # heavy: imported only when HTML is read
    except ImportError:
        raise InputError("reading HTML needs trafilatura, which is not installed", INSTALL_HINT) from None
    import logging

    for name in ("trafilatura", "htmldate", "courlan", "justext"):  # never log to the user's stderr
        log = logging.getLogger(name)
        if not log.handlers:
            log.addHandler(logging.NullHandler())
    return trafilatura_extract


@dataclass
class Page:
    """A page, decoded and parsed once.

    Attributes:
        text: the page as text.
        tree: the lxml tree (elements nested deeper than libxml2 reads are
            unwrapped first, their text kept), or None when lxml cannot parse it.
        elements: how many elements the tree has (0 without a tree).
        deep: the page was nested deeper than libxml2 reads (and was unwrapped).
    """

    text: str
    tree: object | None
    elements: int
    deep: bool = False
    used: bool = False  # the article extractor has changed the tree
    plain: bool = False  # plain lxml elements (not lxml.html's): for the document reader only


#: Pages with more elements than this are read as documents: the article
#: extractor's time grows faster than linearly with the page.
MAX_ARTICLE_ELEMENTS = 30_000


def read_page(data: bytes | str) -> Page:
    """Decode (the page's charset, else UTF-8, else a guess) and parse a page.

    Raises:
        InputError: trafilatura (the web extra) is not installed.
    """
    _trafilatura()
    from trafilatura.utils import decode_file, repair_faulty_html

    from .htmldoc import parse_tree_deep

    text = decode_file(data) if isinstance(data, bytes) else data
    text = repair_faulty_html(text, text[:50].lower())
    try:
        tree, deep = parse_tree_deep(text, html_classes=True)  # as trafilatura wants it
    except Exception:  # lxml gives up on some inputs (an empty document...)
        return Page(text, None, 0)
    n = int(tree.xpath("count(//*)"))
    if n > MAX_ARTICLE_ELEMENTS or deep:  # a document for sure: plain elements walk faster
        del tree
        tree, deep2 = parse_tree_deep(text)
        return Page(text, tree, n, deep or deep2, plain=True)
    return Page(text, tree, n, deep)


# Documentation tools, as they name themselves in <meta name="generator">.
_DOC_GENERATOR = re.compile(
    r"makeinfo|texinfo|texi2html|docbook|docutils|sphinx|gtk-?doc|doxygen|javadoc|rustdoc|pandoc|asciidoc|"
    r"mkdocs|docusaurus|latex2html|hevea|man2html|pod2html|groff|help2man|yelp|mallard|pdoc|typedoc|jsdoc|"
    r"antora|mdbook|gitbook|vitepress|vuepress|docfx|godoc|hugo-book|jekyll-theme-docs",
    re.I,
)
_ARTICLE_LD = re.compile(r'"@type"\s*:\s*\[?\s*"(?:\w*Article|BlogPosting|Report|LiveBlogPosting)"')


def document_kind(page: Page) -> str:
    """``"document"`` (read element by element) or ``"article"`` (trafilatura).

    Example:
        >>> document_kind(read_page("<html><head><meta name=generator content=makeinfo></head><body><p>x</p></body></html>"))
        'document'
    """
    tree = page.tree
    if tree is None or page.elements > MAX_ARTICLE_ELEMENTS or page.deep:
        return "document"
    gen = " ".join(tree.xpath("//meta[translate(@name,'GENERATOR','generator')='generator']/@content"))
    if gen and _DOC_GENERATOR.search(gen):
        return "document"
    og = " ".join(tree.xpath("//meta[@property='og:type' or @name='og:type']/@content")).lower()
    if "article" in og or tree.xpath("//meta[starts-with(@property,'article:')]"):
        return "article"
    ld = " ".join(tree.xpath("//script[@type='application/ld+json']/text()"))
    if ld and _ARTICLE_LD.search(ld):
        return "article"
    scripts = len(tree.xpath("//script[not(@type='application/ld+json')]"))
    frames = len(tree.xpath("//iframe"))
    return "document" if scripts <= 5 and frames == 0 else "article"


@dataclass(frozen=True)
class Extraction:
    """What was found in a page.

    Attributes:
        markdown: the main text as Markdown (comments excluded).
        title: the page title from the metadata (``<title>``, og:title...), or None.
        author: the byline, or None.
        date: the publication date (``YYYY-MM-DD``), or None.
        sitename: the site's name, or None.
        url: the page's canonical URL, or None.
        description: the meta description, or None.
        kind: ``"article"`` (trafilatura) or ``"document"`` (read element by element).
    """

    markdown: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    url: str | None = None
    description: str | None = None
    kind: str = "article"


def extract(data: bytes | str, url: str | None = None, page: Page | None = None) -> Extraction:
    """Extract a page's reading text as Markdown, plus its metadata.

    Documents are converted element by element, web articles by trafilatura
    (see :func:`document_kind`).

    Args:
        data: the page (bytes are decoded from the page's charset).
        url: the page's address, when known (helps metadata extraction).
        page: the page already read by :func:`read_page` (then ``data`` is unused).

    Raises:
        InputError: trafilatura is missing, or there is no text in the page.
    """
    page = page or read_page(data)
    if document_kind(page) == "document":
        found = _extract_document(page)
    else:
        found = _extract_article(page, url)
        if not found.markdown.strip():
            doc = _extract_document(page)  # a page the article extractor cannot read
            if len(re.findall(r"\w+", doc.markdown)) >= 20:
                found = doc
    if not found.markdown.strip():
        raise InputError(
            "no article text found in this page",
            "it may be built by JavaScript or be a front page; save the article text and give that file",
        )
    return found


#: Pages with more elements than this are parsed again into plain lxml elements,
#: which the document reader walks several times faster.
_REPARSE_ELEMENTS = 20_000


def _extract_document(page: Page) -> Extraction:
    from .htmldoc import convert, parse_tree

    if page.tree is None:
        conv = convert(_escape_page(page.text))
    elif page.used or (not page.plain and page.elements > _REPARSE_ELEMENTS):
        page.tree = None  # one tree at a time
        page.tree, page.plain, page.used = parse_tree(page.text), True, False
        conv = convert(page.tree)
    else:
        conv = convert(page.tree)
    meta = conv.meta
    author = meta.get("author") or meta.get("dc.creator") or meta.get("dcterms.creator")
    return Extraction(
        markdown=conv.markdown,
        title=conv.title,
        author=author or None,
        date=_meta_date(meta),
        description=meta.get("description") or None,
        kind="document",
    )


def _escape_page(text: str) -> str:
    """A page lxml could not parse, as plain text in a page (nothing of it is lost)."""
    plain = re.sub(r"<[^>]*>", " ", text).replace("&", "&amp;").replace("<", "&lt;")
    return "<html><body><pre>" + plain + "</pre></body></html>"


_META_DATE_KEYS = (
    "article:published_time", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "date",
    "dc.date.created", "dcterms.created", "pubdate", "publish-date", "publication_date", "citation_publication_date",
    "og:published_time", "last-modified", "dcterms.modified", "dc.date.modified", "revised",
)


def _meta_date(meta: dict[str, str]) -> str | None:
    """The date a page's ``<meta>`` tags state (``YYYY-MM-DD``), or None."""
    for key in _META_DATE_KEYS:
        v = meta.get(key)
        m = re.match(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", v or "")
        if m:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if 1900 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _extract_article(page: Page, url: str | None) -> Extraction:
    import copy

    trafilatura_extract = _trafilatura()
    from trafilatura.settings import set_date_params

    tree = page.tree
    assert tree is not None
    page.used = True
    _drop_permalinks(tree)
    # htmldate scans the whole page for timestamps, code samples too: on a page
    # with code, the date is looked for again on a copy without it.
    has_code = bool(tree.xpath("boolean(//" + " | //".join(_CODE_TAGS) + ")"))
    pristine = copy.deepcopy(tree) if has_code else None  # trafilatura changes the tree it is given
    try:
        text = trafilatura_extract(
            tree,
            url=url,
            output_format="markdown",
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            date_extraction_params=set_date_params(not has_code),
        )
    except Exception as e:  # trafilatura/lxml failures on odd input
        raise InputError(
            f"cannot extract the article from this page ({type(e).__name__})", "save the article text and give that file"
        ) from None
    fields, body = _split_front_matter(text or "")
    date = _prose_date(pristine, url or fields.get("url")) if has_code else fields.get("date")
    return Extraction(
        markdown=flatten_deep_lists(body),
        title=fields.get("title"),
        author=fields.get("author"),
        date=date,
        sitename=fields.get("sitename"),
        url=fields.get("url"),
        description=fields.get("description"),
        kind="article",
    )


def _drop_permalinks(tree) -> None:
    """Remove same-page anchors whose whole text is a symbol ("#", "¶", "§") or nothing."""
    for a in list(tree.iter("a")):
        href = (a.get("href") or "").strip()
        if not href.startswith("#"):
            continue
        text = (a.text_content() or "").strip()
        if len(text) <= 2 and not any(c.isalnum() for c in text):
            a.drop_tree()


_CODE_TAGS = ("pre", "code", "samp", "kbd", "tt", "textarea", "var")


def _prose_date(tree, url: str | None) -> str | None:
    """The page's date by htmldate (markup first, then the text), with code samples taken out first."""
    try:
        from htmldate import find_date
        from trafilatura.settings import set_date_params
    except ImportError:
        return None
    for el in list(tree.iter(*_CODE_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    try:
        return find_date(tree, url=url, **set_date_params(True))
    except Exception:
        return None


def flatten_deep_lists(md: str, max_nest: int | None = None) -> str:
    """Cap the indentation of Markdown list lines so nesting stays within ``max_nest`` levels.

    Deeper items keep their text and order, at the deepest level kept.

    Example:
        >>> flatten_deep_lists("- a\\n  - b\\n    - c\\n", max_nest=2)
        '- a\\n  - b\\n  - c\\n'
    """
    from .htmldoc import MAX_NEST

    limit = 2 * (max_nest if max_nest is not None else MAX_NEST) - 2
    if not re.search(r"^ {%d,}\S" % (limit + 1), md, re.M):
        return md
    out = []
    fence = None
    for line in md.split("\n"):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1) == fence:
                fence = None
            out.append(line)
            continue
        if m:
            fence = m.group(1)
        lead = len(line) - len(line.lstrip(" "))
        if lead > limit and line.strip():
            line = " " * limit + line.lstrip(" ")
        out.append(line)
    return "\n".join(out)


_FM_LINE = re.compile(r"^([a-z_]+):[ \t]*(.*?)[ \t]*$")


def _split_front_matter(md: str) -> tuple[dict[str, str], str]:
    """Split trafilatura's ``---`` metadata header (``key: value`` lines) from the body."""
    m = re.match(r"\A---\n(.*?)\n?---\n?", md, re.S)
    if not m:
        return {}, md
    fields: dict[str, str] = {}
    for line in m.group(1).splitlines():
        kv = _FM_LINE.match(line)
        if not kv or not kv.group(2):
            continue
        val = kv.group(2)
        if len(val) >= 2 and val[0] == val[-1] == '"':
            try:
                import json

                val = json.loads(val)
            except ValueError:
                val = val[1:-1]
        elif len(val) >= 2 and val[0] == val[-1] == "'":
            val = val[1:-1].replace("''", "'")
        if isinstance(val, str) and val.strip():
            fields[kv.group(1)] = val.strip()
    return fields, md[m.end() :]


# ---------------------------------------------------------------- cleaning
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_URLISH = re.compile(r"https?://\S+|www\.\S+|\]\([^)]*\)")

# Clutter heading texts, matched against the whole folded heading (see _fold).
# General site furniture in English plus the commonest German/French/Spanish forms.
_CLUTTER = re.compile(
    r"^(?:"
    r"\d*\s*comments?(?:\s*\(?\d+\)?)?|\d+\s+comments?|(?:reader|user)s?\s+comments?|comments?\s+(?:section|policy|are closed)"
    r"|leave\s+a\s+(?:comment|reply)|add\s+(?:a|your)\s+comment|post\s+a\s+comment|join\s+the\s+(?:discussion|conversation)"
    r"|\d+\s+(?:responses?|replies)|(?:responses|replies)\s+to\s+.{1,80}"
    r"|related(?:\s+(?:articles?|stories|posts?|links?|content|coverage|reading|videos?|news|topics|items|pages|galleries))?(?:\s*:.*)?"
    r"|see\s+also|also\s+read|read\s+(?:more|next|also|this\s+next)(?:\s*:.*)?|more\s+(?:reading|to\s+read|like\s+this|stories|news|articles|videos?|coverage|to\s+explore)"
    r"|more\s+(?:from|on|in|about)\s+.{1,60}|(?:the\s+)?latest\s+(?:news|stories|articles|videos?|headlines)(?:\s+(?:from|on|in)\s+.{1,40})?"
    r"|(?:most\s+)?popular(?:\s+(?:on|in|at|now|today|stories|articles|posts|right\s+now|this\s+week)\b.{0,60})?"
    r"|most\s+(?:read|popular|viewed|shared|commented|emailed|watched|recent)\b.{0,60}"
    r"|trending(?:\s+(?:now|stories|news|articles|on\b.{0,40}))?|top\s+(?:stories|news|headlines|videos)\b.{0,40}"
    r"|recommended(?:\s+(?:for\s+you|stories|articles|reading|videos?))?|editor'?s'?\s+(?:picks?|choice)|(?:our\s+)?picks\s+for\s+you"
    r"|you\s+(?:may|might|could|will)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in)\b.{0,40}|don'?t\s+miss\b.{0,40}|what\s+to\s+read\s+next|up\s+next|watch\s+next|next\s+up"
    r"|share(?:\s+(?:this|the|on|via|your)\b.{0,40})?|sharing\s+options|follow\s+us\b.{0,40}|connect\s+with\s+us|find\s+us\s+on\b.{0,30}"
    r"|tell\s+us\s+what\s+(?:you|u)\s+think|what\s+do\s+you\s+think|have\s+your\s+say|let\s+us\s+know\b.{0,40}|got\s+a\s+(?:news\s+)?(?:tip|story)\b.{0,40}"
    r"|(?:[\w'&-]+\s+){0,4}newsletters?|(?:sign\s+up|subscribe)\b.{0,60}|register\s+(?:now|here|for\s+free|to\s+(?:read|continue|comment)\b.{0,40})|thanks?\s+(?:you\s+)?for\s+(?:signing\s+up|subscribing|reading)\b.{0,30}"
    r"|join\s+(?:our|us)\b.{0,60}|get\s+(?:our|the)\s+.{0,40}\b(?:newsletter|app|alerts?)|download\s+(?:our|the)\s+app\b.{0,30}"
    r"|advertisement|sponsored(?:\s+(?:content|links|stories))?|promoted(?:\s+(?:content|stories|links))?|partner\s+content|paid\s+content|from\s+our\s+partners"
    r"|about\s+the\s+authors?|author\s+(?:bio|information|details)|more\s+by\s+this\s+author|tags?|topics?|filed\s+under\b.{0,40}|categories"
    r"|(?:the\s+)?(?:story|article)\s+continues(?:\s+below\b.{0,30})?|continue\s+reading\b.{0,40}|(?:article\s+)?continues\s+below\b.{0,30}"
    r"|(?:image|photo|video)\s+(?:gallery|credits?)|print\s+this\s+(?:article|page)|email\s+this\s+(?:article|story)|report\s+an?\s+(?:error|typo|correction)"
    r"|kommentare?|\d+\s+kommentare?|weitere\s+artikel|(?:ähnliche|verwandte)\s+(?:artikel|themen|beiträge)|mehr\s+zum\s+thema\b.{0,40}|das\s+könnte\s+sie\s+auch\s+interessieren|meistgelesen"
    r"|commentaires?|\d+\s+commentaires?|(?:à|a)\s+lire\s+aussi|sur\s+le\s+m(?:ê|e)me\s+sujet|articles?\s+(?:similaires|connexes|liés)|les\s+plus\s+lus"
    r"|comentarios?|\d+\s+comentarios?|noticias\s+relacionadas|(?:art[ií]culos?|notas)\s+relacionad[oa]s|lo\s+m[aá]s\s+le[ií]do|te\s+puede\s+interesar"
    r")$"
)

#: Bodies of pattern headings up to this many words are dropped with them.
SHORT_BODY_WORDS = 30


def _fold(s: str) -> str:
    """Heading text for matching: no markup, lower case, straight apostrophes, trimmed punctuation."""
    s = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"[*_`~\\]", "", s)
    s = s.replace("\u2019", "'").replace("\u2026", "...").casefold()
    s = re.sub(r"\s+", " ", s).strip()
    return s.strip(" .:!?…-–—|»›>«<()[]\"'")


def is_clutter_heading(text: str) -> bool:
    """True when a heading's text names site furniture rather than article content.

    Example:
        >>> [is_clutter_heading(t) for t in ("Comments (12)", "Popular on Example News", "How it works")]
        [True, True, False]
    """
    f = _fold(text)
    return bool(f) and len(f.split()) <= 10 and bool(_CLUTTER.match(f))


def _words(s: str) -> list[str]:
    return re.findall(r"\w+", s)


def _sentence_like(text: str) -> bool:
    """A heading that reads like a sentence (a dek or a bolded paragraph)."""
    t = re.sub(r"[*_`]", "", text).strip()
    return bool(re.search(r"[.!?…][\"'”’)]*$", t)) or len(_words(t)) >= 10


def _similar(a: str, b: str) -> float:
    """Word-set containment of the shorter in the longer (0..1), case-folded."""
    wa, wb = set(w.casefold() for w in _words(a)), set(w.casefold() for w in _words(b))
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def _link_like(line: str) -> bool:
    """A line of a link list: a URL, a 'Label: URL' line, or a list item holding a heading."""
    s = _LIST.sub("", line, count=1).strip()
    if not s:
        return True
    if re.match(r"^#{1,6}\s", s):  # "- ### Teaser headline #### teaser dek"
        return True
    rest = _URLISH.sub("", s)
    rest = re.sub(r"[*_`\\:|·•\-–—\s]", "", rest)
    if _URLISH.search(s) and len(rest) <= 40:
        return True
    return False


@dataclass(frozen=True)
class Cleaned:
    """The result of :func:`clean_markdown`.

    Attributes:
        text: the cleaned Markdown (headline kept as the only ``#`` line).
        title: the headline, or None.
        subtitle: the dek, or None.
        dropped: the clutter headings removed, in order.
    """

    text: str
    title: str | None
    subtitle: str | None
    dropped: tuple[str, ...] = ()


@dataclass
class _Block:
    heading: str | None  # heading text (None for the part before the first heading)
    level: int
    line: str  # the raw heading line
    body: list[str]

    @property
    def body_text(self) -> str:
        return "\n".join(self.body).strip()


def _split(md: str) -> list[_Block]:
    """Split Markdown into heading blocks (ATX headings outside code fences)."""
    blocks = [_Block(None, 0, "", [])]
    fence = None
    for line in md.splitlines():
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1) == fence:
                fence = None
            blocks[-1].body.append(line)
            continue
        if m:
            fence = m.group(1)
            blocks[-1].body.append(line)
            continue
        h = _ATX.match(line)
        if h and h.group(2).strip():
            blocks.append(_Block(h.group(2).strip(), len(h.group(1)), line, []))
        else:
            blocks[-1].body.append(line)
    return blocks


def clean_markdown(md: str, meta_title: str | None = None) -> Cleaned:
    """Tidy trafilatura's Markdown: headline -> title, dek -> subtitle, clutter out.

    Args:
        md: the extracted Markdown.
        meta_title: the page's metadata title, used to recognise the headline.

    Returns:
        The cleaned text, the headline, the dek and the dropped headings.

    Example:
        >>> c = clean_markdown("# Big news\\n\\nIt happened today.\\n\\n## Comments\\n\\n- [Reply](https://x.org)\\n")
        >>> c.title, c.text, c.dropped
        ('Big news', '# Big news\\n\\nIt happened today.\\n', ('Comments',))
    """
    blocks = _split(md.replace("\r\n", "\n").replace("\r", "\n"))
    pre = blocks[0]
    heads = blocks[1:]
    title = subtitle = None
    dropped: list[str] = []

    # 1. Headline: the first heading, when nothing but a short kicker precedes it,
    #    and it is a level-1 heading or matches the page's metadata title.
    pre_words = len(_words(pre.body_text))
    if heads and pre_words <= 4 and "\n\n" not in pre.body_text:
        h = heads[0]
        if h.level == 1 or (meta_title and _similar(h.heading, meta_title) >= 0.6):
            title = _plain(h.heading)
            pre.body = h.body  # a kicker before it ("Review", "Opinion") is not article text
            heads = heads[1:]
    # 2. Dek: a sentence-like heading right after the headline (or opening the text).
    if heads and not pre.body_text and _sentence_like(heads[0].heading) and not is_clutter_heading(heads[0].heading):
        subtitle = _plain(heads[0].heading)
        pre.body = heads[0].body
        heads = heads[1:]

    # 3. Clutter.
    keep = [True] * len(heads)
    for i, b in enumerate(heads):
        if not keep[i]:
            continue
        lines = [x for x in b.body if x.strip()]
        if is_clutter_heading(b.heading):
            keep[i] = False
            dropped.append(_plain(b.heading))
            if _short_or_links(b):
                b.body = []
            # Its subheadings ("Related" > teaser headlines) go too when they are
            # short teasers; real prose under them stays.
            sub = _subtree(heads, i)
            if sub and all(_short_or_links(heads[k]) for k in sub):
                for k in sub:
                    keep[k] = False
                    dropped.append(_plain(heads[k].heading))
                    heads[k].body = []
        elif lines and all(_link_like(x) for x in lines):
            keep[i] = False
            dropped.append(_plain(b.heading))
            b.body = []
    # Runs of two or more empty headings with no text under any of them
    # (sign-up widget leftovers: "Thanks for signing up!", "Sorry!").
    i = 0
    while i < len(heads):
        j = i
        while j < len(heads) and (not keep[j] or not heads[j].body_text):
            j += 1
        run = [k for k in range(i, j) if keep[k] and not heads[k].body_text]
        # only a run that ends at a heading not deeper than its first (no hidden children)
        if len(run) >= 2 and (j >= len(heads) or heads[j].level <= heads[run[0]].level):
            for k in run:
                keep[k] = False
                dropped.append(_plain(heads[k].heading))
        i = max(j, i + 1)

    # 4. Rebuild. The headline is the only level-1 heading; article headings are
    #    shifted down when the page used '#' for them too.
    kept = [b for b, k in zip(heads, keep) if k]
    shift = 1 if title is not None and any(b.level == 1 for b in kept) else 0
    out: list[str] = []
    if title is not None:
        out += ["# " + title, ""]
    out += pre.body
    for b, k in zip(heads, keep):
        if k:
            level = min(b.level + shift, 6)
            out += ["", "#" * level + " " + b.heading, ""]
        out += b.body
    text = "\n".join(out)
    text = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text).strip("\n") + "\n"
    return Cleaned(text, title, subtitle, tuple(dropped))


def _short_or_links(b: _Block) -> bool:
    """A block body that is short (<= SHORT_BODY_WORDS words) or only link-like lines."""
    lines = [x for x in b.body if x.strip()]
    return len(_words(b.body_text)) <= SHORT_BODY_WORDS or all(_link_like(x) for x in lines)


def _subtree(heads: list[_Block], i: int) -> list[int]:
    """Indexes of the headings nested under ``heads[i]`` (deeper, until one that is not)."""
    out = []
    for k in range(i + 1, len(heads)):
        if heads[k].level <= heads[i].level:
            break
        out.append(k)
    return out


def _plain(heading: str) -> str:
    """Heading text without emphasis markers and escapes."""
    s = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    s = re.sub(r"(\*\*|__|\*|_|`)(.+?)\1", r"\2", s)
    s = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", s)
    return re.sub(r"\s+", " ", s).strip()


def _strip_site(title: str | None, sitename: str | None) -> str | None:
    """``Story | Site`` -> ``Story`` when the suffix (or prefix) is the site's name."""
    if not title or not sitename:
        return title
    parts = re.split(r"\s+[|\u2013\u2014-]\s+", title)
    if len(parts) >= 2:
        if _similar(parts[-1], sitename) >= 0.6:
            return " - ".join(parts[:-1]).strip() or title
        if _similar(parts[0], sitename) >= 0.6:
            return " - ".join(parts[1:]).strip() or title
    return title


def parse_html(data: bytes | str, path: str | None = None, url: str | None = None, repair: bool = True) -> Document:
    """Build a :class:`Document` from an HTML page.

    Args:
        data: the page, as bytes (charset detected from the page) or text.
        path: what the user gave (a file name, ``-`` or the URL): kept as
            ``Document.path``.
        url: the page's address when it was fetched.
        repair: repair mojibake in the extracted text (see :func:`osce_brief.loaders.parse`).

    Raises:
        InputError: trafilatura is not installed (with the install command), or
            the page has no text.
    """
    from .gz import gunzip, is_gzip
    from .markdown import parse_markdown  # (not the package's parse: no import circle)

    if isinstance(data, bytes) and is_gzip(data):  # never let trafilatura inflate it unbounded
        data = gunzip(data, where=path or "input")
    found = extract(data, url)
    if found.kind == "document":
        text, title, subtitle = found.markdown, None, None
    else:
        cleaned = clean_markdown(found.markdown, found.title)
        text, title, subtitle = cleaned.text, cleaned.title, cleaned.subtitle
    fixes = 0
    if repair:
        from ..mojibake import repair as repair_mojibake

        text, fixes = repair_mojibake(text)
    doc = parse_markdown(text, path)
    meta: dict = {"repaired": {"mojibake": fixes}} if fixes else {}
    if found.kind == "document":
        title = doc.title or _plain_title(found.title)
    else:
        title = doc.title or title or _strip_site(found.title, found.sitename)
    if found.date:
        meta["date"] = found.date
    if found.sitename:
        meta["sitename"] = found.sitename
    page_url = url or found.url
    if page_url:
        meta["url"] = page_url
    return replace(doc, title=title, author=found.author, subtitle=subtitle, meta=meta)


def _plain_title(title: str | None) -> str | None:
    """A ``<title>`` as a document title: "Part | Site Documentation" -> "Part"."""
    if not title:
        return None
    parts = re.split(r"\s+[|\u2013\u2014]\s+|\s+-\s+", title)
    return parts[0].strip() or title
