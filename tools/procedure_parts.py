"""Check that every procedure is complete and that every part belongs to one (``python tools/procedure_parts.py``).

A procedure is a set of parts in fixed places (the README's "Architecture" table lists
them). Both ways are checked:

- every procedure of the registry (``docassemble_asylum/procedures/__init__.py``) has each
  of its parts: question set, model, example, rule folder (when it declares one), catalog
  domain, declared documents with their templates and each template's generator script,
  generated docassemble interview, README section;
- every such part in the repository belongs to a registered procedure or to a declared
  shared part (``procedures.SHARED``): a leftover after a rename, or a part added without
  its registry entry, is reported.

``stray_names`` checks the other rule of the declaration: a document's file name or
template appears, in hand-written Python source, only in the modules of the procedures
that declare it (``procedures/<module>.py`` and ``procedures/<module>_<part>.py``), in its
template's generator script, and for shared names in ``procedures/outputs.py``.

The tests run both on the repository (``tests/test_procedure_parts.py``), and on a copy
with a temporary procedure to show that removing any one part is caught.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PACKAGE = "docassemble_asylum"
GENERATED = Path("docassemble/asylum/data/questions")
README_SECTION = "## The procedures"
# Generator scripts of templates: templates/<folder>/<OUTPUT> is written by a script of tools/<folder>.
SCRIPT_FOLDERS = {"letters": Path("tools/templates"), "forms": Path("tools/forms")}
SOURCE_FOLDERS = ("docassemble_asylum", "docassemble", "tools", "benchmarks")


@dataclass(frozen=True)
class Registry:
    """What the check reads: the procedures, their modules, the shared parts."""

    procedures: dict  # name -> Procedure
    modules: dict  # name -> dotted module
    shared: object  # procedures.SharedParts

    @classmethod
    def current(cls) -> Registry:
        from docassemble_asylum.procedures import MODULES, SHARED, get

        return cls({name: get(name) for name in MODULES}, dict(MODULES), SHARED)

    def module_name(self, name: str) -> str:
        return self.modules[name].rsplit(".", 1)[1]

    def model_module(self, name: str) -> str:
        return self.procedures[name].model.__module__.rsplit(".", 1)[1]

    def owns_module(self, name: str, stem: str) -> bool:
        """``procedures/<stem>.py`` is the procedure's module or one of its parts (``<module>_<part>``)."""
        own = self.module_name(name)
        return stem == own or stem.startswith(own + "_")


# ---------------------------------------------------------------- reading the repository


def script_outputs(root: Path) -> dict[str, Path]:
    """templates/ path -> the generator script that writes it (a script's ``OUTPUT``, last string part)."""
    found: dict[str, Path] = {}
    for folder, scripts in SCRIPT_FOLDERS.items():
        for path in sorted((root / scripts).glob("*.py")):
            output = _output_of(path)
            if output is not None:
                found[f"{folder}/{output}"] = path.relative_to(root)
    return found


def _output_of(path: Path) -> str | None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "OUTPUT" for t in node.targets):
            parts = [n for n in ast.walk(node.value) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            parts.sort(key=lambda n: (n.lineno, n.col_offset))
            return parts[-1].value.rsplit("/", 1)[-1] if parts else None
    return None


def readme_procedures(root: Path) -> list[str]:
    """The procedures the README's section describes: paragraphs opening with **`name`**."""
    text = (root / "README.md").read_text(encoding="utf-8") if (root / "README.md").is_file() else ""
    if README_SECTION not in text:
        return []
    section = text.split(README_SECTION, 1)[1]
    section = re.split(r"^## ", section, maxsplit=1, flags=re.M)[0]
    return re.findall(r"^\*\*`([a-z0-9-]+)`\*\*", section, flags=re.M)


def _stems(folder: Path, pattern: str) -> set[str]:
    return {p.stem for p in folder.glob(pattern)} if folder.is_dir() else set()


def _folders(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))} if folder.is_dir() else set()


def _sources_lists(root: Path, catalog: str, path: str) -> bool:
    """Whether ``locale/<catalog>.sources`` names ``path`` (exactly, or by a glob)."""
    import fnmatch

    sources = root / PACKAGE / "locale" / f"{catalog}.sources"
    lines = [line.strip() for line in sources.read_text(encoding="utf-8").splitlines()]
    return any(line and not line.startswith("#") and fnmatch.fnmatch(path, line) for line in lines)


# ---------------------------------------------------------------- the check


def problems(root: Path = ROOT, registry: Registry | None = None) -> list[str]:
    registry = registry or Registry.current()
    found: list[str] = []
    for name in registry.procedures:
        found += _missing_parts(root, registry, name)
    found += _orphans(root, registry)
    return found


def _missing_parts(root: Path, registry: Registry, name: str) -> list[str]:
    spec = registry.procedures[name]
    package = root / PACKAGE
    module = f"{PACKAGE}/procedures/{registry.module_name(name)}.py"
    model = f"{PACKAGE}/models/{registry.model_module(name)}.py"
    missing = []

    def need(path: str, what: str) -> None:
        if not (root / path).exists():
            missing.append(f"{name}: no {what} ({path})")

    need(module, "procedure module")
    need(f"interviews/{name}.yml", "question set")
    if not spec.model.__module__.startswith(f"{PACKAGE}.models."):
        missing.append(f"{name}: its model is not in {PACKAGE}/models/")
    else:
        need(model, "model")
    need(f"{PACKAGE}/examples/{name}.yaml", "example")
    if spec.rules is not None and not any((package / "rules" / "data" / spec.rules).glob("*.yaml")):
        missing.append(f"{name}: no rule in its rule folder ({PACKAGE}/rules/data/{spec.rules}/)")
    if not spec.catalog:
        missing.append(f"{name}: no catalog domain declared (Procedure.catalog)")
    elif not (package / "locale" / f"{spec.catalog}.sources").is_file():
        missing.append(f"{name}: no catalog ({PACKAGE}/locale/{spec.catalog}.sources)")
    else:
        for path in (module, model):
            if (root / path).exists() and not _sources_lists(root, spec.catalog, path):
                missing.append(f"{name}: {path} is not in its catalog ({PACKAGE}/locale/{spec.catalog}.sources)")
        for lang in ("fr", "en"):
            need(f"{PACKAGE}/locale/{lang}/LC_MESSAGES/{spec.catalog}.po", f"{lang} catalog")
    if not spec.documents:
        missing.append(f"{name}: no documents declared (Procedure.outputs)")
    scripts = script_outputs(root)
    declared: list[str] = []
    for document in spec.documents:
        path = document.template_path
        need(f"templates/{path}", f"template for {document.filename}")
        if path not in scripts:
            folder = SCRIPT_FOLDERS[path.split("/", 1)[0]]
            missing.append(f"{name}: no generator script in {folder}/ writes the template {path}")
        declared.append(document.filename)
    for email in spec.emails:
        if email.attachment not in declared:
            missing.append(f"{name}: the e-mail {email.filename} attaches {email.attachment}, which is not declared before it")
    need(f"{GENERATED}/{name}.yml", "generated docassemble interview (python tools/make_docassemble.py)")
    if name not in readme_procedures(root):
        missing.append(f"{name}: no section in the README's “{README_SECTION[3:]}” (a paragraph opening with **`{name}`**)")
    return missing


def _orphans(root: Path, registry: Registry) -> list[str]:
    """Parts that belong to no registered procedure and to no shared part."""
    names = set(registry.procedures)
    shared = registry.shared
    package = root / PACKAGE
    specs = registry.procedures.values()
    found = []

    def report(kind: str, parts: Iterable[str]) -> None:
        found.extend(f"{part}: {kind} of no registered procedure and no shared part" for part in sorted(parts))

    report("question set", (f"interviews/{s}.yml" for s in _stems(root / "interviews", "*.yml") - names))
    report("folder of question blocks", (f"interviews/{s}/" for s in _folders(root / "interviews") - {shared.question_blocks}))
    models = {registry.model_module(n) for n in names} | set(shared.models) | {"__init__"}
    report("model", (f"{PACKAGE}/models/{s}.py" for s in _stems(package / "models", "*.py") - models))
    report("example", (f"{PACKAGE}/examples/{s}.yaml" for s in _stems(package / "examples", "*.yaml") - names))
    rules = {s.rules for s in specs if s.rules} | set(shared.rules)
    report("rule folder", (f"{PACKAGE}/rules/data/{s}/" for s in _folders(package / "rules" / "data") - rules))
    catalogs = {s.catalog for s in specs} | set(shared.catalogs)
    report("catalog", (f"{PACKAGE}/locale/{s}.sources" for s in _stems(package / "locale", "*.sources") - catalogs))
    code = {"__init__", *shared.code}
    report(
        "procedure module",
        (
            f"{PACKAGE}/procedures/{s}.py"
            for s in _stems(package / "procedures", "*.py")
            if s not in code and not any(registry.owns_module(n, s) for n in names)
        ),
    )
    templates = {d.template_path for s in specs for d in s.documents} | set(shared.templates)
    forms = {t.rsplit(".", 1)[0] for t in templates if t.startswith("forms/")}
    files = sorted(
        p.relative_to(root / "templates").as_posix()
        for p in (root / "templates").rglob("*")
        if p.is_file() and not p.name.startswith(".")
    ) if (root / "templates").is_dir() else []
    report(
        "template",
        (f"templates/{f}" for f in files if f not in templates and f.removesuffix(".mapping.yaml") not in forms),
    )
    report("template script", (str(script) for path, script in script_outputs(root).items() if path not in templates))
    report("generated docassemble interview", (f"{GENERATED}/{s}.yml" for s in _stems(root / GENERATED, "*.yml") - names))
    report(f"README section (“{README_SECTION[3:]}”)", (f"README.md: **`{s}`**" for s in set(readme_procedures(root)) - names))
    return found


# ---------------------------------------------------------------- names in the source


def stray_names(root: Path = ROOT, registry: Registry | None = None) -> list[str]:
    """A document's file name or template named in hand-written Python outside its owners."""
    from docassemble_asylum.procedures.outputs import SUMMARY

    registry = registry or Registry.current()
    owners: dict[str, set[Path]] = {}
    scripts = script_outputs(root)
    for name, spec in registry.procedures.items():
        mine = {
            p.relative_to(root)
            for p in (root / PACKAGE / "procedures").glob("*.py")
            if registry.owns_module(name, p.stem)
        }
        for output in spec.outputs:
            owners.setdefault(output.filename, set()).update(mine)
        for document in spec.documents:
            script = {scripts[document.template_path]} if document.template_path in scripts else set()
            for text in (document.filename, document.template, document.template_path):
                owners.setdefault(text, set()).update(mine | script)
    declaration = Path(PACKAGE) / "procedures" / "outputs.py"
    for text in (SUMMARY, *registry.shared.templates, *(t.rsplit("/", 1)[1] for t in registry.shared.templates)):
        owners.setdefault(text, set()).update({declaration, *(scripts[t] for t in registry.shared.templates if t in scripts)})
    patterns = {text: re.compile(r"(?<![\w-])" + re.escape(text) + r"(?![\w-])") for text in owners}
    found: dict[tuple[Path, int, str], str] = {}
    for folder in SOURCE_FOLDERS:
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root)
            if any(part.startswith(".") or part in ("__pycache__", "build") for part in relative.parts):
                continue
            source = path.read_text(encoding="utf-8")
            for text, pattern in patterns.items():
                if relative not in owners[text]:
                    for match in pattern.finditer(source):
                        line = source.count("\n", 0, match.start()) + 1
                        found[relative, line, text] = (
                            f"{relative}:{line}: names {text!r}, which only its procedure's modules and template script may name"
                        )
    return [found[key] for key in sorted(found)]


def main(root: Path = ROOT, registry: Registry | None = None) -> int:
    found = problems(root, registry) + stray_names(root, registry)
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
