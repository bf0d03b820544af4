"""The Word report as a printer sees it: rendered to PDF by LibreOffice headless (Debian's
`libreoffice-writer-nogui`, listed in .ci/apt-packages), read back with pypdf and pypdfium2.

`python -m tests.report_pdf` (make report-picture) draws docs/img/report-page-1.png, the
first page of a report with a province's letterhead, for docs/rollup.md.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from bot.config import Settings
from bot.domain.periods import week
from bot.domain.rollup import Counts
from bot.services.summary import AgencyRow, Difficulty, Rollup, empty_changes

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PICTURE = Path(__file__).resolve().parents[1] / "docs" / "img" / "report-page-1.png"
HA_TINH = Settings(
    org_parent="UBND tỉnh Hà Tĩnh",
    org_name="Ban Chỉ đạo các CTMTQG tỉnh",
    org_short="Văn phòng Điều phối NTM",
    org_place="Hà Tĩnh",
)


def libreoffice_missing() -> str | None:
    if SOFFICE is None:
        return "LibreOffice is absent: apt-get install libreoffice-writer-nogui (.ci/apt-packages)"
    return None


def docx_to_pdf(data: bytes, workdir: Path) -> bytes:
    """The .docx bytes as PDF bytes, through a private LibreOffice profile (so two runs at
    once never share one)."""
    assert SOFFICE is not None
    source = workdir / "report.docx"
    source.write_bytes(data)
    profile = (workdir / "profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(workdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (workdir / "report.pdf").read_bytes()


def example_rollup(agencies: int = 12) -> Rollup:
    """A plausible province: agencies in every cell, one difficulty quoted."""
    at = date(2020, 3, 27)
    rows = tuple(
        AgencyRow(
            i,
            name,
            Counts(
                total=9,
                done_on_time=2,
                done_late=i % 2,
                awaiting=1,
                in_progress_on_time=1,
                in_progress_overdue=(i + 1) % 2,
                not_started_not_due=1,
                not_started_overdue=int(i % 3 == 0),
                done_no_deadline=1,
                in_progress_no_deadline=1,
                not_started_no_deadline=1 - int(i % 3 == 0),
            ),
        )
        for i, name in enumerate(
            f"{kind} {n}"
            for kind, n in zip(["Sở", "Huyện"] * agencies, range(agencies), strict=False)
        )
    )
    quote = Difficulty(
        1, rows[1].name, "I.3", "22-TB/BCĐ", "Chưa bố trí được vốn đối ứng.", at, False
    )
    return Rollup(
        at=at,
        period=week(at),
        notice_number=None,
        agency_id=None,
        overall=sum((r.counts for r in rows), Counts()),
        agencies=rows,
        notices=(),
        changes=empty_changes(),
        overdue=(),
        silent_agencies=(),
        difficulties=(quote,),
        difficulties_count=1,
        tasks=33,
    )


def main() -> None:
    import pypdfium2

    from bot.reports.docx import render_docx
    from bot.reports.letterhead import letterhead

    reason = libreoffice_missing()
    if reason:
        raise SystemExit(reason)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = docx_to_pdf(render_docx(example_rollup(), head=letterhead(HA_TINH)), Path(tmp))
        page = pypdfium2.PdfDocument(pdf)[0]
        page.render(scale=1.2).to_pil().save(PICTURE)
    print(PICTURE)


if __name__ == "__main__":
    main()
