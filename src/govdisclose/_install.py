"""What to install, said so that it works: the hint every "needs package X" error gives.

govdisclose and its plugins are not on a package index yet. A hint such as ``pip install
govdisclose[docx]`` would send a user to PyPI for a distribution that is not there, so each
hint names the third-party package itself (which *is* on PyPI) and the extra to use from a
checkout or from the wheels ``nox -s build`` writes to ``dist/``.
"""

from __future__ import annotations

__all__ = ["install_hint", "sql_store_hint"]


def install_hint(package: str, extra: str) -> tuple[str, str]:
    """``(zh, en)``: install ``package`` from PyPI, or the core's ``extra`` from a checkout."""
    return (
        f"请安装 {package}：pip install {package}（在源码目录中也可 pip install -e '.[{extra}]'）",
        f"install {package}: pip install {package} (or, in a checkout, pip install -e "
        f"'.[{extra}]')",
    )


def sql_store_hint() -> tuple[str, str]:
    """``(zh, en)``: how to get the SQLite/PostgreSQL store, which is its own distribution."""
    return (
        "SQLite/PostgreSQL 存储需安装 govdisclose-sql：在源码目录中 pip install -e "
        "plugins/govdisclose-sql，或先 nox -s build 生成安装包，再 pip install --find-links dist "
        "'govdisclose[sql]'",
        "SQLite and PostgreSQL need govdisclose-sql: in a checkout pip install -e "
        "plugins/govdisclose-sql, or build the wheels (nox -s build) and pip install "
        "--find-links dist 'govdisclose[sql]'",
    )
