"""Stage 1, sources: find the inputs (files, folders, URLs, feeds) and read each into a
decoded RawDocument."""
