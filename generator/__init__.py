"""Broadsheet: a static site generator for annotated news archives."""

__version__ = "0.1.0"
