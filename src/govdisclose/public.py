"""`PublicRecord`: exactly what the public sees of a record, the only thing a publisher gets.

The publication guard (`govdisclose.publishing.clear`) builds it from a `Record` that may be
published, scans every one of its texts for personal data, and hands it to the publishers.
What is not on it never leaves: the attribute decisions and their notes (who decided, what was
withheld and why), the reviewer and review date, the publication history. A publisher renders
or sends the fields of a `PublicRecord` and nothing else; `require_cleared` refuses a value
the guard did not produce (a hand-built copy, a `Record`), so a host that calls a publisher
directly cannot skip the guard by accident.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from attrs import field, frozen

from govdisclose.errors import PublishBlocked
from govdisclose.vocab import DisclosureScope, DocumentKind, Validity

__all__ = ["PublicRecord", "is_cleared", "require_cleared"]


@frozen
class PublicRecord:
    """公开内容: the fields of a record that are published, as the guard cleared them.

    :param id: the record's id (it names the page; the guard scans it like any text).
    :param agency: the agency's code; a publisher maps it to the agency's name.
    :param scope: 全文 / 部分 / 删减后公开: the scope of the decision in force.
    :param key_areas: the 重点领域 the record belongs to.
    :param interpretations: the ids of the 政策解读 published with it.
    """

    id: str
    title: str
    agency: str
    formed_on: date
    kind: DocumentKind
    scope: DisclosureScope
    index_number: str | None = None
    document_number: str | None = None
    topic: str | None = None
    key_areas: tuple[str, ...] = ()
    interpretations: tuple[str, ...] = ()
    important_policy: bool = False
    validity: Validity = Validity.VALID
    changed_on: date | None = None
    repealed_on: date | None = None
    body: str = ""
    # Set by the guard on the instance it cleared, and only there: not part of the value
    # (equality, hash, repr, serialisation), not copied by attrs.evolve, so an edited copy or a
    # hand-built equal view is not cleared.
    _cleared: bool = field(default=False, init=False, eq=False, repr=False)

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every text the public reads, as ``(field, text)``: what the guard scans, in order
        (``key_areas[0]``, ``interpretations[1]`` name the item of a tuple)."""
        yield "id", self.id
        yield "title", self.title
        yield "agency", self.agency
        for name in ("index_number", "document_number", "topic"):
            value = getattr(self, name)
            if value is not None:
                yield name, value
        for i, area in enumerate(self.key_areas):
            yield f"key_areas[{i}]", area
        for i, item in enumerate(self.interpretations):
            yield f"interpretations[{i}]", item
        yield "body", self.body


def _mark_cleared(view: PublicRecord) -> PublicRecord:
    """Called by the guard only, after every text of ``view`` passed the scan."""
    object.__setattr__(view, "_cleared", True)  # frozen: the one sanctioned write
    return view


def is_cleared(view: object) -> bool:
    """Whether ``view`` is the very `PublicRecord` instance the publication guard produced."""
    return isinstance(view, PublicRecord) and view._cleared


def require_cleared(view: object, *, publisher: str) -> PublicRecord:
    """``view`` if the guard cleared it; else `PublishBlocked` (code
    ``publishing.not_cleared``) naming the publisher: what every publisher calls first.

    :param publisher: the refusing publisher's name, for the message.
    """
    if is_cleared(view):
        assert isinstance(view, PublicRecord)
        return view
    kind = type(view).__name__
    raise PublishBlocked(
        f"发布渠道 {publisher} 只发布经发布检查生成的公开内容（PublicRecord），收到的是 {kind}；"
        "请通过 govdisclose.publishing.publish 发布",
        f"publisher {publisher} publishes only the PublicRecord the publication guard "
        f"produced, got {kind}; publish through govdisclose.publishing.publish",
        findings=[],
        field="view",
        code="publishing.not_cleared",
    )
