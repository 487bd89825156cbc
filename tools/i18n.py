"""Extract, update and compile the gettext catalogs with babel (``python tools/i18n.py``).

Each catalog domain lists its source files in ``docassemble_asylum/locale/<domain>.sources``
(one glob per line, relative to the repository). ``--check`` changes nothing and fails
when a catalog is stale or a French translation is missing, which is what the tests run.

Extractors: Python sources (``_``, ``N_``, ``gettext``, ``ngettext``) and, for question
sets, any extractor registered in ``EXTRACTORS`` by file suffix.
"""

from __future__ import annotations

import argparse
import datetime
import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "docassemble_asylum" / "locale"
LANGS = ("fr", "en")
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}

Message = tuple[str, int, str | tuple[str, str], list[str]]
EXTRACTORS: dict[str, Callable[[Path], Iterator[Message]]] = {}


def _python(path: Path) -> Iterator[Message]:
    for lineno, message, comments, _context in extract_from_file(
        "python", str(path), keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        yield str(path.relative_to(ROOT)), lineno, message, comments


EXTRACTORS[".py"] = _python


def _register_optional_extractors() -> None:
    # Question sets bring their own extractor (labels, help, choices in YAML).
    try:
        sys.path.insert(0, str(ROOT))
        from docassemble_asylum.questions.extract import extract_question_set  # type: ignore
    except ImportError:
        return
    EXTRACTORS[".yml"] = extract_question_set
    EXTRACTORS[".yaml"] = extract_question_set


def domain_sources() -> dict[str, list[Path]]:
    domains: dict[str, list[Path]] = {}
    for spec in sorted(LOCALE.glob("*.sources")):
        files: set[Path] = set()
        for line in spec.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                files.update(p for p in ROOT.glob(line) if p.is_file())
        domains[spec.stem] = sorted(files)
    return domains


def extract(domain: str, files: list[Path]) -> Catalog:
    template = Catalog(project="asylumdocs", domain=domain, fuzzy=False)
    for path in files:
        extractor = EXTRACTORS.get(path.suffix)
        if extractor is None:
            continue
        for filename, lineno, message, comments in extractor(path):
            template.add(message, None, [(filename, lineno)], auto_comments=comments)
    return template


def _po_path(lang: str, domain: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"


# One plural rule per language for every domain: at run time all domains are merged into one
# translator, which takes the plural rule of the first one loaded. Babel's locale data gives
# new French catalogs CLDR's three forms (one, many, other), which gettext's two-form
# catalogs do not have: a catalog created with it made every French plural English.
PLURALS = {"fr": (2, "(n > 1)"), "en": (2, "(n != 1)")}


def _read(path: Path, lang: str, domain: str) -> Catalog:
    catalog = _read_file(path, lang, domain)
    catalog._num_plurals, catalog._plural_expr = PLURALS[lang]
    return catalog


def _read_file(path: Path, lang: str, domain: str) -> Catalog:
    if path.exists():
        with path.open("rb") as handle:
            return read_po(handle, locale=lang, domain=domain)
    return Catalog(locale=lang, domain=domain, project="asylumdocs")


def _po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
    return buffer.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


class _StableCatalog(Catalog):
    """A catalog whose header does not name the Babel release that wrote it.

    Babel puts "Generated-By: Babel X.Y.Z" in every header, so each new Babel release
    (CI installs the newest the range admits) made every committed catalog "stale".
    """

    @property
    def mime_headers(self) -> list[tuple[str, str]]:
        return [
            (name, "asylumdocs tools/i18n.py\n" if name == "Generated-By" else value)
            for name, value in Catalog.mime_headers.fget(self)
        ]

    @mime_headers.setter
    def mime_headers(self, value) -> None:
        Catalog.mime_headers.fset(self, value)


def _stable(catalog: Catalog) -> None:
    # Reproducible files: no dates or tool versions that change on every run.
    fixed = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    catalog.creation_date = catalog.revision_date = fixed
    catalog.fuzzy = False
    catalog.__class__ = _StableCatalog


def run(check: bool, only: str | None = None) -> list[str]:
    _register_optional_extractors()
    problems: list[str] = []
    french: dict[object, dict[str, object]] = {}
    for domain, files in domain_sources().items():
        if only is not None and domain != only:
            continue
        template = extract(domain, files)
        for lang in LANGS:
            po_path = _po_path(lang, domain)
            catalog = _read(po_path, lang, domain)
            catalog.update(template, no_fuzzy_matching=True)
            for message in list(catalog.obsolete):
                del catalog.obsolete[message]
            for message in catalog:
                if not message.id:
                    continue
                if lang == "en" and not message.string:
                    # English ids are English text: the en catalog repeats them.
                    message.string = message.id
                if lang == "fr" and (not message.string or (isinstance(message.string, tuple) and not all(message.string))):
                    problems.append(f"{po_path.relative_to(ROOT)}: no French translation for {message.id!r}")
                if message.fuzzy:
                    problems.append(f"{po_path.relative_to(ROOT)}: fuzzy translation for {message.id!r}")
                if lang == "fr" and message.string:
                    french.setdefault(message.id, {})[domain] = message.string
            _stable(catalog)
            po_new = _po_bytes(catalog)
            mo_path = po_path.with_suffix(".mo")
            mo_new = _mo_bytes(catalog)
            if check:
                if not po_path.exists() or po_path.read_bytes() != po_new:
                    problems.append(f"{po_path.relative_to(ROOT)} is stale: run python tools/i18n.py")
                if not mo_path.exists() or mo_path.read_bytes() != mo_new:
                    problems.append(f"{mo_path.relative_to(ROOT)} is stale: run python tools/i18n.py")
            else:
                po_path.parent.mkdir(parents=True, exist_ok=True)
                po_path.write_bytes(po_new)
                mo_path.write_bytes(mo_new)
    # At run time every domain is merged into one translator: one English id, one French text.
    for msgid, by_domain in french.items():
        if only is None and len(set(map(str, by_domain.values()))) > 1:
            problems.append(f"{msgid!r} has different French translations in domains {sorted(by_domain)}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a catalog is stale or untranslated")
    parser.add_argument("--domain", help="only this catalog domain")
    args = parser.parse_args()
    problems = run(check=args.check, only=args.domain)
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
