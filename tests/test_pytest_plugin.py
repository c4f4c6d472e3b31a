"""The pytest plugin: claims as items, refuted fails with its witness, JUnit from pytest itself."""
import xml.etree.ElementTree as ET

CLAIMS = """
from mechproof import Claim, Evaluation, Evidence, Method, Part, Witness, proved, refuted, unknown
OK = lambda c: proved(summary='ok', evidence=Evidence('identity', 'trivially'))
GOOD = Claim(id='P-GOOD', title='t', statement='s', source='x',
             parts=(Part('p', method=Method.IDENTITY, domain='d', check=OK),))
BAD = Claim(id='P-BAD', title='t', statement='s', source='x',
            parts=(Part('p', method=Method.ENUMERATION, domain='d',
                        check=lambda c: refuted(witness=Witness.of({'n': 3}), summary='no'),
                        replay=lambda p: Evaluation.of(p['n'] < 3, {'lhs': 1})),))
UNK = Claim(id='P-UNK', title='t', statement='s', source='x',
            parts=(Part('p', method=Method.IDENTITY, domain='d', check=lambda c: unknown(reason='why')),))
"""


def test_plugin_off_by_default(pytester):
    pytester.makepyfile(claims=CLAIMS, test_plain="def test_ok():\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_plugin_collects_and_gates(pytester):
    pytester.makepyfile(claims=CLAIMS)
    result = pytester.runpytest("--mechproof", "--mechproof-module", "claims.py", "--junitxml=out.xml")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(["*P-BAD: refuted*", "*witness: n=3*"])
    root = ET.parse(pytester.path / "out.xml").getroot()
    names = {c.get("name") for c in root.iter("testcase")}
    assert {"P-GOOD", "P-BAD", "P-UNK"} <= names


def test_plugin_allow_unknown_and_selection(pytester):
    pytester.makepyfile(claims=CLAIMS)
    result = pytester.runpytest("--mechproof", "--mechproof-module", "claims.py", "--mechproof-allow-unknown",
                                "--mechproof-claims", "P-GOOD", "--mechproof-claims", "P-UNK")
    result.assert_outcomes(passed=1, skipped=1)


def test_plugin_checks_dependencies(pytester):
    pytester.makepyfile(claims=CLAIMS + """
THM = Claim(id='P-THM', title='t', statement='s', source='x', uses=('P-UNK',),
            parts=(Part('p', method=Method.IDENTITY, domain='d', check=OK),))
""")
    result = pytester.runpytest("--mechproof", "--mechproof-module", "claims.py", "--mechproof-claims", "P-THM")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*proved, given P-UNK (unknown)*"])


def test_plugin_builtin_claims_via_config(pytester):
    pytester.makepyprojecttoml('[tool.mechproof]\nclaims = ["CMZ-D"]\n[tool.pytest.ini_options]\nmechproof = true\n')
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)


def test_plugin_bad_id_and_bad_budget_are_usage_errors(pytester):
    result = pytester.runpytest("--mechproof", "--mechproof-claims", "CMZ-QQ")
    assert result.ret == 4
    result.stderr.fnmatch_lines(["*unknown claim id 'CMZ-QQ'*"])
    result = pytester.runpytest("--mechproof", "--mechproof-claims", "CMZ-D", "--mechproof-budget", "nan")
    assert result.ret == 4


def test_plugin_runs_the_hunting_example(pytester):
    """examples/my_auctions.py through the plugin: five claims pass, five fail with their minimal witnesses."""
    from pathlib import Path
    example = Path(__file__).resolve().parents[1] / "examples" / "my_auctions.py"
    result = pytester.runpytest("--mechproof", "--mechproof-module", str(example), "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5, failed=5)
    result.stdout.fnmatch_lines(["*MY-PAY-YOUR-BID-DSIC: refuted*", "*bids=(1, 0), player=0, deviation=0*"])
    result.stdout.fnmatch_lines(["*MY-SURCHARGE-DSIC-EVERYWHERE: refuted*", "*bids=(0, 11/2), player=1*"])
