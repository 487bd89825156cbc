"""Encrypted case files in the age format (https://age-encryption.org), through pyrage.

An answers file holds a persecution account, identity numbers and where a family lives.
It can be kept encrypted on disk and read without ever writing the clear text:

- with a passphrase (age "scrypt" recipient): asked without echo, or taken from the
  environment variable ``ASYLUMDOCS_PASSPHRASE`` for scripts and tests;
- or for one or more public keys (``age1…`` X25519 keys, or ``ssh-ed25519``/``ssh-rsa``
  keys), read back with the matching identity file given with ``--identity`` or the
  environment variable ``ASYLUMDOCS_IDENTITY``.

What this protects: a lost laptop, a copied folder, a backup on someone else's disk, as
long as the passphrase is strong and not written next to the file. What it does not
protect: a machine that is already compromised (a key logger sees the passphrase), the
clear text while it is in memory, and any clear copy the user wrote themselves
(``case decrypt --out``, an editor's swap file, the documents built from the case).
Python cannot reliably wipe memory; the clear text lives only as long as the process.

``ASYLUMDOCS_PASSPHRASE`` is for automation: an environment variable is readable by the
same user's other processes (``/proc/<pid>/environ``) and easily ends up in a shell
history. Type the passphrase at the prompt when a person is there.

Within one process the passphrase is remembered in memory after it was typed once, so
that an interview that saves as it goes (``build --save --encrypt``) or resumes from an
encrypted file does not ask again at every answer. Nothing is cached on disk.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from docassemble_asylum.errors import UserError
from docassemble_asylum.i18n import gettext

MAGIC = b"age-encryption.org/"
SUFFIX = ".age"
PASSPHRASE_ENV = "ASYLUMDOCS_PASSPHRASE"
IDENTITY_ENV = "ASYLUMDOCS_IDENTITY"
DIR_MODE = 0o700
PASSPHRASE_ATTEMPTS = 3
# The largest scrypt work factor (log2 N) opened. pyrage (rage) picks, when it encrypts, the
# factor that takes about a second on the machine: 16 to 18 on the machines measured (a
# shared 2-core server, a laptop). 20 leaves room for a machine four times faster; each step
# doubles time and memory (2^20 is 1 GiB and seconds; 2^22, 4 GiB and ~25 s per file, times
# the jobs of a batch). rage itself accepts up to its own target + 4, so a file made to cost
# minutes must be refused here, from its header, before any key is derived.
MAX_SCRYPT_LOG_N = 20

# Typed once per process, kept in memory only (see the module docstring).
_session: dict[str, str | None] = {"passphrase": None}


def forget_passphrase() -> None:
    """Drop the passphrase remembered for this process (tests, long-running servers)."""
    _session["passphrase"] = None


def is_encrypted(data: bytes) -> bool:
    return data.startswith(MAGIC)


def _pyrage():
    try:
        import pyrage
    except ImportError:  # pragma: no cover - a dependency of the package
        raise UserError(gettext("Encryption needs the pyrage package: pip install pyrage.")) from None
    return pyrage


# --- the header: which kind of key opens a file -------------------------------------------


def stanza_types(data: bytes) -> list[str]:
    """The recipient types in an age header ("scrypt", "X25519", "ssh-ed25519"…).

    Raises ``ValueError`` when the header is not a complete age v1 header.
    """
    if not data.startswith(MAGIC + b"v1\n"):
        raise ValueError("not an age v1 file")
    end = data.find(b"\n---", 0, 1 << 20)
    if end < 0:
        raise ValueError("incomplete header")
    types = []
    for line in data[len(MAGIC) + 3 : end].split(b"\n"):
        if line.startswith(b"-> "):
            parts = line[3:].split(b" ")
            types.append(parts[0].decode("ascii", "replace"))
    if not types:
        raise ValueError("no recipient in header")
    return types


def scrypt_work_factor(data: bytes) -> int | None:
    """The work factor (log2 N) of a passphrase file's ``-> scrypt SALT LOGN`` stanza, or
    None when the file is not encrypted with a passphrase. ``ValueError`` when the stanza
    is malformed (the age spec: a decimal number without leading zero)."""
    end = data.find(b"\n---", 0, 1 << 20)
    for line in data[len(MAGIC) + 3 : max(end, 0)].split(b"\n"):
        parts = line.split(b" ")
        if parts[:2] == [b"->", b"scrypt"]:
            if len(parts) != 4 or not parts[3].isdigit() or len(parts[3]) > 2 or parts[3].startswith(b"0"):
                raise ValueError("malformed scrypt stanza")
            return int(parts[3])
    return None


def needs_passphrase(data: bytes) -> bool:
    return stanza_types(data) == ["scrypt"]


# --- passphrases --------------------------------------------------------------------------


def _passphrase_from_env() -> str | None:
    value = os.environ.get(PASSPHRASE_ENV)
    return value if value else None


def _interactive() -> bool:
    with contextlib.suppress(Exception):
        return sys.stdin.isatty()
    return False


def ask_passphrase(*, confirm: bool, path: Path | str | None = None) -> str:
    """The passphrase from ``ASYLUMDOCS_PASSPHRASE``, else asked at the terminal without echo."""
    import click

    from_env = _passphrase_from_env()
    if from_env is not None:
        return from_env
    if not _interactive():
        raise UserError(
            gettext(
                "A passphrase is needed for {path}, and there is no terminal to ask it: "
                "run the command in a terminal, or set the environment variable ASYLUMDOCS_PASSPHRASE."
            ).format(path=path or gettext("the case file"))
        )
    label = gettext("Passphrase for {path}").format(path=path) if path else gettext("Passphrase")
    value = click.prompt(
        label,
        hide_input=True,
        confirmation_prompt=gettext("Repeat the passphrase") if confirm else False,
        default="",
        show_default=False,
        err=True,
    )
    if not value:
        raise UserError(gettext("The passphrase cannot be empty."))
    return value


def passphrase_for_encryption(passphrase: str | None, path: Path | str | None) -> str:
    """The passphrase to encrypt with: given, else ``ASYLUMDOCS_PASSPHRASE``, else the one
    already typed in this process, else asked twice without echo (and remembered)."""
    if passphrase:
        return passphrase
    from_env = _passphrase_from_env()
    if from_env is not None:
        return from_env
    if _session["passphrase"]:
        return _session["passphrase"]
    value = ask_passphrase(confirm=True, path=path)
    _session["passphrase"] = value
    return value


# --- keys ---------------------------------------------------------------------------------


def parse_recipient(text: str) -> Any:
    """An ``age1…`` public key or an ``ssh-ed25519 …``/``ssh-rsa …`` public key line."""
    pyrage = _pyrage()
    key = text.strip()
    try:
        if key.startswith("age1"):
            return pyrage.x25519.Recipient.from_str(key)
        if key.startswith(("ssh-ed25519 ", "ssh-rsa ")):
            return pyrage.ssh.Recipient.from_str(key)
    except Exception:  # noqa: BLE001 - pyrage raises its own RecipientError / ValueError
        pass
    raise UserError(
        gettext("--recipient: not a public key (expected age1… or an ssh-ed25519 / ssh-rsa public key line).")
    )


def load_identities(path: Path | str) -> list[Any]:
    """The private keys in an age identity file (``AGE-SECRET-KEY-1…`` lines) or an SSH private key."""
    pyrage = _pyrage()
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        raise UserError(gettext("The identity file {path} cannot be read.").format(path=path)) from None
    identities: list[Any] = []
    try:
        if b"PRIVATE KEY-----" in data:
            identities.append(pyrage.ssh.Identity.from_buffer(data))
        else:
            for line in data.decode("utf-8").splitlines():
                line = line.strip()
                if line and not line.startswith("#"):
                    identities.append(pyrage.x25519.Identity.from_str(line))
    except Exception:  # noqa: BLE001 - bad key material, whatever pyrage's exception
        identities = []
    if not identities:
        raise UserError(
            gettext("The identity file {path} holds no usable private key (AGE-SECRET-KEY-1… or an SSH private key).").format(
                path=path
            )
        )
    return identities


# --- encrypting and decrypting in memory --------------------------------------------------


def encrypt_bytes(data: bytes, passphrase: str | None = None, recipients: Sequence[Any] = (), *, path: Path | str | None = None) -> bytes:
    """Encrypt ``data`` for ``recipients`` (key strings or pyrage recipients), else with a passphrase.

    Without recipients and without ``passphrase``: ``ASYLUMDOCS_PASSPHRASE``, else the
    passphrase already typed in this process, else asked twice at the terminal.
    """
    pyrage = _pyrage()
    if recipients:
        parsed = [parse_recipient(r) if isinstance(r, str) else r for r in recipients]
        return pyrage.encrypt(bytes(data), parsed)
    secret = passphrase_for_encryption(passphrase, path)
    return pyrage.passphrase.encrypt(bytes(data), secret)


def _identity_file(path: Path | str | None) -> str:
    """The private key file of ``ASYLUMDOCS_IDENTITY``, for a file encrypted for keys."""
    identity_file = os.environ.get(IDENTITY_ENV)
    if not identity_file:
        raise UserError(
            gettext(
                "{path} is encrypted for a key, not a passphrase: give the private key with --identity FILE "
                "or the environment variable ASYLUMDOCS_IDENTITY."
            ).format(path=path or gettext("The case file"))
        )
    return identity_file


def _damaged(path: Path | str | None) -> UserError:
    return UserError(
        gettext("{path} is not a complete encrypted case file (damaged or truncated).").format(path=path or gettext("The case file"))
    )


def decrypt_bytes(
    data: bytes,
    *,
    passphrase: str | None = None,
    identities: Iterable[Any] = (),
    path: Path | str | None = None,
) -> bytes:
    """The clear text of an age file, in memory. Asks what is missing; clean errors only."""
    pyrage = _pyrage()
    try:
        types = stanza_types(data)
    except ValueError:
        raise _damaged(path) from None
    if types == ["scrypt"]:
        try:
            work = scrypt_work_factor(data)
        except ValueError:
            raise _damaged(path) from None
        if work is not None and work > MAX_SCRYPT_LOG_N:
            raise _excessive_work(path)
        return _decrypt_with_passphrase(pyrage, data, passphrase, path)
    keys = list(identities) or load_identities(_identity_file(path))
    try:
        return pyrage.decrypt(bytes(data), keys)
    except pyrage.DecryptError as exc:
        if "No matching keys" in str(exc):
            raise UserError(
                gettext("None of the given private keys can open {path}.").format(path=path or gettext("the case file"))
            ) from None
        raise _damaged(path) from None


def _decrypt_with_passphrase(pyrage, data: bytes, passphrase: str | None, path) -> bytes:
    # (passphrase, where it came from): given, environment, remembered, typed.
    candidates: list[tuple[str, str]] = []
    if passphrase:
        candidates.append((passphrase, "given"))
    elif _passphrase_from_env() is not None:
        candidates.append((_passphrase_from_env(), "env"))
    elif _session["passphrase"]:
        # Another file of this session may have another passphrase: then ask.
        candidates.append((_session["passphrase"], "remembered"))
    attempts = 0
    while True:
        if candidates:
            secret, source = candidates.pop(0)
        else:
            secret, source = ask_passphrase(confirm=False, path=path), "typed"
            attempts += 1
        try:
            clear = _passphrase_decrypt(pyrage, data, secret)
        except pyrage.DecryptError as exc:
            text = str(exc)
            if "Excessive work" in text:
                # The header's work factor was checked above (at most MAX_SCRYPT_LOG_N): rage
                # refused from its own timing of this machine, which a busy machine slows down.
                raise _busy_machine(path) from None
            if "Decryption failed" not in text:
                raise _damaged(path) from None
            if source == "remembered" and _interactive():
                continue
            if source == "typed" and attempts < PASSPHRASE_ATTEMPTS:
                import click

                click.echo(gettext("Wrong passphrase, try again."), err=True)
                continue
            raise UserError(
                gettext("Cannot decrypt {path}: wrong passphrase (or the file was damaged).").format(
                    path=path or gettext("the case file")
                )
            ) from None
        _session["passphrase"] = secret
        return clear


# rage measures the machine at each decryption and refuses a work factor more than 4 steps
# above what takes it about a second now: under a heavy load (a batch's jobs, a busy server)
# it can refuse a file asylumdocs wrote itself. The header is checked first, so trying again
# after a pause is safe; each pause doubles.
BUSY_RETRIES = 3
BUSY_PAUSE_SECONDS = 0.5


def _passphrase_decrypt(pyrage, data: bytes, secret: str) -> bytes:
    import time

    pause = BUSY_PAUSE_SECONDS
    for attempt in range(BUSY_RETRIES + 1):
        try:
            return pyrage.passphrase.decrypt(bytes(data), secret)
        except pyrage.DecryptError as exc:
            if "Excessive work" not in str(exc) or attempt == BUSY_RETRIES:
                raise
        time.sleep(pause)
        pause *= 2
    raise AssertionError("unreachable")


def _busy_machine(path: Path | str | None) -> UserError:
    return UserError(
        gettext(
            "This computer is too busy to open {path} now (opening an encrypted file takes a lot of computing): "
            "close other programs, or run fewer jobs at once, and try again."
        ).format(path=path or gettext("the case file"))
    )


def _excessive_work(path: Path | str | None) -> UserError:
    return UserError(
        gettext("{path} asks for an unreasonable amount of work to decrypt; it was not made by asylumdocs.").format(
            path=path or gettext("The case file")
        )
    )


def decrypt_for_reading(data: bytes, path: Path | str) -> bytes:
    """Called by ``read_answers_file`` for an encrypted answers file: clear text in memory only."""
    return decrypt_bytes(data, path=path)


# --- a new version of an encrypted file, encrypted the same way --------------------------


def _ssh_string(blob: bytes, at: int) -> tuple[bytes, int]:
    size = int.from_bytes(blob[at : at + 4], "big")
    if size > len(blob) - at - 4:
        raise ValueError("truncated")
    return blob[at + 4 : at + 4 + size], at + 4 + size


def _der_item(blob: bytes, at: int) -> tuple[int, bytes, int]:
    tag, size, at = blob[at], blob[at + 1], at + 2
    if size & 0x80:
        count = size & 0x7F
        size, at = int.from_bytes(blob[at : at + count], "big"), at + count
    return tag, blob[at : at + size], at + size


def ssh_public_key(private: bytes) -> str | None:
    """The public key line (``ssh-ed25519 AAAA…``) of an SSH private key file, or None.

    An OpenSSH key file carries its public key in clear in its header; a PEM RSA key
    ("BEGIN RSA PRIVATE KEY", PKCS#1) starts with the modulus and the exponent.
    """
    import base64

    text = private.decode("ascii", "replace")
    body = "".join(line for line in text.splitlines() if line and not line.startswith("-----"))
    try:
        raw = base64.b64decode(body, validate=False)
        if "BEGIN OPENSSH PRIVATE KEY" in text:
            magic = b"openssh-key-v1\0"
            if not raw.startswith(magic):
                return None
            at = len(magic)
            for _field in ("cipher", "kdf", "kdf options"):
                _value, at = _ssh_string(raw, at)
            at += 4  # number of keys
            blob, at = _ssh_string(raw, at)
            kind, _end = _ssh_string(blob, 0)
        elif "BEGIN RSA PRIVATE KEY" in text:
            _tag, sequence, _end = _der_item(raw, 0)
            _tag, _version, at = _der_item(sequence, 0)
            _tag, modulus, at = _der_item(sequence, at)
            _tag, exponent, at = _der_item(sequence, at)
            kind = b"ssh-rsa"
            # A DER INTEGER's bytes are an SSH mpint's (big-endian, two's complement, minimal).
            blob = b"".join(len(part).to_bytes(4, "big") + part for part in (kind, exponent, modulus))
        else:
            return None
    except (ValueError, IndexError):
        return None
    return f"{kind.decode('ascii', 'replace')} {base64.b64encode(blob).decode('ascii')}"


def identity_recipients(path: Path | str) -> list[Any]:
    """The public keys of the private keys in an identity file (what encrypts for them).

    For an SSH key whose public key cannot be read from the private key file, the
    ``.pub`` file next to it is used.
    """
    path = Path(path)
    identities = load_identities(path)  # the clean errors for a missing or unusable file
    data = path.read_bytes()
    if b"PRIVATE KEY-----" not in data:
        return [identity.to_public() for identity in identities]
    line = ssh_public_key(data)
    if line is None:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            line = path.with_name(path.name + ".pub").read_text(encoding="utf-8").strip()
    if not line:
        raise UserError(
            gettext("The public key of {path} cannot be found: put it next to it as {public}.").format(
                path=path, public=path.with_name(path.name + ".pub")
            )
        )
    return [parse_recipient(line)]


def encryption_like(data: bytes, path: Path | str) -> tuple[str | None, list[Any], int]:
    """How to encrypt a new version of the age file ``data`` (already opened in this process)
    as it was: (passphrase, public keys, how many of its other recipients the new version
    will not be for).

    A file encrypted with a passphrase: that passphrase (``ASYLUMDOCS_PASSPHRASE``, else
    the one that opened it, remembered in this process). A file encrypted for keys: the
    public keys of the private keys that open it (``ASYLUMDOCS_IDENTITY``); other people's
    keys cannot be read from the file, hence the count.
    """
    try:
        types = [t for t in stanza_types(data) if not t.endswith("-grease")]
    except ValueError:
        raise _damaged(path) from None
    if types == ["scrypt"]:
        return passphrase_for_encryption(None, path), [], 0
    recipients = identity_recipients(_identity_file(path))
    return None, recipients, max(0, len(types) - len(recipients))


# --- files --------------------------------------------------------------------------------


def write_encrypted(path: Path | str, data: bytes, *, passphrase: str | None = None, recipients: Sequence[Any] = ()) -> Path:
    """Save ``data`` encrypted at ``path`` (0600, atomically). ``data`` may already be age bytes.

    For the guided interview's ``--save --encrypt``: the passphrase is asked once per
    process (or taken from ``ASYLUMDOCS_PASSPHRASE``), so saving after every answer does
    not ask again. An interrupted save leaves the previous saved version intact.
    """
    from docassemble_asylum.output import write_file

    blob = bytes(data) if is_encrypted(bytes(data)) else encrypt_bytes(data, passphrase, recipients, path=path)
    return write_file(Path(path), blob, replace=True)
