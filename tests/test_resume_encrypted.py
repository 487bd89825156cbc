"""Resuming the guided interview from an encrypted answers file never writes the answers
back in clear, even without ``--encrypt``: a volunteer who saved with ``--encrypt``
yesterday and types ``--resume answers.yaml.age`` today must not leave a clear copy.

The new versions are encrypted as the file was: with the passphrase that opened it, or
for the public keys of the private keys in ``ASYLUMDOCS_IDENTITY`` (crypto.encryption_like).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
import yaml

pyrage = pytest.importorskip("pyrage")

from docassemble_asylum import crypto  # noqa: E402
from docassemble_asylum.procedures import get  # noqa: E402
from docassemble_asylum.questions.runner import run_interview  # noqa: E402
from tests.test_question_sets import TODAY, Scripted  # noqa: E402
from pinned_examples import pinned_example_text

PROCEDURE = "cnda-appeal"
PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    monkeypatch.setenv("ASYLUMDOCS_INTERVIEW_TRACE", "1")
    monkeypatch.delenv(crypto.PASSPHRASE_ENV, raising=False)
    monkeypatch.delenv(crypto.IDENTITY_ENV, raising=False)
    crypto.forget_passphrase()
    yield
    crypto.forget_passphrase()


def _partial_answers() -> tuple[dict, bytes]:
    """The example without the decision's date: the interview asks it, then saves."""
    example = yaml.safe_load(pinned_example_text(PROCEDURE))
    del example["decision"]["date"]
    return example, yaml.safe_dump(example, allow_unicode=True).encode("utf-8")


def _resume(path, lang="en"):
    terminal = Scripted(PROCEDURE, lang, script={"decision.date": ["2026-02-24"]})
    answers, data = run_interview(
        get(PROCEDURE), lang=lang, today=dt.date.fromisoformat(TODAY[PROCEDURE]), terminal=terminal, resume=path
    )
    return terminal, answers, data


def test_resume_from_a_passphrase_file_saves_encrypted_with_that_passphrase(tmp_path, monkeypatch):
    _, clear = _partial_answers()
    path = tmp_path / "answers.yaml.age"
    path.write_bytes(crypto.encrypt_bytes(clear, passphrase=PASSPHRASE))
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, PASSPHRASE)
    terminal, answers, data = _resume(path)
    assert answers.decision.date == dt.date(2026, 2, 24)
    assert f"{path} is encrypted, so the answers are saved encrypted in {path}." in terminal.out
    sealed = path.read_bytes()
    assert sealed.startswith(b"age-encryption.org/") and crypto.stanza_types(sealed) == ["scrypt"]
    saved = yaml.safe_load(pyrage.passphrase.decrypt(sealed, PASSPHRASE))
    assert saved["decision"]["date"] == "2026-02-24" and saved == yaml.safe_load(data)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yaml.age"]  # no clear copy, no temporary file
    assert (path.stat().st_mode & 0o777) == 0o600


def test_resume_from_a_passphrase_file_in_french(tmp_path, monkeypatch):
    _, clear = _partial_answers()
    path = tmp_path / "reponses.yaml.age"
    path.write_bytes(crypto.encrypt_bytes(clear, passphrase=PASSPHRASE))
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, PASSPHRASE)
    terminal, _, _ = _resume(path, lang="fr")
    assert f"{path} est chiffré : les réponses sont donc enregistrées chiffrées dans {path}." in terminal.out
    assert path.read_bytes().startswith(b"age-encryption.org/")


def test_resume_from_a_key_file_saves_for_that_key_and_says_who_is_left_out(tmp_path, monkeypatch):
    mine, theirs = pyrage.x25519.Identity.generate(), pyrage.x25519.Identity.generate()
    identity_file = tmp_path / "me.key"
    identity_file.write_text(str(mine) + "\n", encoding="utf-8")
    monkeypatch.setenv(crypto.IDENTITY_ENV, str(identity_file))
    _, clear = _partial_answers()
    path = tmp_path / "answers.yaml.age"
    path.write_bytes(pyrage.encrypt(clear, [mine.to_public(), theirs.to_public()]))
    terminal, answers, _ = _resume(path)
    assert answers.decision.date == dt.date(2026, 2, 24)
    assert (
        f"{path} was also encrypted for 1 other key: the answers saved now can only be opened with yours."
    ) in terminal.out
    sealed = path.read_bytes()
    assert [t for t in crypto.stanza_types(sealed) if not t.endswith("-grease")] == ["X25519"]
    assert yaml.safe_load(pyrage.decrypt(sealed, [mine]))["decision"]["date"] == "2026-02-24"
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(sealed, [theirs])


def test_a_clear_resume_file_stays_clear(tmp_path):
    _, clear = _partial_answers()
    path = tmp_path / "answers.yaml"
    path.write_bytes(clear)
    terminal, _, data = _resume(path)
    assert path.read_bytes() == data and yaml.safe_load(data)["decision"]["date"] == "2026-02-24"
    assert not [line for line in terminal.out if "is encrypted" in line]


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen is not installed")
@pytest.mark.parametrize(("kind", "options"), [("ssh-ed25519", ["-t", "ed25519"]), ("ssh-rsa", ["-t", "rsa", "-b", "2048", "-m", "PEM"])])
def test_the_public_key_is_read_from_an_ssh_private_key(tmp_path, kind, options):
    key = tmp_path / "id"
    subprocess.run(["ssh-keygen", "-q", "-N", "", "-C", "", "-f", str(key), *options], check=True)
    public = key.with_name("id.pub").read_text(encoding="utf-8").split()
    assert crypto.ssh_public_key(key.read_bytes()) == f"{public[0]} {public[1]}"
    assert public[0] == kind
    key.with_name("id.pub").unlink()  # read from the private key alone
    (recipient,) = crypto.identity_recipients(key)
    sealed = pyrage.encrypt(b"answers", [recipient])
    assert pyrage.decrypt(sealed, crypto.load_identities(key)) == b"answers"
