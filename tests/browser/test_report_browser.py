"""The HTML report in a real browser (headless Chromium): it renders, every image loads, every filter
shows the rows it should (the page's own #selftest), and a screenshot is kept (.ci/artifacts/report.png).
Run by .ci/run (marker `browser`); outside CI a machine without Chromium skips it."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mechproof.cli import main

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--allow-file-access-from-files"]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed, but CI must run the browser test (.ci/run installs it)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return path


def test_the_report_renders_and_its_filters_work_in_chromium(tmp_path):
    browser = _chromium()
    state = tmp_path / "state"
    code = main(["check", "CMZ-D", "CMZ-SLIDE", "GH-FIG1", "GH-L4", "BCK-EX1", "--no-progress",
                 "--state-dir", str(state)])
    assert code in (0, 1)                                           # CMZ-SLIDE is a refuted finding
    out = tmp_path / "html"
    assert main(["report", "--html", str(out), "--state-dir", str(state)]) == 0
    url = (out / "index.html").as_uri()
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = subprocess.run([browser, *FLAGS, *profile, "--virtual-time-budget=10000", "--dump-dom", url + "#selftest"],
                         capture_output=True, text=True, timeout=120).stdout
    assert 'class="claim"' in dom and "CMZ-SLIDE" in dom
    selftest = dom.split('id="selftest">', 1)[1].split("</pre>", 1)[0]
    assert "SELFTEST OK" in selftest, selftest
    assert "images 3 loaded 3" in selftest, selftest
    assert "filter status=refuted shows 1 of 1 ok" in selftest, selftest
    shot_dir = ROOT / ".ci" / "artifacts" if os.environ.get("CI") else tmp_path
    shot_dir.mkdir(parents=True, exist_ok=True)
    shot = shot_dir / "report.png"
    subprocess.run([browser, *FLAGS, *profile, "--window-size=1400,1000", f"--screenshot={shot}", url],
                   capture_output=True, timeout=120)
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
