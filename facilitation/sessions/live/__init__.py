"""Running a session live: attendance and phones joining with a code, the board of
contributions (cards, clusters, merges), dot votes, the step to GT3's draft actions and
the compte rendu. Everything a live board shows is in the database, so any number of app
processes serve it without sticky sessions."""
