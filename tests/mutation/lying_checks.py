"""Claims whose checks lie, one way each: the kernel must turn every one into an `error`.

Run through the real CLI by the engine mutants of tests/mutation/mutants_engines.py: on the real
source each claim below ends as an error or unknown (exit 2); a mutant that removes one of the kernel's guards
lets its lie pass, and the gate notices. (They are not built-in claims: `--module` loads them.)
"""
from mechproof import (Check, Cite, Claim, Evaluation, Evidence, IntKey, Method, Part, Schema, Witness, proved,
                       refuted, steps_check, tested, verified)


def _part(name, method, check, domain="a lie"):
    return Part(name, method=method, domain=domain, check=check)


# a bounded pass over fewer cases than the domain declares
FEWER = Claim(id="LIE-FEWER", title="covers 9 of 10 cases", statement="x", source="mutation suite",
              parts=(Part("nine of ten", method=Method.ENUMERATION,
                          domain=Schema(IntKey("m", 10, min=1, max=20, local=True, help="cases"), text="m = $m cases",
                                        cases=lambda d: d["m"]),
                          check=Check(lambda ctx: verified(cases=ctx.domain["m"] - 1, summary="all cases hold",
                                                           evidence=Evidence("enumeration", "lie")))),))

# a bounded pass over zero cases
ZERO = Claim(id="LIE-ZERO", title="covers nothing", statement="x", source="mutation suite",
             parts=(_part("zero cases", Method.ENUMERATION,
                          Check(lambda ctx: verified(cases=0, summary="all 0 cases hold",
                                                     evidence=Evidence("enumeration", "lie")))),))

# a refutation whose witness does not reproduce under the plain evaluation
WITNESS = Claim(id="LIE-WITNESS", title="a witness that does not reproduce", statement="x", source="mutation suite",
                parts=(_part("bogus witness", Method.ENUMERATION,
                             Check(lambda ctx: refuted(witness=Witness.of({"b": 3}, None, "made up"),
                                                       summary="fails at b = 3"),
                                   lambda point: Evaluation.of(True))),))

# a proof from a method whose ceiling is `verified`
CEILING = Claim(id="LIE-CEILING", title="an enumeration that claims a proof", statement="x", source="mutation suite",
                parts=(_part("enumeration claims proved", Method.ENUMERATION,
                             Check(lambda ctx: proved(summary="holds for all n",
                                                      evidence=Evidence("enumeration", "lie")))),))

# a proof with nothing but a note as evidence
EMPTY = Claim(id="LIE-EMPTY", title="a proof with no evidence", statement="x", source="mutation suite",
              parts=(_part("note only", Method.DERIVATION,
                           Check(lambda ctx: proved(summary="trust me", evidence=Evidence("note", "trust me")))),))

# a random search that records no seed
SEEDLESS = Claim(id="LIE-SEEDLESS", title="random search without a seed", statement="x", source="mutation suite",
                 parts=(_part("no seed", Method.RANDOM,
                              Check(lambda ctx: tested(cases=50, seed=None, summary="50 random examples",
                                                       evidence=Evidence("random", "lie")))),))

# a random search that claims `verified`
RANDOM_VERIFIED = Claim(id="LIE-RANDOM-VERIFIED", title="random search claims verified", statement="x",
                        source="mutation suite",
                        parts=(_part("random verified", Method.RANDOM,
                                     Check(lambda ctx: verified(cases=50, summary="50 random examples",
                                                                evidence=Evidence("random", "lie")))),))

# a proof that cites a claim it does not declare in `uses` (the dependency would go unrecorded)
UNDECLARED = Claim(id="LIE-UNDECLARED", title="an undeclared citation", statement="x", source="mutation suite",
                   parts=(_part("cites GH-L1 without uses", Method.DERIVATION,
                                steps_check(lambda: [Cite("Lemma 1 gives it", "GH-L1")], summary="by Lemma 1")),))

# a proof with no steps at all
NO_STEPS = Claim(id="LIE-NO-STEPS", title="a proof of nothing", statement="x", source="mutation suite",
                 parts=(_part("no steps", Method.DERIVATION, steps_check(lambda: [], summary="obvious")),))


def _short_block():
    """H_(a+c+1) − H_a "=" Σ_(r=1..c) 1/(a + r): a harmonic block one term short."""
    import sympy as sp
    from mechproof import Holds
    from mechproof.symbolic.derivation import Derivation, HarmonicBlock, Step
    a, c, r = sp.symbols("a c r", integer=True, nonnegative=True)
    short = sp.Sum(1 / (a + r), (r, 1, c))
    d = Derivation(sp.harmonic(a + c + 1) - sp.harmonic(a), (Step(short, HarmonicBlock()),))
    return [Holds("a block of c + 1 harmonic terms is c terms", d, "=", short)]


# a derivation step justified by a named rule whose instance does not match (one term short)
SHORT_BLOCK = Claim(id="LIE-SHORT-BLOCK", title="a harmonic block one term short", statement="x",
                    source="mutation suite",
                    parts=(_part("short block", Method.DERIVATION, steps_check(_short_block, summary="by definition")),))


def _patching_check(ctx):
    """Replaces sympy.simplify by 'everything is 0', then asks whether x² ≡ x."""
    import sympy
    from mechproof import identity_check
    sympy.simplify = lambda e, *a, **k: sympy.Integer(0)
    x = sympy.Symbol("x")
    return identity_check(x ** 2, x)(ctx)


# a check that patches the library its verdict is decided with, then asks it
PATCHING = Claim(id="LIE-PATCHING", title="x² ≡ x under a patched sympy", statement="x", source="mutation suite",
                 parts=(_part("patched simplify", Method.IDENTITY, Check(_patching_check)),))
