"""Actors of a territory: organisations and people, their import and export."""
