"""The office's pages: a notice's Phụ lục carries the Excel file's numbers, the overview the
roll-up's; filters refuse what they do not know; every page has the safe headers and no
inline script."""

from __future__ import annotations

import html
import re
from io import BytesIO

import httpx
import openpyxl
import pytest

from bot.domain.notice import parse_notice
from bot.domain.rollup import Category
from bot.reports.xlsx import APPENDIX_HEADERS, APPENDIX_SHEET, HEADER_ROW
from tests.harness import ADMIN, FOCAL_A, GROUP_A, OFFICE_GROUP, SEED
from tests.web.support import WebWorld, sign_in_by_link


async def seed_notice(web: WebWorld) -> int:
    """The seed notice imported, a few reports and a confirmation: varied categories."""
    text = SEED.read_text(encoding="utf-8")
    services = web.harness.services
    await services.notices.import_notice(parse_notice(text), source_text=text, by_user_id=None)
    harness = web.harness
    await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{web.world.open_task['A']} đạt 40%")
    await harness.send(FOCAL_A, GROUP_A, f"/capnhat #{web.world.open_task['A']} đã hoàn thành")
    office = harness.last(OFFICE_GROUP)
    await harness.press(ADMIN, OFFICE_GROUP, office["message_id"], harness.button(office, "✅"))
    notices = await services.dashboard.notices(
        await services.access.resolve(
            user_id=ADMIN, display_name="", chat_id=ADMIN, chat_type="private"
        )
    )
    return next(nid for nid, number, _, _ in notices or [] if number == "22-TB/BCĐ")


def cells(row_html: str) -> list[str]:
    found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row_html, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in found]


def number(text: str) -> object:
    if text in ("—", ""):
        return None
    return float(text.replace(",", ".")) if "," in text else int(text)


async def admin_client(web: WebWorld) -> httpx.AsyncClient:
    client = web.client()
    await client.__aenter__()
    await sign_in_by_link(web, client, ADMIN)
    return client


async def test_a_notices_appendix_has_the_excel_files_numbers(web: WebWorld) -> None:
    notice_id = await seed_notice(web)
    client = await admin_client(web)
    try:
        page = await client.get(f"/notices/{notice_id}")
        assert page.status_code == 200
        body = page.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        shown = [cells(row) for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]
        total = cells(page.text.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0])
        workbook = await client.get(f"/export/xlsx?notice={notice_id}")
        assert workbook.headers["content-disposition"].endswith('.xlsx"')
    finally:
        await client.__aexit__(None, None, None)
    sheet = openpyxl.load_workbook(BytesIO(workbook.content))[APPENDIX_SHEET]
    excel = [
        [cell.value for cell in row]
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1)
        if row[1].value
    ]
    assert len(shown) + 1 == len(excel) > 10  # the agencies, then the total
    for html_row, excel_row in zip([*shown, ["", "Tổng cộng", *total[2:]]], excel, strict=True):
        assert html_row[1] == excel_row[1]
        last = len(APPENDIX_HEADERS) - 1  # Ghi chú
        assert [number(v) for v in html_row[2:last]] == excel_row[2:last], html_row[1]
        assert html_row[last] == (excel_row[last] or "")


async def test_the_overview_shows_the_rollups_categories(web: WebWorld) -> None:
    await seed_notice(web)
    rollup = await web.harness.services.summary.rollup()
    client = await admin_client(web)
    try:
        page = (await client.get("/")).text
    finally:
        await client.__aexit__(None, None, None)
    shown = 0
    for key in Category:
        card = page.split(f'class="card cat-{key.value}"', 1)[1]
        number = re.search(r'class="num">(\d+)<', card)[1]  # type: ignore[index]
        assert number == str(rollup.overall.cell(key))
        shown += int(number)
    assert shown == rollup.overall.total  # the boxes add up
    assert f"{rollup.tasks} nhiệm vụ, {rollup.overall.total} lượt giao" in page
    assert "Số liệu đến ngày 27/12/2019" in page
    assert not re.search(r">\s*\d{4}-\d{2}-\d{2}", page)  # dates read dd/mm/yyyy


async def test_filters_and_sorting(web: WebWorld) -> None:
    await seed_notice(web)
    client = await admin_client(web)
    try:
        for bad in ("/tasks?status=lost", "/tasks?timing=soon", "/tasks?agency=abc",
                    "/tasks?notice=-1", "/agencies?sort=password", "/?period=decade"):  # fmt: skip
            assert (await client.get(bad)).status_code == 400, bad
        overdue = (await client.get("/tasks?timing=overdue")).text
        everything = (await client.get("/tasks")).text
        assert overdue.count('<tr class="overdue">') == overdue.count("<tr class=") - 0
        assert everything.count("<tr class=") > overdue.count("<tr class=")
        page = (await client.get("/agencies?sort=name&dir=asc")).text
        names = re.findall(r'<th scope="row"><a href="/agencies/\d+[^"]*">([^<]+)</a>', page)
        from bot.domain.text import fold

        assert names == sorted(names, key=fold) and len(names) > 10
        by_overdue = (await client.get("/agencies?sort=overdue&dir=desc")).text
        assert 'aria-sort="descending"' in by_overdue
    finally:
        await client.__aexit__(None, None, None)


PAGES = ("/", "/agencies", "/tasks", "/notices", "/app", "/signed-out")


@pytest.mark.parametrize("path", PAGES)
async def test_safe_headers_and_no_inline_script(web: WebWorld, path: str) -> None:
    client = await admin_client(web)
    try:
        response = await client.get(path)
    finally:
        await client.__aexit__(None, None, None)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    if path.startswith("/app"):
        assert "frame-ancestors https://web.telegram.org" in csp
        assert "x-frame-options" not in response.headers
    else:
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    page = response.text
    assert re.findall(r"<script\b[^>]*>", page) == ['<script src="/static/app.js" defer>']
    assert not re.search(r"<script[^>]*>\s*[^<\s]", page)  # nothing inline
    assert not re.search(r"\son[a-z]+=", page) and " style=" not in page


async def test_without_a_session_every_page_is_the_sign_in_page(web: WebWorld) -> None:
    async with web.client() as client:
        for path in PAGES[:-1]:
            response = await client.get(path)
            assert response.status_code == 401
            assert "Đăng nhập" in response.text and "ALPHAMARK" not in response.text
        assert (await client.get("/healthz")).text == "ok"
