"""The exhibit names the residence document the answers give (review F-30): a refugee's
"carte de résident", a receipt "récépissé", never "titre de séjour ou récépissé" when known."""

from __future__ import annotations

import pytest
import yaml

from docassemble_asylum.render.docx import docx_text
from conftest import run_cli
from pinned_examples import EXAMPLE_DAY, pinned_example_text

LETTERS = {
    "visa-appeal": ("recours-commission-refus-visa.docx", "Copie recto verso {de}"),
    "bureau-letter": ("lettre-bureau-familles-refugies.docx", "Copie recto verso {de}"),
    "visa-tribunal": ("requete-tribunal-administratif-nantes.docx", "{bare} (recto verso)"),
}
HELD = [
    ("refugee", "residence_card", "carte de résident", "de la carte de résident"),
    ("subsidiary_protection", "residence_card", "carte de séjour pluriannuelle", "de la carte de séjour pluriannuelle"),
    ("refugee", "receipt", "récépissé", "du récépissé"),
]


@pytest.mark.parametrize("procedure", sorted(LETTERS))
@pytest.mark.parametrize(("protection", "document", "bare", "de"), HELD, ids=["card", "subsidiary", "receipt"])
def test_the_exhibit_names_the_document_held(tmp_path, procedure, protection, document, bare, de):
    data = yaml.safe_load(pinned_example_text(procedure))
    data["protected_person"]["protection"] = protection
    data["protected_person"]["residence_document"] = document
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", procedure, "--answers", str(answers), "--out", str(out), "--today", str(EXAMPLE_DAY[procedure]))
    assert result.returncode == 0, result.stderr
    name, pattern = LETTERS[procedure]
    text = docx_text((out / name).read_bytes())
    expected = pattern.format(bare=bare[0].upper() + bare[1:], de=de)
    assert expected in text
    assert "titre de séjour ou" not in text.lower()
