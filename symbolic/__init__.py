"""Symbolic engines: sympy identities, checked derivations, rigorous intervals.

Engines know nothing of any one paper and nothing of verdicts; they return
three-valued outcomes (True / False / None = undecided) that proofs/ turns into
verdicts.
"""
