"""The report's figures (matplotlib, Agg): each a PNG with alt text and its data as CSV beside it.

* CMZ: the welfare guarantees against δ for n = 2, 3, 4 — second price ((1−δ)/(1+δ))², f^(δ)'s bound
  (n + D)/(n(1 + D)) with D = 4δ/(1−δ)², random assignment's 1/n — with the worst cases the last run's
  bounded checks found marked where their evidence names δ and n.
* GH: Figure 1 redrawn from the certified computation: the mpmath.iv enclosures of the two curves over
  boxes of y = ln x ∈ [0, 4] drawn as bands, with the 2.27 and 1.36 lines.
* The last `mechproof hunt` (STATE_DIR/last-hunt.json): its counterexample's profile and the values
  plain evaluation gave there.
* Tightness: for every part whose evidence reports a worst case and the claimed bound, worst ÷ claimed
  (1 = attained); BCK's factors (1 − 1/e, γ(k), 4/27 …) among them.

Numbers come from the stored run as exact text; they are read by a whitelist parser (digits, + − · /,
exp, log, sqrt, pi, E), never evaluated as code.
"""
from __future__ import annotations

import csv
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

__all__ = ["Figure", "make_figures", "read_number"]

_NUMBER = re.compile(r"^[0-9\s+\-*/().^]*(?:(?:exp|log|sqrt|pi|E)[0-9\s+\-*/().^]*)*$")


class Figure:
    def __init__(self, name: str, title: str, alt: str, caption: str) -> None:
        self.name, self.title, self.alt, self.caption = name, title, alt, caption


def read_number(text: str) -> float | None:
    """A float for plotting from exact text such as '31031/46656' or '1 - exp(-1)'; None otherwise."""
    text = (text or "").strip()
    if not text or len(text) > 200 or not _NUMBER.match(text):
        return None
    try:
        return float(Fraction(text))
    except (ValueError, ZeroDivisionError):
        pass
    import sympy as sp
    try:
        value = sp.parse_expr(text.replace("^", "**"), local_dict={"exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt,
                                                                 "pi": sp.pi, "E": sp.E}, evaluate=True)
        out = float(sp.N(value, 20))
    except Exception:
        return None
    return out if out == out and abs(out) != float("inf") else None


def _point(text: str) -> dict[str, str]:
    return {k.strip(): v.strip() for k, _, v in (p.partition("=") for p in re.split(r",\s*(?=\w+=)", text or ""))}


def worst_cases(report: Any) -> list[dict]:
    """Every part's reported worst case with its claimed bound: claim, part, quantity, worst, claimed, at."""
    rows = []
    for r in report.results:
        for p in r.parts:
            for e in p.verdict.evidence:
                stats = dict(e.stats)
                key = next((k for k in stats if k.startswith("worst")), None)
                if key is None or "claimed" not in stats:
                    continue
                rows.append({"claim": r.claim_id, "part": p.name, "quantity": key[6:], "worst": stats[key],
                             "claimed": stats["claimed"], "at": stats.get("at", ""),
                             "tightness": stats.get("tightness", "")})
    return rows


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _save(fig, folder: Path, name: str) -> None:
    fig.savefig(folder / f"{name}.png", dpi=100, metadata={"Software": None})


def cmz_figure(report: Any, folder: Path) -> Figure:
    import matplotlib.pyplot as plt
    deltas = [Fraction(i, 100) for i in range(1, 100)]
    rows, fig = [], plt.figure(figsize=(8, 5))
    ax = fig.add_subplot(111)
    sp_curve = [float(((1 - d) / (1 + d)) ** 2) for d in deltas]
    ax.plot([float(d) for d in deltas], sp_curve, color="black", label="second price ((1−δ)/(1+δ))²")
    for n, color in ((2, "tab:blue"), (3, "tab:orange"), (4, "tab:green")):
        f_curve = []
        for d in deltas:
            D = 4 * d / (1 - d) ** 2
            f_curve.append(float((n + D) / (n * (1 + D))))
        ax.plot([float(d) for d in deltas], f_curve, color=color, label=f"f^(δ), n = {n}: (n + D)/(n(1 + D))")
        ax.axhline(1 / n, color=color, linestyle=":", label=f"random assignment 1/{n}")
        for d, s, f in zip(deltas, sp_curve, f_curve):
            rows.append([str(d), n, f"{s:.12g}", f"{f:.12g}", f"{1 / n:.12g}"])
    found = []
    for w in worst_cases(report):
        if not w["claim"].startswith("CMZ-"):
            continue
        at, worst = _point(w["at"]), read_number(w["worst"])
        d, n = read_number(at.get("delta", "")), read_number(at.get("n", ""))
        if d is None or n is None or worst is None or "bound·MSW" not in w["quantity"]:
            continue
        D = 4 * d / (1 - d) ** 2
        bound = ((1 - d) / (1 + d)) ** 2 if w["claim"] == "CMZ-T2" else (n + D) / (n * (1 + D))
        found.append((d, worst * bound, w["claim"]))
    for d, y, cid in found:
        ax.plot([d], [y], marker="o", color="red", linestyle="none")
        ax.annotate(f"{cid} worst", (d, y), textcoords="offset points", xytext=(5, 5), fontsize=8)
    ax.set_xlabel("δ")
    ax.set_ylabel("welfare guarantee (fraction of MSW)")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=7, loc="upper right")
    ax.set_title("CMZ: guarantees against δ, with the worst cases the bounded checks found")
    _save(fig, folder, "cmz_guarantees")
    plt.close(fig)
    _write_csv(folder / "cmz_guarantees.csv", ["delta", "n", "second_price", "f_delta_bound", "one_over_n"], rows)
    caption = ("Worst cases of the last run marked in red." if found else
               "The last run holds no CMZ worst case with δ and n in its evidence, so none is marked.")
    return Figure("cmz_guarantees", "CMZ guarantees against δ",
                  "Line chart of welfare guarantees against delta from 0 to 1: second price falls from 1 to 0; "
                  "f-delta's bound for n = 2, 3, 4 stays above 1/n; dotted lines at 1/n.", caption)


def gh_figure(folder: Path, boxes: int = 2000) -> Figure:
    import matplotlib.pyplot as plt
    import mpmath
    from mechproof.papers.gh_numeric import TAIL_START, fig1a_iv, fig1b_iv
    iv, fa = mpmath.iv, fig1a_iv()
    rows, xs, a_lo, a_hi, b_lo, b_hi = [], [], [], [], [], []
    for j in range(boxes):
        lo, hi = Fraction(TAIL_START * j, boxes), Fraction(TAIL_START * (j + 1), boxes)
        Y = iv.mpf([mpmath.mpf(lo.numerator) / lo.denominator, mpmath.mpf(hi.numerator) / hi.denominator])
        A, B = fa(Y), fig1b_iv(Y)
        xs.append(float(mpmath.e ** ((float(lo) + float(hi)) / 2)))
        a_lo.append(float(A.a)), a_hi.append(float(A.b)), b_lo.append(float(B.a)), b_hi.append(float(B.b))
        ends = [mpmath.mpf(A._mpi_[0]), mpmath.mpf(A._mpi_[1]), mpmath.mpf(B._mpi_[0]), mpmath.mpf(B._mpi_[1])]
        rows.append([str(lo), str(hi)] + [mpmath.nstr(x, 17) for x in ends])
    fig = plt.figure(figsize=(8, 5))
    ax = fig.add_subplot(111)
    ax.fill_between(xs, a_lo, a_hi, color="tab:blue", alpha=0.6, label="(a) Thm-8 bound / (0.577 + ln x), enclosure")
    ax.fill_between(xs, b_lo, b_hi, color="tab:orange", alpha=0.6, label="(b) (2/ln 2)(ln 2 + ln x) / Thm-8 bound")
    ax.axhline(2.27, color="tab:blue", linestyle="--", label="2.27")
    ax.axhline(1.36, color="tab:orange", linestyle="--", label="1.36")
    ax.set_xscale("log")
    ax.set_xlabel("x = n/k")
    ax.set_ylabel("ratio")
    ax.legend(fontsize=8)
    ax.set_title("GH Figure 1, from certified enclosures (y = ln x ∈ [0, 4])")
    _save(fig, folder, "gh_figure1")
    plt.close(fig)
    _write_csv(folder / "gh_figure1.csv", ["y_lo", "y_hi", "a_lo", "a_hi", "b_lo", "b_hi"], rows)
    return Figure("gh_figure1", "GH Figure 1",
                  f"Two bands against x = n/k on a log axis from 1 to e^{TAIL_START}: curve (a) stays below the "
                  "dashed line at 2.27, curve (b) above the dashed line at 1.36.",
                  f"Each band is the union of {boxes} rigorous mpmath.iv enclosures (one per box of y); the tail "
                  f"y ≥ {TAIL_START} is the proved part of GH-FIG1.")


def tightness_figure(report: Any, folder: Path) -> Figure | None:
    import matplotlib.pyplot as plt
    rows = []
    for w in worst_cases(report):
        worst, claimed = read_number(w["worst"]), read_number(w["claimed"])
        ratio = worst / claimed if worst is not None and claimed not in (None, 0) else None
        rows.append([w["claim"], w["part"], w["quantity"], w["worst"], w["claimed"], w["tightness"],
                     "" if ratio is None else f"{ratio:.12g}"])
    shown = [r for r in rows if r[6]]
    if not shown:
        return None
    fig = plt.figure(figsize=(9, max(3, 0.28 * len(shown) + 1)))
    ax = fig.add_subplot(111)
    labels = [f"{r[0]}: {r[1][:38]}" for r in shown]
    values = [float(r[6]) for r in shown]
    colors = ["tab:green" if r[5].startswith("tight") else "tab:gray" for r in shown]
    ax.barh(range(len(shown)), values, color=colors)
    ax.axvline(1, color="black", linewidth=1)
    ax.set_yticks(range(len(shown)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("worst case found ÷ claimed bound (1: attained)")
    ax.set_title("Tightness: worst cases of the bounded checks against the claimed bounds")
    fig.tight_layout()
    _save(fig, folder, "tightness")
    plt.close(fig)
    _write_csv(folder / "tightness.csv", ["claim", "part", "quantity", "worst", "claimed", "tightness", "ratio"], rows)
    return Figure("tightness", "Tightness of the bounds",
                  f"Horizontal bar chart of {len(shown)} parts: worst case found divided by the claimed bound; green "
                  "bars are attained (ratio 1).",
                  f"{len(shown)} of {len(rows)} reported worst cases could be drawn (the others are symbolic values "
                  "the plot cannot evaluate; all are in the CSV).")


def _numbers(text: str) -> list[float]:
    out = []
    for piece in re.split(r"[,\s()]+", text or ""):
        v = read_number(piece) if piece else None
        if v is not None:
            out.append(v)
    return out


def hunt_figure(hunt: dict, folder: Path) -> Figure | None:
    """The last `mechproof hunt`'s first counterexample: the witness profile and the values plain
    evaluation gave there (the utilities of truth and deviation, for dsic)."""
    import matplotlib.pyplot as plt
    for h in hunt.get("hunts", []):
        parts = [p for r in h.get("report", {}).get("results", []) for p in r.get("parts", [])]
        w = next((p["verdict"]["witness"] for p in parts if p["verdict"].get("witness")), None)
        if not w:
            continue
        point = {k: v for k, v in w["assignment"]}
        observed = [(k, read_number(v)) for k, v in w["observed"]]
        observed = [(k, v) for k, v in observed if v is not None]
        bids = _numbers(point.get("bids", point.get("values", "")))
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 4))
        a1.bar([f"player {i}" for i in range(len(bids))], bids, color="tab:blue")
        a1.set_title(f"witness profile ({'bids' if 'bids' in point else 'values'})")
        a2.bar([k for k, _ in observed], [v for _, v in observed], color="tab:red")
        a2.set_title("plain evaluation at the witness")
        a2.tick_params(axis="x", labelsize=8, rotation=15)
        fig.suptitle(f"hunt {hunt.get('target', '?')} --property {h.get('property', '?')}: a counterexample")
        fig.tight_layout()
        _save(fig, folder, "hunt_witness")
        plt.close(fig)
        _write_csv(folder / "hunt_witness.csv", ["kind", "name", "value"],
                   [["assignment", k, v] for k, v in w["assignment"]] + [["observed", k, v] for k, v in w["observed"]])
        where = ", ".join(f"{k}={v}" for k, v in w["assignment"])
        return Figure("hunt_witness", "The last hunt's counterexample",
                      f"Two bar charts: the bids of the witness profile per player, and the values plain evaluation "
                      f"gave there ({', '.join(k for k, _ in observed)}).",
                      f"{hunt.get('mechanism', '?')}, property {h.get('property', '?')}: {where}.")
    return None


def make_figures(report: Any, folder: Path, hunt: dict | None = None) -> tuple[list[Figure], list[str]]:
    """The figures that apply to this run (and the last hunt), and one line for each not drawn."""
    import matplotlib
    matplotlib.use("Agg")
    folder.mkdir(parents=True, exist_ok=True)
    figures, problems = [], []
    papers = {r.paper for r in report.results}
    makers = [("CMZ", lambda: cmz_figure(report, folder)), ("GH", lambda: gh_figure(folder)),
              (None, lambda: tightness_figure(report, folder))]
    if hunt:
        makers.append((None, lambda: hunt_figure(hunt, folder)))
    for paper, make in makers:
        if paper is not None and paper not in papers:
            continue
        try:
            made = make()
            if made is None and make is makers[2][1]:
                problems.append("no part of this run reports a worst case against a claimed bound: no tightness "
                                "figure")
            elif made is None:
                problems.append("the last hunt found no counterexample: no witness figure")
            else:
                figures.append(made)
        except Exception as exc:       # a figure that fails is reported on the page, never a crash
            problems.append(f"a figure could not be drawn: {type(exc).__name__}: {str(exc)[:120]}")
    return figures, problems
