"""Section headings that carry the lead and its partners (issue 15's gap after the first pass).

"1. Sở X chủ trì, phối hợp Sở Y" asks for nothing itself: it gives its roles to every task under
it. Written in several shapes (with or without "với", a colon, a numbered marker or a plain
line, "Sở X: chủ trì, phối hợp …", "Sở X phối hợp Sở Y"); a sentence that goes on with an action
is still a task. The notices are invented for these tests.
"""

from __future__ import annotations

import pytest

from bot.agency_data import standard_directory
from bot.domain.notice import parse_notice
from bot.domain.notice.leads import role_heading

DIRECTORY = standard_directory()


@pytest.mark.parametrize(
    ("heading", "lead", "partners"),
    [
        ("Sở Y tế chủ trì, phối hợp Sở Công Thương", ("Sở Y tế",), ("Sở Công Thương",)),
        ("Sở Y tế chủ trì, phối hợp với Sở Công Thương:", ("Sở Y tế",), ("Sở Công Thương",)),
        ("Sở Y tế: chủ trì, phối hợp Sở Công Thương", ("Sở Y tế",), ("Sở Công Thương",)),
        ("Sở Y tế phối hợp với Sở Công Thương", ("Sở Y tế",), ("Sở Công Thương",)),
        ("Sở Y tế chủ trì:", ("Sở Y tế",), ()),
        (
            "Sở Tài chính chủ trì, phối hợp Sở Xây dựng và các sở, ngành liên quan",
            ("Sở Tài chính",),
            ("Sở Xây dựng", "Các sở, ngành liên quan"),
        ),
    ],
)
def test_a_roles_only_heading_is_read(
    heading: str, lead: tuple[str, ...], partners: tuple[str, ...]
) -> None:
    role = role_heading(heading, DIRECTORY)
    assert role is not None
    assert role.names == lead and role.coordinating == partners


@pytest.mark.parametrize(
    "sentence",
    [
        "Sở Y tế chủ trì, phối hợp Sở Công Thương kiểm tra an toàn thực phẩm",
        "Sở Y tế",
        "Về công tác y tế",
        "Tăng cường phối hợp với Sở Công Thương",
    ],
)
def test_a_sentence_that_asks_something_is_not_a_roles_heading(sentence: str) -> None:
    assert role_heading(sentence, DIRECTORY) is None


NOTICE = """THÔNG BÁO
Kết luận của Chủ tịch UBND tỉnh về an toàn thực phẩm dịp Tết

Chủ tịch UBND tỉnh kết luận như sau:

1. Sở Y tế chủ trì, phối hợp Sở Công Thương

- Kiểm tra liên ngành an toàn thực phẩm tại các chợ đầu mối.

- Tổng hợp kết quả kiểm tra, báo cáo UBND tỉnh trước ngày 20/01/2025.

2. Sở Công Thương: chủ trì, phối hợp Công an tỉnh

Kiểm soát hàng giả, hàng kém chất lượng trên thị trường.

Sở Nông nghiệp và Phát triển nông thôn phối hợp với Sở Y tế

- Giám sát dư lượng thuốc bảo vệ thực vật trong rau quả.
"""


def test_tasks_under_a_roles_heading_inherit_lead_and_partners() -> None:
    notice = parse_notice(NOTICE, directory=DIRECTORY)
    got = [(t.text.split()[0], t.lead, t.coordinating) for t in notice.tasks]
    assert got == [
        ("Kiểm", ("Sở Y tế",), ("Sở Công Thương",)),
        ("Tổng", ("Sở Y tế",), ("Sở Công Thương",)),
        ("Kiểm", ("Sở Công Thương",), ("Công an tỉnh",)),
        ("Giám", ("Sở Nông nghiệp và Phát triển nông thôn",), ("Sở Y tế",)),
    ]
    assert not any("chủ trì" in t.text or "phối hợp" in t.text for t in notice.tasks)
