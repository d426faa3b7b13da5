"""Yearly review meetings of a convention: sessions with ``body_type = "convention"``.

Each year the authority and the association meet around the dashboard (« en moyenne,
un tableau générait 3 heures de discussions »): this module schedules that session
and shows the convention's reviews on its page, through
``territorial.common.panels.convention_panels`` (the territorial layer does not import
facilitation).
"""
