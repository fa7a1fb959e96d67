"""PDF: the writer (write.py, blocks.py, text.py), its fonts (fonts.py) and line breaking (layout.py)."""
