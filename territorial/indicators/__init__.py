"""Indicators: quantitative or qualitative, with yearly targets and measured values.

One model for every owner (an action, an action plan, a joint project, a convention
objective…): the owner is named by ``owner_type`` and ``owner_id``, and the owner's
capability registers how to name it and link to it (``owners.register_owner``).
"""
