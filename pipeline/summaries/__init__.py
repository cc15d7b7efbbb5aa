"""Stage 4, summaries: one English summary per source (abstractive or extractive)."""
