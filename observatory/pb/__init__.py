"""Participatory-budgeting engine: Pabulib parsing, selection rules, metrics and storage."""
