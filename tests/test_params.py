"""Legal parameters: shipped values and citations (law/facts.md §6), lookups, load errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs
import pytest

from govdisclose.errors import InvalidParameterFile, ParameterNotFound
from govdisclose.params import Citation, ParameterSet, Unit

BROKEN = Path(__file__).parent / "params_broken"
REF = {"reference": {"regulation": "某市政务公开办法", "article": "第五条"}}


@pytest.fixture(scope="module")
def params() -> ParameterSet:
    return ParameterSet.default()


# Expected figures from law/facts.md §6 (quick reference) with their articles.
@pytest.mark.parametrize(
    ("name", "day", "value", "article"),
    [
        ("reply_days", date(2008, 5, 1), 15, "第二十四条"),
        ("reply_days", date(2019, 5, 14), 15, "第二十四条"),
        ("reply_days", date(2019, 5, 15), 20, "第三十三条"),
        ("extension_days", date(2019, 5, 14), 15, "第二十四条"),
        ("extension_days", date(2025, 1, 1), 20, "第三十三条"),
        ("correction_notice_days", date(2019, 5, 15), 7, "第三十条"),
        ("third_party_reply_days", date(2020, 1, 1), 15, "第三十二条"),
        ("co_producer_reply_days", date(2020, 1, 1), 15, "第三十四条"),
        ("proactive_days", date(2010, 1, 1), 20, "第十八条"),
        ("proactive_days", date(2020, 1, 1), 20, "第二十六条"),
        ("fee_payment_days", date(2021, 1, 1), 20, "收费通知与缴费"),
        ("inquiry_general_days", date(2025, 1, 1), 5, "二、2（4）办理时限"),
        ("inquiry_complex_days", date(2025, 1, 1), 10, "二、2（4）办理时限"),
        ("inquiry_special_days", date(2025, 1, 1), 20, "二、2（4）办理时限"),
        ("complaint_days", date(2025, 1, 1), 15, "二、2（4）办理时限"),
        ("complaint_extended_days", date(2025, 1, 1), 30, "二、2（4）办理时限"),
        ("forwarding_days_per_level", date(2025, 1, 1), 5, "二、2（4）办理时限"),
        (
            "opinion_authoritative_info_hours",
            date(2025, 1, 1),
            5,
            "三、积极回应关切（四）提升回应效果",
        ),
        ("opinion_press_conference_hours", date(2025, 1, 1), 24, "三、提高政务舆情回应实效"),
        ("opinion_other_response_hours", date(2025, 1, 1), 48, "三、提高政务舆情回应实效"),
    ],
)
def test_shipped_values_and_citations(
    params: ParameterSet, name: str, day: date, value: int, article: str
) -> None:
    snap = params.at(day)
    assert getattr(snap, name) == value
    assert snap.citation(name).article == article


def test_regime_switches_on_2019_05_15(params: ParameterSet) -> None:
    assert params.at(date(2019, 5, 14)).label("regime") == "2008"
    assert params.at(date(2019, 5, 15)).label("regime") == "2019"
    assert "国务院令第492号" in params.at(date(2019, 5, 14)).citation("reply_days").regulation
    assert "国务院令第711号" in params.at(date(2019, 5, 15)).citation("reply_days").regulation


def test_fee_pause_is_a_documented_parameter_defaulting_to_false(params: ParameterSet) -> None:
    snap = params.at(date(2024, 6, 1))
    assert snap.flag("fee_pauses_reply_clock") is False
    param = snap.parameter("fee_pauses_reply_clock")
    assert param.unit is Unit.BOOL
    assert param.note is not None
    assert "未核实" in param.note


def test_local_policy_is_marked(params: ParameterSet) -> None:
    snap = params.at(date(2025, 1, 1))
    assert snap.parameter("inquiry_general_days").local_policy
    # The opinion hours are national (国办发〔2016〕61号, 80号): shorten-only, not local policy.
    assert not snap.parameter("opinion_press_conference_hours").local_policy
    assert not snap.parameter("reply_days").local_policy
    assert "种子文件003" in snap.citation("complaint_days").regulation
    assert "国办发〔2016〕80号" in snap.citation("opinion_authoritative_info_hours").regulation


def test_parameter_absent_before_it_existed_names_parameter_and_date(
    params: ParameterSet,
) -> None:
    snap = params.at(date(2019, 5, 14))
    assert "correction_notice_days" not in snap
    assert snap.get("correction_notice_days") is None
    with pytest.raises(ParameterNotFound) as info:
        snap.correction_notice_days
    assert "correction_notice_days" in str(info.value)
    assert "2019-05-14" in str(info.value)


def test_unknown_parameter_names_parameter_and_date(params: ParameterSet) -> None:
    with pytest.raises(ParameterNotFound) as info:
        params.at(date(2025, 3, 1)).reply_dayz
    assert "reply_dayz" in str(info.value)
    assert "2025-03-01" in str(info.value)


def test_before_the_first_regulation_nothing_is_in_force(params: ParameterSet) -> None:
    snap = params.at(date(2008, 4, 30))
    assert "reply_days" not in snap
    with pytest.raises(ParameterNotFound):
        snap.working_days("reply_days")


def test_typed_accessor_rejects_wrong_unit(params: ParameterSet) -> None:
    snap = params.at(date(2025, 1, 1))
    assert snap.working_days("reply_days") == 20
    assert snap.hours("opinion_authoritative_info_hours") == 5
    with pytest.raises(ParameterNotFound, match="unit"):
        snap.flag("reply_days")


def test_snapshot_is_frozen(params: ParameterSet) -> None:
    snap = params.at(date(2025, 1, 1))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        snap.reply_days = 30  # type: ignore[attr-defined]
    assert isinstance(snap.citation("reply_days"), Citation)


def test_default_is_loaded_once(params: ParameterSet) -> None:
    assert ParameterSet.default() is params


def test_overrides_build_a_new_set_and_merge_by_date(params: ParameterSet) -> None:
    local = params.with_overrides(
        {"inquiry_general_days": {"values": {"2024-01-01": 3}, "metadata": REF}}
    )
    assert params.at(date(2025, 1, 1)).inquiry_general_days == 5  # unchanged
    assert local.at(date(2023, 12, 31)).inquiry_general_days == 5
    assert local.at(date(2024, 1, 1)).inquiry_general_days == 3
    assert (
        local.at(date(2024, 1, 1)).citation("inquiry_general_days").regulation == "某市政务公开办法"
    )


def test_override_may_tighten_a_statutory_limit(params: ParameterSet) -> None:
    local = params.with_overrides(
        {"reply_days": {"values": {date(2022, 1, 1): 15}, "metadata": REF}}
    )
    assert local.at(date(2021, 12, 31)).reply_days == 20
    assert local.at(date(2022, 1, 1)).reply_days == 15
    assert local.at(date(2019, 1, 1)).reply_days == 15  # the 2008 value is untouched


@pytest.mark.parametrize("value", [25, {"end": True}])
def test_override_may_not_lengthen_or_end_a_statutory_limit(
    params: ParameterSet, value: object
) -> None:
    with pytest.raises(InvalidParameterFile, match=r"reply_days\.values\.2022-01-01"):
        params.with_overrides({"reply_days": {"values": {"2022-01-01": value}, "metadata": REF}})


def test_override_can_switch_the_fee_pause(params: ParameterSet) -> None:
    local = params.with_overrides(
        {"fee_pauses_reply_clock": {"values": {"2021-01-01": True}, "metadata": REF}}
    )
    assert local.at(date(2022, 1, 1)).flag("fee_pauses_reply_clock") is True


def test_override_adds_a_new_parameter_from_a_file(params: ParameterSet, tmp_path: Path) -> None:
    path = tmp_path / "local.toml"
    path.write_text(
        '[hotline_days]\ndescription = "热线回复"\nunit = "working_days"\n'
        '[hotline_days.metadata.reference]\nregulation = "某市热线办法"\narticle = "第三条"\n'
        "[hotline_days.values]\n2020-01-01 = 3\n2024-01-01 = { end = true }\n",
        encoding="utf-8",
    )
    local = params.with_overrides(path)
    assert local.at(date(2021, 1, 1)).hotline_days == 3
    assert "hotline_days" not in local.at(date(2024, 1, 1))
    assert "hotline_days" not in params.names


def test_override_with_a_different_unit_is_rejected(params: ParameterSet) -> None:
    with pytest.raises(InvalidParameterFile, match=r"reply_days\.unit"):
        params.with_overrides(
            {"reply_days": {"unit": "hours", "values": {"2022-01-01": 5}, "metadata": REF}}
        )


def test_same_name_in_two_files_is_rejected(tmp_path: Path) -> None:
    body = (
        '[p]\ndescription = "x"\nunit = "bool"\n[p.metadata.reference]\n'
        'regulation = "r"\narticle = "a"\n[p.values]\n2020-01-01 = true\n'
    )
    (tmp_path / "a.toml").write_text(body, encoding="utf-8")
    (tmp_path / "b.toml").write_text(body, encoding="utf-8")
    with pytest.raises(InvalidParameterFile, match="重复定义"):
        ParameterSet.from_files([tmp_path / "a.toml", tmp_path / "b.toml"])


def _expected(path: Path) -> list[str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect:")
    return [part.strip() for part in first.removeprefix("# expect:").split("|")]


@pytest.mark.parametrize("path", sorted(BROKEN.glob("*.toml")), ids=lambda p: p.stem)
def test_broken_file_names_file_and_key(path: Path) -> None:
    key, zh, en = _expected(path)
    with pytest.raises(InvalidParameterFile) as info:
        ParameterSet.from_files([path])
    err = info.value
    assert path.name in err.message_zh
    assert path.name in err.message_en
    assert err.field is not None
    assert key in err.field
    assert zh in err.message_zh
    assert en in err.message_en


def test_every_broken_case_is_present() -> None:
    names = {p.stem for p in BROKEN.glob("*.toml")}
    assert {"unknown_key", "duplicate_date", "unsorted_dates", "bad_unit", "negative_days"} <= names


def test_shipped_files_each_parameter_once_and_all_cited(params: ParameterSet) -> None:
    for param in params:
        assert param.values, param.name
        assert all(v.citation is not None for v in param.values), param.name
        days = [v.since for v in param.values]
        assert days == sorted(days)
        assert len(set(days)) == len(days)
