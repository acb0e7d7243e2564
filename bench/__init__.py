"""`make bench`: speed and quality of the allocation engine (see __main__)."""
