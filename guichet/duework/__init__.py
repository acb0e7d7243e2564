"""The service's clock: everything that happens because time passes (`jobs.run_due_work`), the
worker's task that runs it, and the `scheduler` command that enqueues it.

It sits above the domain apps it orchestrates (booking, catalogue, notifications, protection,
registry, transparency, privacy), so that none of them imports another to run its part.
"""
