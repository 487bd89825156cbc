"""asylumdocs inside a docassemble server: generated interviews, the shared templates, and glue.

``data/questions/<procedure>.yml`` are generated from the question sets of
``interviews/`` by ``tools/make_docassemble.py`` (never edit them by hand);
``data/templates/`` is the repository's ``templates/`` folder, mapped here when the
distribution is built; ``glue.py`` is the only module that imports docassemble: it calls
the core (``docassemble_asylum``) for validation, deadlines and document contexts.
"""

from docassemble_asylum import __version__

__all__ = ["__version__"]
