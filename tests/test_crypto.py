"""Encrypted case files (age format via pyrage) and shredding (issue 9).

A passphrase costs about a second of scrypt by design (it is what slows down a thief's
guesses), so the passphrase tests share one encrypted file; key-based tests are instant.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from docassemble_asylum import crypto
from docassemble_asylum.errors import UserError
from docassemble_asylum.i18n import language
from fuzz_support import NotBuildable, killed_publication, probe, run_in_process

PASSPHRASE = "correct horse battery staple"
SECRET = "Samira Haddad, née à Idlib, arrêtée en mars 2024"


@pytest.fixture(autouse=True)
def _no_ambient_secrets(monkeypatch):
    monkeypatch.delenv(crypto.PASSPHRASE_ENV, raising=False)
    monkeypatch.delenv(crypto.IDENTITY_ENV, raising=False)
    crypto.forget_passphrase()
    # Messages are asserted in English whatever the machine's locale.
    with language("en"):
        yield
    crypto.forget_passphrase()


@pytest.fixture(scope="module")
def sealed() -> bytes:
    """SECRET encrypted once with PASSPHRASE (one scrypt for the whole module)."""
    return crypto.encrypt_bytes(SECRET.encode(), passphrase=PASSPHRASE)


@pytest.fixture(scope="module")
def keypair():
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    return identity, str(identity.to_public())


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _procedure():
    from fuzz_support import buildable_procedures

    for name in buildable_procedures():
        try:
            return probe(name)
        except NotBuildable:
            continue
    pytest.skip("no procedure builds its example yet")


# --- in memory --------------------------------------------------------------------------------


def test_passphrase_round_trip_in_memory(sealed):
    assert sealed.startswith(b"age-encryption.org/v1\n-> scrypt ")
    assert SECRET.encode() not in sealed
    assert crypto.needs_passphrase(sealed)
    assert crypto.decrypt_bytes(sealed, passphrase=PASSPHRASE) == SECRET.encode()


def test_wrong_passphrase_is_a_clean_error(sealed):
    with pytest.raises(UserError) as caught:
        crypto.decrypt_bytes(sealed, passphrase="wrong", path="case.yaml.age")
    assert "wrong passphrase" in caught.value.render()
    assert SECRET not in caught.value.render()


def test_passphrase_from_the_environment(sealed, monkeypatch):
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, PASSPHRASE)
    assert crypto.decrypt_for_reading(sealed, Path("case.yaml.age")) == SECRET.encode()


def test_no_terminal_and_no_passphrase_is_a_clean_error(sealed, monkeypatch):
    monkeypatch.setattr(crypto, "_interactive", lambda: False)
    with pytest.raises(UserError) as caught:
        crypto.decrypt_for_reading(sealed, Path("case.yaml.age"))
    assert "ASYLUMDOCS_PASSPHRASE" in caught.value.render()


@pytest.mark.parametrize("cut", [0, 10, 25, 60])
def test_damaged_or_truncated_files_are_clean_errors(sealed, cut):
    damaged = sealed[: len(b"age-encryption.org/") + cut]
    with pytest.raises(UserError) as caught:
        crypto.decrypt_bytes(damaged, passphrase=PASSPHRASE, path="x.age")
    assert "damaged" in caught.value.render()


def test_a_header_asking_for_absurd_work_is_refused_at_once(sealed):
    header, rest = sealed.split(b"\n", 2)[:2], sealed.split(b"\n", 2)[2]
    stanza = header[1].split(b" ")
    stanza[-1] = b"40"  # 2**40 scrypt: days of work
    forged = b"\n".join([header[0], b" ".join(stanza), rest])
    with pytest.raises(UserError) as caught:
        crypto.decrypt_bytes(forged, passphrase=PASSPHRASE, path="x.age")
    assert "unreasonable" in caught.value.render()


def test_recipient_keys(keypair, tmp_path):
    identity, public = keypair
    blob = crypto.encrypt_bytes(SECRET.encode(), recipients=[public])
    assert not crypto.needs_passphrase(blob)
    assert crypto.decrypt_bytes(blob, identities=[identity]) == SECRET.encode()
    with pytest.raises(UserError, match="--identity"):
        crypto.decrypt_bytes(blob, path="x.age")
    import pyrage

    other = pyrage.x25519.Identity.generate()
    with pytest.raises(UserError, match="None of the given private keys"):
        crypto.decrypt_bytes(blob, identities=[other], path="x.age")
    with pytest.raises(UserError, match="--recipient"):
        crypto.parse_recipient("age1notakey")


def test_write_encrypted_is_private_atomic_and_asks_once(monkeypatch, tmp_path, keypair):
    """What the interview's --save --encrypt calls after every answer (scrypt is faked here:
    the real one is tested above; this is about asking once and writing safely)."""
    import types

    asked, used = [], []

    def fake_ask(*, confirm, path=None):
        asked.append(confirm)
        return PASSPHRASE

    def fake_encrypt(data, passphrase):
        used.append(passphrase)
        return b"age-encryption.org/v1\n-> scrypt fake 18\n--- x\n" + data[::-1]

    real = crypto._pyrage()
    fake = types.SimpleNamespace(passphrase=types.SimpleNamespace(encrypt=fake_encrypt), encrypt=real.encrypt, x25519=real.x25519, ssh=real.ssh)
    monkeypatch.setattr(crypto, "ask_passphrase", fake_ask)
    monkeypatch.setattr(crypto, "_pyrage", lambda: fake)
    target = tmp_path / "new" / "answers.yaml.age"
    crypto.write_encrypted(target, b"first: 1\n")
    crypto.write_encrypted(target, b"second: 2\n")
    assert asked == [True], "the passphrase must be asked once per session, with confirmation"
    assert used == [PASSPHRASE, PASSPHRASE]
    assert _mode(target) == 0o600
    assert _mode(target.parent) == 0o700
    assert sorted(p.name for p in target.parent.iterdir()) == ["answers.yaml.age"]
    assert target.read_bytes().endswith(b"second: 2\n"[::-1])
    # Already-encrypted bytes are written as they are (no double encryption).
    identity, public = keypair
    blob = crypto.encrypt_bytes(b"x", recipients=[public])
    crypto.write_encrypted(target, blob)
    assert target.read_bytes() == blob


def test_an_interrupted_save_keeps_the_previous_version(monkeypatch, tmp_path):
    target = tmp_path / "answers.yaml"
    crypto.write_encrypted(target, crypto.encrypt_bytes(b"every answer so far\n", passphrase="p"))
    before = target.read_bytes()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    from docassemble_asylum import output

    monkeypatch.setattr(output.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        crypto.write_encrypted(target, crypto.encrypt_bytes(b"half", passphrase="p"))
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["answers.yaml"], "no temporary file left behind"


# --- the commands -----------------------------------------------------------------------------


def test_case_encrypt_then_decrypt(tmp_path, monkeypatch):
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, PASSPHRASE)
    clear = tmp_path / "answers.yaml"
    clear.write_text(f"facts: {SECRET}\n", encoding="utf-8")
    result = run_in_process(["case", "encrypt", str(clear), "--lang", "en"])
    assert result.code == 0, result.stderr
    sealed = tmp_path / "answers.yaml.age"
    assert _mode(sealed) == 0o600
    assert SECRET.encode() not in sealed.read_bytes()
    assert clear.exists(), "the original is only deleted when asked"
    assert "case shred" in result.stdout
    # Refuses to overwrite, or to encrypt twice.
    again = run_in_process(["case", "encrypt", str(clear), "--lang", "en"])
    assert again.code == 1 and "already exists" in again.stderr
    twice = run_in_process(["case", "encrypt", str(sealed), "--out", str(tmp_path / "x.age"), "--lang", "en"])
    assert twice.code == 1 and "already encrypted" in twice.stderr
    # Decrypt only where --out says, 0600.
    no_out = run_in_process(["case", "decrypt", str(sealed)])
    assert no_out.code == 2 and "--out" in no_out.stderr
    back = tmp_path / "back.yaml"
    result = run_in_process(["case", "decrypt", str(sealed), "--out", str(back), "--lang", "en"])
    assert result.code == 0, result.stderr
    assert back.read_bytes() == clear.read_bytes()
    assert _mode(back) == 0o600
    assert SECRET not in result.stdout + result.stderr


def test_case_decrypt_never_writes_through_a_symbolic_link(tmp_path, sealed, monkeypatch):
    """case decrypt/encrypt write as build does (output.write_file): a --out that is a
    symbolic link, even a dangling one, is refused, with --force too."""
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, PASSPHRASE)
    path = tmp_path / "a.yaml.age"
    path.write_bytes(sealed)
    link = tmp_path / "clear.yaml"
    link.symlink_to(tmp_path / "elsewhere.yaml")
    for force in ([], ["--force"]):
        result = run_in_process(["case", "decrypt", str(path), "--out", str(link), *force, "--lang", "en"])
        assert result.code == 1, result.stderr
        assert result.stderr == (
            f"Error: {link} is a symbolic link: give --out a real folder or file (symbolic links are not followed; nothing was written).\n"
        )
        assert link.is_symlink() and not (tmp_path / "elsewhere.yaml").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml.age", "clear.yaml"]


def test_case_decrypt_never_writes_over_what_it_reads(tmp_path, sealed, keypair, monkeypatch):
    """``case decrypt a.age --out a.age --force`` replaced the encrypted file by its clear
    text (under its .age name); ``--out`` the key file would have replaced the private key."""
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, PASSPHRASE)
    path = tmp_path / "a.yaml.age"
    path.write_bytes(sealed)
    for out, lang, expected in (
        (path, "en", f"Error: {path} is a file this command reads or saves: choose another --out (nothing was written).\n"),
        (tmp_path / "." / "a.yaml.age", "fr", f"Erreur : {tmp_path / '.' / 'a.yaml.age'} est un fichier que cette commande lit ou enregistre : "
         "choisissez un autre --out (rien n'a été écrit).\n"),
    ):
        result = run_in_process(["case", "decrypt", str(path), "--out", str(out), "--force", "--lang", lang])
        assert (result.code, result.stdout, result.stderr) == (1, "", expected)
    assert path.read_bytes() == sealed
    identity, recipient = keypair
    key = tmp_path / "key.txt"
    key.write_text(str(identity) + "\n", encoding="utf-8")
    before = key.read_bytes()
    sealed_for_key = tmp_path / "b.yaml.age"
    sealed_for_key.write_bytes(crypto.encrypt_bytes(b"applicant: {}\n", recipients=[recipient]))
    result = run_in_process(["case", "decrypt", str(sealed_for_key), "--identity", str(key), "--out", str(key), "--force", "--lang", "en"])
    assert (result.code, result.stderr) == (1, f"Error: {key} is a file this command reads or saves: choose another --out (nothing was written).\n")
    assert key.read_bytes() == before


def test_case_paths_that_cannot_be_looked_at_are_one_message(tmp_path, sealed, monkeypatch):
    """A name too long or a loop of links was a traceback in case encrypt, decrypt and shred."""
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, PASSPHRASE)
    (tmp_path / "loop-a").symlink_to(tmp_path / "loop-b")
    (tmp_path / "loop-b").symlink_to(tmp_path / "loop-a")
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    clear = tmp_path / "clear.yaml"
    clear.write_text("applicant: {}\n", encoding="utf-8")
    long = tmp_path / ("q" * 300)
    from docassemble_asylum.errors import printable

    shown = printable(str(long))  # at most 300 characters printed, then "…"
    loop, inside_file = tmp_path / "loop-a", tmp_path / "afile" / "x"
    before = sorted(p.name for p in tmp_path.iterdir())
    for argv, expected in (
        (["case", "decrypt", str(long), "--out", str(tmp_path / "x.yaml"), "--lang", "en"], f"Error: The file {shown} cannot be read (the path is too long).\n"),
        (["case", "decrypt", str(loop), "--out", str(tmp_path / "x.yaml"), "--lang", "fr"], f"Erreur : Le fichier {loop} ne peut pas être lu (une boucle de liens symboliques).\n"),
        (["case", "encrypt", str(long), "--lang", "en"], f"Error: The file {shown} cannot be read (the path is too long).\n"),
        (["case", "encrypt", str(clear), "--out", str(long), "--lang", "en"], f"Error: The name {shown} is too long; nothing was written. Choose a shorter name.\n"),
        (["case", "shred", str(long), "--yes", "--lang", "en"], f"Error: {shown} cannot be looked at (the path is too long); nothing was deleted.\n"),
        (["case", "shred", str(inside_file), "--yes", "--lang", "fr"],
         f"Erreur : {inside_file} ne peut pas être examiné (une partie du chemin est un fichier, pas un dossier) ; rien n’a été supprimé.\n"),
    ):
        result = run_in_process(argv)
        assert (result.code, result.stdout, result.stderr) == (1, "", expected)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert clear.read_text(encoding="utf-8") == "applicant: {}\n"


def test_case_decrypt_wrong_passphrase(tmp_path, sealed, monkeypatch):
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, "not it")
    path = tmp_path / "a.yaml.age"
    path.write_bytes(sealed)
    result = run_in_process(["case", "decrypt", str(path), "--out", str(tmp_path / "a.yaml"), "--lang", "en"])
    assert result.code == 1
    assert result.stderr.startswith("Error: Cannot decrypt"), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "a.yaml").exists()
    # In French too (a damaged file: no scrypt needed to fail).
    path.write_bytes(sealed[:30])
    result = run_in_process(["case", "decrypt", str(path), "--out", str(tmp_path / "a.yaml"), "--lang", "fr"])
    assert result.code == 1 and result.stderr.startswith("Erreur"), result.stderr
    assert not (tmp_path / "a.yaml").exists()


def test_case_encrypt_with_shred_original(tmp_path, keypair):
    identity, public = keypair
    clear = tmp_path / "answers.yaml"
    clear.write_text(SECRET, encoding="utf-8")
    result = run_in_process(["case", "encrypt", str(clear), "--recipient", public, "--shred-original", "--lang", "en"])
    assert result.code == 0, result.stderr
    assert not clear.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["answers.yaml.age"]
    key_file = tmp_path / "key.txt"
    key_file.write_text(f"# test key\n{identity}\n")
    out = tmp_path / "back.yaml"
    result = run_in_process(["case", "decrypt", str(tmp_path / "answers.yaml.age"), "--identity", str(key_file), "--out", str(out)])
    assert result.code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == SECRET


def test_bad_recipient_and_bad_identity_are_clean_errors(tmp_path, keypair):
    clear = tmp_path / "a.yaml"
    clear.write_text("x: 1\n")
    result = run_in_process(["case", "encrypt", str(clear), "--recipient", "ssh-ed25519 AAAAnotakey", "--lang", "en"])
    assert result.code == 1 and "--recipient" in result.stderr
    identity, public = keypair
    sealed = tmp_path / "a.yaml.age"
    sealed.write_bytes(crypto.encrypt_bytes(b"x: 1\n", recipients=[public]))
    bad_key = tmp_path / "key.txt"
    bad_key.write_text("AGE-SECRET-KEY-1NOTAKEY\n")
    result = run_in_process(["case", "decrypt", str(sealed), "--identity", str(bad_key), "--out", str(tmp_path / "o"), "--lang", "en"])
    assert result.code == 1 and "no usable private key" in result.stderr


def test_build_reads_an_encrypted_answers_file_in_memory(tmp_path, monkeypatch, keypair):
    """--answers FILE.age: documents built, no clear copy anywhere, input hash of the clear text."""
    info = _procedure()
    identity, public = keypair
    clear = info.example_yaml().encode()
    sealed = tmp_path / "case.yaml.age"
    sealed.write_bytes(crypto.encrypt_bytes(clear, recipients=[public]))
    key_file = tmp_path / "key.txt"
    key_file.write_text(f"{identity}\n")
    monkeypatch.setenv(crypto.IDENTITY_ENV, str(key_file))
    out = tmp_path / "out"
    result = run_in_process(["build", info.name, "--answers", str(sealed), "--out", str(out), "--today", info.today_arg])
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml.age", "key.txt", "out"]
    import json

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["input_sha256"] == hashlib.sha256(clear).hexdigest()


def test_build_with_a_passphrase_protected_file(tmp_path, monkeypatch):
    info = _procedure()
    clear = info.example_yaml().encode()
    sealed = tmp_path / "case.yaml.age"
    sealed.write_bytes(crypto.encrypt_bytes(clear, passphrase=PASSPHRASE))
    out = tmp_path / "out"
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, "wrong")
    result = run_in_process(["build", info.name, "--answers", str(sealed), "--out", str(out), "--today", info.today_arg, "--lang", "en"])
    assert result.code == 1 and "wrong passphrase" in result.stderr and not out.exists()
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, PASSPHRASE)
    result = run_in_process(["build", info.name, "--answers", str(sealed), "--out", str(out), "--today", info.today_arg])
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml.age", "out"]


def test_the_passphrase_is_asked_without_echo(tmp_path, terminal):
    """A real terminal (pty): the prompt appears, what is typed is not shown, a wrong one is retried."""
    import pexpect

    clear = tmp_path / "answers.yaml"
    clear.write_text(f"facts: {SECRET}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in (crypto.PASSPHRASE_ENV, crypto.IDENTITY_ENV)}
    env["ASYLUMDOCS_LANG"] = "en"
    child = terminal.asylumdocs("case", "encrypt", str(clear), env=env, dimensions=(24, 80))
    child.expect("Passphrase")
    child.sendline("typed-secret-1")
    child.expect("Repeat")
    child.sendline("typed-secret-1")
    child.expect(pexpect.EOF)
    child.close()
    transcript = child.before or ""
    assert child.exitstatus == 0, transcript
    assert "typed-secret-1" not in transcript
    sealed = tmp_path / "answers.yaml.age"
    child = terminal.asylumdocs("case", "decrypt", str(sealed), "--out", str(tmp_path / "back.yaml"), env=env, dimensions=(24, 80))
    child.expect("Passphrase")
    child.sendline("typo")
    child.expect("Wrong passphrase, try again")
    child.expect("Passphrase")
    child.sendline("typed-secret-1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "typed-secret-1" not in (child.before or "") and "typo" not in (child.before or "")
    assert (tmp_path / "back.yaml").read_bytes() == clear.read_bytes()


# --- shred ------------------------------------------------------------------------------------


def test_shred_overwrites_before_deleting(tmp_path):
    from docassemble_asylum.commands.case import shred_path

    secret = tmp_path / "case.yaml"
    secret.write_text(SECRET * 100, encoding="utf-8")
    witness = tmp_path / "witness"
    os.link(secret, witness)  # a second name for the same bytes on disk
    assert shred_path(secret) == 1
    assert not secret.exists()
    assert SECRET.encode() not in witness.read_bytes(), "the file's own blocks were not overwritten"


def test_shred_a_case_folder_with_leftovers_and_links(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("not part of the case")
    case = tmp_path / "cases" / "haddad"
    (case / "out" / "sub").mkdir(parents=True)
    (case / "answers.yaml").write_text(SECRET)
    (case / "out" / "letter.docx").write_bytes(b"x" * 5000)
    (case / "out" / "sub" / "readonly.txt").write_text(SECRET)
    os.chmod(case / "out" / "sub" / "readonly.txt", 0o400)
    os.symlink(outside, case / "link-to-outside")
    os.symlink(tmp_path, case / "out" / "link-to-dir")
    left = killed_publication(case, ["summary.docx"])  # a build of the case killed while writing
    assert len(left) == 2 and left[0].startswith(".haddad.lock-") and left[1].startswith(".haddad.partial-"), left
    lookalike = tmp_path / "cases" / ".haddad.partial-999999-abc"  # the user's own: not a leftover
    lookalike.mkdir()
    (lookalike / "mine.txt").write_text("kept")
    unrelated = tmp_path / "cases" / "other"
    unrelated.mkdir()
    result = run_in_process(["case", "shred", str(case), "--yes", "--lang", "en"])
    assert result.code == 0, result.stderr
    assert "5 files overwritten and deleted" in result.stdout  # the 4 of the case and the staging's, plus its marker
    assert "SSD" in result.stdout
    assert sorted(p.name for p in (tmp_path / "cases").iterdir()) == [".haddad.partial-999999-abc", "other"]
    assert (lookalike / "mine.txt").read_text() == "kept"
    assert outside.read_text() == "not part of the case", "a symbolic link was followed"


def test_shred_refuses_without_confirmation_and_dangerous_paths(tmp_path, monkeypatch):
    target = tmp_path / "case.yaml"
    target.write_text("x")
    result = run_in_process(["case", "shred", str(target), "--lang", "en"])
    assert result.code == 1 and "--yes" in result.stderr and target.exists()
    monkeypatch.chdir(tmp_path)
    for dangerous in (str(tmp_path), "/", str(Path.home()), "."):
        result = run_in_process(["case", "shred", dangerous, "--yes", "--lang", "en"])
        assert result.code == 1 and "Refusing" in result.stderr, (dangerous, result.stderr)
    assert target.exists()
    missing = run_in_process(["case", "shred", str(tmp_path / "nope"), "--yes", "--lang", "en"])
    assert missing.code == 1 and "does not exist" in missing.stderr
