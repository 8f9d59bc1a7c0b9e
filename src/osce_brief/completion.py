"""Shell completion of SECTION arguments: section numbers and headings.

``brief show <TAB>`` offers the numbers of the document's sections (with their
headings as descriptions where the shell shows them: zsh, fish), ``lead`` and
``all``; ``brief show exp<TAB>`` completes a heading (``expert Opinions and
Analysis``, a valid selector). The document is the one named on the command
line (before the cursor, or after it in bash, which passes the whole line), or
the bundled article. Paths are left to the shell's own file completion.

This runs only when the shell asks (``_BRIEF_COMPLETE`` is set), never on a
normal run, and never prints an error: a document that cannot be read gives no
candidates.
"""

from __future__ import annotations

import os
import re

#: At most this many candidates (a book has hundreds of chapters).
MAX_CANDIDATES = 400
_NUMBERS = re.compile(r"^((?:\d+\s*[,-]\s*)*)(\d*)$")
_BASH_SPECIAL = re.compile(r"([^\w\-.,/@%+=])")
_WORD = re.compile(r"\w[\w'\u2019-]*")
_PLAIN = re.compile(r"[\w\s'\u2019-]*")


def bash_words(words: str) -> list[str]:
    """Bash's ``COMP_WORDS`` as the completion script passes it, one word a line
    (joined with ``IFS=$'\\n'``), quotes removed and empty words kept: the word
    under the cursor is empty in ``brief show <TAB> story.md``, and splitting on
    all whitespace (as Typer does) would lose it and take ``story.md`` for it.

    Example:
        >>> bash_words("brief\\nshow\\n\\nstory.md"), bash_words("brief show 'arms control'")
        (['brief', 'show', '', 'story.md'], ['brief', 'show', 'arms control'])
    """
    import shlex

    def unquote(word: str) -> str:
        try:
            return " ".join(shlex.split(word))
        except ValueError:
            return word.lstrip("'\"")

    if "\n" in words:
        return [unquote(w) for w in words.split("\n")]
    try:
        return shlex.split(words)
    except ValueError:
        return words.split()


#: Options whose value is not the document (``--save out.html``, ``-n 3``).
_VALUED = frozenset(
    "--save --export --config --encoding -E --format -f --width -w --max-bytes --section -s -S --method -m "
    "--sentences -n --number --ratio --words --unit -u --context -C --max --depth -d".split()
)


def command_line_words() -> list[str]:
    """The words of the command line being completed, except the one under the
    cursor: before it for every shell, after it too for bash (which passes the
    whole line; zsh and fish pass the line up to the cursor)."""
    if os.environ.get("COMP_WORDS") is not None:
        words, cword = bash_words(os.environ["COMP_WORDS"]), os.environ.get("COMP_CWORD", "")
        k = int(cword) if cword.isdigit() else len(words)
        return words[1:k] + words[k + 1 :]
    line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
    words = bash_words(line)[1:]
    if words and not line.endswith(" "):
        words = words[:-1]  # the word under the cursor
    return words


def document_path(words: list[str]) -> str | None:
    """The first word that names an existing file and is no option's value
    (URLs are never fetched while completing)."""
    after_option = False
    for word in words:
        if after_option or not word or word.startswith("-"):
            after_option = word in _VALUED
            continue
        if os.path.isfile(word):
            return word
    return None


def _quote(text: str, bash: bool) -> str:
    text = " ".join(text.split())
    return _BASH_SPECIAL.sub(r"\\\1", text) if bash else text


def section_candidates(doc, incomplete: str, bash: bool = False) -> list[tuple[str, str]]:
    """``(value, description)`` pairs completing ``incomplete`` as a SECTION of ``doc``.

    Every value starts with ``incomplete`` (the shells and Typer keep only
    those). Numbers complete the last item of a list or range (``1,`` -> ``1,2``...);
    words complete a heading from the heading word they start. ``bash``:
    spaces and shell characters are escaped, as bash inserts values verbatim.

    Example:
        >>> from osce_brief import load
        >>> section_candidates(load(), "4")[0]
        ('4', 'Expert Opinions and Analysis')
        >>> section_candidates(load(), "Exp")
        [('Expert Opinions and Analysis', '§4')]
        >>> section_candidates(load(), "opin", bash=True)
        [('opinions\\\\ and\\\\ Analysis', '§4')]
        >>> section_candidates(load(), "fin")
        [('final Thoughts', '§6')]
    """
    from .sanitize import clean

    out: list[tuple[str, str]] = []
    sections = doc.sections
    m = _NUMBERS.match(incomplete)
    if m:
        head, digits = m.groups()
        low_end = int(re.split(r"[,-]", head.rstrip(" ,-"))[-1]) if head.rstrip().endswith("-") else 0
        for s in sections:
            if str(s.index).startswith(digits) and s.index >= low_end:
                out.append((head + str(s.index), clean(s.title)))
    if not incomplete or not m:
        low = incomplete.casefold()
        lead = doc.lead is not None and any(p.kind != "meta" for p in doc.lead.paragraphs)
        for word, desc in (("all", "the whole article"), ("lead", "the text before the first heading")):
            if word.startswith(low) and (word != "lead" or lead):
                out.append((incomplete + word[len(incomplete):], desc))
        if incomplete:
            for s in sections:
                title = " ".join(clean(s.title).split())
                for w in _WORD.finditer(title):
                    if w.group(0).casefold().startswith(low):
                        # up to the first punctuation: heading words are a selector
                        rest = _PLAIN.match(title, w.start()).group(0).rstrip()[len(incomplete):]
                        out.append((incomplete + _quote(rest, bash), f"§{s.index}"))
                        break
    seen: set[str] = set()
    unique = []
    for value, desc in out:
        if value not in seen:
            seen.add(value)
            unique.append((value, desc))
    return unique[:MAX_CANDIDATES]


def complete_section(params: dict, incomplete: str) -> list[tuple[str, str]]:
    """Candidates for a SECTION of the document named on the command line (the
    bundled article when none is), read with the options parsed so far
    (``params``: ``fmt``, ``encoding``); [] when it cannot be read."""
    path = document_path(command_line_words())
    try:
        from .api import load

        doc = load(path, encoding=params.get("encoding"), fmt=params.get("fmt"))
        return section_candidates(doc, incomplete, bash=os.environ.get("_BRIEF_COMPLETE", "").endswith("bash"))
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        return []
