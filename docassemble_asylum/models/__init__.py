"""Pydantic models of the answers, one module per procedure plus shared blocks."""
