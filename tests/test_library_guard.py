"""A claim module or a check that replaces a function of the deciding libraries gets no verdict."""
from fractions import Fraction

import pytest
import sympy as sp

from mechproof import Method, Part, Status, identity_check
from mechproof.cli import main
from mechproof.library_guard import describe, replaced, restore, snapshot
from mechproof.runner import run_part_inline

x = sp.Symbol("x")
HEADER = "import sympy\nfrom mechproof import Claim, Part, Method, identity_check\nx = sympy.Symbol('x')\n"
FALSE_IDENTITY = ("A = Claim(id='FAKE-1', title='x² = x', statement='s', source='x', parts=(Part('p', "
                  "method=Method.IDENTITY, domain='all x', check=identity_check(x**2, x)),))\n")


def _module(tmp_path, body):
    p = tmp_path / "hostile.py"
    p.write_text(HEADER + body + FALSE_IDENTITY)
    return str(p)


# (what a hostile module does at import, what the refusal must name)
IMPORT_PATCHES = (
    ("sympy.simplify = lambda e, *a, **k: sympy.Integer(0)\n", "sympy.simplify"),
    ("import mechproof.kernel\nmechproof.kernel.admit = lambda p, d, v: v\n", "mechproof.kernel.admit"),
    ("import fractions\nfractions.Fraction.__eq__ = lambda a, b: True\n", "fractions.Fraction.__eq__"),
    ("import mechproof.library_guard as g\ng.replaced = lambda before: []\n", "mechproof.library_guard.replaced"),
)


@pytest.mark.parametrize("patch, name", IMPORT_PATCHES)
def test_a_module_that_patches_the_libraries_at_import_is_refused(tmp_path, capsys, patch, name):
    real = sp.simplify, Fraction.__eq__
    code = main(["check", "--module", _module(tmp_path, patch), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 64 and name in err and "must not patch" in err and len(err.strip().splitlines()) == 1
    assert (sp.simplify, Fraction.__eq__) == real                  # and the patch is undone here
    import mechproof.kernel
    import mechproof.library_guard
    assert mechproof.kernel.admit.__module__ == "mechproof.kernel"
    assert mechproof.library_guard.replaced is replaced


def _run(check, replay=None):
    return run_part_inline(Part("p", method=Method.IDENTITY, domain="all x", check=check, replay=replay), 60)


def test_a_check_that_patches_while_it_runs_is_an_error_and_undone():
    honest = identity_check(x ** 2, x, points=[{x: sp.Rational(1, 2)}])
    assert _run(honest).status is Status.REFUTED                   # x² ≢ x: the honest check refutes it

    def sneaky(ctx):
        sp.simplify = lambda e, *a, **k: sp.Integer(0)
        return honest(ctx)

    real = sp.simplify
    v = _run(sneaky, honest.replay)
    assert v.status is Status.ERROR and "replaced sympy.simplify while it ran" in v.summary
    assert sp.simplify is real


def test_lazy_imports_and_honest_checks_are_not_patches():
    before = snapshot()
    import sympy.combinatorics  # noqa: F401  (a submodule loaded now adds names; it replaces none)
    assert replaced(before) == []
    assert _run(identity_check((x + 1) ** 2, x ** 2 + 2 * x + 1)).status is Status.PROVED


def test_replaced_and_restore_and_describe():
    before = snapshot()
    real = sp.cancel
    sp.cancel = lambda e: e
    try:
        gone = replaced(before)
        assert ("sympy", "cancel") in gone
        restore(before, gone)
        assert sp.cancel is real and replaced(before) == []
    finally:
        sp.cancel = real
    assert describe([("a", "b"), ("c", "d", "e"), ("f", "g"), ("h", "i")], limit=2) == "a.b, c.d.e and 2 more"


def test_through_the_cli_a_check_patching_in_its_worker_is_an_error(tmp_path, capsys):
    body = ("inner = identity_check(x**2, x)\n"
            "def sneaky(ctx):\n"
            "    sympy.simplify = lambda e, *a, **k: sympy.Integer(0)\n"
            "    return inner(ctx)\n"
            "B = Claim(id='FAKE-2', title='x² = x', statement='s', source='x', parts=(Part('p', "
            "method=Method.IDENTITY, domain='all x', check=sneaky, replay=inner.replay),))\n")
    p = tmp_path / "sneaky.py"
    p.write_text(HEADER + body)
    code = main(["check", "--module", str(p), "--no-progress", "--no-cache", "--state-dir", str(tmp_path / "s")])
    out = capsys.readouterr().out
    assert code == 2 and "error" in out and "replaced sympy.simplify while it ran" in out
