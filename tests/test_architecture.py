"""The shape of the code, kept by tests: import arrows and spelling, engines out of the papers,
file sizes, generated docs in step with the schemas."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# folder on disk -> the package it installs as (pyproject.toml's package-dir)
FOLDERS = {"proofs": "mechproof", "proofs/papers": "mechproof.papers", "mechanisms": "mechproof.mechanisms",
           "smt": "mechproof.smt", "symbolic": "mechproof.symbolic"}
# which packages a folder may import (arrows point one way: proofs → smt/symbolic → mechanisms)
ALLOWED = {
    "mechproof.mechanisms": {"mechproof.mechanisms"},
    "mechproof.smt": {"mechproof.smt", "mechproof.mechanisms", "mechproof.symbolic"},
    "mechproof.symbolic": {"mechproof.symbolic", "mechproof.mechanisms"},
    "mechproof": set(FOLDERS.values()),
    "mechproof.papers": set(FOLDERS.values()),
}
MAX_LINES = 520
VERDICT_CONSTRUCTORS = {"proved", "verified", "certified", "tested", "refuted", "unknown", "error"}


def _files():
    for folder, package in FOLDERS.items():
        for path in sorted((ROOT / folder).glob("*.py")):
            yield folder, package, path


def _package_of(module: str) -> str:
    """The folder package a dotted module belongs to (mechproof.smt.queries -> mechproof.smt)."""
    best = ""
    for package in FOLDERS.values():
        if (module == package or module.startswith(package + ".")) and len(package) > len(best):
            best = package
    return best


def _imports(package: str, path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name, 0
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:
                    for alias in node.names:
                        yield node, f"{target}.{alias.name}", node.level
                else:
                    yield node, target, node.level
            else:
                yield node, node.module or "", 0


@pytest.mark.parametrize("folder, package, path", list(_files()), ids=lambda v: str(v))
def test_import_arrows_and_spelling(folder, package, path):
    for node, target, level in _imports(package, path):
        if not target.startswith("mechproof"):
            continue
        owner = _package_of(target)
        if level and owner != package:
            raise AssertionError(f"{path.relative_to(ROOT)}:{node.lineno}: relative import of {target} reaches "
                                 f"another folder; spell it `mechproof.…`")
        assert owner in ALLOWED[package], (f"{path.relative_to(ROOT)}:{node.lineno}: {package} may not import "
                                           f"{target} (arrows: proofs → smt/symbolic → mechanisms)")


def test_paper_modules_hold_claims_not_engines():
    for path in sorted((ROOT / "proofs" / "papers").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom)
                                                        and node.module else [])
                assert not any(n == "z3" or n.startswith("z3.") for n in names), \
                    f"{path.name}:{node.lineno}: z3 belongs in smt/, not in a paper module"
                if isinstance(node, ast.ImportFrom):
                    hits = VERDICT_CONSTRUCTORS & {a.name for a in node.names}
                    assert not hits, f"{path.name}:{node.lineno}: imports verdict constructors {hits}: use a builder"
            if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
                name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
                assert name not in VERDICT_CONSTRUCTORS, \
                    f"{path.name}:{node.lineno}: builds a verdict by hand ({name}); the check builders own verdicts"
            if isinstance(node, ast.FunctionDef):
                assert node.name != "_chain", f"{path.name}: a private step-chain engine; use steps_check"


@pytest.mark.parametrize("path", [p for _, _, p in _files()] + sorted((ROOT / "tests").glob("*.py")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_file_is_too_long(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines; split it by concern (≤ {MAX_LINES})"


def test_bounds_doc_is_generated_from_the_schemas():
    from mechproof.cli import bounds_markdown
    from mechproof.registry import load_registry

    doc = (ROOT / "docs" / "bounds.md").read_text(encoding="utf-8")
    table = bounds_markdown(load_registry().claims)
    assert table in doc, ("docs/bounds.md is out of step with the schemas: regenerate its table with "
                          "`mechproof list --bounds --format markdown`")
