"""The work: experiments, working groups, sessions, decisions and action plans."""
