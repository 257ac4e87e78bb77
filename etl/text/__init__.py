"""Layer 2, text: pure parsers of report prose (figures, periods, partners, quotes,
intervals, text traps).

No file I/O, and no imports of other etl layers: its own exceptions are in etl.text.errors.
"""
