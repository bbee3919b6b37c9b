"""Disclosure rules over many records, and the personal-data scan over Chinese text.

Anchors, measured in the same run, interleaved round by round:

* rules: building the same records with attrs (what an OA import costs anyway), and a plain loop
  calling one trivial rule per record (the floor of any per-record Python check);
* PII scan: one ``re.finditer`` of ``[0-9]+`` over the same text (the floor of any regex scan
  that has to look at every digit run).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone

from _harness import Row, compare, note, report

from govdisclose.calendar import WorkCalendar
from govdisclose.model import AttributeDecision, Publication, Record
from govdisclose.params import ParameterSet
from govdisclose.privacy import find_pii, mask
from govdisclose.rules import Finding, RuleContext, RuleSet
from govdisclose.vocab import (
    DisclosureAttribute,
    DisclosureScope,
    DocumentKind,
    NonDisclosureReason,
    PublicationChannel,
)

CST = timezone(timedelta(hours=8))
_SENTENCES = (
    "根据《中华人民共和国政府信息公开条例》第二十条规定，现将有关事项通知如下。",
    "各乡镇人民政府、街道办事处，县政府各部门：",
    "2024年全县共办理依申请公开事项135件，较上年增长12.5%。",
    "补助资金共计12,345,678.00元，已于2024年3月15日拨付到位。",
    "请各单位于20个工作日内报送材料，联系电话0373-3696072。",
    "依据京政发〔2014〕5号文件精神，进一步规范信息公开工作。",
    "统一社会信用代码11341702486344515H的企业已完成年报公示。",
    "合同编号HT20240115001，项目总投资3.2亿元。",
)
_PERSONAL = (
    "申请人王某，身份证号11010519491231002X。",
    "联系人手机13812345678。",
    "补贴发放至银行卡6222021234567890128。",
    "邮箱zhangsan@example.com。",
)


def _records(n: int, seed: int = 1) -> list[Record]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        formed = date(2024, 1, 2) + timedelta(days=rng.randrange(300))
        attribute = rng.choice(
            (DisclosureAttribute.PROACTIVE,) * 6
            + (DisclosureAttribute.ON_REQUEST, DisclosureAttribute.NOT_DISCLOSED)
        )
        reason = None
        if attribute is not DisclosureAttribute.PROACTIVE:
            reason = rng.choice(
                (NonDisclosureReason.PROCESS_INFORMATION, NonDisclosureReason.INTERNAL_AFFAIRS)
            )
        decisions = (
            AttributeDecision(
                attribute,
                "办公室",
                formed,
                scope=rng.choice((DisclosureScope.FULL,) * 4 + (DisclosureScope.PARTIAL,)),
                reason=reason,
                legal_basis="条例第十六条" if reason else None,
                withheld_note="附件涉及个人信息" if rng.random() < 0.5 else None,
            ),
        )
        publications: tuple[Publication, ...] = ()
        if attribute is DisclosureAttribute.PROACTIVE and rng.random() < 0.8:
            when = formed + timedelta(days=rng.randrange(1, 40))
            publications = (
                Publication(
                    "portal",
                    PublicationChannel.PORTAL,
                    datetime(when.year, when.month, when.day, 9, tzinfo=CST),
                ),
            )
        out.append(
            Record(
                id=f"R{i:06d}",
                title=f"关于第{i}项工作的通知",
                agency=f"AG{i % 20}",
                formed_on=formed,
                kind=rng.choice(tuple(DocumentKind)),
                index_number=None if rng.random() < 0.05 else f"000014349/2024-{i % 100000:05d}",
                decisions=decisions,
                publications=publications,
                important_policy=rng.random() < 0.1,
            )
        )
    return out


_WIDE_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def _text(size_chars: int, seed: int = 2) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size_chars:
        s = rng.choice(_PERSONAL) if rng.random() < 0.05 else rng.choice(_SENTENCES)
        parts.append(s)
        total += len(s)
    return "".join(parts)


def _trivial(record: Record, ctx: RuleContext) -> Iterable[Finding]:
    return ()


def main(quick: bool) -> None:
    n = 10_000 if quick else 100_000
    records = _records(n)
    rules = RuleSet.default()
    full_ctx = RuleContext(
        as_of=date(2025, 1, 31), params=ParameterSet.default(), calendar=WorkCalendar.default()
    )

    def run_rules(ctx: RuleContext | None) -> int:
        return sum(len(rules.check(r, ctx)) for r in records)

    def run_trivial() -> int:
        ctx = RuleContext()
        return sum(len(tuple(_trivial(r, ctx))) for r in records)

    note(
        f"{n:,} records; findings without/with calendar context: "
        f"{run_rules(None):,} / {run_rules(full_ctx):,}"
    )
    times = compare(
        {
            "build": lambda: _records(n),
            "trivial": run_trivial,
            "rules": lambda: run_rules(None),
            "rules_full": lambda: run_rules(full_ctx),
        },
        rounds=3,
    )
    report(
        [
            Row(
                f"RuleSet.default().check x{n:,}",
                times["rules"],
                "build the records (attrs)",
                times["build"],
            ),
            Row(
                f"RuleSet.default().check x{n:,}",
                times["rules"],
                "one trivial rule per record",
                times["trivial"],
            ),
            Row(
                f"  + params/calendar (GD-R010) x{n:,}",
                times["rules_full"],
                "build the records (attrs)",
                times["build"],
            ),
        ]
    )

    chars = 200_000 if quick else 2_000_000
    text = _text(chars)
    mb = len(text.encode("utf-8")) / 1e6
    docs = [text[i : i + 2000] for i in range(0, len(text), 2000)]
    digits = re.compile(r"[0-9]+")
    # Pasted text the scan has to normalise (full-width digits, zero-width characters inside
    # numbers) and map back to the original offsets: the slow path, for comparison.
    pasted = text.translate(_WIDE_DIGITS).replace("5", "5\u200b")
    times = compare(
        {
            "anchor": lambda: sum(1 for _ in digits.finditer(text)),
            "scan": lambda: len(find_pii(text)),
            "docs": lambda: sum(len(find_pii(d)) for d in docs),
            "mask": lambda: len(mask(text)),
            "pasted": lambda: len(find_pii(pasted)),
        },
        rounds=5,
    )
    note(f"PII scan over {mb:.1f} MB of Chinese text ({len(find_pii(text)):,} matches)")
    anchor = "re.finditer [0-9]+, same text"
    report(
        [
            Row("find_pii (one string)", times["scan"], anchor, times["anchor"]),
            Row("find_pii (2,000-char documents)", times["docs"], anchor, times["anchor"]),
            Row("mask (one string)", times["mask"], anchor, times["anchor"]),
            Row(
                "find_pii (pasted: full-width, zero-width)",
                times["pasted"],
                anchor,
                times["anchor"],
            ),
        ]
    )
    note(
        f"PII: find_pii {mb / times['scan'].median:.1f} MB/s, per-document "
        f"{mb / times['docs'].median:.1f} MB/s, mask {mb / times['mask'].median:.1f} MB/s, "
        f"pasted {mb / times['pasted'].median:.1f} MB/s; "
        f"anchor {mb / times['anchor'].median:.1f} MB/s"
    )
