"""The chat digest: totals on top, worst agencies first, escaped, and always short enough."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest

from bot.domain.league import league
from bot.domain.periods import date_range, week, year
from bot.domain.rollup import Category, Counts
from bot.messaging.layout import MAX_LINES, html_lines
from bot.messaging.summary_presenter import (
    DIGEST_LIMIT,
    render_agency_status,
    render_digest,
    utf16_len,
)
from bot.services.summary import (
    AgencyRow,
    Changes,
    Difficulty,
    Rollup,
    SilentAgency,
    TaskItem,
    empty_changes,
    worst_first,
)

AT = date(2025, 3, 14)
NASTY = "<Sở & Ban>"


def counts(overdue: int, *, total: int = 20) -> Counts:
    """A row whose cells add up to `total`: `overdue` in progress past the deadline."""
    return Counts(
        total=total,
        done_on_time=5,
        done_late=2,
        awaiting=1,
        in_progress_on_time=total - 14 - overdue,
        in_progress_overdue=overdue,
        not_started_not_due=2,
        not_started_overdue=1,
        done_no_deadline=1,
        not_started_no_deadline=2,
        due_soon=1,
    )


def item(n: int, agency: str, *, restricted: bool = False) -> TaskItem:
    return TaskItem(
        assignment_id=n,
        task_code=f"I.{n}",
        notice_number="22-TB/BCĐ",
        agency_id=n,
        agency_name=agency,
        text="" if restricted else f"Nhiệm vụ {n}",
        restricted=restricted,
        status="in_progress",
        deadline=AT - timedelta(days=n),
        completed_on=None,
        category=Category.IN_PROGRESS_OVERDUE,
        late_working_days=n,
    )


def big_rollup(n: int = 60) -> Rollup:
    """n agencies, one of them named with HTML characters, every list long."""
    names = [
        NASTY if i == 7 else f"Ủy ban nhân dân huyện Số {i:02d} tỉnh Đồng Nai" for i in range(n)
    ]
    rows = sorted(
        (AgencyRow(i, name, counts(i % 9)) for i, name in enumerate(names)), key=worst_first
    )
    overall = sum((r.counts for r in rows), Counts())
    difficulties = tuple(
        Difficulty(
            i, names[i], f"II.{i}", "22-TB/BCĐ", "Thiếu kinh phí & <mặt bằng> " * 20, AT, False
        )
        for i in range(n)
    )
    return Rollup(
        at=AT,
        period=week(AT),
        notice_number=None,
        agency_id=None,
        overall=overall,
        agencies=tuple(rows),
        notices=(),
        changes=Changes(37, 5, (), 4, ()),
        overdue=tuple(item(i, names[i % n]) for i in range(100)),
        silent_agencies=tuple(SilentAgency(i, names[i], 3) for i in range(n)),
        difficulties=difficulties,
        difficulties_count=n + 10,
    )


def test_a_digest_of_60_agencies_fits_a_phone_screen() -> None:
    text = render_digest(big_rollup(60), "vi")
    assert html_lines(text) <= MAX_LINES  # every section full, long names, 4-digit figures
    for part in (
        "Trong tuần:",
        "Chưa báo cáo trong tuần (60 đơn vị):",
        "Vướng mắc (70):",
        "Chi tiết: /xuatbaocao",
    ):
        assert part in text


@pytest.mark.parametrize("n", [1, 5, 60, 300])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_limit_holds_for_any_size(n: int, lang: str) -> None:
    text = render_digest(big_rollup(n), lang)
    assert utf16_len(text) <= DIGEST_LIMIT
    if n <= 60:
        assert html_lines(text) <= MAX_LINES


def test_no_agency_is_named_twice_and_names_are_cut_at_a_word() -> None:
    text = render_digest(big_rollup(60), "vi")
    ranked = re.findall(r"^\d+\. (.*?): <b>quá hạn", text, flags=re.M)
    assert len(ranked) == 5 and len(set(ranked)) == 5
    assert all(name.endswith("…") or " " not in name[-2:] for name in ranked)
    assert "UBND huyện Số 08…" in ranked  # abbreviated as officials write it, cut at a word
    silent = text.split("(60 đơn vị):</b> ")[1].split("\n")[0]
    assert silent.endswith("…") and not silent.endswith(" …")


def test_agency_names_and_quotes_are_escaped() -> None:
    rollup = big_rollup(10)
    text = render_digest(rollup, "vi")
    assert "&lt;Sở &amp; Ban&gt;" in text
    assert NASTY not in text
    assert "&lt;mặt bằng&gt;" in text
    # Only our own tags remain.
    assert set(re.findall(r"</?([a-z]+)", text)) <= {"b", "i"}


def test_worst_agencies_come_first_and_totals_on_top() -> None:
    text = render_digest(big_rollup(20), "vi")
    lines = text.splitlines()
    assert lines[0] == "<b>📊 TỔNG HỢP KẾT QUẢ THỰC HIỆN</b>"
    assert lines[1] == "Tuần 08/03/2025 - 14/03/2025"
    assert (
        text.index("lượt giao</b>")
        < text.index("Tỷ lệ HT đúng hạn")
        < text.index("Trong tuần")
        < text.index("1. ")
    )
    ranked = [int(m) for m in re.findall(r"^\d+\. .*?: <b>quá hạn (\d+)", text, flags=re.M)]
    assert ranked == sorted(ranked, reverse=True) and ranked[0] == 9  # 8 + 1 not started


def test_rates_and_counts_use_the_officials_words() -> None:
    rollup = big_rollup(3)
    text = render_digest(rollup, "vi")
    c = rollup.overall
    assert f"<b>0 nhiệm vụ, {c.total} lượt giao</b>" in text
    assert f"🔄 Đang thực hiện {c.in_progress} (quá hạn {c.in_progress_overdue})" in text
    rate = f"{c.on_time_rate * 100:.1f}".replace(".", ",")  # type: ignore[operator]
    base = f"{c.on_time.numerator}/{c.on_time.base} lượt giao có hạn đã HT/quá hạn"
    assert f"Tỷ lệ HT đúng hạn <b>{rate}%</b>: {base}" in text
    assert f": {c.done}/{c.total} lượt giao" in text
    assert "37 báo cáo" in text and "4 mới quá hạn" in text and "5 báo hoàn thành" in text


def test_the_digests_figures_add_up_to_its_total() -> None:
    """The state lines, read back from the text, sum to the total it states."""
    for n in (1, 5, 60):
        rollup = big_rollup(n)
        text = render_digest(rollup, "vi")
        total = re.search(r"(\d+) lượt giao</b>", text)
        assert total is not None and int(total[1]) == rollup.overall.total
        states = re.findall(
            r"^\S+ (?:Hoàn thành|Chờ xác nhận|Đang thực hiện|Chưa thực hiện) (\d+)",
            text,
            flags=re.M,
        )
        assert sum(int(v) for v in states) == rollup.overall.total


def test_restricted_difficulties_are_not_quoted() -> None:
    base = big_rollup(2)
    secret = Difficulty(1, "Sở Nội vụ", "III.1", "22-TB/BCĐ", "", AT, True)
    rollup = Rollup(**{**_fields(base), "difficulties": (secret,), "difficulties_count": 1})
    assert "«(Nội dung mật)»" in render_digest(rollup, "vi")


def test_a_period_other_than_a_week_and_an_unknown_notice() -> None:
    march = date_range(date(2025, 3, 1), date(2025, 3, 31))
    rollup = Rollup(**{**_fields(big_rollup(2)), "period": march})
    text = render_digest(rollup, "vi")
    assert "Từ 01/03/2025 đến 31/03/2025" in text and "Trong kỳ" in text
    unknown = Rollup(**{**_fields(rollup), "unknown_notice": True, "notice_number": "9<9>"})
    assert render_digest(unknown, "vi") == (
        "Không tìm thấy Thông báo số 9&lt;9&gt;. Kiểm tra lại số, ký hiệu văn bản."
    )


def test_a_league_of_tied_long_names_gives_way_to_the_phone_screen() -> None:
    """/tonghop nam at mid-year: every agency tied (0/1 … đồng hạng wraps a line), every
    section full. The ranking loses rows from its end, never its title and first row."""
    base = big_rollup(60)
    ranked = league((r.agency_id, r.name, counts(0, total=20)) for r in base.agencies)
    rollup = Rollup(**{**_fields(base), "period": year(2025), "league": ranked})
    text = render_digest(rollup, "vi")
    assert html_lines(text) <= MAX_LINES
    shown = re.findall(r"^(\d+)\. .*đồng hạng$", text, flags=re.M)
    assert "Xếp hạng HT đúng hạn" in text and 1 <= len(shown) < 5
    assert "Chi tiết: /xuatbaocao" in text and "Vướng mắc (70):" in text


def test_an_empty_rollup_says_so() -> None:
    empty = Rollup(AT, week(AT), None, None, Counts(), (), (), empty_changes(), (), (), (), 0)
    assert "Chưa có nhiệm vụ nào được giao." in render_digest(empty, "vi")
    assert "No tasks have been assigned yet." in render_digest(empty, "en")


def _fields(rollup: Rollup) -> dict[str, object]:
    return {name: getattr(rollup, name) for name in Rollup.__dataclass_fields__}


def test_an_agencys_own_status() -> None:
    row = AgencyRow(7, NASTY, counts(4))
    rollup = Rollup(
        at=AT,
        period=week(AT),
        notice_number=None,
        agency_id=7,
        overall=row.counts,
        agencies=(row,),
        notices=(),
        changes=empty_changes(),
        overdue=tuple(item(i, NASTY) for i in range(1, 15)),
        silent_agencies=(SilentAgency(7, NASTY, 9),),
        difficulties=(),
        difficulties_count=0,
    )
    text = render_agency_status(rollup, "vi")
    assert text.startswith("<b>📋 &lt;Sở &amp; Ban&gt;: tình hình thực hiện nhiệm vụ</b>")
    assert "Trong tuần, đơn vị chưa cập nhật tiến độ" in text
    assert "🔔 Sắp đến hạn (7 ngày): 1" in text and ": 8/20 nhiệm vụ" in text
    assert "<b>Đơn vị được giao 20 nhiệm vụ</b>" in text
    assert text.count("• #") == 5 and html_lines(text) <= MAX_LINES
    reported = Rollup(
        **{**_fields(rollup), "changes": Changes(2, 0, (), 0, ()), "silent_agencies": ()}
    )
    assert "Cảm ơn đơn vị đã cập nhật tiến độ trong tuần." in render_agency_status(reported, "vi")


def test_ranked_agencies_are_told_apart_when_their_names_begin_alike() -> None:
    """Review U1: two coordination offices both read "Văn phòng Điều…" in the ranking."""
    offices = (
        "Văn phòng Điều phối nông thôn mới tỉnh",
        "Văn phòng Điều phối Chương trình mục tiêu quốc gia giảm nghèo bền vững",
    )
    rows = tuple(
        sorted(
            (AgencyRow(i + 1, name, counts(3 + i)) for i, name in enumerate(offices)),
            key=worst_first,
        )
    )
    rollup = replace(
        big_rollup(2),
        agencies=rows,
        overall=sum((r.counts for r in rows), Counts()),
        silent_agencies=(),
        difficulties=(),
        difficulties_count=0,
    )
    text = render_digest(rollup)
    ranked = [line for line in text.splitlines() if re.match(r"\d\. ", line)]
    assert len(ranked) == 2
    heads = [line.split(":")[0][3:] for line in ranked]
    assert heads[0] != heads[1]
    for head in heads:  # neither cut head could begin the other office's name
        stem = head.removesuffix("…")
        assert (
            sum(name.replace("Văn phòng Điều phối", "VPĐP").startswith(stem) for name in offices)
            == 1
        )
