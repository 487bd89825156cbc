"""Nothing leaves the machine (issue 9).

- Statically: no module of the product imports a network library (urllib, requests,
  http.client, smtplib, socket…), directly or through ``importlib``, nor runs curl/wget.
- Dynamically: real commands (example, check, build for every procedure, build --pdf,
  batch, case encrypt/decrypt, deadline) run in child processes whose every Python
  interpreter (workers too, through ``sitecustomize``) has its socket functions replaced
  by a recorder that refuses (local AF_UNIX sockets, used by multiprocessing between a
  batch's workers, stay allowed); they succeed and the record stays empty. A positive
  control proves the recorder catches a real attempt.
- Where the system allows it, the same build runs in a network namespace without any
  interface (``unshare -rn``).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fuzz_support import ROOT, NotBuildable, buildable_procedures, probe

PACKAGE = ROOT / "docassemble_asylum"
FORBIDDEN = {
    "urllib",
    "urllib2",
    "urllib3",
    "requests",
    "httpx",
    "aiohttp",
    "http",
    "httplib",
    "smtplib",
    "ftplib",
    "poplib",
    "imaplib",
    "nntplib",
    "telnetlib",
    "socket",
    "socketserver",
    "ssl",
    "xmlrpc",
    "webbrowser",
    "paramiko",
    "websocket",
    "websockets",
    "grpc",
    "boto3",
    "sentry_sdk",
}

GUARD = r'''
# Installed by tests/test_no_network.py for every Python process of the test (sitecustomize).
import os as _os
import socket as _socket

_LOG = _os.environ.get("ASYLUMDOCS_NETWORK_LOG")


def _refuse(name, original=None):
    def refused(*args, **kwargs):
        # Local inter-process sockets (AF_UNIX: multiprocessing's forkserver) are not network.
        if original is not None and getattr(args[0], "family", None) == _socket.AF_UNIX:
            return original(*args, **kwargs)
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as handle:
                handle.write(f"{_os.getpid()} {name} {args[1:2]!r}\n")
        raise OSError(101, f"network access blocked by the test ({name})")

    return refused


for _name in ("connect", "connect_ex", "sendto", "sendmsg", "bind"):
    setattr(_socket.socket, _name, _refuse(f"socket.{_name}", getattr(_socket.socket, _name)))
for _name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "create_server"):
    setattr(_socket, _name, _refuse(_name))
'''


def _module_names(tree: ast.AST) -> list[tuple[str, int]]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append((node.module, node.lineno))
        elif isinstance(node, ast.Call):
            func = node.func
            called = getattr(func, "attr", None) or getattr(func, "id", None)
            if called in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
                names.append((str(node.args[0].value), node.lineno))
    return names


def test_no_module_imports_a_network_library():
    problems = []
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 20
    for path in files:
        source = path.read_text(encoding="utf-8")
        for name, line in _module_names(ast.parse(source, filename=str(path))):
            if name.split(".")[0] in FORBIDDEN:
                problems.append(f"{path.relative_to(ROOT)}:{line}: imports {name}")
        for match in re.finditer(r"""["'](curl|wget|nc|ssh|scp|rsync|ftp)["']""", source):
            line = source.count("\n", 0, match.start()) + 1
            problems.append(f"{path.relative_to(ROOT)}:{line}: runs {match.group(1)}")
    assert problems == []


@pytest.fixture
def guarded(tmp_path):
    """Environment for child processes: sockets refused and recorded in every interpreter."""
    site = tmp_path / "netguard-site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "network-attempts.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "ASYLUMDOCS_NETWORK_LOG": str(log),
        "ASYLUMDOCS_LANG": "en",
    }
    # Proxies must not matter either.
    for variable in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(variable, None)
    return env, log


def _run(env, *args, cwd=None, timeout=600):
    return subprocess.run(
        [sys.executable, "-m", "docassemble_asylum", *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=cwd
    )


def test_the_guard_catches_a_real_attempt(guarded, tmp_path):
    """Positive control: without it, an empty log would prove nothing."""
    env, log = guarded
    code = "import urllib.request\ntry:\n    urllib.request.urlopen('http://127.0.0.1:9/', timeout=2)\nexcept OSError:\n    pass\n"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    assert log.exists() and log.read_text().strip(), "the socket recorder did not see urlopen"
    code = "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 9), timeout=2)\nexcept OSError:\n    pass\n"
    log.unlink()
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    assert "create_connection" in log.read_text()


def test_full_builds_succeed_with_the_network_blocked(guarded, tmp_path):
    env, log = guarded
    built = []
    for name in buildable_procedures():
        try:
            info = probe(name)
        except NotBuildable:
            continue
        answers = tmp_path / f"{name}.yaml"
        result = _run(env, "example", name, "--today", info.today_arg)
        assert result.returncode == 0, result.stderr
        answers.write_text(result.stdout, encoding="utf-8")
        result = _run(env, "check", name, "--answers", str(answers), "--today", info.today_arg)
        assert result.returncode == 0, result.stderr
        out = tmp_path / f"out-{name}"
        result = _run(env, "build", name, "--answers", str(answers), "--out", str(out), "--today", info.today_arg)
        assert result.returncode == 0, result.stderr
        assert (out / "manifest.json").exists()
        built.append(name)
    if not built:
        pytest.skip("no procedure builds its example yet")
    assert not log.exists(), log.read_text()


def test_pdf_batch_case_and_deadline_commands_with_the_network_blocked(guarded, tmp_path):
    from docassemble_asylum.cli import COMMANDS, _available

    env, log = guarded
    info = None
    for name in buildable_procedures():
        try:
            info = probe(name)
            break
        except NotBuildable:
            continue
    if info is None:
        pytest.skip("no procedure builds its example yet")
    answers = tmp_path / "answers.yaml"
    answers.write_text(info.example_yaml(), encoding="utf-8")
    ran = []
    if shutil.which("soffice") or shutil.which("libreoffice"):
        result = _run(env, "build", info.name, "--answers", str(answers), "--out", str(tmp_path / "pdf"), "--pdf", "--today", info.today_arg)
        assert result.returncode == 0, result.stderr
        assert list((tmp_path / "pdf").glob("*.pdf"))
        ran.append("build --pdf")
    if _available(COMMANDS["batch"][0]):
        cases = tmp_path / "cases"
        cases.mkdir()
        for index in range(3):
            (cases / f"c{index}.yaml").write_text(info.example_yaml(), encoding="utf-8")
        result = _run(env, "batch", info.name, str(cases), "--out", str(tmp_path / "batch"), "--jobs", "2", "--today", info.today_arg)
        assert result.returncode == 0, result.stderr
        ran.append("batch")
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    key = tmp_path / "key.txt"
    key.write_text(f"{identity}\n")
    result = _run(env, "case", "encrypt", str(answers), "--recipient", str(identity.to_public()))
    assert result.returncode == 0, result.stderr
    result = _run(env, "case", "decrypt", str(answers) + ".age", "--identity", str(key), "--out", str(tmp_path / "back.yaml"))
    assert result.returncode == 0, result.stderr
    result = _run(
        {**env, "ASYLUMDOCS_IDENTITY": str(key)},
        "build", info.name, "--answers", str(answers) + ".age", "--out", str(tmp_path / "from-age"), "--today", info.today_arg,
    )
    assert result.returncode == 0, result.stderr
    ran.append("case encrypt/decrypt, build from .age")
    if _available(COMMANDS["deadline"][0]):
        result = _run(env, "deadline", "--help")
        assert result.returncode == 0, result.stderr
        ran.append("deadline --help")
    assert not log.exists(), log.read_text()
    print(f"\n[no-network] ran with sockets blocked: {ran}")


def test_build_in_a_network_namespace_without_interfaces(tmp_path):
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode != 0:
        message = "unshare -rn (a user network namespace) is not available on this system"
        if os.environ.get("CI"):
            pytest.skip(message + " (CI containers often forbid it; the socket guard tests still ran)")
        pytest.skip(message)
    built = 0
    for name in buildable_procedures():
        try:
            info = probe(name)
        except NotBuildable:
            continue
        answers = tmp_path / f"{name}.yaml"
        answers.write_text(info.example_yaml(), encoding="utf-8")
        out = tmp_path / f"out-{name}"
        result = subprocess.run(
            [unshare, "-rn", sys.executable, "-m", "docassemble_asylum", "build", name, "--answers", str(answers), "--out", str(out), "--today", info.today_arg],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "ASYLUMDOCS_LANG": "en"},
        )
        assert result.returncode == 0, result.stderr
        built += 1
    if not built:
        pytest.skip("no procedure builds its example yet")
