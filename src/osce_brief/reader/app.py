"""The Textual app behind ``brief read``: outline tree, text pane, prompt, panels.

Article text reaches the screen only as :class:`rich.text.Text` (or segments
built from it) made of :func:`osce_brief.sanitize.clean` output, never as
markup. All document work goes through the public API
(:mod:`osce_brief.api`); the heavy parts (summary, key phrases, hedges) run in
thread workers while a spinner shows.
"""

from __future__ import annotations

import os
import shlex

from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.message import Message
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Label, LoadingIndicator, OptionList, Static, Tree
from textual.widgets.option_list import Option

from ..model import Document
from ..sanitize import clean
from .layout import DocLines
from .state import State

MEASURE = 88  # widest text column
OUTLINE_WIDTH = 40

#: (keys, what they do): the ``?`` screen and the README's table.
KEYS = [
    ("j / k, \u2193 / \u2191", "scroll a line"),
    ("space / b, PgDn / PgUp", "scroll a screen"),
    ("g / G, Home / End", "top / bottom"),
    ("] / [", "next / previous section"),
    (":", "go to a section (3, expert, second epilogue)"),
    ("/", "search (word forms, \"phrases\", smart case)"),
    ("n / N", "next / previous match"),
    ("Esc", "close the prompt or panel, clear the search"),
    ("t", "show / hide the outline"),
    ("Tab", "move focus between outline, text and panel"),
    ("Enter, click", "in the outline or a panel: jump there"),
    ("s", "summary panel (Enter jumps to the sentence)"),
    ("K", "key phrases (Enter searches for one)"),
    ("h", "mark hedged sentences and their cue words"),
    ("m", "bookmark the section in view (again: remove)"),
    ("'", "bookmarks (Enter jumps)"),
    ("d", "dark / light theme"),
    ("?", "this help"),
    ("q, Ctrl+C", "quit (the place is remembered)"),
]


class HelpScreen(ModalScreen):
    """All the keys."""

    BINDINGS = [Binding("escape,q,question_mark", "app.pop_screen", "close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Static { width: auto; max-width: 90; padding: 1 2; border: round $accent; background: $surface; }
    """

    def compose(self) -> ComposeResult:
        t = Text("Keys\n\n", "bold")
        w = max(len(k) for k, _ in KEYS)
        for k, what in KEYS:
            t.append(k.ljust(w + 2), "bold cyan")
            t.append(what + "\n")
        t.append("\nEsc or q closes this.", "dim")
        yield Static(t)


class Moved(Message):
    """The text pane scrolled or was laid out again."""


class DocView(ScrollView, can_focus=True):
    """The whole document as one scroll of lines, laid out section by section
    when they come near the view (see :class:`~osce_brief.reader.layout.DocLines`)."""

    DEFAULT_CSS = "DocView { width: 1fr; height: 1fr; scrollbar-size-vertical: 1; overflow-x: hidden; }"

    def __init__(self, lines: DocLines, **kw) -> None:
        super().__init__(**kw)
        self.lines = lines
        self._busy = False
        self.pin: int | None = None  # the offset last jumped to: its section is "current" while in view
        self._style = None

    # -------------------------------------------------------- geometry
    def margin(self) -> int:
        return max(0, (self.size.width - 1 - self.lines.measure) // 2)

    def on_resize(self) -> None:
        measure = max(20, min(MEASURE, self.size.width - 2))
        if measure != self.lines.measure:
            keep = self.lines.offset_at_line(round(self.scroll_y)) if self.lines.cache else None
            pin = self.pin
            self.lines.set_measure(measure)
            self.virtual_size = Size(self.size.width, self.lines.total)
            if keep:
                self.show_offset(keep, at=0)
                self.pin = pin
                return
        self.virtual_size = Size(self.size.width, self.lines.total)
        self.prepare()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.prepare()

    def _set_y(self, y: int) -> None:
        self.virtual_size = Size(self.size.width, self.lines.total)
        y = max(0, min(y, self.lines.total - self.size.height))
        self.set_scroll(None, y)
        self.scroll_target_y = y

    def prepare(self) -> None:
        """Lay out the sections in view; the one above follows after the paint (so
        scrolling up into it is smooth), keeping the view still."""
        if self._busy:
            return
        self._busy = True
        try:
            L, h = self.lines, max(1, self.size.height)
            for _ in range(6):
                y0 = round(self.scroll_y)
                i = L.index_at_line(y0)
                changed = False
                j = i
                while j < len(L.sections) and L.tops[j] <= y0 + h:
                    _, d = L.laid(j)
                    changed = changed or bool(d)
                    j += 1
                if not changed:
                    break
            self.virtual_size = Size(self.size.width, L.total)
            if i > 0 and (i - 1) not in L.cache:
                self.call_after_refresh(self._warm_above)
        finally:
            self._busy = False
        self.refresh()
        self.post_message(Moved())

    def _warm_above(self) -> None:
        L = self.lines
        y0 = round(self.scroll_y)
        i = L.index_at_line(y0)
        if i > 0 and (i - 1) not in L.cache:
            _, d = L.laid(i - 1)
            if d:
                self._busy = True
                try:
                    self._set_y(y0 + d)
                finally:
                    self._busy = False
                self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        segs = self.lines.line(self.scroll_offset.y + y)
        if segs is None:
            segs = []
            self.call_later(self.prepare)
        m = self.margin()
        strip = Strip(([Segment(" " * m)] if m else []) + segs)
        if self._style is None:  # (rich_style walks the DOM: ~1 ms, once per theme, not per line)
            self._style = self.rich_style
        return strip.extend_cell_length(width).crop(0, width).apply_style(self._style)

    # -------------------------------------------------------- moves
    def go_line(self, y: int) -> None:
        self.lines.laid(self.lines.index_at_line(max(0, y)))
        self._set_y(y)
        self.prepare()

    def show_section(self, i: int) -> None:
        self.lines.laid(i)
        self.pin = self.lines.sections[i].start
        self.go_line(self.lines.top_of(i))

    def show_offset(self, off: int, at: int | None = None) -> None:
        """Bring source offset ``off`` into view (``at`` rows from the top; default a third down)."""
        y = self.lines.line_of_offset(off)
        self.pin = off
        self.go_line(y - (self.size.height // 3 if at is None else at))
        # the jump may have laid out the section above: find the line again
        y2 = self.lines.line_of_offset(off)
        if y2 != y:
            self.go_line(y2 - (self.size.height // 3 if at is None else at))

    def current(self) -> int:
        """Position (in ``lines.sections``) of the section at the top of the view."""
        y0 = round(self.scroll_y)
        if self.pin is not None:
            y = self.lines.line_of_offset(self.pin)
            if y0 <= y < y0 + self.size.height:
                return self.lines.index_of_offset(self.pin)
            self.pin = None
        if y0 > 0 and y0 >= self.max_scroll_y:  # at the bottom: the last section in view
            return self.lines.index_at_line(self.lines.total - 1)
        return self.lines.index_at_line(y0 + 2)

    def percent(self) -> int:
        top = self.max_scroll_y
        return 100 if top <= 0 else round(100 * self.scroll_y / top)


class ReaderApp(App):
    """``brief read``: the reader for one document."""

    TITLE = "brief read"
    CSS = """
    #outline { width: 40; max-width: 36%; overflow-x: hidden; max-width: 45%; border-right: vkey $panel-lighten-2; }
    #outline.hidden, #panel.hidden, #prompt.hidden, #busy.hidden { display: none; }
    #panel { width: 46; max-width: 60%; border-left: vkey $panel-lighten-2; }
    #panel-title { width: 1fr; padding: 0 1; text-style: bold; }
    #panel-list { height: 1fr; border: none; }
    #busy { height: 1; }
    #prompt { height: 1; dock: bottom; }
    #prompt-label { width: auto; padding: 0 1 0 0; }
    #prompt-input { width: 1fr; height: 1; border: none; padding: 0; }
    #status { height: 1; background: $panel; padding: 0 1; }
    #keys { height: 1; background: $footer-background; color: $footer-foreground; }
    """
    BINDINGS = [
        Binding("q", "quit", "quit"),
        Binding("ctrl+c", "interrupt", "quit", show=False, priority=True),
        Binding("question_mark", "help", "keys"),
        Binding("colon", "prompt('goto')", "go to"),
        Binding("slash", "prompt('search')", "search"),
        Binding("n", "hit(1)", "next", show=False),
        Binding("N", "hit(-1)", "prev", show=False),
        Binding("right_square_bracket", "section(1)", "next §"),
        Binding("left_square_bracket", "section(-1)", "prev §", show=False),
        Binding("t", "toggle_outline", "outline"),
        Binding("s", "panel('summary')", "summary"),
        Binding("K", "panel('keywords')", "key phrases"),
        Binding("h", "hedges", "hedges"),
        Binding("m", "bookmark", "mark", show=False),
        Binding("apostrophe", "panel('bookmarks')", "marks", show=False),
        Binding("d", "theme", "theme", show=False),
        Binding("escape", "escape", "", show=False),
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
        Binding("space,pagedown", "page(1)", show=False),
        Binding("b,pageup", "page(-1)", show=False),
        Binding("g,home", "ends(0)", show=False),
        Binding("G,end", "ends(1)", show=False),
    ]

    def __init__(self, doc: Document, theme: str = "dark", state_path: str | None = None) -> None:
        self.color = "NO_COLOR" not in os.environ  # (Textual takes NO_COLOR out of the environment)
        super().__init__()
        self.doc = doc
        self.lines = DocLines(doc, MEASURE, color=self.color)
        self.theme = "textual-light" if theme == "light" else "textual-dark"
        self.state = State(doc.source, state_path)
        self.hits: list[tuple[int, int]] = []
        self.hit_at = -1
        self.query_text = ""
        self.hedge_marks: list[tuple[int, int, str]] | None = None
        self.hedge_share: dict[int, float] = {}
        self.hedges_on = False
        self.focus_mark: tuple[int, int] | None = None
        self.message = ""
        self.prompt_mode = ""
        self.panel_mode = ""
        self.panel_items: list = []
        self.nodes: dict[int, object] = {}
        self.numbered = [i for i, s in enumerate(self.lines.sections) if s.kind == "section"]
        self._last_current = -1
        self.summary_result = None
        self.keywords_result = None
        self._outline_stepped_aside = False
        self.outline_width = OUTLINE_WIDTH

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield self._tree()
            yield DocView(self.lines, id="text")
            with Vertical(id="panel", classes="hidden"):
                yield Label("", id="panel-title", markup=False)
                yield OptionList(id="panel-list")
        with Horizontal(id="prompt", classes="hidden"):
            yield Label("", id="prompt-label", markup=False)
            yield Input(id="prompt-input", select_on_focus=False)
        yield LoadingIndicator(id="busy", classes="hidden")
        yield Static("", id="status", markup=False)
        yield Static(self._keys_line(), id="keys", markup=False)

    def _keys_line(self) -> Text:
        """The footer: the main keys (a plain line; Textual's Footer costs a widget per key)."""
        t = Text(" ")
        for key, what in (("q", "quit"), ("?", "keys"), (":", "go to"), ("/", "search"), ("n/N", "match"),
                          ("]/[", "section"), ("t", "outline"), ("s", "summary"), ("K", "phrases"),
                          ("h", "hedges"), ("m/'", "marks")):
            t.append(f" {key} ", "bold reverse" if self.color else "bold")
            t.append(f" {what} ")
        return t

    def _tree(self) -> Tree:
        from ..api import outline

        o = outline(self.doc, auto=True)
        depth = o.depth
        tree: Tree = Tree(Text(clean(self.doc.title or os.path.basename(self.doc.display_path)), "bold"), id="outline")
        tree.show_root = True
        tree.guide_depth = 2
        root = tree.root
        root.expand()
        pos = {s.index: i for i, s in enumerate(self.lines.sections) if s.kind == "section"}
        if self.doc.lead is not None and self.doc.lead.words:
            self.nodes[0] = root.add_leaf(Text("(lead)", "italic dim"), data=0)
        self.entries = {e.index: e for e in o.entries}
        for e in o.entries:
            parent = self.nodes.get(e.parent, root) if e.parent is not None else root
            node = (parent.add if e.children else parent.add_leaf)(self._label(e), data=pos.get(e.index))
            if e.children and (depth is None or e.level < depth):
                node.expand()
            self.nodes[e.index] = node
        return tree

    def _label(self, e) -> Text:
        """An outline entry: number, title (cut to fit), words, then hits and hedged share."""
        t = Text(f"{e.index} ", "cyan")
        words = f" {e.words:,}"
        hits = self.section_hits.get(e.index) if hasattr(self, "section_hits") else None
        extra = [(f" \u2022{hits}", "bold yellow")] if hits else []
        if self.hedges_on and e.index in self.hedge_share:
            extra.append((f" {round(100 * self.hedge_share[e.index])}%h", "magenta"))
        room = self.outline_width - 4 - 2 * e.level - len(t) - len(words) - sum(len(x) for x, _ in extra)
        title = clean(e.title)
        if len(title) > room:
            title = title[: max(4, room - 1)].rstrip() + "\u2026"
        t.append(title, "bold" if e.level == 1 else "")
        t.append(words, "dim")
        for x, style in extra:
            t.append(x, style)
        return t

    def _relabel(self) -> None:
        for idx, e in self.entries.items():
            node = self.nodes.get(idx)
            if node is not None:
                node.set_label(self._label(e))

    @property
    def view(self) -> DocView:
        return self.query_one("#text", DocView)

    def on_mount(self) -> None:
        self.section_hits: dict[int, int] = {}
        self.view.focus()
        if self.state.error:
            self.message = self.state.error
        if self.state.position:
            self.call_after_refresh(self._resume)
        self.call_after_refresh(self.update_status)

    def _resume(self) -> None:
        self.view.show_offset(self.state.position, at=0)
        self.message = self.message or "back where you left off"
        self.update_status()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_outline)

    def _fit_outline(self) -> None:
        tree = self.query_one("#outline", Tree)
        width = tree.size.width or OUTLINE_WIDTH
        if width != self.outline_width and not tree.has_class("hidden"):
            self.outline_width = width
            self._relabel()

    def on_unmount(self) -> None:
        self._save()

    def _save(self) -> None:
        try:
            view = self.view
            pos = self.lines.offset_at_line(round(view.scroll_y))
        except Exception:  # the screen is gone: keep the last known place
            pos = self.state.position
        self.state.save(pos)

    # ------------------------------------------------------------ status
    def on_moved(self, _: Moved) -> None:
        self.update_status()

    def update_status(self) -> None:
        try:
            view = self.view
            status = self.query_one("#status", Static)
        except Exception:
            return
        cur = view.current()
        s = self.lines.sections[cur]
        t = Text()
        t.append(clean(self.doc.title or self.doc.display_path)[:60], "bold")
        n = len(self.doc.sections)
        where = f"\u00a7{s.index} of {n}" if s.kind == "section" else ("lead" if s.kind == "lead" else "back matter")
        t.append(f"  {where}  {view.percent()}%")
        if self.hits:
            t.append(f"  match {self.hit_at + 1} of {len(self.hits)}", "bold")
        if self.hedges_on:
            t.append("  hedges on", "magenta")
        if self.message:
            t.append(f"  {self.message}", "italic")
        status.update(t)
        if cur != self._last_current:
            self._last_current = cur
            self._highlight_outline(s.index if s.kind == "section" else 0)

    def _highlight_outline(self, index: int) -> None:
        tree = self.query_one("#outline", Tree)
        node = self.nodes.get(index)
        while node is not None and node.parent is not None and not all(
            a.is_expanded for a in _ancestors(node)
        ):
            node = node.parent
        if node is not None and node.line >= 0:
            tree.move_cursor(node, animate=False)

    def say(self, msg: str) -> None:
        self.message = msg
        self.update_status()

    # ------------------------------------------------------------ moves
    def action_scroll(self, n: int) -> None:
        self.message = ""
        self.view.pin = None
        self.view.go_line(round(self.view.scroll_y) + n)

    def action_page(self, n: int) -> None:
        self.message = ""
        self.view.pin = None
        self.view.go_line(round(self.view.scroll_y) + n * max(1, self.view.size.height - 2))

    def action_ends(self, end: int) -> None:
        self.message = ""
        view = self.view
        view.pin = None
        if end:
            last = len(self.lines.sections) - 1
            self.lines.laid(last)
            view.go_line(self.lines.total)
        else:
            view.go_line(0)

    def action_section(self, step: int) -> None:
        self.message = ""
        view = self.view
        cur = view.current()
        target = cur + step
        if step < 0 and round(view.scroll_y) > self.lines.top_of(cur):
            target = cur  # back to the start of this one first
        target = max(0, min(len(self.lines.sections) - 1, target))
        view.show_section(target)

    def jump_section(self, pos: int) -> None:
        self.view.show_section(pos)
        self.update_status()

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data is not None:
            self.jump_section(event.node.data)

    def action_toggle_outline(self) -> None:
        tree = self.query_one("#outline", Tree)
        tree.toggle_class("hidden")
        if tree.has_class("hidden") and tree.has_focus:
            self.view.focus()

    def action_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def watch_theme(self, theme: str) -> None:
        try:
            view = self.view
        except Exception:  # not composed yet
            return
        view._style = None
        view.refresh()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        self._save()
        self.exit(return_code=0)

    def action_interrupt(self) -> None:
        """Ctrl+C: quit as q does, with the exit code of an interrupt (130)."""
        self._save()
        self.exit(return_code=130)

    # ------------------------------------------------------------ the prompt
    def action_prompt(self, mode: str) -> None:
        self.prompt_mode = mode
        box = self.query_one("#prompt")
        box.remove_class("hidden")
        label = self.query_one("#prompt-label", Label)
        label.update(Text(":" if mode == "goto" else "/", "bold"))
        inp = self.query_one("#prompt-input", Input)
        inp.value = ""
        inp.placeholder = "section: 3, expert, second epilogue" if mode == "goto" else "search: words, \"a phrase\""
        inp.focus()

    def close_prompt(self) -> None:
        self.query_one("#prompt").add_class("hidden")
        self.prompt_mode = ""
        self.view.focus()

    def prompt_error(self, msg: str) -> None:
        label = self.query_one("#prompt-label", Label)
        label.update(Text(msg + "  ", "bold red" if self.color else "bold"))

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.prompt_mode:
            self.query_one("#prompt-label", Label).update(Text(":" if self.prompt_mode == "goto" else "/", "bold"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.close_prompt()
            return
        if self.prompt_mode == "goto":
            self.goto(value)
        elif self.prompt_mode == "search":
            self.run_search(value)

    def goto(self, spec: str) -> bool:
        """Jump to the first section ``spec`` (``brief show``'s SECTION) names."""
        from ..api import select
        from ..errors import BriefError

        try:
            chosen = select(self.doc, spec, children=False).in_document(self.doc)
        except BriefError as e:
            self.prompt_error(clean(e.message + (f" ({e.hint})" if getattr(e, "hint", None) else "")))
            return False
        if not chosen:
            self.prompt_error(f"no section {spec}")
            return False
        target = chosen[0]
        pos = next(i for i, s in enumerate(self.lines.sections) if s is target or s.start == target.start)
        self.close_prompt()
        self.message = ""
        self.jump_section(pos)
        return True

    # ------------------------------------------------------------ search
    def run_search(self, query: str) -> bool:
        """Search with ``brief search``'s engine; highlight and go to the first hit."""
        from ..api import search
        from ..errors import BriefError

        try:
            terms = shlex.split(query)
        except ValueError:
            terms = query.split()
        if not terms:
            return False
        try:
            result = search(self.doc, terms)
        except BriefError as e:
            self.prompt_error(clean(e.message))
            return False
        hits = sorted({h for p in result.passages for h in p.hits})
        if not hits:
            msg = f"no match for {query}"
            if result.suggestions:
                msg += f"; did you mean {' '.join(result.suggestions)}?"
            self.prompt_error(clean(msg))
            return False
        self.close_prompt()
        self.query_text = query
        self.hits = hits
        counts: dict[int, int] = {}
        for p in result.passages:
            counts[p.section_index] = counts.get(p.section_index, 0) + len(p.hits)
        self.section_hits = counts
        self._relabel()
        # the first hit at or after the view
        top = self.lines.offset_at_line(round(self.view.scroll_y))
        self.hit_at = next((k for k, (a, _) in enumerate(hits) if a >= top), 0)
        self.message = ""
        self._show_hit()
        return True

    def _show_hit(self) -> None:
        self._apply_marks()
        a, _ = self.hits[self.hit_at]
        self.view.show_offset(a)
        self.update_status()

    def action_hit(self, step: int) -> None:
        if not self.hits:
            self.say("no search: press / to search")
            return
        self.hit_at = (self.hit_at + step) % len(self.hits)
        self._show_hit()

    def clear_search(self) -> None:
        self.hits, self.hit_at, self.query_text = [], -1, ""
        self.section_hits = {}
        self._relabel()
        self._apply_marks()
        self.update_status()

    def _apply_marks(self) -> None:
        marks: list[tuple[int, int, str]] = []
        if self.hedges_on and self.hedge_marks:
            marks.extend(self.hedge_marks)
        if self.focus_mark:
            marks.append((*self.focus_mark, "focus"))
        for k, (a, b) in enumerate(self.hits):
            marks.append((a, b, "current" if k == self.hit_at else "hit"))
        self.lines.set_marks(marks)
        self.view.prepare()

    def action_escape(self) -> None:
        if self.prompt_mode:
            self.close_prompt()
        elif self.panel_mode:
            self.close_panel()
        elif self.hits or self.focus_mark:
            self.focus_mark = None
            self.clear_search()
        self.message = ""
        self.update_status()

    # ------------------------------------------------------------ hedges
    def action_hedges(self) -> None:
        if self.hedge_marks is None:
            self.busy(True, "finding hedged sentences\u2026")
            self.run_worker(self._hedges_work, thread=True, exclusive=True, group="hedges")
            return
        self.hedges_on = not self.hedges_on
        self._relabel()
        self._apply_marks()
        self.update_status()

    def _hedges_work(self) -> None:
        from ..api import hedges

        try:
            report = hedges(self.doc)
        except Exception as e:  # a worker's error must not take the reader down
            self.call_from_thread(self._work_failed, "hedges", e)
            return
        marks: list[tuple[int, int, str]] = []
        for s in report.sentences:
            if s.hedged:
                marks.append((s.start, s.end, "hedged"))
                marks.extend((a, b, "cue") for a, b in s.cues)
        share = {sec.index: sec.hedged / sec.sentences for sec in report.sections if sec.sentences}
        self.call_from_thread(self._hedges_done, marks, share)

    def _hedges_done(self, marks, share) -> None:
        self.hedge_marks, self.hedge_share = marks, share
        self.busy(False)
        self.hedges_on = True
        self._relabel()
        self._apply_marks()
        self.say(f"{sum(1 for m in marks if m[2] == 'hedged')} hedged sentences")

    # ------------------------------------------------------------ panels
    def busy(self, on: bool, msg: str = "") -> None:
        """Show or hide the spinner (a line above the status) while a worker runs."""
        self.query_one("#busy").set_class(not on, "hidden")
        if on:
            if self.panel_mode:
                self.query_one("#panel-title", Label).update(Text(msg))
            self.say(msg)
        elif self.message.endswith("\u2026"):
            self.message = ""

    def _open_panel(self) -> None:
        """Show the side panel; the outline steps aside when the text would get too narrow."""
        panel = self.query_one("#panel")
        if panel.has_class("hidden"):
            tree = self.query_one("#outline", Tree)
            if not tree.has_class("hidden") and self.size.width - OUTLINE_WIDTH - 46 < 64:
                tree.add_class("hidden")
                self._outline_stepped_aside = True
            panel.remove_class("hidden")

    def action_panel(self, mode: str) -> None:
        if self.panel_mode == mode:
            self.close_panel()
            return
        self.panel_mode = mode
        self._open_panel()
        if mode == "summary" and self.summary_result is None:
            self.busy(True, "summarizing\u2026")
            self.run_worker(self._summary_work, thread=True, exclusive=True, group="summary")
        elif mode == "keywords" and self.keywords_result is None:
            self.busy(True, "finding key phrases\u2026")
            self.run_worker(self._keywords_work, thread=True, exclusive=True, group="keywords")
        else:
            self.fill_panel()

    def _summary_work(self) -> None:
        from ..api import summarize

        try:
            result = summarize(self.doc)
        except Exception as e:
            self.call_from_thread(self._work_failed, "summary", e)
            return
        self.call_from_thread(self._panel_done, "summary", result)

    def _keywords_work(self) -> None:
        from ..api import keywords

        try:
            result = keywords(self.doc, n=15)
        except Exception as e:
            self.call_from_thread(self._work_failed, "key phrases", e)
            return
        self.call_from_thread(self._panel_done, "keywords", result)

    def _work_failed(self, what: str, error: Exception) -> None:
        self.busy(False)
        if self.panel_mode:
            self.close_panel()
        msg = getattr(error, "message", None) or str(error) or type(error).__name__
        self.say(clean(f"no {what}: {msg}"))

    def _panel_done(self, mode: str, result) -> None:
        if mode == "summary":
            self.summary_result = result
        else:
            self.keywords_result = result
        self.busy(False)
        if self.panel_mode == mode:
            self.fill_panel()

    def fill_panel(self) -> None:
        mode = self.panel_mode
        title = self.query_one("#panel-title", Label)
        olist = self.query_one("#panel-list", OptionList)
        olist.clear_options()
        items: list = []
        options: list[Option] = []
        if mode == "summary":
            title.update(Text("Summary  (Enter: go to the sentence)"))
            for s in self.summary_result.sentences:
                t = Text(f"\u00a7{s.section_index} " if s.section_index > 0 else "lead ", "cyan")
                t.append(clean(s.text))
                options.append(Option(t))
                items.append(("sentence", s.start, s.end))
        elif mode == "keywords":
            title.update(Text("Key phrases  (Enter: search)"))
            for k in self.keywords_result.keywords:
                t = Text(clean(k.phrase), "bold")
                t.append(f"  {k.score:.2f}", "dim")
                options.append(Option(t))
                items.append(("phrase", k.phrase))
        elif mode == "bookmarks":
            title.update(Text("Bookmarks  (Enter: go there; m adds or removes)"))
            for off in self.state.bookmarks:
                s = self.lines.sections[self.lines.index_of_offset(off)]
                t = Text(f"\u00a7{s.index} " if s.kind == "section" else "lead ", "cyan")
                t.append(clean(s.title or self.doc.title or "")[:60])
                options.append(Option(t))
                items.append(("offset", off))
            if not options:
                options.append(Option(Text("no bookmarks yet: m marks the section in view", "dim"), disabled=True))
        self.panel_items = items
        olist.add_options(options)
        olist.focus()
        if options:
            olist.highlighted = 0

    def _close_panel_box(self) -> None:
        self.query_one("#panel").add_class("hidden")
        if self._outline_stepped_aside:
            self._outline_stepped_aside = False
            self.query_one("#outline").remove_class("hidden")

    def close_panel(self) -> None:
        self.panel_mode = ""
        self._close_panel_box()
        self.view.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        k = event.option_index
        if not (0 <= k < len(self.panel_items)):
            return
        item = self.panel_items[k]
        if item[0] == "sentence":
            self.focus_mark = (item[1], item[2])
            self._apply_marks()
            self.view.show_offset(item[1])
            self.say("summary sentence")
        elif item[0] == "phrase":
            if self.run_search(f'"{item[1]}"'):
                self.say(f"key phrase: {item[1]}")
        elif item[0] == "offset":
            self.view.show_offset(item[1], at=0)
            self.update_status()

    def action_bookmark(self) -> None:
        view = self.view
        s = self.lines.sections[view.current()]
        added = self.state.toggle_bookmark(s.start)
        self.state.save(self.lines.offset_at_line(round(view.scroll_y)))
        name = f"\u00a7{s.index}" if s.kind == "section" else s.kind
        self.say(f"bookmark {'set at' if added else 'removed from'} {name}" + (f" ({self.state.error})" if self.state.error else ""))
        if self.panel_mode == "bookmarks":
            self.fill_panel()


def _ancestors(node):
    p = node.parent
    while p is not None:
        yield p
        p = p.parent
