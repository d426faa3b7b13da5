"""Regular reviews (bilans) of a project: what was observed, what moved, figures,
writings, photos, who was invited, and a snapshot of the frise."""
