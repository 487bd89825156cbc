"""Encrypt and write one saved answers file, in a process of its own.

The guided interview saves after every answer; with ``--encrypt`` and a passphrase, age's
scrypt takes seconds and pyrage holds the interpreter lock meanwhile, which would freeze
the interview. So the runner's background saver starts this module for each save, in its
own session (Ctrl-C at the terminal does not kill a save half-way), and hands it the
passphrase and the clear text through a pipe: nothing clear touches the disk.

stdin: the passphrase's length in bytes, a newline, the passphrase, then the clear text.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    payload = sys.stdin.buffer.read()
    head, _, rest = payload.partition(b"\n")
    size = int(head)
    passphrase, data = rest[:size].decode("utf-8"), rest[size:]
    from docassemble_asylum.crypto import write_encrypted
    from docassemble_asylum.errors import UserError

    try:
        write_encrypted(argv[0], data, passphrase=passphrase)
    except UserError as exc:
        print(exc.render(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
