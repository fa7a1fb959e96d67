"""Markdown: read with markdown-it-py (read.py, inline.py, source.py); written in place for Markdown input or from the
tree (write.py, tree.py)."""
