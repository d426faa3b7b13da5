"""Territories: the unit of ownership and access of every object."""
