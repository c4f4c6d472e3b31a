"""The README stays true: its example is the file the tests run, its test command is CI's."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_example_is_examples_my_claims():
    example = (ROOT / "examples" / "my_claims.py").read_text(encoding="utf-8").rstrip("\n")
    assert example in README


def test_quick_start_is_two_commands_and_ci_runs_the_test_command():
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"```bash\n(.*?)\n```", quick, re.S)
    assert len(commands) == 2
    assert "mechproof check" in commands[0]
    test_command = commands[1].split("&&")[-1].strip()          # .venv/bin/python -m pytest
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command.replace(".venv/bin/python", '"$venv/bin/python"') in ci
    assert "pip install --quiet '.[test]'" in ci and "'.[test]'" in commands[1]


def test_readme_documents_every_exit_code():
    from mechproof.report import EXIT_OK, EXIT_REFUTED, EXIT_UNKNOWN, EXIT_USAGE
    for code in (EXIT_OK, EXIT_REFUTED, EXIT_UNKNOWN, EXIT_USAGE):
        assert f"| {code} |" in README
