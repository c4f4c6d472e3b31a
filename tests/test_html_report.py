"""`mechproof report --html DIR`: the page, its figures with alt text and CSV, escaping, and bad input."""
import json
import re
from pathlib import Path

import pytest

from mechproof.cli import main

HOSTILE = '''
from mechproof import Claim, Evidence, Method, Part, proved
OK = lambda c: proved(summary="<img src=x onerror=alert(1)>", evidence=Evidence("identity", "trivially"))
X = Claim(id="U-XSS", title="<script>alert('title')</script>", statement="s & <b>", source="x",
          parts=(Part("<i>p</i>", method=Method.IDENTITY, domain="d", check=OK),))
'''


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    mod = root / "hostile.py"
    mod.write_text(HOSTILE)
    state = root / "state"
    assert main(["check", "CMZ-D", "GH-FIG1", "GH-L4", "U-XSS", "--module", str(mod), "--no-progress", "--state-dir", str(state)]) == 0
    assert main(["hunt", "first-price", "--property", "dsic", "--state-dir", str(state)]) == 1
    out = root / "html"
    assert main(["report", "--html", str(out), "--state-dir", str(state)]) == 0
    return out, (out / "index.html").read_text(encoding="utf-8"), state


def test_the_page_holds_every_claim_its_status_and_evidence(page):
    _, text, _ = page
    for cid in ("CMZ-D", "GH-FIG1", "GH-L4", "U-XSS"):
        assert f">{cid}<" in text
    assert text.count('class="claim"') >= 4             # and the claims GH-L4 uses
    assert "certified" in text and "proved" in text
    assert "<details>" in text and "branch and bound" in text       # GH-FIG1's enclosure evidence
    # GH-FIG1 is certified, below proved: its stated reason is on the page, escaped like all text
    assert "why not proved: A numeric statement: the maximum and minimum" in text


def test_user_text_is_escaped(page):
    _, text, _ = page
    assert "<script>alert(" not in text and "&lt;script&gt;alert(" in text
    assert "<img src=x" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<i>p</i>" not in text


def test_every_image_exists_with_alt_text_and_its_data_beside_it(page):
    out, text, _ = page
    imgs = re.findall(r'<img src="([^"]+)" alt="([^"]*)"', text)
    assert {src for src, _ in imgs} == {"plots/cmz_guarantees.png", "plots/gh_figure1.png", "plots/tightness.png",
                                        "plots/hunt_witness.png"}
    for src, alt in imgs:
        png = out / src
        assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.with_suffix(".csv").is_file() and len(png.with_suffix(".csv").read_text().splitlines()) > 1
        assert len(alt) > 20


def test_the_figure1_bands_are_the_certified_enclosures(page):
    """The drawn bands come from rigorous enclosures: on every box (a) stays ≤ 2.27 and (b) ≥ 1.36."""
    out, _, _ = page
    import csv
    rows = list(csv.DictReader(open(out / "plots" / "gh_figure1.csv")))
    assert len(rows) >= 1000
    assert max(float(r["a_hi"]) for r in rows) < 2.27 and min(float(r["b_lo"]) for r in rows) > 1.36
    assert all(float(r["a_lo"]) <= float(r["a_hi"]) for r in rows)


def test_bad_input_gets_one_line_and_exit_64(page, tmp_path, capsys):
    _, _, state = page
    assert main(["report", "--html", str(tmp_path / "x"), "--state-dir", str(tmp_path / "none")]) == 64
    assert "no last run" in capsys.readouterr().err
    afile = tmp_path / "f"
    afile.write_text("")
    assert main(["report", "--html", str(afile), "--state-dir", str(state)]) == 64
    assert "is a file" in capsys.readouterr().err
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "last.json").write_text("{nope")
    assert main(["report", "--html", str(tmp_path / "y"), "--state-dir", str(broken)]) == 64
    assert "unreadable" in capsys.readouterr().err
    other = tmp_path / "other"
    other.mkdir()
    data = json.loads((Path(state) / "last.json").read_text())
    data["tools"] = [["mechproof", "0.0.1"]] + [t for t in data["tools"] if t[0] != "mechproof"]
    (other / "last.json").write_text(json.dumps(data))
    assert main(["report", "--html", str(tmp_path / "z"), "--state-dir", str(other)]) == 64
    assert "mechproof 0.0.1" in capsys.readouterr().err


def test_the_hunt_figure_shows_the_last_hunts_witness(page):
    out, _, _ = page
    import csv
    rows = {(r["kind"], r["name"]): r["value"] for r in csv.DictReader(open(out / "plots" / "hunt_witness.csv"))}
    assert rows[("assignment", "bids")] == "(1, 0)" and rows[("assignment", "deviation")] == "0"
    assert rows[("observed", "utility truthful")] == "0" and rows[("observed", "utility deviating")] == "1"
