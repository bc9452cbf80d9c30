"""The HTML export printed by a real browser: Debian's Chromium, headless, prints each page
to PDF; pypdf counts the pages and reads their text back. The PDFs and a screenshot are
kept in tests/artifacts/ (ignored by git) to look at after a run (docs/printing.md).

Chromium is required, never skipped: ``tools/chromium.sh`` installs it (apt-get install
chromium), and the README's test command and ``.ci/run`` run that first.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, TESTS

ARTIFACTS = TESTS / "artifacts"
BROWSER_TIMEOUT = 120  # seconds: a bound on a stuck browser, not a speed check
POINTS = {"a4": (595.3, 841.9), "letter": (612.0, 792.0)}


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if found is None:
        pytest.fail(
            "chromium is not installed: run `bash tools/chromium.sh` (the README's test "
            "command and .ci/run do)",
            pytrace=False,
        )
    return found


def browse(chromium: str, page: Path, profile: Path, *extra: str) -> None:
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}", *extra, page.resolve().as_uri(),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, timeout=BROWSER_TIMEOUT, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]


def print_pdf(chromium: str, page: Path, tmp_path: Path) -> PdfReader:
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / page.with_suffix(".pdf").name
    pdf.unlink(missing_ok=True)
    browse(chromium, page, tmp_path / "profile", f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert pdf.exists(), "Chromium wrote no PDF"
    return PdfReader(pdf)


def export(tmp_path: Path, name: str, *args: str) -> Path:
    target = tmp_path / f"{name}.html"
    done = subprocess.run(
        [sys.executable, "-m", "crisisguide", "export", *args, "--format", "html", "-o", str(target)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return target


def words(reader: PdfReader, index: int) -> str:
    return " ".join(reader.pages[index].extract_text().split())


def emergency(region: str) -> str:
    return f"Emergency help ({region}):"


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_card_prints_on_one_page(chromium: str, tmp_path: Path, paper: str) -> None:
    page = export(tmp_path, f"card-{paper}", "suicide-risk-screen", "--card", "--region", "GB",
                  "--paper", paper)  # fmt: skip
    reader = print_pdf(chromium, page, tmp_path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(POINTS[paper], abs=1)
    text = words(reader, 0)
    assert "Pocket card: Suicide risk screening" in text
    assert "Risk is urgent when" in text
    assert "999 Emergency Services: call 999" in text


def test_every_built_in_card_fits_one_page(chromium: str, tmp_path: Path) -> None:
    """The longest card of the library, on the smaller page of the two (Letter)."""
    from crisisguide.export.markdown import pocket_card
    from crisisguide.loader import load_protocol

    lengths = {}
    for path in sorted((ROOT / "protocols").glob("*.yaml")):
        protocol = load_protocol(str(path)).protocol
        assert protocol is not None
        lengths[path.stem] = len(pocket_card(protocol, [], "US"))
    longest = max(lengths, key=lambda name: lengths[name])
    page = export(tmp_path, "card-longest", longest, "--card", "--region", "US")
    assert len(print_pdf(chromium, page, tmp_path).pages) == 1


def test_checklist_prints_with_the_emergency_line_on_every_page(
    chromium: str, tmp_path: Path
) -> None:
    page = export(tmp_path, "checklist-letter", "suicide-risk-screen", "--region", "US")
    reader = print_pdf(chromium, page, tmp_path)
    assert len(reader.pages) > 3
    texts = [words(reader, i) for i in range(len(reader.pages))]
    line = (
        "Emergency help (US): 911 Emergency Services: call 911; "
        "988 Suicide & Crisis Lifeline: call or text 988"
    )
    assert all(line in text for text in texts), [i for i, t in enumerate(texts) if line not in t]
    assert "Suicide risk screening" in texts[0]
    assert any("WANTING TO DIE" in t.upper() and "URGENT OUTCOME" in t for t in texts)  # the flow
    # each outcome starts a page: its heading comes first after the margin boxes (the
    # running title, the page number and the emergency line, which pypdf reads first)
    bodies = [t.split(line, 1)[1].lstrip() for t in texts]
    for heading in ("Outcome: High risk (high-risk)", "Outcome: Negative screen (negative-screen)"):
        assert len([b for b in bodies if b.startswith(heading)]) == 1, heading


def test_screenshot(chromium: str, tmp_path: Path) -> None:
    page = export(tmp_path, "checklist-a4", "suicide-risk-screen", "--region", "GB")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "checklist-a4.png"
    shot.unlink(missing_ok=True)
    browse(chromium, page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1000,1400",
           "--hide-scrollbars")  # fmt: skip
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
