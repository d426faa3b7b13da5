"""Thematic working groups (GT): members, facilitator and composition warnings."""
