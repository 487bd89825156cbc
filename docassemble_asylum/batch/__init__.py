"""Building many cases at once (``asylumdocs batch``).

- ``inputs``: the cases, streamed from a JSONL file, a CSV file (one column per answer
  path) or a folder of answers files; case ids; the checks made before anything is written.
- ``engine``: each case through the same ``Procedure.validate`` / ``build_outputs`` /
  ``output.publish`` as ``build``, in worker processes, a bounded number of chunks in
  flight (memory stays flat in the number of cases); with ``--pdf`` one LibreOffice run
  converts the DOCX of every case of a chunk.
- ``report``: ``report.csv`` and ``summary.txt`` written as results arrive, the progress
  display (rich on a terminal, plain lines otherwise).
- ``on_disk``: what the report says is checked on disk: a case is "built" only if its
  folder holds exactly the files it published (its manifest and their sha256).
"""
