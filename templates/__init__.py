"""Jinja templates for every screen, shipped as package data.

A package of its own so the folder is found from a checkout and from an
installed wheel alike: ``templates.FOLDER``.
"""
from pathlib import Path

FOLDER = str(Path(__file__).resolve().parent)
