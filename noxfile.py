"""Development sessions. Configuration lives in pyproject.toml; this file only wires it up.

``nox -s tests`` runs the core and every plugin's tests; ``nox -s lint typecheck`` are the gates.
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "typecheck", "tests"]

ROOT = Path(__file__).parent
PLUGINS = sorted(p for p in (ROOT / "plugins").glob("*") if (p / "pyproject.toml").exists())


def _install_all(session: nox.Session, *extras: str) -> None:
    spec = f".[{','.join(extras)}]" if extras else "."
    session.install("-e", spec)
    for plugin in PLUGINS:
        # Each plugin's own test extra (e.g. psycopg for the PostgreSQL tests).
        session.install("-e", f"{plugin}[test]")


@nox.session
def tests(session: nox.Session) -> None:
    """The whole suite: core and plugins (PostgreSQL tests need the Debian server binaries)."""
    _install_all(session, "test")
    session.run("pytest", "tests", *[str(p / "tests") for p in PLUGINS], *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over everything."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the library, the plugins and the typed API examples."""
    _install_all(session, "test")
    session.install("mypy>=1.10", "types-python-dateutil")
    session.run("mypy")
    session.run("mypy", "--strict", "tests/typing")
    for plugin in PLUGINS:
        session.run("mypy", "--strict", str(plugin / "src"))


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation, warnings as errors, and run its examples as doctests."""
    _install_all(session, "docs")
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")
    session.run("sphinx-build", "-W", "-b", "doctest", "docs", "docs/_build/doctest")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against the named anchors, reported as ratios (see docs/benchmarks.md).

    Writes the one-page summary to benchmarks/summary.md (``-- --summary PATH`` to change it;
    ``-- --quick`` for a smoke run, which should not overwrite the committed summary).
    """
    _install_all(session, "test")
    args = list(session.posargs)
    if "--summary" not in args:
        quick = "--quick" in args
        args += ["--summary", "benchmarks/summary-quick.md" if quick else "benchmarks/summary.md"]
    session.run("python", "benchmarks/run.py", *args)


@nox.session
def build(session: nox.Session) -> None:
    """Wheels and sdists of the library and of every plugin, into ``dist/``.

    Until the distributions are on a package index, install from there:
    ``pip install --find-links dist 'govdisclose[sql]' govdisclose-static-site``.
    """
    session.install("build>=1.2")
    out = ROOT / "dist"
    for project in (ROOT, *PLUGINS):
        session.run("python", "-m", "build", "--outdir", str(out), str(project))


@nox.session
def demo(session: nox.Session) -> None:
    """The main job end to end on the embedded default store (SQLite)."""
    _install_all(session, "docx")
    session.run("govdisclose", "demo", *session.posargs)
