"""PDF forms: the answers→fields mappings (data next to each form) and their messages.

The filling itself (appearance streams, checkboxes by on-state, overflow to an addendum,
font coverage, flattening) is ``render/pdf_form.py``; this package decides WHAT goes in
each field, from a mapping file, so that a new or official form is a data change.
"""
