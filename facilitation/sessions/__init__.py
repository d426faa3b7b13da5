"""Sessions (lancement, GT1–GT3, restitution, copils…): dates, places and agendas."""
