"""Plain text: read by layout (read.py, layout.py), written as plain text (write.py)."""
