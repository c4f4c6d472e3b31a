"""A second solver for z3's `unsat` answers: cvc5 on the exported SMT-LIB 2 text.

An unsat that decides a pass is re-checked by an independent implementation where one is
affordable.  `cvc5_answer(text, seconds)` returns ("sat" | "unsat" | "unknown", why); text that
cvc5 cannot parse, or a time limit, is "unknown" (not re-checked), never a disagreement.
"""
from __future__ import annotations

import re

__all__ = ["cvc5_answer", "cvc5_available"]

# z3 prints a one-term sum or product as (+ x) / (* x), which SMT-LIB (and cvc5) do not accept
_UNARY = re.compile(r"\((?:\+|\*) ([^()\s]+)\)")


def cvc5_available() -> bool:
    import importlib.util
    return importlib.util.find_spec("cvc5") is not None


def cvc5_answer(smt2: str, seconds: float) -> tuple[str, str]:
    """cvc5's answer to the assertions in `smt2` (z3's `Solver.sexpr()` output), within `seconds`."""
    try:
        import cvc5
    except ImportError:
        return "unknown", "cvc5 is not installed"
    try:
        tm = cvc5.TermManager()
        solver = cvc5.Solver(tm)
        solver.setOption("tlimit-per", str(max(1, int(seconds * 1000))))
        solver.setLogic("ALL")
        symbols = cvc5.SymbolManager(tm)
        parser = cvc5.InputParser(solver, symbols)
        text = smt2
        while True:
            fixed = _UNARY.sub(r"\1", text)
            if fixed == text:
                break
            text = fixed
        parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text + "\n(check-sat)\n", "query")
        answer = ""
        while True:
            command = parser.nextCommand()
            if command.isNull():
                break
            out = command.invoke(solver, symbols)
            if out.strip():
                answer = out.strip().splitlines()[-1]
    except Exception as exc:  # unparsable text, an unsupported operator: not re-checked
        return "unknown", f"cvc5 could not read the query ({type(exc).__name__}: {str(exc)[:80]})"
    if answer in ("sat", "unsat"):
        return answer, ""
    return "unknown", f"cvc5 answered {answer or 'nothing'}"
