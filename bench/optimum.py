"""The exact optimum of an instance: a min-cost flow over (request class) -> (site, day).

Requests with the same deadline, sites and first possible day are interchangeable, and so are
units of one site on one day: aggregating both keeps the network small while the optimum stays
exact for any cost that depends on the day only. A request left undated is charged as if dated
on the first day after the horizon, like the engine's undated requests in `evaluate`.

`kept_on_time` forces some requests on time: the least cost of any schedule that keeps them so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow

from .instances import MINUTES_PER_DAY, Instance, due_day, lateness_cost


@dataclass
class Outcome:
    """What a schedule costs: total convex cost, requests late, worst lateness in days."""

    cost: int
    late: int
    worst: int


def optimum(instance: Instance, kept_on_time: frozenset = frozenset()) -> Outcome:
    classes = Counter(
        (
            due_day(request),
            request.sites,
            request.not_before // MINUTES_PER_DAY,
            request.key in kept_on_time,
        )
        for request in instance.requests
    )
    buckets = Counter((unit.site, unit.start // MINUTES_PER_DAY) for unit in instance.units)
    days_of_site: dict = {}
    for site, day in buckets:
        days_of_site.setdefault(site, []).append(day)

    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink, overflow = 0, 1, 2
    bucket_node = {bucket: 3 + index for index, bucket in enumerate(buckets)}
    next_node = 3 + len(buckets)
    total = len(instance.requests)
    lateness_of_arc: dict[int, int] = {}
    for (deadline, sites, first_day, kept), count in classes.items():
        node = next_node
        next_node += 1
        flow.add_arc_with_capacity_and_unit_cost(source, node, count, 0)
        for site in sites:
            for day in days_of_site.get(site, ()):
                if day >= first_day and not (kept and day > deadline):
                    late = max(0, day - deadline)
                    arc = flow.add_arc_with_capacity_and_unit_cost(
                        node, bucket_node[site, day], count, lateness_cost(late)
                    )
                    lateness_of_arc[arc] = late
        if not kept:
            late = max(0, instance.horizon_days - deadline)
            arc = flow.add_arc_with_capacity_and_unit_cost(
                node, overflow, count, lateness_cost(late)
            )
            lateness_of_arc[arc] = late
    for bucket, count in buckets.items():
        flow.add_arc_with_capacity_and_unit_cost(bucket_node[bucket], sink, count, 0)
    flow.add_arc_with_capacity_and_unit_cost(overflow, sink, total, 0)
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    late = worst = 0
    for arc, days in lateness_of_arc.items():
        if days and flow.flow(arc):
            late += flow.flow(arc)
            worst = max(worst, days)
    return Outcome(cost=flow.optimal_cost(), late=late, worst=worst)
