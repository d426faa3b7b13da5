"""Joint projects of a partnership walking the charter's lifecycle, and their conduct."""
