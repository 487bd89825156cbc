"""``asylumdocs form fields FILE.pdf [--json]`` and ``asylumdocs form fill``: work with any PDF form.

``fields`` lists what a mapping file needs (name, type, the on-states of checkboxes and
radio buttons, maximum length, page, label), so that mapping an official form — the
Bureau des familles de réfugiés' one, when it is obtained — is writing data, not code.
``fill`` fills a form from a JSON object (field → text, true/false, or on-state) with the
same guarantees as the packets: appearance streams every viewer shows, overflow to an
addendum, no "?" for letters the font lacks, optional flattening. ``--out`` is written as
``build`` writes its folder: refused if it exists (unless ``--force``) or is one of the
inputs, written all at once, mode 0600, never through a symbolic link.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from docassemble_asylum.commands.runner import lang_option


@click.group()
@lang_option
def form():
    """Inspect and fill PDF forms."""


def _read_form(path) -> bytes:
    """The bytes of the PDF form ``path``: a regular file, opened without waiting on a FIFO
    (``/dev/zero`` or a pipe given as the form was read forever)."""
    import os

    from docassemble_asylum.errors import UserError
    from docassemble_asylum.safe_files import NotRegularFile, describe_non_regular, open_regular, os_error

    try:
        fd = open_regular(path, follow_links=True)
    except NotRegularFile:
        raise UserError(describe_non_regular(path)) from None
    except OSError as exc:
        raise os_error(exc, path) from None
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


@form.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the fields as JSON.")
@lang_option
def fields(pdf, as_json):
    """List the fields of a PDF form: name, type, on-states, maximum length."""
    from docassemble_asylum.errors import UserError
    from docassemble_asylum.forms import messages
    from docassemble_asylum.render.pdf_form import FormError, read_fields

    try:
        found = read_fields(_read_form(pdf))
    except FormError as exc:
        raise UserError(messages.form_error(exc, pdf)) from None
    if as_json:
        click.echo(json.dumps({"file": str(pdf), "fields": [f.to_json() for f in found]}, indent=2, ensure_ascii=False))
        return 0
    if not found:
        raise UserError(messages.no_fields(pdf))
    rows = [messages.headings()]
    for f in found:
        states = ",".join(f.on_states or f.options)
        rows.append([f.name, f.kind + (" (multiline)" if f.multiline else ""), states, "" if f.max_length is None else str(f.max_length), ",".join(str(p + 1) for p in f.pages), f.tooltip])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1])
    return 0


@form.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False))
@click.option("--values", "values_path", required=True, type=click.Path(exists=True, dir_okay=False), help="JSON object: field name → value.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False), help="The filled PDF to write.")
@click.option("--flatten", is_flag=True, help="Make the values part of the page (no longer editable).")
@click.option("--force", is_flag=True, help="Replace --out if it already exists.")
@lang_option
def fill(pdf, values_path, out_path, flatten, force):
    """Fill a PDF form from a JSON file of values."""
    from docassemble_asylum.errors import UserError
    from docassemble_asylum.forms import messages
    from docassemble_asylum.output import refuse_inputs_inside, write_file

    # Checked before any work, as for build: the form and the values are never replaced.
    refuse_inputs_inside([Path(out_path)], [pdf, values_path])
    # A form given on the command line is filled once: preparing it (pdf_form_prepared.py)
    # would gain nothing, so it is filled the plain way (the same file, byte for byte).
    from docassemble_asylum.render.pdf_form import FormError, fill_plain as fill_form

    from docassemble_asylum.answers_file import parse_answers, read_limited

    # Read as an answers file is: a regular file of at most 5 MB (not /dev/zero), duplicate
    # keys, deep nesting and numbers of thousands of digits refused with the reason.
    values = parse_answers(read_limited(Path(values_path)), values_path, as_json=True)
    if not isinstance(values, dict):
        raise UserError(messages.values_not_a_mapping(values_path))
    try:
        result = fill_form(_read_form(pdf), values, flatten=flatten)
    except FormError as exc:
        raise UserError(messages.form_error(exc, pdf)) from None
    write_file(Path(out_path), result.data, replace=force)  # 0600, atomic, no symbolic link followed
    click.echo(messages.written(out_path))
    return 0
