"""« Agir ensemble sur le territoire » experiments: the cadre méthodologique, parts and
deliverables, stakeholders, themes, preparatory interviews, planning and Word export."""
