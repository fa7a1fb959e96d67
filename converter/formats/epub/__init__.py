"""EPUB books: read (chapters in spine order → the tree), patched in place (text converted, the rest kept)."""
