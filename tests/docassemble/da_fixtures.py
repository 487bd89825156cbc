"""Fixtures and the skip mark of the tests that need docassemble.base (``.ci/docassemble-env``).

Not a conftest.py on purpose: the other test modules import the top-level
``tests/conftest.py`` as ``conftest``, and a second conftest.py would take that name.
Each test module here imports its fixtures from this module and sets
``pytestmark = requires_docassemble``: elsewhere its tests are skipped with the reason.

In the docassemble environment the package must be INSTALLED from a wheel, not
editable: a server reads
``data/templates`` inside the installed package, and the wheel is where the repository's
``templates/`` folder is mapped there (pyproject.toml). The ``installed`` fixture checks
that the installed interviews are the ones of this checkout.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from offline import ROOT

REASON = (
    "docassemble.base is not installed: these tests run in the docassemble environment "
    "(.ci/docassemble-env creates it and runs them)"
)


def have_docassemble() -> bool:
    try:
        return importlib.util.find_spec("docassemble.base") is not None
    except (ImportError, ValueError):
        return False


requires_docassemble = pytest.mark.skipif(not have_docassemble(), reason=REASON)


@pytest.fixture(scope="session")
def installed() -> Path:
    """The installed docassemble.asylum folder, checked against this checkout."""
    spec = importlib.util.find_spec("docassemble.asylum")
    assert spec is not None and spec.submodule_search_locations, "docassemble.asylum is not installed"
    folder = Path(next(iter(spec.submodule_search_locations)))
    if not (folder / "data" / "templates" / "letters").is_dir():
        pytest.fail(
            f"{folder} has no data/templates: install the package from a wheel (pip install --no-deps "
            "--force-reinstall <wheel>), not editable, and run the `pytest` executable from the checkout "
            "(not `python -m pytest`, which would import the checkout's folder instead)"
        )
    for generated in (ROOT / "docassemble" / "asylum" / "data" / "questions").glob("*.yml"):
        copy = folder / "data" / "questions" / generated.name
        assert copy.is_file() and copy.read_bytes() == generated.read_bytes(), (
            f"the installed {generated.name} is not this checkout's: reinstall (.ci/docassemble-env)"
        )
    for template in (ROOT / "templates").rglob("*.docx"):
        copy = folder / "data" / "templates" / template.relative_to(ROOT / "templates")
        assert copy.is_file() and copy.read_bytes() == template.read_bytes(), f"installed {copy} is stale: reinstall"
    return folder


@pytest.fixture(scope="session")
def offline(installed):
    import offline as module

    module.setup()
    return module
