"""Conventions between a local authority (and its co-funders) and an association.

A convention holds a multi-year dashboard in four layers, as the Champagne-Ardenne
region's ESS department built it: the authority's priorities (reusable across its
conventions), the partnership's objectives (each linked to a priority), indicators per
objective (the shared model of ``territorial.indicators``, owner type
``convention_objective``) and their targets per year; the values reached each year
with their source and comment, validated by the authority; and the notes of each
yearly dialogue, per indicator and year.

The association reaches its own conventions through the « partner » role and the
``ConventionMember`` table; review meetings are sessions of the facilitation layer,
shown here through ``territorial.common.panels.convention_panels``.
"""
