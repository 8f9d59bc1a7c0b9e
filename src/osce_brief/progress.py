"""The progress bar of ``brief digest`` (an output helper of the CLI, like
:mod:`osce_brief.output`): on stderr, documents done and total, rate and time left.

Only the CLI makes one, and only when stderr is a terminal (or ``--progress``);
warnings are printed above the bar, as plain text.
"""

from __future__ import annotations


class DigestProgress:
    """A Rich progress bar on stderr with ``start(total)``, ``advance(n)``,
    ``warn(message)`` and ``stop()`` (the callbacks of
    :func:`osce_brief.digest.run.run_digest`)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                                   TimeRemainingColumn)
        from rich.text import Text

        class Rate(ProgressColumn):
            """Documents per second."""

            def render(self, task) -> Text:
                speed = task.finished_speed or task.speed
                return Text("-- docs/s" if speed is None else f"{speed:,.1f} docs/s", style="progress.data.speed")

        self.console = Console(stderr=True)
        self.progress = Progress(TextColumn("digest"), BarColumn(), MofNCompleteColumn(), Rate(),
                                 TextColumn("ETA"), TimeRemainingColumn(), console=self.console, transient=False)
        self.task = None

    def start(self, total: int) -> None:
        """Show the bar for ``total`` documents."""
        self.task = self.progress.add_task("digest", total=total)
        self.progress.start()

    def advance(self, n: int = 1) -> None:
        """``n`` more documents done."""
        if self.task is not None:
            self.progress.advance(self.task, n)

    def warn(self, message: str) -> None:
        """One warning line above the bar."""
        from rich.text import Text

        from .sanitize import clean

        self.console.print(Text(clean(f"brief: warning: {message}").replace("\n", " ")), soft_wrap=True)

    def stop(self) -> None:
        """Leave the finished bar on screen."""
        self.progress.stop()


def digest_progress() -> DigestProgress:
    """A new :class:`DigestProgress`."""
    return DigestProgress()
