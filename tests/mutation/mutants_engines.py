"""Mutants of the engines every claim goes through: the kernel's guards, the typed domains, the
enumeration, z3 and derivation engines, the interval arithmetic.

A guard of the kernel only acts when a check misbehaves, so its mutants run the lying checks of
tests/mutation/lying_checks.py (through `--module`, in the real CLI): each is an error or unknown on
the real source, and passes when its guard is gone.
"""
from pathlib import Path

from .harness import Mutant

LIES = str(Path(__file__).with_name("lying_checks.py"))
PLANTED = str(Path(__file__).with_name("planted_claims.py"))


def lie(claim_id: str) -> tuple[str, ...]:
    return ("--module", LIES, claim_id)


MUTANTS: tuple[Mutant, ...] = (
    # ---------------------------------------------------------------- kernel guards (lying checks)
    Mutant("eng-kernel-fewer-cases", "proofs/kernel.py", "if size is not None and v.cases != size:",
           "if size is not None and v.cases > size:", lie("LIE-FEWER"), "coverage"),
    Mutant("eng-kernel-zero-cases", "proofs/kernel.py", "if v.cases < 1:", "if v.cases < 0:", lie("LIE-ZERO"),
           "off-by-one"),
    Mutant("eng-kernel-replay-trusts-bare-true", "proofs/kernel.py", "    if ev.holds is True:\n",
           "    if ev.holds is True and ev.observed:\n", lie("LIE-WITNESS"), "replay"),
    Mutant("eng-kernel-note-is-evidence", "proofs/kernel.py",
           'not any(e.kind != "note" for e in v.evidence)', "not v.evidence", lie("LIE-EMPTY"), "certificate"),
    Mutant("eng-kernel-seed-optional", "proofs/kernel.py",
           "(isinstance(v.seed, bool) or not isinstance(v.seed, int))", "isinstance(v.seed, bool)",
           lie("LIE-SEEDLESS"), "coverage"),
    Mutant("eng-methods-enumeration-ceiling", "proofs/methods.py",
           'ENUMERATION = ("exhaustive enumeration", Status.VERIFIED)',
           'ENUMERATION = ("exhaustive enumeration", Status.PROVED)', lie("LIE-CEILING"), "wrong constant"),
    Mutant("eng-methods-random-ceiling", "proofs/methods.py",
           'RANDOM = ("random search (Hypothesis)", Status.TESTED)',
           'RANDOM = ("random search (Hypothesis)", Status.VERIFIED)', lie("LIE-RANDOM-VERIFIED"), "wrong constant"),
    Mutant("eng-steps-undeclared-cite", "proofs/checks.py",
           'undeclared = [c for c in out.citations if c.partition(":")[0] not in declared]',
           'undeclared = [c for c in out.citations if c.partition(":")[0] in declared]',
           lie("LIE-UNDECLARED"), "direction"),
    Mutant("eng-steps-empty-proof", "proofs/checks.py", "        if not out.results:\n",
           "        if out.results is None:\n", lie("LIE-NO-STEPS"), "boundary"),
    Mutant("eng-kernel-library-guard-off", "proofs/kernel.py", "    if patched:\n", "    if False:\n",
           lie("LIE-PATCHING"), "certificate"),
    # ---------------------------------------------------------------- typed domains: refused input
    Mutant("eng-domain-open-lower-end", "proofs/domains.py",
           "ok &= value > self.lo if self.lo_open else value >= self.lo", "ok &= value >= self.lo",
           ("GH-L5", "--bound", "GH-L5.epsilon=0"), "boundary"),
    Mutant("eng-domain-open-upper-end", "proofs/domains.py",
           "ok &= value < self.hi if self.hi_open else value <= self.hi", "ok &= value <= self.hi",
           ("GH-T6", "--bound", "GH-T6.epsilon=1/2"), "boundary"),
    # ---------------------------------------------------------------- enumeration engine
    Mutant("eng-enum-skips-first-point", "proofs/searches.py", "for point in all_points(ctx.domain):",
           "for point in list(all_points(ctx.domain))[1:]:", ("GH-L5", "GH-L6"), "skipped case"),
    Mutant("eng-shard-merge-count-own-block", "proofs/shards.py",
           "out.count = sum(c for b, c in out.counts.items() if b < pos[0]) + pos[1] + 1",
           "out.count = pos[1] + 1", ("PLANTED-T4-HIGH", "--module", PLANTED, "--bound", "PLANTED-T4-HIGH.delta=2/3,1/2,1/4",
                                      "--bound", "PLANTED-T4-HIGH.n=3,2", "--jobs", "3"), "skipped case"),
    Mutant("eng-enum-worst-is-best", "proofs/searches.py", 'compare_exact(v, "<", worst).holds',
           'compare_exact(v, ">", worst).holds', ("CMZ-T4", "GH-L5"), "direction"),
    Mutant("eng-enum-undecided-tight", "proofs/searches.py",
           'tight = "tight (attained)" if c else "slack"', 'tight = "tight (attained)" if c is not None else "slack"',
           ("GH-T9",), "tie rule"),
    # ---------------------------------------------------------------- z3 engine
    Mutant("eng-z3-timeout-units", "smt/queries.py", "ms = max(1, int(seconds * 1000))", "ms = max(1, int(seconds))",
           ("GH-T5",), "wrong constant"),
    Mutant("eng-z3-fraction-denominator", "smt/queries.py",
           "return Fraction(value.numerator_as_long(), value.denominator_as_long())",
           "return Fraction(value.numerator_as_long())", ("BCK-L1",), "missing term"),
    # ---------------------------------------------------------------- derivation engine
    Mutant("eng-identity-one-sided", "symbolic/identities.py", "if sign in (1, -1):", "if sign == 1:",
           ("CMZ-SLIDE", "GH-COR1"), "direction"),
    Mutant("eng-range-upper-end-dropped", "symbolic/derivation.py",
           "e = e.subs(sym, hi - (hi - lo) * s / (1 + s))", "e = e.subs(sym, lo + s)", ("GH-L5", "GH-T5"),
           "missing term"),
    Mutant("eng-harmonic-block-size-unchecked", "symbolic/analytic_rules.py", "        if not _zero(top - a - c):\n",
           "        if False:\n", lie("LIE-SHORT-BLOCK"), "off-by-one"),
    Mutant("eng-compare-direction", "symbolic/derivation.py",
           'diff = prev - nxt if self.relation == ">=" else nxt - prev',
           'diff = nxt - prev if self.relation == ">=" else prev - nxt', ("GH-L4",), "direction"),
    # ---------------------------------------------------------------- interval arithmetic
    Mutant("eng-interval-log10", "symbolic/intervals.py", "        return iv.log(x)\n",
           "        return iv.log(x) / iv.log(10)\n", ("GH-L4", "GH-T7", "BCK-GAMMA"), "enclosure"),
    Mutant("eng-interval-box-at-midpoint", "symbolic/interval_search.py", "u = f(box).b",
           "u = f(iv_point((l + r) / 2)).b", ("GH-FIG1",), "enclosure"),
)
