"""The territory's Agenda: every session of the territory, with its iCalendar feed."""
