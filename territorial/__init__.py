"""The map: territories, actors, accounts and what the actors agreed on."""
