"""Action plans: axes, actions, their follow-up and their Word and XLSX exports."""
