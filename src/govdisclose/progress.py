"""Progress bars for long work: tqdm on a terminal, silence in pipes, files and CI.

Import, sync, export, the site build, the demo and the audit take a ``progress`` argument, a
callable that wraps an iterable and yields the same items. `terminal_progress` returns one that
draws a tqdm bar on standard error when that is an interactive terminal, and `None` otherwise,
so a daily job run from cron or CI writes nothing extra to its log. tqdm is the extra
``progress``; without it there is no bar and nothing fails (a progress bar is a courtesy, not a
requirement). `no_progress` is the identity, the default everywhere.

>>> list(no_progress([1, 2, 3]))
[1, 2, 3]
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO, TypeVar

__all__ = ["Progress", "no_progress", "progress_wanted", "terminal_progress"]

T = TypeVar("T")

#: Wraps an iterable, yielding the same items (and drawing a bar as it goes).
Progress = Callable[[Iterable[T]], Iterable[T]]

#: Environment variables set by CI services; any of them set means no bar.
_CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "BUILDKITE", "TF_BUILD")


def no_progress(items: Iterable[T]) -> Iterator[T]:
    """The identity: the items, unchanged, and nothing drawn."""
    yield from items


def progress_wanted(stream: TextIO | None = None) -> bool:
    """Whether a bar should be drawn on ``stream`` (standard error by default).

    Only on an interactive terminal, never on CI, and not when ``GOVDISCLOSE_NO_PROGRESS`` is
    set (for a terminal session whose output is being recorded).
    """
    stream = sys.stderr if stream is None else stream
    if os.environ.get("GOVDISCLOSE_NO_PROGRESS"):
        return False
    if any(os.environ.get(name) for name in _CI_VARIABLES):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def terminal_progress(
    description: str, *, unit: str = "it", total: int | None = None, stream: TextIO | None = None
) -> Callable[[Iterable[T]], Iterable[T]] | None:
    """A tqdm wrapper labelled ``description`` when a bar is wanted and tqdm is installed.

    Returns `None` otherwise, which every ``progress=`` argument takes as "no bar".
    """
    if not progress_wanted(stream):
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    target = sys.stderr if stream is None else stream

    def wrap(items: Iterable[T]) -> Iterable[T]:
        bar: Iterable[T] = tqdm(
            items, desc=description, unit=unit, total=total, file=target, leave=False
        )
        return bar

    return wrap
