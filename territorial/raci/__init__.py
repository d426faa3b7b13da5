"""RACI grids: activities × actors, each cell R, A, C, I or empty.

One component for every owner (a partnership project, an experiment's operational
roles, an action plan, a joint project): the owner is named by ``owner_type`` and
``owner_id`` and registers how to link back to it in ``owners.py``.
"""
