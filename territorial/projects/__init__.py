"""Partnership projects that are not experiments (an itinerant « aller vers » project…):
their « pourquoi », objectives, frise, RACI grid, pas de côté and reviews."""
