"""Rendering: DOCX letters from templates, reproducibly and safely."""
