"""The distributions install from their built wheels into a fresh virtualenv and work there.

What a newcomer does before the packages are on an index: build the wheels (`nox -s build`, here
``pip wheel``, which runs the same hatchling backend), then ``pip install --find-links dist
'govdisclose[sql]'``. The test checks that every data file of the source tree is inside the
wheel (a template or a parameter file left out only fails at run time, on the user's machine),
that the ``sql`` extra brings the embedded store, and runs the quickstart in the new environment:
an application, its deadline, the SQLite store opened through the plugins, and the CLI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PLUGINS = sorted(p for p in (ROOT / "plugins").glob("*") if (p / "pyproject.toml").exists())

QUICKSTART = """
from datetime import date
import govdisclose as gd
from govdisclose.plugins import open_store
from govdisclose.settings import Settings

app = gd.Application(
    id="2025-001",
    agency="city-gov",
    applicant=gd.Applicant(type=gd.ApplicantType.NATURAL_PERSON, name="张三"),
    channel=gd.Channel.IN_PERSON,
    request="请公开某某项目的环评批复",
)
app = gd.apply(app, gd.Received(on=date(2025, 1, 24)))
params, calendar = gd.ParameterSet.default(), gd.WorkCalendar.default()
deadline = gd.reply_deadline(app, params=params, calendar=calendar)
store = open_store(Settings(store_url="sqlite:///" + {db!r}))
store.put_agency(gd.Agency(code="city-gov", name="某市人民政府", level=gd.AgencyLevel.CITY))
store.create_application(app)
print(deadline.due, type(store).__name__, store.get_application("2025-001").version)
store.close()
"""


def _data_files(package: Path) -> set[str]:
    """Every file of a source package a wheel must carry besides its modules."""
    return {
        str(p.relative_to(package.parent))
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".py", ".pyc"}
    }


def _run(*args: str | Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, env=env, timeout=600, check=False
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_wheels_install_into_a_fresh_venv_and_run_the_quickstart(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, ROOT, *PLUGINS)
    wheels = {w.name.split("-")[0]: w for w in dist.glob("*.whl")}
    expected = {"govdisclose", *(p.name.replace("-", "_") for p in PLUGINS)}
    assert set(wheels) == expected

    sources = {"govdisclose": ROOT / "src" / "govdisclose"} | {
        p.name.replace("-", "_"): next((p / "src").iterdir()) for p in PLUGINS
    }
    for name, package in sources.items():
        with zipfile.ZipFile(wheels[name]) as whl:
            inside = set(whl.namelist())
        missing = sorted(_data_files(package) - inside)
        assert missing == [], f"the {name} wheel lacks data files: {missing}"

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, clear=True)
    python = env_dir / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    _run(
        python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
        "--find-links", dist, "govdisclose[sql]", "govdisclose-static-site", env=env,
    )  # fmt: skip
    db = str(tmp_path / "quick.db")
    out = _run(python, "-c", QUICKSTART.format(db=db), env=env)
    assert out.split() == ["2025-02-27", "SqlStore", "1"]
    plugins = _run(env_dir / "bin" / "govdisclose", "plugins", env=env)
    assert "sql" in plugins
    assert "static" in plugins
