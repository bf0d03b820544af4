"""Repositories: queries only, keyword arguments, never commit (the unit of work does)."""
