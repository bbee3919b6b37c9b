"""The wording as data: the shipped templates, checked overrides (a hook or an argument), and
the guarantee that an override cannot drop the article, the dates or the remedies, nor run code.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pluggy
import pytest
from tests.plugins.kitchen_sink import KS_NOTICE_TEMPLATES, KitchenSink

from govdisclose.calendar import WorkCalendar
from govdisclose.errors import PluginError, ValidationError
from govdisclose.hookspecs import hookimpl
from govdisclose.model import Applicant, Application, Received, Replied
from govdisclose.notices import NoticeKind, NoticeOffice, NoticeTemplates, compose, slot, slots
from govdisclose.params import ParameterSet
from govdisclose.plugins import Settings, load_notice_templates, make_plugin_manager
from govdisclose.vocab import ApplicantType, Channel, Outcome

SHIPPED = Path(__file__).parent.parent / "src" / "govdisclose" / "notices" / "templates"
OFFICE = NoticeOffice(agency="某县人民政府办公室", review_body="某市人民政府", court="某县人民法院")
APP = Application(
    id="A-1",
    agency="county",
    applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="李四"),
    channel=Channel.IN_PERSON,
    request="某县2024年财政预算",
    events=(
        Received(on=date(2025, 6, 3)),
        Replied(on=date(2025, 6, 10), outcome=Outcome.NOT_HELD, reasons="经检索未找到"),
    ),
)


def compose_with(templates: NoticeTemplates, kind: NoticeKind = NoticeKind.REPLY) -> Any:
    return compose(
        APP,
        kind,
        office=OFFICE,
        params=ParameterSet.default(),
        calendar=WorkCalendar.default(),
        templates=templates,
    )


def refused(override: dict[str, Any]) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        NoticeTemplates.default().with_overrides(override)
    return info.value


# -- the shipped wording -------------------------------------------------------------------


def test_shipped_templates_cover_every_slot() -> None:
    """The shipped files define every template: the six procedural letters, one reply per
    outcome (21 rows of table 三), the letterhead texts and both remedies."""
    templates = NoticeTemplates.default()
    assert templates.keys == tuple(s.key for s in slots())
    assert {k for k in templates.keys if k.startswith("reply.")} == {
        f"reply.{o.code}" for o in Outcome
    }
    assert templates.sources == ("letters.toml", "replies.toml")


def test_every_shipped_reply_states_article_date_and_reasons() -> None:
    """Each reply template uses ${article} and ${received_on}, and ${reasons} where the
    outcome needs reasons (checked again here, independently of the loader)."""
    templates = NoticeTemplates.default()
    for outcome in Outcome:
        text = "".join(templates.letter(f"reply.{outcome.code}").paragraphs)
        assert "${article}" in text
        assert "${received_on}" in text
        lapsed = outcome in (Outcome.DISCLOSED, Outcome.NO_CORRECTION, Outcome.FEE_NOT_PAID)
        assert ("${reasons}" in text) or lapsed


# -- overrides that are refused -------------------------------------------------------------


def test_override_dropping_the_remedies_is_rejected() -> None:
    """Remedies without the review body, the court and the periods are refused."""
    err = refused({"remedies": {"ordinary": "如有异议，请与本机关联系。"}})
    assert err.code == "notices.template_drops"
    assert err.field == "remedies.ordinary"
    for name in ("review_body", "court", "review_period", "litigation_period"):
        assert f"${{{name}}}" in err.message_zh


def test_override_dropping_the_court_only_is_rejected() -> None:
    """Leaving out one part of the remedies (the court) is enough to be refused."""
    shipped = NoticeTemplates.default().text("remedies.review_first")
    err = refused({"remedies": {"review_first": shipped.replace("向${court}", "")}})
    assert err.code == "notices.template_drops"
    assert "${court}" in err.message_zh
    assert "${review_body}" not in err.message_zh


def test_override_dropping_the_article_is_rejected() -> None:
    """A reply that no longer cites the article applied is refused."""
    err = refused(
        {
            "reply": {
                "state_secret": {"paragraphs": ["${received_on}的申请，${reasons}，不予公开。"]}
            }
        }
    )
    assert (err.code, err.field) == ("notices.template_drops", "reply.state_secret")
    assert "${article}" in err.message_zh


def test_override_dropping_the_date_is_rejected() -> None:
    """A receipt that no longer gives the reply due date is refused."""
    err = refused(
        {
            "receipt": {
                "paragraphs": [
                    "根据${article}，本机关收到你的申请（${received_on}，${query_code}）。"
                ]
            }
        }
    )
    assert err.code == "notices.template_drops"
    assert "${reply_due}" in err.message_zh


def test_override_dropping_the_reasons_of_a_refusal_is_rejected() -> None:
    """A refusal must still state why (条例 第三十六条第（三）项)."""
    err = refused(
        {
            "reply": {
                "internal_affairs": {"paragraphs": ["${received_on}：根据${article}不予公开。"]}
            }
        }
    )
    assert "${reasons}" in err.message_zh


def test_unknown_placeholder_is_rejected() -> None:
    """A placeholder the template does not offer is refused, with the list of valid ones."""
    err = refused({"letterhead": {"signature": "${agency}（${seal}）"}})
    assert (err.code, err.field) == ("notices.template_unknown_placeholder", "letterhead.signature")
    assert "${seal}" in err.message_zh
    assert "${agency}" in err.message_zh


def test_personal_data_placeholder_not_allowed_in_a_title() -> None:
    """A title carries no personal data: ${applicant} is not a title placeholder."""
    err = refused({"receipt": {"title": "${applicant}的申请受理回执"}})
    assert (err.code, err.field) == ("notices.template_unknown_placeholder", "receipt.title")


@pytest.mark.parametrize(
    "text",
    [
        "${agency.__class__}",  # attribute access is not a placeholder: nothing is evaluated
        "${agency!r}",
        "{agency}",
        "$",
    ],
)
def test_no_code_runs_in_a_template(text: str) -> None:
    """Template text is substituted, never evaluated: format-style fields and attribute access
    are malformed (or literal) and cannot reach Python objects."""
    override = {"letterhead": {"signature": text}}
    with pytest.raises(ValidationError) as info:
        NoticeTemplates.default().with_overrides(override)
    assert info.value.code in ("notices.template_syntax", "notices.template_drops")


def test_literal_dollar_and_braces_are_text() -> None:
    """``$$`` and ``{...}`` are plain text in an accepted template."""
    templates = NoticeTemplates.default().with_overrides(
        {"letterhead": {"signature": "${agency}{签章} $$"}}
    )
    assert compose_with(templates).signature == "某县人民政府办公室{签章} $"


@pytest.mark.parametrize(
    ("override", "code"),
    [
        ({"reciept": {"title": "x"}}, "notices.template_unknown_key"),
        ({"reply": {"granted": {"title": "x"}}}, "notices.template_unknown_key"),
        ({"receipt": {"titel": "x"}}, "notices.template_unknown_key"),
        ({"receipt": {"default_reasons": "x"}}, "notices.template_unknown_key"),
        ({"receipt": {"paragraphs": "one string"}}, "notices.template_invalid"),
        ({"receipt": {"paragraphs": []}}, "notices.template_invalid"),
        ({"receipt": {"title": "  "}}, "notices.template_invalid"),
        ({"receipt": {"mark": "${year}"}}, "notices.template_unknown_placeholder"),
        ({"letterhead": {"number": 7}}, "notices.template_invalid"),
        ({"remedies": "text"}, "notices.template_invalid"),
    ],
)
def test_malformed_overrides_are_rejected(override: dict[str, Any], code: str) -> None:
    """Unknown templates and fields, wrong shapes and empty parts are refused by code."""
    assert refused(override).code == code


def test_refused_override_leaves_the_set_unchanged() -> None:
    """A refused override changes nothing: the set it was applied to is the same after."""
    base = NoticeTemplates.default()
    with pytest.raises(ValidationError):
        base.with_overrides({"remedies": {"ordinary": "无"}})
    assert base == NoticeTemplates.default()
    assert "${review_body}" in base.text("remedies.ordinary")


# -- overrides that are accepted ------------------------------------------------------------


def test_partial_override_changes_only_what_it_gives() -> None:
    """Overriding a reply's title keeps its paragraphs; the letter uses the new title."""
    templates = NoticeTemplates.default().with_overrides(
        {"reply": {"not_held": {"title": "${agency}政府信息不存在告知书"}}}
    )
    notice = compose_with(templates)
    assert notice.title == "某县人民政府办公室政府信息不存在告知书"
    assert notice.paragraphs == compose_with(NoticeTemplates.default()).paragraphs
    assert templates.sources[-1] == "<模板覆盖>"


def test_override_from_a_toml_file(tmp_path: Path) -> None:
    """A local office's TOML file in the shipped format is an override source."""
    path = tmp_path / "county.toml"
    path.write_text(
        '[remedies]\nordinary = "如不服本答复，可于${review_period}内向${review_body}申请复议，'
        '或于${litigation_period}内向${court}起诉。"\n',
        encoding="utf-8",
    )
    notice = compose_with(NoticeTemplates.default().with_overrides(path))
    assert (
        notice.remedies
        == "如不服本答复，可于六十日内向某市人民政府申请复议，或于六个月内向某县人民法院起诉。"
    )
    bad = tmp_path / "bad.toml"
    bad.write_text("[remedies\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        NoticeTemplates.default().with_overrides(bad)
    assert info.value.code == "notices.template_file"


def test_shipped_files_are_valid_overrides() -> None:
    """The shipped files themselves pass as overrides (copy one to start a local version)."""
    templates = NoticeTemplates.default()
    for path in sorted(SHIPPED.glob("*.toml")):
        assert templates.with_overrides(path).keys == templates.keys


def test_slot_lists_placeholders() -> None:
    """slot() says what a template may and must use; an unknown key is refused."""
    receipt = slot("receipt")
    assert {"article", "reply_due", "query_code"} <= receipt.required <= receipt.allowed
    with pytest.raises(ValidationError) as info:
        slot("reply.granted")
    assert info.value.code == "notices.template_unknown_key"


# -- the hook -------------------------------------------------------------------------------


def test_hook_govdisclose_notice_templates() -> None:
    """The kitchen sink's override (its seal line) reaches the letters through the hook."""
    pm = make_plugin_manager(load_entry_points=False, plugins=[KitchenSink()])
    templates = load_notice_templates(Settings(), pm)
    assert (
        templates.text("letterhead.signature") == (KS_NOTICE_TEMPLATES["letterhead"]["signature"])
    )
    assert compose_with(templates).signature == "某县人民政府办公室（政府信息公开专用章）"
    plain = load_notice_templates(Settings(), make_plugin_manager(load_entry_points=False))
    assert plain == NoticeTemplates.default()


class _DropsRemedies:
    @hookimpl
    def govdisclose_notice_templates(self, settings: Settings) -> object:
        return ({"remedies": {"review_first": "请与本机关联系。"}},)


class _NotASource:
    @hookimpl
    def govdisclose_notice_templates(self, settings: Settings) -> object:
        return (42,)


def test_hook_govdisclose_notice_templates_refused_override_names_the_plugin() -> None:
    """A plugin whose override drops the remedies is a PluginError naming it and the template."""
    pm: pluggy.PluginManager = make_plugin_manager(
        load_entry_points=False, plugins=[_DropsRemedies()]
    )
    with pytest.raises(PluginError) as info:
        load_notice_templates(Settings(), pm)
    err = info.value
    assert err.plugin is not None
    assert "_DropsRemedies" in err.plugin
    assert (err.code, err.field) == ("notices.template_drops", "remedies.review_first")
    assert isinstance(err.__cause__, ValidationError)


def test_hook_govdisclose_notice_templates_wrong_type() -> None:
    """Something that is neither a path nor a mapping is a PluginError (plugins.wrong_type)."""
    pm = make_plugin_manager(load_entry_points=False, plugins=[_NotASource()])
    with pytest.raises(PluginError) as info:
        load_notice_templates(Settings(), pm)
    assert info.value.code == "plugins.wrong_type"
