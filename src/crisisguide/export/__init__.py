"""Exports: the model (and session records) as deterministic text - markdown, JSON, Mermaid."""
