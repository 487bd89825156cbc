"""asylumdocs: documents for French asylum procedures, computed from sourced rules.

The core never imports docassemble; the docassemble package is a thin layer on top.
"""

__version__ = "0.1.0"
