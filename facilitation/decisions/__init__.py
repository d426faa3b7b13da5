"""Decisions of a charter's instances by consensus, arbitration, instance meetings and notes."""
