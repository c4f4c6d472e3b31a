"""Rendering a Report: the terminal table, JSON, and JUnit XML for CI."""
from __future__ import annotations

import re
import socket
import xml.etree.ElementTree as ET

from .verdicts import ClaimResult, Report, Role, Status, Verdict

__all__ = ["render_table", "render_summary", "render_junit", "render_show", "gate_exit_code",
           "EXIT_OK", "EXIT_REFUTED", "EXIT_UNKNOWN", "EXIT_USAGE", "EXIT_INTERNAL"]

EXIT_OK = 0          # every selected claim passed (proved / verified / certified / tested)
EXIT_REFUTED = 1     # at least one claim was refuted by an exact counterexample
EXIT_UNKNOWN = 2     # something unknown or errored (unknown allowed with --allow-unknown)
EXIT_USAGE = 64      # bad command line, bad input, malformed claim module
EXIT_INTERNAL = 70   # a bug in mechproof itself (the traceback goes to a log file)

_MARK = {Status.PROVED: "✔", Status.VERIFIED: "✔", Status.CERTIFIED: "✔", Status.TESTED: "~",
         Status.REFUTED: "✘", Status.UNKNOWN: "?", Status.ERROR: "!"}


def gate_exit_code(report: Report, allow_unknown: bool = False, expect_refuted: frozenset[str] = frozenset()) -> int:
    """0 all pass; 1 something refuted; 2 something unknown or errored.

    Claims listed in `expect_refuted` are known findings: they pass only while they are refuted where
    the finding is — their as-printed parts (or, for a claim without one, its conjuncts) — and every
    other part passes: a reading or cross-check that turns refuted, an unknown or errored part, and a
    finding that starts to hold all fail, so the list is kept honest (docs/readings.md).
    """
    worst = EXIT_OK
    for r in report.results:
        s = r.status
        if r.claim_id in expect_refuted:
            finding = (Role.AS_PRINTED,) if any(p.role is Role.AS_PRINTED for p in r.parts) else (Role.CONJUNCT,)
            off = [p.verdict.status for p in r.parts
                   if not p.verdict.passes and not (p.verdict.status is Status.REFUTED and p.role in finding)]
            if s is Status.REFUTED and not off:
                continue
            if s.passes or Status.REFUTED in off:      # the finding holds now, or another part is refuted
                worst = max(worst, EXIT_REFUTED)
            else:
                worst = max(worst, EXIT_UNKNOWN)
            continue
        if s is Status.REFUTED:
            return EXIT_REFUTED
        if s is Status.ERROR or (s is Status.UNKNOWN and not allow_unknown):
            worst = EXIT_UNKNOWN
    if report.interrupted:             # an interrupted run never passes, whatever is allowed
        worst = max(worst, EXIT_UNKNOWN)
    return worst


_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text safe for a terminal, XML and logs: control characters shown as \\xNN, never emitted raw."""
    return _INVALID_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text)).replace("\x1b", "\\x1b")


def _clip(text: str, width: int) -> str:
    text = " ".join(clean_text(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _evidence_line(v: Verdict) -> str:
    line = v.summary
    if v.status is Status.REFUTED and v.witness is not None:
        line = f"{v.summary} — witness: {v.witness.describe()}"
    if v.covered:
        line += f" (covered: {v.covered})"
    if v.assumes:
        line += f" [assumes: {'; '.join(v.assumes)}]"
    return line


_ROLE_TAG = {Role.CONJUNCT: "", Role.ROUTE: "route: ", Role.CROSS_CHECK: "cross-check: ",
             Role.AS_PRINTED: "as printed: ", Role.READING: "reading: "}


def claim_line(r: ClaimResult) -> str:
    """One line saying how the claim's status came about: readings, routes, conditions, disagreements."""
    bits = []
    if r.conditional_text:
        bits.append(r.conditional_text)
    if r.note:
        bits.append(r.note)
    printed = [p for p in r.parts if p.role is Role.AS_PRINTED]
    readings = [p for p in r.parts if p.role is Role.READING]
    if printed or readings:
        shown = [f"{_MARK[p.verdict.status]} as printed" + (f" ({p.name})" if len(printed) > 1 else "")
                 for p in printed]
        shown += [f"{_MARK[p.verdict.status]} reading: {p.reading}" for p in readings]
        bits.append(" · ".join(shown))
    routes = [p for p in r.parts if p.role is Role.ROUTE]
    checks = [p for p in r.parts if p.role is Role.CROSS_CHECK]
    if routes:
        best = max(routes, key=lambda p: p.verdict.status.strength if p.verdict.passes else -1)
        bits.append(f"{best.verdict.status.value} by route {best.name!r}")
    if checks:
        counts: dict[str, int] = {}
        for p in checks:
            counts[p.verdict.status.value] = counts.get(p.verdict.status.value, 0) + 1
        bits.append("cross-checks: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    if not bits or not (printed or readings or routes):
        bits.append(_parts_line(r) if len(r.parts) > 1 else _evidence_line(r.weakest))
    return "; ".join(bits)


def render_table(report: Report, width: int = 160) -> str:
    """id · status · method · domain · time · one-line evidence; parts indented under their claim."""
    rows: list[tuple[str, ...]] = []
    for r in report.results:
        w = r.weakest
        method = " + ".join(dict.fromkeys(p.verdict.method for p in r.parts))
        domain = w.domain if len(r.parts) == 1 else f"{len(r.parts)} parts"
        rows.append((r.claim_id, f"{_MARK[r.status]} {r.status.value}", method, domain,
                     "cached" if all(p.verdict.cached for p in r.parts) else f"{r.seconds:.1f}s", claim_line(r)))
        if len(r.parts) > 1:
            for p in r.parts:
                v = p.verdict
                tag = _ROLE_TAG[p.role]
                if p.name.lower().startswith(tag.rstrip(": ").lower()):
                    tag = ""                        # the name already says it ("as printed: …")
                rows.append((f"  └ {tag}{p.name}", f"{_MARK[v.status]} {v.status.value}", v.method,
                             v.domain, "cached" if v.cached else f"{v.seconds:.1f}s", _evidence_line(v)))
    header = ("claim", "status", "method", "domain", "time", "evidence")
    caps = [28, 12, 28, 34, 7]
    widths = [min(cap, max(len(header[i]), *(len(row[i]) for row in rows))) if rows else len(header[i])
              for i, cap in enumerate(caps)]
    # on a narrow terminal, give up method/domain/claim width (down to a floor) before evidence
    for i, floor in ((3, 20), (2, 18), (0, 16)):
        excess = sum(widths) + 2 * len(widths) + 48 - width
        if excess > 0:
            widths[i] = max(floor, widths[i] - excess)
    used = sum(widths) + 2 * len(widths)
    ev_width = max(30, width - used)
    lines = []
    fmt = lambda row: "  ".join(_clip(c, widths[i]).ljust(widths[i]) for i, c in enumerate(row[:5])) \
        + "  " + _clip(row[5], ev_width)
    lines.append(fmt(header))
    lines.append("─" * min(width, used + ev_width))
    lines.extend(fmt(row) for row in rows)
    return "\n".join(line.rstrip() for line in lines)


def render_below_proved(report: Report, width: int = 160) -> str:
    """Each claim that passes below `proved`, with the reason it states (`Claim.why_not_proved`)."""
    rows = [r for r in report.results if r.below_proved]
    if not rows:
        return ""
    idw = min(28, max(len(r.claim_id) for r in rows))
    lines = [f"below proved — why ({len(rows)} claim{'' if len(rows) == 1 else 's'}; "
             "full text: mechproof show ID):"]
    for r in rows:
        reason = r.tier_reason or "no reason stated (Claim.why_not_proved)"
        lines.append(f"  {_clip(r.claim_id, idw).ljust(idw)}  {r.status.value.ljust(9)}  "
                     + _clip(reason, max(30, width - idw - 15)))
    return "\n".join(lines)


def _parts_line(r: ClaimResult) -> str:
    counts: dict[str, int] = {}
    for p in r.parts:
        counts[p.verdict.status.value] = counts.get(p.verdict.status.value, 0) + 1
    worst = r.weakest
    detail = ", ".join(f"{n} {s}" for s, n in counts.items())
    return f"{detail}; weakest: {worst.summary}"


def render_summary(report: Report, exit_code: int) -> str:
    counts = report.counts()
    parts = [f"{n} {s.value}" for s, n in counts.items() if n]
    not_encoded = sum(1 for r in report.results if r.status is Status.UNKNOWN
                      and all(p.verdict.summary == "not yet encoded" for p in r.parts))
    conditional = sum(1 for r in report.results if r.given and r.own_status.passes)
    verdict = {0: "PASS", 1: "FAIL (refuted)", 2: "FAIL (unknown or error)"}.get(exit_code, str(exit_code))
    extra = ", ".join(x for x in (f"{not_encoded} not yet encoded" if not_encoded else "",
                                  f"{conditional} conditional on a claim that did not pass" if conditional else "") if x)
    n = len(report.results)
    head = (f"{n} claim{'' if n == 1 else 's'}: {', '.join(parts)}" + (f" ({extra})" if extra else "")
            + f" in {report.seconds:.1f}s — gate: {verdict}")
    cached = sum(1 for r in report.results for p in r.parts if p.verdict.cached)
    if cached:
        total = sum(len(r.parts) for r in report.results)
        head += f" — {cached} of {total} parts from the cache (--no-cache re-runs them)"
    if report.interrupted:
        head += " — INTERRUPTED: partial report"
    return head


def dependency_tree(claim_id: str, results: dict[str, ClaimResult], uses: dict[str, tuple[str, ...]],
                    depth: int = 0, expanded: set[str] | None = None) -> list[str]:
    """The claims `claim_id` uses, recursively, each with its last status (a claim met again is not
    expanded again)."""
    expanded = set() if expanded is None else expanded
    expanded.add(claim_id)
    lines = []
    for entry in uses.get(claim_id, ()):
        dep, _, which = entry.partition(":")
        r = results.get(dep)
        st = r.status_as_used(bool(which)) if r is not None else None
        status = st.value if st is not None else "not checked"
        mark = _MARK[st] if st is not None else "?"
        again = dep in expanded and uses.get(dep)
        lines.append(f"{'   ' * depth}└ {dep}{f' (its {which})' if which else ''}  {mark} {status}"
                     + ("  (its uses shown above)" if again else ""))
        if not again:
            lines.extend(dependency_tree(dep, results, uses, depth + 1, expanded))
    return lines


def render_show(result: ClaimResult | None, claim, origin: str, results: dict[str, ClaimResult] | None = None,
                uses: dict[str, tuple[str, ...]] | None = None) -> str:
    """Everything about one claim: statement, source, parts, dependencies, last verdict with evidence."""
    out = [f"{claim.id} — {claim.title}", "", f"statement: {claim.statement}", f"source:    {claim.source}",
           f"declared:  {origin}", f"method:    {claim.method}"]
    ceiling = getattr(claim, "ceiling", None)        # None for a stored result whose module is not loaded
    if ceiling is not None and ceiling.passes and ceiling is not Status.PROVED:
        out.append(f"tier:      at most {ceiling.value} by its methods; why not proved: "
                   + (claim.why_not_proved or "no reason stated"))
    elif ceiling is None and result is not None and result.below_proved:
        out.append(f"tier:      {result.status.value}; why not proved: {result.tier_reason or 'no reason stated'}")
    out.append("")
    for p in claim.parts:
        keys = ", ".join(k.name for k in p.domain.keys)
        out.append(f"part {p.name!r} [{p.role.value}]: {p.method_text}; domain {p.domain.default_domain().text}"
                   + (f" (bounds: {keys})" if keys else "") + (" [slow]" if p.slow else ""))
        if p.reading:
            out.append(f"   reading: {p.reading}")
        if p.assumes:
            out.append(f"   assumes: {'; '.join(p.assumes)}")
    if claim.uses:
        out += ["", "uses:"]
        out.extend("  " + line for line in dependency_tree(claim.id, results or {}, uses or {claim.id: claim.uses}))
    out.append("")
    if result is None:
        out.append(f"no verdict recorded yet: run `mechproof check {claim.id}`")
        return "\n".join(out)
    out.append(f"last verdict: {result.status.value}"
               + (f" ({result.conditional_text})" if result.conditional_text else "")
               + (f" — {result.note}" if result.note else ""))
    for p in result.parts:
        v = p.verdict
        out += ["", f"── {p.name} [{p.role.value}]: {v.status.value} ({v.method}; {v.seconds:.2f}s)",
                f"   domain:  {v.domain}" + (f" — {v.cases} cases" if v.cases is not None else ""),
                f"   summary: {v.summary}"]
        if p.reading:
            out.append(f"   reading: {p.reading}")
        if v.covered:
            out.append(f"   covered: {v.covered}")
        if v.assumes:
            out.append(f"   assumes: {'; '.join(v.assumes)}")
        if v.seed is not None:
            out.append(f"   seed:    {v.seed}")
        if v.witness is not None:
            out.append("   witness: " + (", ".join(f"{k} = {x}" for k, x in v.witness.assignment)
                                         or "(no free parameters: the part's domain is one point)"))
            if v.witness.observed:
                out.append("   observed: " + ", ".join(f"{k} = {x}" for k, x in v.witness.observed))
            if v.witness.recheck:
                out.append(f"   re-checked: {v.witness.recheck}")
        for e in v.evidence:
            out.append(f"   [{e.kind}] {e.summary}")
            for k, x in e.stats:
                out.append(f"      {k}: {x}")
            if e.text:
                out.extend("      " + line for line in e.text.rstrip().splitlines())
        if v.tools:
            out.append("   tools: " + ", ".join(f"{k} {x}" for k, x in v.tools))
    return clean_text("\n".join(out))


def render_junit(report: Report, allow_unknown: bool = False) -> str:
    """JUnit XML in the common (Ant/Jenkins) schema: no <properties> inside <testcase>.

    One testcase per claim (classname mechproof.<paper>); refuted → <failure>,
    error → <error>, unknown → <failure> (or <skipped> with --allow-unknown).
    """
    suites = ET.Element("testsuites")
    by_paper: dict[str, list[ClaimResult]] = {}
    for r in report.results:
        by_paper.setdefault(r.paper, []).append(r)
    host = socket.gethostname() or "localhost"
    for idx, (paper, results) in enumerate(by_paper.items()):
        failures = sum(1 for r in results if r.status is Status.REFUTED
                       or (r.status is Status.UNKNOWN and not allow_unknown))
        errors = sum(1 for r in results if r.status is Status.ERROR)
        skipped = sum(1 for r in results if r.status is Status.UNKNOWN and allow_unknown)
        suite = ET.SubElement(suites, "testsuite", {
            "package": "mechproof", "id": str(idx), "name": f"mechproof.{paper}",
            "timestamp": report.started, "hostname": host, "tests": str(len(results)),
            "failures": str(failures), "errors": str(errors), "skipped": str(skipped),
            "time": f"{sum(r.seconds for r in results):.3f}"})
        props = ET.SubElement(suite, "properties")
        for k, v in report.tools + report.settings:
            ET.SubElement(props, "property", {"name": clean_text(k), "value": clean_text(v)})
        lines = []
        for r in results:
            case = ET.SubElement(suite, "testcase", {"classname": f"mechproof.{paper}", "name": r.claim_id,
                                                     "time": f"{r.seconds:.3f}"})
            detail = clean_text("\n".join(f"{p.name}: {p.verdict.status.value} — {p.verdict.method}; "
                                          f"{p.verdict.domain}; {_evidence_line(p.verdict)}" for p in r.parts))
            message = _clip(_evidence_line(r.weakest), 400)
            if r.status is Status.REFUTED:
                ET.SubElement(case, "failure", {"type": "refuted", "message": message}).text = detail
            elif r.status is Status.ERROR:
                ET.SubElement(case, "error", {"type": "error", "message": message}).text = detail
            elif r.status is Status.UNKNOWN:
                if allow_unknown:
                    ET.SubElement(case, "skipped")
                else:
                    ET.SubElement(case, "failure", {"type": "unknown", "message": message}).text = detail
            lines.append(f"{r.claim_id}: {r.status.value}\n" + "\n".join("  " + l for l in detail.splitlines()))
        ET.SubElement(suite, "system-out").text = clean_text("\n".join(lines))
        ET.SubElement(suite, "system-err").text = ""
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
