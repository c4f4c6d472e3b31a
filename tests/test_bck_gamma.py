"""BCK-GAMMA through the kernel: γ(1), the Stirling limit, Robbins' bounds and the App. D inventory bound
(as printed: refuted at a minimal admitted point; with k_exp: verified, tight for Poisson); planted γ's refuted."""
import pytest
import sympy as sp

from mechproof import Role, Status, UsageError
from mechproof.papers import bck_gamma, bck_inventory
from mechproof.runner import run_part_inline

CLAIM = bck_gamma.BCK_GAMMA


def run(part, **bounds):
    return run_part_inline(part, budget=120, domain=part.domain.resolve(bounds), claim_id=CLAIM.id, uses=CLAIM.uses)


def planted(kk):
    """γ(k) with kᵏ/k! only (the e^k dropped)."""
    kk = sp.sympify(kk)
    return 1 - kk ** kk / sp.factorial(kk)


def test_bck_gamma_closed_forms():
    assert run(bck_gamma.gamma_one_part()).status is Status.PROVED
    assert run(bck_gamma.stirling_limit_part()).status is Status.PROVED
    assert run(bck_gamma.robbins_part(), k_max=20).status is Status.CERTIFIED


def test_bck_gamma_planted_without_e_power_is_refuted_everywhere():
    assert run(bck_gamma.gamma_one_part(planted)).status is Status.REFUTED
    assert run(bck_gamma.stirling_limit_part(planted)).status is Status.REFUTED
    v = run(bck_gamma.robbins_part(planted), k_max=5)
    assert v.status is Status.REFUTED and dict(v.witness.assignment) == {"k": "1"}
    v = run(bck_inventory.poisson_part(gamma_fn=planted))
    assert v.status is Status.REFUTED and "Poisson" in v.summary


def test_inventory_bound_as_printed_is_refuted_with_a_minimal_witness():
    part = bck_inventory.inventory_part(as_printed=True)
    assert part.role is Role.AS_PRINTED
    v = run(part)
    assert v.status is Status.REFUTED
    assert dict(v.witness.assignment) == {"k": "1", "prob": "(1/4)"}
    assert "replayed by the core" in v.witness.recheck


def test_inventory_kexp_reading_verified_and_tight():
    part = bck_inventory.inventory_part(as_printed=False)
    assert part.role is Role.READING and "k_exp" in part.reading
    assert run(part, n=4).status is Status.VERIFIED
    assert run(bck_inventory.poisson_part(), k_poisson=4).status is Status.VERIFIED


def test_claim_roles_and_status():
    roles = [p.role for p in CLAIM.parts]
    assert roles.count(Role.AS_PRINTED) == 1 and roles.count(Role.READING) == 1
    assert roles.count(Role.CROSS_CHECK) == 2


@pytest.mark.parametrize("bound", ["k=0", "n=0", "grid=0", "k_max=0", "k_poisson=0", "k_gamma=1"])
def test_out_of_range_or_legacy_bounds_are_usage_errors(bound):
    from mechproof.domains import resolve_domains
    key, value = bound.split("=")
    with pytest.raises(UsageError):
        resolve_domains([CLAIM], {f"BCK-GAMMA.{key}": value})
