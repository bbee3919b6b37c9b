"""Importing govdisclose does no work: no heavy dependency, no entry-point scan."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import govdisclose

# Modules `import govdisclose` must not load: the calendar data, the plugin machinery, the
# serialization library, and the entry-point scanner of importlib.metadata.
HEAVY = ("chinese_calendar", "pluggy", "cattrs", "importlib.metadata", "holidays", "numpy")

_PROBE = """
import json, sys
before = set(sys.modules)
{code}
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def _loaded_by(code: str) -> set[str]:
    """The modules a fresh interpreter loads to run ``code``."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE.format(code=code)],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(out.stdout))


def _heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)}


def test_import_loads_nothing_heavy() -> None:
    """`import govdisclose` loads only the package itself."""
    loaded = _loaded_by("import govdisclose")
    assert _heavy(loaded) == set()
    assert {m for m in loaded if m.startswith("govdisclose")} == {"govdisclose"}


def test_model_access_does_not_load_serialization() -> None:
    """Using the model does not pull in cattrs or the plugin machinery."""
    loaded = _loaded_by("import govdisclose; govdisclose.Application; govdisclose.apply")
    assert _heavy(loaded) == set()
    assert "govdisclose.model" in loaded
    assert "govdisclose.serde" not in loaded


def test_serde_loads_cattrs_only_when_used() -> None:
    """The serialization names bring cattrs, as expected, and nothing else heavy."""
    loaded = _loaded_by("import govdisclose; govdisclose.dumps")
    assert "cattrs" in loaded
    assert _heavy(loaded) == {m for m in loaded if m == "cattrs" or m.startswith("cattrs.")}


@pytest.mark.parametrize("name", govdisclose.__all__)
def test_every_public_name_resolves(name: str) -> None:
    """Every name in `__all__` resolves, and `dir` lists them."""
    assert getattr(govdisclose, name) is not None
    assert name in dir(govdisclose)


def test_version_is_a_string() -> None:
    """`__version__` is served lazily and looks like a version."""
    version = govdisclose.__version__
    assert isinstance(version, str)
    assert version[0].isdigit()


def test_unknown_name() -> None:
    """An unknown attribute raises AttributeError naming it."""
    with pytest.raises(AttributeError, match="no_such_name"):
        govdisclose.no_such_name


def test_exports_come_from_their_modules() -> None:
    """Re-exported names are the objects of their defining modules."""
    from govdisclose import lifecycle, model, serde

    assert govdisclose.Application is model.Application
    assert govdisclose.apply is lifecycle.apply
    assert govdisclose.dumps is serde.dumps
