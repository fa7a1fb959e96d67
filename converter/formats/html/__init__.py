"""HTML pages: read (main content → the tree), patched in place (only their text changed)."""
