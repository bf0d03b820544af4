"""The chat digest: totals on top, worst agencies first, escaped, and always short enough."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from bot.domain.periods import date_range, week
from bot.domain.rollup import Category, Counts
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


def test_a_digest_of_60_agencies_fits_a_message() -> None:
    text = render_digest(big_rollup(60), "vi")
    assert utf16_len(text) <= DIGEST_LIMIT < 4096
    assert "… và " in text and "đơn vị khác (xem tệp Excel)" in text
    # Every section survives with at least its title.
    for title in (
        "Trong tuần",
        "Kết quả theo đơn vị",
        "Nhiệm vụ quá hạn (",
        "Đơn vị chưa cập nhật trong tuần (60)",
        "Khó khăn, vướng mắc (70)",
    ):
        assert title in text


@pytest.mark.parametrize("n", [1, 5, 60, 300])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_limit_holds_for_any_size(n: int, lang: str) -> None:
    assert utf16_len(render_digest(big_rollup(n), lang)) <= DIGEST_LIMIT


def test_the_more_line_counts_what_was_cut() -> None:
    text = render_digest(big_rollup(60), "vi")
    agency_block = text.split("<b>Kết quả theo đơn vị</b>")[1].split("\n\n")[0]
    shown = len(re.findall(r"^\d+\. ", agency_block, flags=re.M))
    more = re.search(r"… và (\d+) đơn vị khác", agency_block)
    assert more is not None and shown + int(more[1]) == 60


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
    assert "Tuần 08/03/2025 - 14/03/2025 · số liệu đến ngày 14/03/2025" in lines[1]
    assert (
        text.index("lượt giao</b>")
        < text.index("Tỷ lệ hoàn thành đúng hạn")
        < text.index("Trong tuần")
        < text.index("Kết quả theo đơn vị")
    )
    ranked = [int(m) for m in re.findall(r"^\d+\. .*?: quá hạn (\d+)", text, flags=re.M)]
    assert ranked == sorted(ranked, reverse=True) and ranked[0] == 9  # 8 + 1 not started


def test_rates_and_counts_use_the_officials_words() -> None:
    rollup = big_rollup(3)
    text = render_digest(rollup, "vi")
    c = rollup.overall
    assert f"<b>0 nhiệm vụ, {c.total} lượt giao</b>" in text
    assert (
        f"Đang thực hiện: trong hạn {c.in_progress_on_time} · quá hạn {c.in_progress_overdue}"
        in text
    )
    rate = f"{c.on_time_rate * 100:.1f}".replace(".", ",")  # type: ignore[operator]
    base = f"({c.on_time.numerator}/{c.on_time.base} lượt giao có thời hạn đã hoàn thành"
    assert f"Tỷ lệ hoàn thành đúng hạn: <b>{rate}%</b> {base}" in text
    assert "Tỷ lệ hoàn thành: <b>" in text and f"({c.done}/{c.total} lượt giao)" in text
    assert "• 37 lượt cập nhật tiến độ" in text and "• 4 lượt giao mới quá hạn" in text


def test_the_digests_figures_add_up_to_its_total() -> None:
    """Every figure line of the partition, read back from the text, sums to the total."""
    rollup = big_rollup(5)
    text = render_digest(rollup, "vi")
    top = text.split("Tỷ lệ")[0]
    head = re.search(r"(\d+) lượt giao</b>", top)
    assert head is not None and int(head[1]) == rollup.overall.total
    with_deadline = re.search(r"Có thời hạn: (\d+)", top)
    no_deadline = re.search(r"Không thời hạn: (\d+)", top)
    assert with_deadline and no_deadline
    assert int(with_deadline[1]) + int(no_deadline[1]) == rollup.overall.total
    section = top.split("Có thời hạn")[1].split("</b>", 1)[1].split("Không thời hạn")[0]
    numbers = [int(n) for n in re.findall(r"\d+", section)]
    assert sum(numbers) == int(with_deadline[1])
    rest = top.split("Không thời hạn")[1].split("⚠️")[0]
    assert sum(int(n) for n in re.findall(r"[✅☑️🔄⭕]\s*(\d+)", rest)) == int(no_deadline[1])


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
    assert "🔔 Sắp đến hạn (7 ngày tới): 1" in text and "(8/20 nhiệm vụ)" in text
    assert "<b>Đơn vị được giao 20 nhiệm vụ</b>" in text
    assert text.count("trễ ") == 10 and "… và 4 nhiệm vụ khác (xem tệp Excel)" in text
    reported = Rollup(
        **{**_fields(rollup), "changes": Changes(2, 0, (), 0, ()), "silent_agencies": ()}
    )
    assert "Cảm ơn đơn vị đã cập nhật tiến độ trong tuần." in render_agency_status(reported, "vi")
