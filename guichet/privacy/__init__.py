"""Personal data kept no longer than needed: the retention policy and its daily job, what a
person can download about their request, and their deletion on request."""
