"""The settings a column is built from: the stylesheet's colours, the guide, the key areas."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from govdisclose.plugins import Settings
from govdisclose.vocab import Channel, DocumentKind
from govdisclose_static_site import (
    DisclosureGuide,
    KeyAreaCatalogue,
    StaticSiteError,
    load_guide,
    site_config,
)
from govdisclose_static_site.catalogues import article20_items, article20_of
from govdisclose_static_site.guide import guide_from_options

CSS = resources.files("govdisclose_static_site").joinpath("assets/site.css").read_text("utf-8")


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_every_colour_pair_of_the_stylesheet_has_enough_contrast() -> None:
    """WCAG 2.x relative luminance: every --gd-NAME-fg on its --gd-NAME-bg at least 4.5:1; the
    focus ring at least 3:1 against the page and the banner (a non-text contrast)."""
    colours = dict(re.findall(r"--gd-([a-z-]+):\s*(#[0-9a-f]{6});", CSS))
    pairs = sorted({name[:-3] for name in colours if name.endswith(("-fg", "-bg"))})
    assert len(pairs) >= 9
    for name in pairs:
        ratio = _contrast(colours[f"{name}-fg"], colours[f"{name}-bg"])
        assert ratio >= 4.5, (name, round(ratio, 2))
    assert _contrast(colours["focus"], colours["page-bg"]) >= 3
    # Links are shown on the page's background, the banner's text on the banner.
    assert _contrast(colours["link-fg"], colours["page-bg"]) >= 4.5
    assert _contrast(colours["banner-fg"], colours["banner-bg"]) >= 4.5


def test_a_low_contrast_pair_would_be_caught() -> None:
    """The check itself: grey on white fails it."""
    assert _contrast("#aaaaaa", "#ffffff") < 4.5
    assert round(_contrast("#000000", "#ffffff"), 1) == 21.0


def test_the_stylesheet_has_focus_print_and_phone_rules() -> None:
    assert ":focus-visible" in CSS
    assert "@page { size: A4;" in CSS
    assert "@media print" in CSS
    assert "@media (max-width: 40rem)" in CSS


GUIDE_TOML = """
agency = "city-gov"
updated_on = 2025-12-01
supervisor = "某市人民政府办公室"
reconsideration = "某市人民政府"
court = "某市某区人民法院"

[[office]]
name = "某市人民政府办公室政务公开科"
address = "某市某区府前路1号"
hours = "工作日9:00—17:00"
phone = "0571-87000000"

[[channel]]
channel = "online"
detail = "https://www.example.gov.cn/xxgk/ysq/"

[[reading_room]]
name = "某市档案馆"
address = "某市某区档案路2号"
"""


def test_a_guide_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "guide.toml"
    path.write_text(GUIDE_TOML, "utf-8")
    guide = load_guide(path)
    assert isinstance(guide, DisclosureGuide)
    assert guide.updated_on == date(2025, 12, 1)
    assert guide.offices[0].phone == "0571-87000000"
    assert guide.apply_channels[0].channel is Channel.ONLINE
    assert guide.reading_rooms[0].name == "某市档案馆"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (GUIDE_TOML.replace('phone = "0571-87000000"\n', ""), "$.office[0].phone"),
        (GUIDE_TOML.replace('channel = "online"', 'channel = "pigeon"'), "$.channel[0].channel"),
        (GUIDE_TOML.replace("updated_on = 2025-12-01", 'updated_on = "soon"'), "$.updated_on"),
        (GUIDE_TOML + "\nunknown = 1\n", "$.reading_room[0]"),
        ("agency = ", "TOML"),
    ],
    ids=["missing phone", "unknown channel", "bad date", "unknown key", "not TOML"],
)
def test_a_bad_guide_names_the_field(tmp_path: Path, text: str, field: str) -> None:
    path = tmp_path / "guide.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(StaticSiteError) as caught:
        load_guide(path)
    assert caught.value.code == "static_site.bad_guide"
    if field == "TOML":
        assert caught.value.field == str(path)
        assert "TOML" in caught.value.message_en
    else:
        assert caught.value.field == field
        assert field in caught.value.message_en


def test_a_guide_from_options_and_without_them() -> None:
    options = {
        "static_site.guide.agency": "city-gov",
        "static_site.guide.office": "政务公开科",
        "static_site.guide.address": "府前路1号",
        "static_site.guide.hours": "工作日",
        "static_site.guide.phone": "0571-87000000",
        "static_site.guide.email": "xxgk@example.gov.cn",
        "static_site.guide.updated_on": "2025-12-01",
    }
    guide = guide_from_options(options)
    assert guide is not None
    assert [c.channel for c in guide.channels] == [Channel.IN_PERSON, Channel.POST, Channel.EMAIL]
    assert guide_from_options({}) is None
    with pytest.raises(StaticSiteError) as caught:
        guide_from_options({**options, "static_site.guide.updated_on": "next week"})
    assert caught.value.field == "static_site.guide.updated_on"
    del options["static_site.guide.phone"]
    with pytest.raises(StaticSiteError, match=r"static_site\.guide\.phone"):
        guide_from_options(options)
    config = site_config(
        Settings(options={"static_site.dir": "/srv/x", **options, "static_site.guide.phone": "1"})
    )
    assert config is not None
    assert config.guide is not None


def test_the_shipped_key_area_catalogue() -> None:
    """Every area has its owner, time limit and method; names and aliases find it; its items of
    第二十条 exist."""
    catalogue = KeyAreaCatalogue.bundled()
    assert len(catalogue) >= 20
    for area in catalogue:
        assert area.owner
        assert area.time_limit
        assert area.method
        assert area.content
        assert all(1 <= n <= 15 for n in area.article20)
        for name in area.names:
            assert catalogue.get(name) is area
    assert catalogue.get("预决算") is catalogue.get("财政预决算")
    assert catalogue.get("不存在的领域") is None
    areas = catalogue.areas_of(["环境信息", "预决算", "环境保护", "不存在的领域"])
    assert [a.name for a in areas] == ["财政预决算", "环境保护"]


def test_the_fifteen_items_of_article_20() -> None:
    items = article20_items()
    assert [i.number for i in items] == list(range(1, 16))
    assert items[0].text == "行政法规、规章和规范性文件"
    assert items[6].citation == "条例第二十条第（七）项"
    assert items[14].numeral == "（十五）"
    budget = KeyAreaCatalogue.bundled().areas_of(["财政预决算"])
    assert article20_of(DocumentKind.RULE, budget) == (1, 7)
    assert article20_of(DocumentKind.OTHER, ()) == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[area]]\ncode = "A B"\nname = "x"', "code"),
        (
            '[[area]]\ncode = "a"\nname = "x"\ncontent = "c"\nowner = "o"\ntime_limit = "t"\nmethod = "m"\n'  # noqa: E501
            '[[area]]\ncode = "b"\nname = "x"\ncontent = "c"\nowner = "o"\ntime_limit = "t"\nmethod = "m"',  # noqa: E501
            "重复",
        ),
        (
            '[[area]]\ncode = "a"\nname = "x"\ncontent = "c"\nowner = "o"\ntime_limit = "t"\nmethod = "m"\n'  # noqa: E501
            "article20 = [16]",
            "article20",
        ),
        ('[[area]]\ncode = "a"\nname = "x"', "content"),
        ("surprise = 1", "unknown"),
    ],
    ids=["bad code", "duplicate name", "item out of range", "missing field", "unknown key"],
)
def test_a_bad_key_area_catalogue_is_refused(text: str, message: str) -> None:
    with pytest.raises(StaticSiteError) as caught:
        KeyAreaCatalogue.from_toml(text, where="mine.toml")
    assert caught.value.code == "static_site.bad_catalogue"
    assert message in caught.value.message_zh + caught.value.message_en
