"""Stage 2, documents: clean each raw document, detect its language, route it, split it into
sentences, mark duplicates."""
