"""Progress bars: drawn on a terminal, never in a pipe, a file or on CI."""

from __future__ import annotations

import io

import pytest

from govdisclose.progress import no_progress, progress_wanted, terminal_progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _not_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "BUILDKITE", "TF_BUILD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("GOVDISCLOSE_NO_PROGRESS", raising=False)


def test_a_terminal_gets_a_bar_with_the_label_and_the_items_pass_through() -> None:
    screen = _Terminal()
    wrap = terminal_progress("导入", unit="件", stream=screen)
    assert wrap is not None
    assert list(wrap(range(5))) == [0, 1, 2, 3, 4]
    drawn = screen.getvalue()
    assert "导入" in drawn
    assert "0/5" in drawn
    assert "件/s" in drawn
    assert drawn.endswith("\r"), "the bar clears its line when done (leave=False)"


def test_a_pipe_or_a_file_gets_nothing() -> None:
    assert terminal_progress("x", stream=io.StringIO()) is None
    assert not progress_wanted(io.StringIO())


@pytest.mark.parametrize("variable", ["CI", "GITHUB_ACTIONS", "GOVDISCLOSE_NO_PROGRESS"])
def test_ci_or_the_switch_turns_it_off_even_on_a_terminal(
    variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, "1")
    assert terminal_progress("x", stream=_Terminal()) is None


def test_without_tqdm_there_is_no_bar_and_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def no_tqdm(name: str, *args: object, **kwargs: object) -> object:
        if name == "tqdm":
            raise ImportError(name)
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    assert terminal_progress("x", stream=_Terminal()) is None


def test_no_progress_is_the_identity() -> None:
    assert list(no_progress(iter("abc"))) == ["a", "b", "c"]
