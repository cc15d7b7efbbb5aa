"""Stage 6, quality: the checks on each translated source (flags) and on a whole briefing
(faithfulness)."""
