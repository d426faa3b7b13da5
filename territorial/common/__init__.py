"""Helpers every capability shares: model mixins, forms, pagination, downloads."""
