"""The frise des partenariats: partners of a territory placed by level of involvement
(lanes) and term (court / moyen / long terme, or a date), with their contact history,
snapshots over time and the « pas de côté » (freins and leviers per actor).

A timeline belongs to any owner (a project, an experiment, a joint project), named by
``owner_type`` and ``owner_id`` as RACI grids are.
"""
