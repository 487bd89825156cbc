"""Property-based fuzzing of ``asylumdocs build`` for every procedure (issue 9).

Each case starts from the procedure's own example answers and mutates them: hostile text
(empty, 100,000 characters, every Unicode plane, control characters, XML and Jinja
syntax, right-to-left marks), dates at the limits, wrong types, unknown keys, deeply
nested junk, or a damaged file (invalid YAML, invalid UTF-8, truncated, binary); now and
then ``--today`` is any date from year 1 to 9999.

The contract checked for every case, through the real CLI entry point:

- either exit 0 and a complete folder (exactly the manifest's files, hashes right, 0600
  files in a 0700 folder, every DOCX part strict XML) whose extracted text contains the
  cleaned value of every printed answer that was mutated;
- or exit 1 with one clean "Error: …" message, no traceback, and no folder at all (not
  even a hidden staging folder).

Default: a bounded, derandomised run per procedure (CI). On demand:
``ASYLUMDOCS_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz_answers.py -s`` runs that
many random cases per procedure; the counts are printed at the end of each test.
"""

from __future__ import annotations

import collections
import copy
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml

from docassemble_asylum.procedures import get
from docassemble_asylum.render.typography import plain as typeset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_support import (
    NotBuildable,
    accepted_with,
    assert_clean_user_error,
    assert_complete_case_folder,
    buildable_procedures,
    containers,
    docx_texts,
    get_path,
    is_date_text,
    leaves,
    leftovers,
    norm,
    probe,
    run_in_process,
    set_path,
    strict_parse_docx,
    time_limit,
)

DEFAULT_EXAMPLES = 25
# A build that takes longer than this is a failure (a hang found by the fuzzer is a bug).
CASE_SECONDS = 60
LARGE = os.environ.get("ASYLUMDOCS_FUZZ_EXAMPLES")
EXAMPLES = int(LARGE) if LARGE else DEFAULT_EXAMPLES

HOSTILE_TEXT = [
    "",
    " ",
    "   \n\t  ",
    "{{ 7*7 }}",
    "{% for x in range(10) %}{{ x }}{% endfor %}",
    "{%p if True %}",
    "{%tr for r in rows %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{# comment #}",
    "}}{{",
    "<w:p><w:r><w:t>injected</w:t></w:r></w:p>",
    "</w:t></w:r></w:p><w:p>",
    "<![CDATA[x]]>",
    "&",
    "&amp; &lt; &#0; &#x1F600;",
    "Dupont & Fils <select>",
    "\"quotes\" 'single' « guillemets » œ Œ æ",
    "\x00\x01\x02\x07\x08\x0b\x0c\x0e\x1f\x7f",
    "a\x07b\x0cc",
    "\ufeffBOM\ufffe\uffff",
    "\u202eRTL override\u202c",
    "\u2066isolate\u2069 \u200f\u200e",
    "مرحبا بالعالم",
    "שלום עולם",
    "Привет, мир",
    "سميرة حداد (Samira)",
    "e\u0301 A\u030a",  # NFD: cleaned to NFC
    "ﬁ ß İ ı ŉ ǅ",
    "\u200b\u200c\u200d\u2060",
    "\u2028line\u2029para\u0085nel",
    "\r\n\r\r\n",
    "${HOME} %(x)s {0} {path} %s %n",
    "\\x00 \\n \\u0000",
    "--- \n- a\n? b",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 👩🏽‍⚖️",
    "\U000e0001\U000e0041",  # tag characters (plane 14)
    "\U000f0000\U0010fffd",  # private use planes 15-16
    "\U0001fffe\U0010ffff",  # non-characters
    "\U00030000\U0002a6d6",  # CJK planes 2-3
]

LIMIT_DATES = [
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2024-02-29",
    "2025-02-29",
    "2026-04-31",
    "2026-13-01",
    "2026-00-10",
    "0000-01-01",
    "2026-1-1",
    "2026-01-01T00:00:00",
    "2026-01-01 12:00",
    " 2026-01-01 ",
    "01/02/2026",
    "1900-01-01",
    "2100-12-31",
    "",
]

WRONG_TYPES = [None, 0, -1, 1.5, float("inf"), float("nan"), True, False, [], {}, ["x"], {"a": 1}, 10**30, -(2**63)]

HOSTILE_FILES = [
    b"",
    b"null\n",
    b"[]\n",
    b"42\n",
    b"just a string\n",
    b"a: b: c\n",
    b"key: [unclosed\n",
    b"\tkey: tab\n",
    b"a: 1\na: 2\n",
    b"--- \na: 1\n---\nb: 2\n",
    b"%YAML 1.1\n---\na: 1\n",
    b"a: !!python/object/apply:os.system ['echo pwned']\n",
    b"a: !!binary AAAA\n",
    b"a: &x [*x]\n",
    b"a: *undefined\n",
    b"lol1: &l1 [x, x, x, x, x, x, x, x, x]\nlol2: &l2 [*l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1]\n"
    b"lol3: &l3 [*l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2]\nlol4: [*l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3]\n",
    b"<<: {a: 1}\n",
    b"? [complex, key]\n: value\n",
    b"a: " + b"9" * 5000 + b"\n",
    b"a: 0x" + b"f" * 5000 + b"\n",
    b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    b"a: " + b"{b: " * 50_000 + b"1" + b"}" * 50_000 + b"\n",
    b"\xff\xfe\x00a\x00:\x00 \x001\x00",
    b"\xef\xbb\xbfa: 1\n",
    b"a: \xc3\x28\n",
    b"a: \xed\xa0\x80\n",  # an encoded surrogate: not UTF-8
    b"\x00\x00\x00",
    b"a: \x07bell\n",
    b"age-encryption.org/v1\n-> scrypt AAAA 18\nAAAA\n--- AAAA\n\x00\x01",
]

STATS: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
# The sampled values must stay as they are: a mutation of a shared list made generation flaky.
_SAMPLES = repr((HOSTILE_TEXT, LIMIT_DATES, WRONG_TYPES, HOSTILE_FILES))


# --- strategies -------------------------------------------------------------------------------


def _long(piece: str, size: int) -> str:
    return (piece * (size // len(piece) + 1))[:size]


long_text = st.builds(
    _long,
    st.sampled_from(["A", "é ", "مرحبا ", "𝔘", "a\n\nb ", "{{ x }} & <w:p> ", "\x00x", "Ω\u0301 "]),
    st.sampled_from([1_000, 20_000, 100_000, 200_001]),
)
any_plane = st.integers(0, 16).flatmap(lambda plane: st.integers(plane * 0x10000, plane * 0x10000 + 0xFFFF)).map(chr)
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_TEXT[3:] + HOSTILE_TEXT[:3]),  # the empty ones last: drawn less often
    st.text(min_size=1, max_size=40),
    st.text(st.characters(codec=None, exclude_categories=()), min_size=1, max_size=20),
    st.lists(any_plane, min_size=1, max_size=17).map("".join),
    st.lists(st.sampled_from(HOSTILE_TEXT) | st.text(max_size=6), min_size=1, max_size=5).map("".join),
    long_text,
)
dates = st.one_of(st.sampled_from(LIMIT_DATES), st.dates().map(lambda d: d.isoformat()))
wrong_types = st.one_of(st.sampled_from(WRONG_TYPES), st.integers(), st.floats(), st.booleans())
junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=12,
)
DEEP = "@@DEEP@@"


@st.composite
def fuzz_case(draw, name: str):
    """(file name, bytes, mutated text paths, kinds) for one build."""
    info = probe(name)
    raw = copy.deepcopy(info.example)
    kinds: list[str] = []
    texts: list[tuple] = []
    deep_depth = None
    if draw(st.integers(0, 9)) == 9:
        # A damaged or hostile file as a whole.
        kinds.append("file")
        data = draw(
            st.one_of(
                st.sampled_from(HOSTILE_FILES),
                st.binary(max_size=200),
                st.integers(0, len(info.example_yaml().encode())).map(lambda n: info.example_yaml().encode()[:n]),
            )
        )
        return "answers.yaml", data, [], kinds
    text_paths = list(info.text_paths)
    printed = [p for p in text_paths if p in info.printed] or text_paths
    # Two thirds of the cases only change text (they should mostly build documents); the
    # others mix in structural damage (they should mostly be refused, cleanly).
    structural = draw(st.integers(0, 2)) == 2
    text_kinds = ["text", "printed", "printed"]
    all_kinds = [*text_kinds, "date", "wrong_type", "unknown_key", "delete", "junk", "deep", "grow"]
    for _ in range(draw(st.integers(1, 4))):
        scalars = leaves(raw)
        kind = draw(st.sampled_from(all_kinds if structural else text_kinds))
        kinds.append(kind)
        try:
            if kind in ("text", "printed"):
                candidates = [p for p in (printed if kind == "printed" else text_paths) if _exists(raw, p)]
                if not candidates:
                    continue
                path = draw(st.sampled_from(candidates))
                set_path(raw, path, draw(hostile_text))
                texts.append(path)
            elif kind == "date":
                paths = [p for p, v in scalars if is_date_text(v)]
                if paths:
                    set_path(raw, draw(st.sampled_from(paths)), draw(dates))
            elif kind == "wrong_type":
                set_path(raw, draw(st.sampled_from([p for p, _ in scalars if p])), copy.deepcopy(draw(wrong_types)))  # never share WRONG_TYPES lists
            elif kind == "unknown_key":
                where = draw(st.sampled_from(containers(raw)))
                key = draw(st.sampled_from(["x", "__class__", "{{ 7*7 }}", "<w:p>", "familyname"]) | st.text(min_size=1, max_size=12))
                get_path(raw, where)[key] = copy.deepcopy(draw(junk))
            elif kind == "delete":
                path = draw(st.sampled_from([p for p, _ in scalars if p]))
                parent = get_path(raw, path[:-1])
                del parent[path[-1]]
            elif kind == "junk":
                set_path(raw, draw(st.sampled_from([p for p, _ in scalars if p])), copy.deepcopy(draw(junk)))
            elif kind == "deep":
                set_path(raw, draw(st.sampled_from([p for p, _ in scalars if p])), DEEP)
                deep_depth = draw(st.sampled_from([10, 100, 990, 5_000, 100_000]))
            elif kind == "grow":
                lists = [p for p, v in _all_values(raw) if isinstance(v, list) and v]
                if lists:
                    path = draw(st.sampled_from(lists))
                    items = get_path(raw, path)
                    items.extend(copy.deepcopy(items[-1]) for _ in range(draw(st.sampled_from([10, 300]))))
        except (KeyError, IndexError, TypeError):
            continue
    as_json = draw(st.integers(0, 4)) == 4 and deep_depth is None
    if as_json:
        text = json.dumps(raw, ensure_ascii=draw(st.booleans()), allow_nan=True)
        return "answers.json", text.encode("utf-8", "surrogatepass"), texts, kinds
    text = yaml.safe_dump(raw, allow_unicode=draw(st.booleans()), sort_keys=False, width=10_000)
    if deep_depth is not None:
        nested = "[" * deep_depth + "]" * deep_depth
        text = text.replace(f"'{DEEP}'", nested).replace(DEEP, nested)
    return "answers.yaml", text.encode("utf-8", "surrogatepass"), texts, kinds


def _exists(raw, path) -> bool:
    try:
        get_path(raw, path)
    except (KeyError, IndexError, TypeError):
        return False
    return True


def _all_values(data, prefix=()):
    yield prefix, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _all_values(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _all_values(value, (*prefix, index))


# --- the contract -----------------------------------------------------------------------------


def check_case(name: str, file_name: str, data: bytes, texts: list, kinds: list, lang: str, today=None) -> str:
    """Run one build and check the contract; returns "built" or "refused"."""
    from docassemble_asylum.procedures import get
    from docassemble_asylum.procedures.base import read_answers_file

    info = probe(name)
    work = Path(tempfile.mkdtemp(prefix="asylumdocs-fuzz-"))
    try:
        answers = work / file_name
        answers.write_bytes(data)
        out = work / "out"
        with time_limit(CASE_SECONDS, f"one {name} build"):
            result = run_in_process(
                ["build", name, "--answers", str(answers), "--out", str(out), "--today", (today or info.today).isoformat(), "--lang", lang]
            )
        assert leftovers(work) == [], leftovers(work)
        if result.code != 0:
            assert_clean_user_error(result)
            assert not out.exists(), "a refused build must not create its folder"
            return "refused"
        assert "Traceback" not in result.stderr
        assert_complete_case_folder(out)
        texts_by_file = {}
        for path in sorted(out.glob("*.docx")):
            strict_parse_docx(path.read_bytes())
            from docassemble_asylum.render.docx import docx_text

            texts_by_file[path.name] = docx_text(path.read_bytes())
        shown = norm("\n".join(texts_by_file.values()))
        raw, _ = read_answers_file(answers)
        model = get(name).model.model_validate(raw)
        # Which answers are printed depends on the day (a child who has come of age by a
        # random --today is left out of the reunification letter): checked on the probe's day.
        for path in texts if today is None or today == info.today else ():
            if path not in info.printed:
                continue
            try:
                cleaned = get_path(model, path)
            except (KeyError, IndexError, TypeError, AttributeError):
                continue  # a later mutation replaced or removed it
            if isinstance(cleaned, str):
                # As typed (an English sheet) or through the French typographic layer (a letter).
                assert norm(cleaned) in shown or norm(typeset(cleaned)) in shown, (
                    f"{path}: cleaned value {cleaned[:200]!r} not in the documents"
                )
        return "built"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _settings():
    return settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not LARGE,
        database=None if not LARGE else settings.default.database,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


@pytest.mark.parametrize("name", buildable_procedures())
def test_fuzz_build(name, capsys):
    try:
        probe(name)
    except NotBuildable as exc:
        pytest.skip(str(exc))
    stats = STATS[name]

    @_settings()
    @given(case=fuzz_case(name), lang=st.sampled_from(["en", "fr"]), today=st.one_of(st.just(None), st.just(None), st.dates()))
    def run(case, lang, today):
        file_name, data, texts, kinds = case
        if today is not None:
            kinds = [*kinds, "today"]
        outcome = check_case(name, file_name, data, texts, kinds, lang, today)
        stats["tried"] += 1
        stats[outcome] += 1
        for kind in set(kinds):
            stats[f"{outcome}:{kind}"] += 1

    run()
    with capsys.disabled():
        detail = ", ".join(f"{k}={v}" for k, v in sorted(stats.items()) if ":" in k)
        print(
            f"\n[fuzz] {name}: {stats['tried']} cases tried, {stats['built']} built, {stats['refused']} refused cleanly ({detail})"
        )
    assert stats["tried"] > 0
    assert repr((HOSTILE_TEXT, LIMIT_DATES, WRONG_TYPES, HOSTILE_FILES)) == _SAMPLES, "a case changed the shared samples"
    # Not vacuous: hostile but valid text must build documents in some cases (few for
    # reunification, whose PDF form refuses scripts its font cannot show, cleanly).
    assert stats["built"] >= max(1, stats["tried"] // 20), dict(stats)


@pytest.mark.parametrize("name", buildable_procedures())
def test_hostile_files_are_refused_cleanly(name, tmp_path):
    """Every hand-written hostile file, for every procedure: a clean error, nothing written."""
    try:
        info = probe(name)
    except NotBuildable as exc:
        pytest.skip(str(exc))
    for index, data in enumerate(HOSTILE_FILES):
        answers = tmp_path / f"answers{index}.yaml"
        answers.write_bytes(data)
        out = tmp_path / f"out{index}"
        result = run_in_process(["build", name, "--answers", str(answers), "--out", str(out), "--today", info.today_arg, "--lang", "en"])
        assert result.code == 1, (index, data[:80], result.stderr[-500:])
        assert_clean_user_error(result)
        assert not out.exists()
    assert leftovers(tmp_path) == []


# \u2028 \u2029 \x85 are line breaks to Python: they once broke the Subject of an e-mail.
MARKUP_VALUE = "«{{ 7*7 }}» {% if x %}{%p endif %} <w:p>&amp; & \x00\x0b\x0c œ Œ – ’ \"q\" a\u2028b\u2029c\x85d\r\ne"
UNICODE_VALUE = "«{{ 7*7 }}» <w:p>& \u202eمرحبا\u202c שלום Привет 𝔘 😀 e\u0301 \ufffe\U0010fffd"


@pytest.mark.parametrize("value", [MARKUP_VALUE, UNICODE_VALUE], ids=["markup", "unicode"])
@pytest.mark.parametrize("name", buildable_procedures())
def test_every_printed_answer_prints_hostile_text_literally(name, value, tmp_path):
    """Deterministic companion of the fuzzer: every printed answer at once set to a text
    full of markup, template syntax and control characters (then also other scripts and
    planes, which a PDF form's font may refuse with a clean error asking for a Latin
    spelling). Answers that refuse the text (a postal code…) keep their example value."""
    from docassemble_asylum.models.common import clean_block

    try:
        info = probe(name)
    except NotBuildable as exc:
        pytest.skip(str(exc))
    expected = norm(clean_block(value))
    assert "{{ 7*7 }}" in expected and "<W:P>&" in expected and "\x00" not in expected
    raw = accepted_with(name, info.example, {path: value for path in info.printed}, info.today)
    hostile = [path for path in info.printed if get_path(raw, path) == value]
    if value == MARKUP_VALUE:
        assert len(hostile) >= len(info.printed) // 2, "most printed answers should accept any Latin text"
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = run_in_process(["build", name, "--answers", str(answers), "--out", str(out), "--today", info.today_arg])
    assert result.code == 0, result.stderr
    shown = norm("\n".join(docx_texts(out).values()))
    # Printed literally, never evaluated: at least one occurrence per answer (as typed in an
    # English sheet, through the French typographic layer in a French document).
    typeset_expected = norm(typeset(clean_block(value)))
    assert typeset_expected != expected  # the layer has work to do on this text («…»)
    assert shown.count(expected) + shown.count(typeset_expected) >= len(hostile), (shown.count(expected), hostile)


LONG_TOKEN = "A" * 100_000  # one unbroken "word": a pasted identifier, a line of underscores…


@pytest.mark.parametrize("name", buildable_procedures())
def test_a_long_unbroken_word_is_built_or_refused_quickly(name, tmp_path):
    """Every printed answer that accepts it gets a 100,000-character word: the build must
    finish (documents or a clean refusal) within 20 s (3 s measured), not wrap it for hours."""
    try:
        info = probe(name)
    except NotBuildable as exc:
        pytest.skip(str(exc))
    answers = tmp_path / "answers.yaml"
    raw = copy.deepcopy(info.example)
    for path in info.printed:
        trial = copy.deepcopy(raw)
        set_path(trial, path, LONG_TOKEN)
        try:
            get(name).model.model_validate(copy.deepcopy(trial))
        except Exception:  # noqa: BLE001 - this answer refuses it (a length limit): fine
            continue
        raw = trial
    answers.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    with time_limit(20, f"a {name} build with a 100,000-character word"):
        result = run_in_process(["build", name, "--answers", str(answers), "--out", str(out), "--today", info.today_arg, "--lang", "en"])
    if result.code == 0:
        assert_complete_case_folder(out)
    else:
        assert_clean_user_error(result)
