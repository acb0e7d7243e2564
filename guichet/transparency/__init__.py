"""« La file d'attente en clair »: Guichet's own queue in public figures, pages and open data,
computed from the records the allocation reads and writes, with no personal data."""
