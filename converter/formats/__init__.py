"""Each format in one package: its reader, its writer and its in-place patcher side by side."""
