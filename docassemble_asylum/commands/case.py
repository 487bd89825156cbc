"""``asylumdocs case encrypt|decrypt|shred``: keeping a case's files private, and deleting them.

- ``encrypt FILE`` writes ``FILE.age`` (age format, passphrase asked without echo, or
  ``--recipient`` public keys), checks that it opens again, and leaves FILE alone
  unless ``--shred-original`` is given.
- ``decrypt FILE.age --out FILE`` is the only command that writes clear text from an
  encrypted file, and only where ``--out`` says (mode 0600). ``build --answers FILE.age``
  never needs it: it decrypts in memory.
- ``shred PATH`` overwrites then deletes a file, or every file of a case folder (and the
  hidden staging folders an interrupted build may have left next to it).

About shredding, honestly: overwriting a file in place only destroys the old bytes on
a disk that writes in place. Solid-state drives (wear levelling), journaling and
copy-on-write file systems (ext4 data journaling, btrfs, ZFS, APFS), snapshots, backups
and cloud synchronisation may keep old copies that no program can reach. Only
full-disk encryption, set up before the case files were written, protects against
that. ``shred`` is still better than a plain deletion, which leaves every byte in place.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from pathlib import Path

import click

from docassemble_asylum.commands.runner import lang_option
from docassemble_asylum.errors import UserError, printable
from docassemble_asylum.i18n import gettext, ngettext

CHUNK = 1 << 20


@click.group()
@lang_option
def case():
    """Encrypt, decrypt or delete a case's files (age format; see `case shred --help` for its limits)."""


# --- encrypt / decrypt ------------------------------------------------------------------


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(gettext("The file {path} does not exist.").format(path=path)) from None
    except IsADirectoryError:
        raise UserError(gettext("{path} is a folder, not a file.").format(path=path)) from None
    except PermissionError:
        raise UserError(gettext("The file {path} cannot be read (permission denied).").format(path=path)) from None
    except OSError as exc:  # a name too long, a file in the path, a loop of links
        from docassemble_asylum.answers_file import reason

        raise UserError(gettext("The file {path} cannot be read ({reason}).").format(path=printable(str(path)), reason=reason(exc))) from None


def _check_free(path: Path, force: bool) -> None:
    from docassemble_asylum.safe_files import os_error

    try:
        info = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:  # a name too long, a file in the path, a loop of links
        raise os_error(exc, printable(str(path))) from None
    if stat.S_ISDIR(info.st_mode):
        raise UserError(gettext("{path} is a folder, not a file.").format(path=path))
    if not force:
        raise UserError(gettext("{path} already exists: choose another --out, or add --force to replace it.").format(path=path))


def _write(path: Path, data: bytes, force: bool) -> None:
    """All at once, 0600, missing folders 0700 whatever the umask (``output.write_file``):
    an existing file is replaced only with ``force``, even one that appeared meanwhile; a
    full disk or a folder that cannot be written is a message, not a traceback."""
    from docassemble_asylum.output import write_file

    write_file(path, data, replace=force)


@case.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="Encrypted file to write (default: FILE.age).")
@click.option(
    "--recipient",
    "recipients",
    multiple=True,
    metavar="KEY",
    help="Encrypt for this public key (age1… or ssh-ed25519/ssh-rsa) instead of a passphrase. Repeatable.",
)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@click.option("--shred-original", is_flag=True, help="Once the encrypted copy is checked, overwrite and delete FILE.")
@lang_option
def encrypt(file: Path, out: Path | None, recipients: tuple[str, ...], force: bool, shred_original: bool):
    """Encrypt an answers file (or any case file) into FILE.age.

    The passphrase is asked twice without echo; for scripts, set ASYLUMDOCS_PASSPHRASE.
    `build --answers FILE.age` reads the encrypted file directly.
    """
    from docassemble_asylum import crypto

    data = _read(file)
    if crypto.is_encrypted(data):
        raise UserError(gettext("{path} is already encrypted.").format(path=file))
    target = out or file.with_name(file.name + crypto.SUFFIX)
    if target.resolve() == file.resolve():
        raise UserError(gettext("--out must be another file than {path}.").format(path=file))
    _check_free(target, force)
    parsed = [crypto.parse_recipient(r) for r in recipients]
    passphrase = None if parsed else crypto.passphrase_for_encryption(None, file)
    blob = crypto.encrypt_bytes(data, passphrase=passphrase, recipients=parsed, path=file)
    _write(target, blob, force)
    # Never lose a case: what is on disk must be what was encrypted, and open again.
    written = target.read_bytes()
    if written != blob or (passphrase is not None and crypto.decrypt_bytes(written, passphrase=passphrase, path=target) != data):
        raise UserError(gettext("The encrypted copy {path} could not be checked; the original was kept.").format(path=target))
    click.echo(gettext("Encrypted copy written to {path}.").format(path=target))
    if shred_original:
        count = shred_path(file)
        click.echo(ngettext("{count} clear file deleted: {path}.", "{count} clear files deleted: {path}.", count).format(count=count, path=file))
    else:
        click.echo(
            gettext(
                "The clear file {path} is still there. Once you have checked that the encrypted copy opens, "
                "delete it with: asylumdocs case shred {path}"
            ).format(path=file)
        )
    return 0


@case.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Clear file to write (mode 0600).")
@click.option("--identity", type=click.Path(dir_okay=False, path_type=Path), help="Private key file, for a file encrypted with --recipient.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@lang_option
def decrypt(file: Path, out: Path, identity: Path | None, force: bool):
    """Write the clear text of an encrypted case file to --out (readable only by you).

    Not needed to build documents: `build --answers FILE.age` decrypts in memory.
    """
    from docassemble_asylum import crypto
    from docassemble_asylum.output import refuse_inputs_inside

    data = _read(file)
    if not crypto.is_encrypted(data):
        raise UserError(gettext("{path} is not an encrypted case file.").format(path=file))
    # Even with --force: the clear text would replace the encrypted file (or the key) it comes from.
    refuse_inputs_inside([out], [file, identity])
    _check_free(out, force)
    identities = crypto.load_identities(identity) if identity else ()
    clear = crypto.decrypt_bytes(data, identities=identities, path=file)
    _write(out, clear, force)
    click.echo(gettext("Decrypted to {path} (readable only by you). Delete it with asylumdocs case shred when done.").format(path=out))
    return 0


# --- shred ------------------------------------------------------------------------------


def _overwrite(path: Path) -> None:
    """Overwrite a regular file's bytes in place with random data, and flush them to the disk."""
    size = os.lstat(path).st_size
    mode = os.lstat(path).st_mode
    if not mode & stat.S_IWUSR:
        os.chmod(path, stat.S_IMODE(mode) | stat.S_IWUSR)
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        remaining = size
        while remaining > 0:
            step = min(CHUNK, remaining)
            os.write(fd, secrets.token_bytes(step))
            remaining -= step
        os.fsync(fd)
        os.ftruncate(fd, 0)
        os.fsync(fd)
    finally:
        os.close(fd)


def _anonymous_name(path: Path) -> Path:
    """Rename before deleting: a file name can itself be personal (``dupont-samira.yaml``)."""
    target = path.with_name("." + secrets.token_hex(8))
    try:
        os.rename(path, target)
    except OSError:
        return path
    return target


def _shred_file(path: Path) -> int:
    info = os.lstat(path)
    if stat.S_ISREG(info.st_mode):
        _overwrite(path)
        os.unlink(_anonymous_name(path))
        return 1
    os.unlink(path)  # a symbolic link (never followed) or a special file: only the name goes
    return 0


def _shred_tree(folder: Path) -> int:
    count = 0
    for root, dirs, files in os.walk(folder, topdown=False):
        base = Path(root)
        for name in files:
            count += _shred_file(base / name)
        for name in dirs:
            child = base / name
            if child.is_symlink():
                os.unlink(child)
            else:
                os.rmdir(_anonymous_name(child))
    os.rmdir(_anonymous_name(folder))
    return count


def _leftovers(path: Path) -> list[Path]:
    """Hidden siblings that hold copies of the same case: what killed builds left (recognised
    by their markers, output.leftovers: never a folder that merely has a look-alike name)
    and the temporary files of interrupted saves (``.NAME.tmp-`` and the 8 letters that
    ``mkstemp`` adds, regular files of this user)."""
    from docassemble_asylum.output import leftovers

    found = leftovers(path)
    pattern = re.compile(re.escape(f".{path.name}.tmp-") + r"[a-z0-9_]{8}")
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.getuid():
                found.append(path.parent / entry.name)
    return sorted(set(found))


def shred_path(path: Path) -> int:
    """Overwrite and delete a file, or a folder and everything in it; returns the files destroyed."""
    path = Path(path)
    count = 0
    for item in [path, *_leftovers(path)]:
        if item.is_symlink() or not item.is_dir():
            count += _shred_file(item)
        else:
            count += _shred_tree(item)
    return count


def _refuse_dangerous(path: Path) -> None:
    resolved = path.resolve()
    home = Path.home().resolve()
    cwd = Path.cwd().resolve()
    if resolved == Path(resolved.anchor) or resolved == home or resolved in home.parents or resolved == cwd or resolved in cwd.parents:
        raise UserError(gettext("Refusing to delete {path}: give the case's own file or folder.").format(path=path))
    if resolved.is_dir() and os.path.ismount(resolved):
        raise UserError(gettext("Refusing to delete {path}: it is a mount point.").format(path=path))


def _count_files(path: Path) -> int:
    if path.is_symlink() or not path.is_dir():
        return 1
    return sum(len(files) for _, _, files in os.walk(path))


@case.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@lang_option
def shred(path: Path, yes: bool):
    """Overwrite, then delete a case's file or folder (cannot be undone).

    Also removes the hidden leftovers of interrupted builds next to a folder (the
    .NAME.partial-*, .NAME.old-* folders that carry asylumdocs' marker .NAME.lock-*;
    look-alike names are left alone). Limits: on SSDs, journaling or copy-on-write file
    systems, snapshots and backups, old copies may survive overwriting; only full-disk
    encryption protects against that.
    """
    try:
        os.lstat(path)
    except FileNotFoundError:
        raise UserError(gettext("{path} does not exist.").format(path=path)) from None
    except OSError as exc:  # a name too long, a file in the path
        from docassemble_asylum.answers_file import reason

        raise UserError(gettext("{path} cannot be looked at ({reason}); nothing was deleted.").format(path=printable(str(path)), reason=reason(exc))) from None
    _refuse_dangerous(path)
    total = _count_files(path) + sum(_count_files(p) for p in _leftovers(path))
    if not yes:
        from docassemble_asylum.crypto import _interactive

        if not _interactive():
            raise UserError(gettext("Deleting {path} cannot be undone: add --yes to confirm.").format(path=path))
        question = ngettext(
            "Overwrite and delete {path} ({count} file)? This cannot be undone.",
            "Overwrite and delete {path} ({count} files)? This cannot be undone.",
            total,
        ).format(path=path, count=total)
        if not click.confirm(question, default=False, err=True):
            raise UserError(gettext("Nothing was deleted."))
    try:
        count = shred_path(path)
    except OSError as exc:
        raise UserError(
            gettext("{path} could not be deleted completely ({reason}); what remains is listed by: ls -la {path}").format(
                path=path, reason=exc.strerror or exc.__class__.__name__
            )
        ) from None
    click.echo(ngettext("{count} file overwritten and deleted.", "{count} files overwritten and deleted.", count).format(count=count))
    click.echo(
        gettext(
            "Note: on SSDs, journaling or copy-on-write file systems, snapshots and backups, old copies may survive; "
            "full-disk encryption is what protects deleted files."
        )
    )
    return 0
