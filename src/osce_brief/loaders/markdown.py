"""Markdown loader, built on markdown-it-py's token stream.

Headings keep their levels and nesting. YAML front matter gives the title and
metadata and is kept out of the body. Code blocks, tables, lists, quotes and raw
HTML are blocks of their own kind and are never split into sentences. Offsets
come from the tokens' line maps, so every span points into the original source.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from ..model import Document, Paragraph, Section

_FRONT = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_KV = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_BLOCK_KIND = {
    "paragraph_open": "text",
    "fence": "code",
    "code_block": "code",
    "table_open": "table",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "blockquote_open": "quote",
    "html_block": "html",
    "hr": "rule",
}
_md: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _md
    if _md is None:
        _md = MarkdownIt("commonmark", {"maxNesting": 100}).enable("table").enable("strikethrough")
    return _md


def _front_matter(text: str) -> tuple[dict, int]:
    """Parse simple ``key: value`` YAML front matter; return (fields, body offset)."""
    m = _FRONT.match(text)
    if not m:
        return {}, 0
    fields: dict = {}
    for line in m.group(1).splitlines():
        kv = _KV.match(line)
        if kv and kv.group(2):
            val = kv.group(2)
            if len(val) >= 2 and val[0] == val[-1] and val[0] in "\"'":
                val = val[1:-1]
            fields[kv.group(1).lower()] = val
    return fields, m.end()


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer(r"\r\n|\r|\n", text):
        starts.append(m.end())
    return starts


def _heading_text(raw: str) -> str:
    """Heading text without ATX markers, setext underline or inline markup."""
    first = raw.strip().splitlines()[0] if raw.strip() else ""
    lines = raw.strip().splitlines()
    if len(lines) >= 2 and re.match(r"^\s*(=+|-+)\s*$", lines[-1]):
        first = " ".join(x.strip() for x in lines[:-1])
    first = re.sub(r"^\s{0,3}#{1,6}\s*", "", first)
    first = re.sub(r"\s+#+\s*$", "", first)
    first = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", first)
    first = re.sub(r"(\*\*|__|\*|_|`)(.+?)\1", r"\2", first)
    return first.strip()


def parse_markdown(text: str, path: str | None = None) -> Document:
    """Build a :class:`Document` from Markdown source.

    Args:
        text: the Markdown text.
        path: the name to show.
    """
    fields, body = _front_matter(text)
    starts = _line_starts(text)
    base_line = text.count("\n", 0, body) if body else 0
    n = len(text)

    def span(l0: int, l1: int) -> tuple[int, int]:
        s = starts[base_line + l0] if base_line + l0 < len(starts) else n
        e = starts[base_line + l1] if base_line + l1 < len(starts) else n
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        return s, e

    tokens = _parser().parse(text[body:])
    blocks: list[tuple[str, int, int, int]] = []  # (kind, start, end, level) level>0: heading
    titles: dict[int, str | None] = {}
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.level == 0 and t.map is not None:
            if t.type == "heading_open":
                s, e = span(*t.map)
                inline = tokens[i + 1] if i + 1 < len(tokens) else None
                titles[s] = _inline_text(inline) if inline is not None and inline.type == "inline" else None
                blocks.append(("heading", s, e, int(t.tag[1])))
            elif t.type in _BLOCK_KIND:
                s, e = span(*t.map)
                if s < e:
                    blocks.append((_BLOCK_KIND[t.type], s, e, 0))
        i += 1

    blocks = _fill_gaps(text, body, blocks)
    title = fields.get("title")
    meta = {k: v for k, v in fields.items() if k not in ("title", "author", "subtitle", "description")}
    author = fields.get("author")
    subtitle = fields.get("subtitle") or fields.get("description")
    heads = [b for b in blocks if b[0] == "heading"]
    # A lone top-level H1 opening the document is its title, not a section.
    if title is None and heads and heads[0][3] == 1 and sum(1 for h in heads if h[3] == 1) == 1:
        if not any(b[0] != "heading" for b in blocks if b[1] < heads[0][1]):
            title = titles.get(heads[0][1]) or _heading_text(text[heads[0][1] : heads[0][2]])
            blocks = [b for b in blocks if b is not heads[0]]
            title_block = heads[0]
        else:
            title_block = None
    else:
        title_block = None

    def para(kind: str, s: int, e: int) -> Paragraph:
        return Paragraph(s, e, text[s:e], kind)

    lead_paras: list[Paragraph] = []
    if body:
        fs, fe = 0, body
        while fe > fs and text[fe - 1].isspace():
            fe -= 1
        lead_paras.append(Paragraph(fs, fe, text[fs:fe], "meta"))
    if title_block is not None:
        lead_paras.append(Paragraph(title_block[1], title_block[2], text[title_block[1] : title_block[2]], "meta"))

    sections: list[dict] = []
    for kind, s, e, lvl in blocks:
        if kind == "heading":
            sections.append({"level": lvl, "hs": s, "he": e, "paras": []})
        elif sections:
            sections[-1]["paras"].append(para(kind, s, e))
        else:
            lead_paras.append(para(kind, s, e))

    # Levels: keep markdown levels but normalise so the shallowest is 1.
    min_level = min((d["level"] for d in sections), default=1)
    out: list[Section] = []
    stack: list[tuple[int, int]] = []
    for k, d in enumerate(sections):
        level = d["level"] - min_level + 1
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        stack.append((level, k + 1))
        start = _line_start(text, d["hs"])
        out.append(
            Section(k + 1, level, titles.get(d["hs"]) or _heading_text(text[d["hs"] : d["he"]]), start, 0, d["hs"], d["he"], parent, tuple(d["paras"]))
        )
    ends = [s.start for s in out[1:]] + [n]
    out = [
        Section(s.index, s.level, s.title, s.start, e, s.heading_start, s.heading_end, s.parent, s.paragraphs)
        for s, e in zip(out, ends)
    ]
    lead_end = out[0].start if out else n
    lead_paras.sort(key=lambda p: p.start)
    lead = Section(0, 0, "", 0, lead_end, 0, 0, None, tuple(lead_paras), "lead") if lead_end > 0 else None
    return Document(text, path, "markdown", title, author, subtitle, meta, tuple(out), lead, None)


def _fill_gaps(text: str, body: int, blocks: list[tuple[str, int, int, int]]) -> list[tuple[str, int, int, int]]:
    """Keep text that produced no token (link reference definitions, overlaps)
    as ``meta`` blocks, so nothing of the source is ever dropped."""
    out: list[tuple[str, int, int, int]] = []
    pos = body
    for b in sorted(blocks, key=lambda b: b[1]):
        if b[1] < pos:  # overlapping maps: keep the part that is new
            if b[2] <= pos:
                continue
            b = (b[0], pos, b[2], b[3]) if b[0] != "heading" else b
            if b[1] < pos:
                continue
        for s, e in _nonblank_runs(text, pos, b[1]):
            out.append(("meta", s, e, 0))
        out.append(b)
        pos = b[2]
    for s, e in _nonblank_runs(text, pos, len(text)):
        out.append(("meta", s, e, 0))
    return out


def _nonblank_runs(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Trimmed spans of the non-blank stretches of ``text[s:e]`` split at blank lines."""
    runs = []
    for m in re.finditer(r"\S(?:.*?\S)?(?=\s*(?:\n[ \t]*\r?\n|\Z))", text[s:e], re.S):
        runs.append((s + m.start(), s + m.end()))
    return runs


_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}")


def _inline_text(token) -> str:
    """Plain text of an inline token: markup dropped, entities decoded."""
    out: list[str] = []
    for c in token.children or []:
        if c.type in ("text", "code_inline"):
            out.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif c.type == "image":
            out.append(c.content)
    return re.sub(r"\s+", " ", _SHORTCODE.sub("", "".join(out))).strip()


def _line_start(text: str, pos: int) -> int:
    """Offset of the start of the line holding ``pos``."""
    return max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1
