"""Word: the package (package.py, archive.py), its reader (read.py), the tree writer (write.py, styles.py, lists.py,
inline.py), the in-place patcher (patch.py), font embedding (embed.py) and font names (fonts.py)."""
