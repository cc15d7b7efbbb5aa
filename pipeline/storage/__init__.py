"""Shared leaf: atomic file writes and the ledger of finished sources."""
