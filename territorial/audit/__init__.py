"""The audit trail: who created, changed or deleted what, and when."""
