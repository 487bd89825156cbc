"""Scripts that write the DOCX templates of templates/letters/ (run tools/make_templates.py)."""
