"""The built-in catalogue matches shared/CLAIMS.md (when it is beside the repository)."""
import re
from pathlib import Path

import pytest

from mechproof.catalog import CATALOG

CLAIMS_MD = Path(__file__).resolve().parents[2] / "shared" / "CLAIMS.md"


def test_catalogue_ids_unique_and_prefixed():
    ids = [e.id for e in CATALOG]
    assert len(ids) == len(set(ids)) == 53
    assert all(e.id.startswith(e.paper + "-") for e in CATALOG)


@pytest.mark.skipif(not CLAIMS_MD.is_file(), reason="shared/CLAIMS.md is not beside the repository")
def test_catalogue_matches_claims_md():
    rows = re.findall(r"^\| ([A-Z]+-[A-Z0-9-]+) \| (.*) \|\s*$", CLAIMS_MD.read_text(encoding="utf-8"), re.M)
    assert [(i, s.replace("\\|", "|")) for i, s in rows] == [(e.id, e.statement) for e in CATALOG]
