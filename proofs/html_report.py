"""`mechproof report --html DIR`: the last run as one static, self-contained page with figures.

DIR/index.html holds every claim: its verdict and tier, each part's role, reading, method, domain,
coverage and full evidence (proof steps, SMT-LIB text, enclosures, witnesses) in collapsible
sections; the claims the claim uses and those that did not pass; buttons that filter by paper and
by status.  CSS and script are inline and nothing is fetched at view time; the figures are PNG
files in DIR/plots/, each with alt text and its data as CSV beside it (proofs/plots.py).  Every
text from a claim is HTML-escaped, so a user module's claim cannot inject markup.

`#selftest` in the address runs a check in the page itself (every image loaded, every filter shows
the rows it should) and writes the result into <pre id="selftest">, which the browser test reads.
"""
from __future__ import annotations

import html
import json
import os
import sys
from pathlib import Path
from typing import Any

from mechproof.mechanisms.errors import UsageError

from .verdicts import Report

__all__ = ["render_html", "write_html_report", "run_report", "add_report_parser"]

_STATUS_ORDER = ("refuted", "error", "unknown", "tested", "certified", "verified", "proved")

_CSS = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em} table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #ddd;
padding:4px 6px;vertical-align:top;text-align:left;font-size:.92em} .st{font-weight:600;white-space:nowrap}
.proved,.verified,.certified,.tested{color:#176b2c} .refuted,.error{color:#a11} .unknown{color:#8a6d00}
pre{background:#f6f6f6;padding:6px;overflow-x:auto;max-height:28em;font-size:.85em;white-space:pre-wrap}
.filters button{margin:2px;padding:3px 8px} .filters button.on{background:#234;color:#fff}
figure{margin:1em 0} figure img{max-width:100%;border:1px solid #ccc} .part{margin-left:1em}
"""

_JS = """
const state={paper:'all',status:'all'};
function apply(){let shown=0;document.querySelectorAll('tr.claim').forEach(r=>{
 const ok=(state.paper==='all'||r.dataset.paper===state.paper)&&(state.status==='all'||r.dataset.status===state.status);
 r.style.display=ok?'':'none';const d=document.getElementById('d-'+r.id);if(d)d.style.display=ok?'':'none';if(ok)shown++;});
 document.getElementById('shown').textContent=shown;
 document.querySelectorAll('.filters button').forEach(b=>b.classList.toggle('on',state[b.dataset.kind]===b.dataset.value));}
function pick(kind,value){state[kind]=value;apply();}
function selftest(){const out=[];const imgs=[...document.images];
 const bad=imgs.filter(i=>!(i.complete&&i.naturalWidth>0));out.push('images '+imgs.length+' loaded '+(imgs.length-bad.length));
 const rows=[...document.querySelectorAll('tr.claim')];
 document.querySelectorAll('.filters button').forEach(b=>{pick(b.dataset.kind,b.dataset.value);
  const want=rows.filter(r=>b.dataset.value==='all'||r.dataset[b.dataset.kind]===b.dataset.value).length;
  const got=rows.filter(r=>r.style.display!=='none').length;
  out.push('filter '+b.dataset.kind+'='+b.dataset.value+' shows '+got+' of '+want+(got===want?' ok':' WRONG'));
  pick(b.dataset.kind,'all');});
 out.push(bad.length===0&&!out.some(l=>l.endsWith('WRONG'))?'SELFTEST OK':'SELFTEST FAILED');
 document.getElementById('selftest').textContent=out.join('\\n');}
window.addEventListener('load',()=>{apply();if(location.hash==='#selftest')selftest();});
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _slug(claim_id: str) -> str:
    return "c-" + "".join(ch if ch.isalnum() else "-" for ch in claim_id)


def _part_html(p: Any) -> str:
    v = p.verdict
    rows = [("role", p.role.value), ("reading", p.reading), ("method", v.method), ("domain", v.domain),
            ("cases", "" if v.cases is None else str(v.cases)), ("covered", v.covered),
            ("assumes", "; ".join(v.assumes)), ("seed", "" if v.seed is None else str(v.seed)),
            ("time", f"{v.seconds:.1f}s" + (" (cached)" if v.cached else ""))]
    out = [f'<div class="part"><p><span class="st {_e(v.status.value)}">{_e(v.status.value)}</span> '
           f"<b>{_e(p.name)}</b> — {_e(v.summary)}</p><table>"]
    out += [f"<tr><th>{_e(k)}</th><td>{_e(val)}</td></tr>" for k, val in rows if val]
    out.append("</table>")
    if v.witness is not None:
        out.append(f"<p><b>witness</b>: <code>{_e(v.witness.describe())}</code>"
                   + (f" — re-checked: {_e(v.witness.recheck)}" if v.witness.recheck else "") + "</p>")
    for e in v.evidence:
        stats = ", ".join(f"{k} = {val}" for k, val in e.stats)
        out.append(f"<details><summary>{_e(e.kind)}: {_e(e.summary)}</summary>"
                   + (f"<p>{_e(stats)}</p>" if stats else "") + (f"<pre>{_e(e.text)}</pre>" if e.text else "")
                   + "</details>")
    out.append("</div>")
    return "".join(out)


def render_html(report: Report, figures: list, problems: list[str]) -> str:
    counts = report.counts()
    papers = sorted({r.paper for r in report.results})
    statuses = [s for s in _STATUS_ORDER if any(r.status.value == s for r in report.results)]
    buttons = ['<div class="filters">paper: <button data-kind="paper" data-value="all" onclick="pick(\'paper\',\'all\')">'
               'all</button>']
    buttons += [f'<button data-kind="paper" data-value="{_e(p)}" onclick="pick(\'paper\',{_e(json.dumps(p))})">'
                f"{_e(p)}</button>" for p in papers]
    buttons.append(' · status: <button data-kind="status" data-value="all" onclick="pick(\'status\',\'all\')">all</button>')
    buttons += [f'<button data-kind="status" data-value="{s}" onclick="pick(\'status\',\'{s}\')">{s}</button>'
                for s in statuses]
    buttons.append(' · <span id="shown"></span> claims shown</div>')
    rows, details = [], []
    for r in report.results:
        sid = _slug(r.claim_id)
        cond = r.conditional_text
        uses = ", ".join(r.uses)
        why = f"why not proved: {r.tier_reason or 'no reason stated'}" if r.below_proved else ""
        rows.append(f'<tr class="claim" id="{sid}" data-paper="{_e(r.paper)}" data-status="{_e(r.status.value)}">'
                    f'<td><a href="#d-{sid}">{_e(r.claim_id)}</a></td><td class="st {_e(r.status.value)}">'
                    f"{_e(r.status.value)}</td><td>{_e(r.title)}</td><td>{_e(r.note or cond or why)}</td></tr>")
        details.append(f'<section id="d-{sid}"><h3>{_e(r.claim_id)} — {_e(r.title)} '
                       f'<span class="st {_e(r.status.value)}">{_e(r.status.value)}</span></h3>'
                       f"<p>{_e(r.statement)}</p><p><i>source</i>: {_e(r.source)}"
                       + (f"; <i>uses</i>: {_e(uses)}" if uses else "") + (f"; <b>{_e(cond)}</b>" if cond else "")
                       + "</p>" + (f"<p><i>{_e(why)}</i></p>" if why else "") + "".join(_part_html(p) for p in r.parts) + "</section>")
    figs = "".join(f'<figure><img src="plots/{_e(f.name)}.png" alt="{_e(f.alt)}"><figcaption><b>{_e(f.title)}</b>. '
                   f'{_e(f.caption)} Data: <a href="plots/{_e(f.name)}.csv">{_e(f.name)}.csv</a>.</figcaption></figure>'
                   for f in figures)
    figs += "".join(f"<p class='error'>{_e(p)}</p>" for p in problems)
    summary = ", ".join(f"{counts[s]} {s.value}" for s in counts if counts[s])
    tools = ", ".join(f"{k} {v}" for k, v in report.tools)
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>mechproof report</title>"
            f"<style>{_CSS}</style></head><body><h1>mechproof report</h1>"
            f"<p>{len(report.results)} claims: {_e(summary)}; run started {_e(report.started)} UTC, "
            f"{report.seconds:.1f}s{' (interrupted)' if report.interrupted else ''}. Tools: {_e(tools)}.</p>"
            f"<h2>Figures</h2>{figs}<h2>Claims</h2>{''.join(buttons)}"
            "<table><thead><tr><th>claim</th><th>status</th><th>title</th><th>note</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table><h2>Evidence</h2>" + "".join(details)
            + f"<pre id='selftest'></pre><script>{_JS}</script></body></html>")


def write_html_report(report: Report, folder: Path, hunt: dict | None = None) -> tuple[Path, int]:
    """Write DIR/index.html and DIR/plots/; (the page, the number of figures)."""
    from .plots import make_figures
    folder.mkdir(parents=True, exist_ok=True)
    figures, problems = make_figures(report, folder / "plots", hunt)
    page = folder / "index.html"
    page.write_text(render_html(report, figures, problems), encoding="utf-8")
    return page, len(figures)


def _check_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"report --html {folder}: is a file, not a directory")
    existing = folder if folder.exists() else next((q for q in folder.resolve().parents if q.exists()), None)
    if existing is None or not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"report --html {folder}: {existing or folder} is not writable")


def add_report_parser(sub) -> None:
    rp = sub.add_parser("report", help="the last run as a static HTML page with figures",
                        description="Write the last run (from `mechproof check`, kept in the state directory) as a "
                                    "self-contained HTML page: every claim with its verdict, parts, roles, readings, "
                                    "dependencies and full evidence, filterable by paper and status, and figures "
                                    "(CMZ guarantees against δ, GH Figure 1 from certified enclosures, tightness of "
                                    "every bound) with their data as CSV. docs/report.md shows an example.")
    rp.add_argument("--html", required=True, metavar="DIR", help="directory to write index.html and plots/ into")
    rp.add_argument("--state-dir", default=".mechproof", metavar="DIR", help="where the last run is kept")


def run_report(args) -> int:
    from . import __version__
    from .state import STATE_FILE, load_state
    folder = Path(args.html)
    _check_folder(folder)
    results, warning = load_state(Path(args.state_dir))
    if warning:
        raise UsageError(f"report: {warning}")
    if not results:
        raise UsageError(f"report: no last run in {Path(args.state_dir) / STATE_FILE}; run `mechproof check` first")
    text = (Path(args.state_dir) / STATE_FILE).read_text(encoding="utf-8")
    report = Report.from_json(text)
    made_by = dict(report.tools).get("mechproof")
    if made_by is not None and made_by != __version__:
        raise UsageError(f"report: the last run was made by mechproof {made_by}, this is {__version__}; run "
                         "`mechproof check` again")
    hunt = None
    hunt_file = Path(args.state_dir) / "last-hunt.json"
    if hunt_file.is_file():
        try:
            hunt = json.loads(hunt_file.read_text(encoding="utf-8"))
            hunt = hunt if isinstance(hunt, dict) else None
        except (OSError, ValueError, RecursionError):
            print(f"mechproof: warning: {hunt_file} is unreadable; the report has no hunt figure", file=sys.stderr)
    try:
        page, n = write_html_report(report, folder, hunt)
    except OSError as exc:
        raise UsageError(f"report --html {folder}: {exc.strerror or exc}") from None
    print(f"report: {len(report.results)} claims, {n} figures written to {page}", file=sys.stderr)
    return 0
