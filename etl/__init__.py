"""Figures stated in Russian-language official reports, as checked, citable open data."""

__version__ = "0.1.0"
