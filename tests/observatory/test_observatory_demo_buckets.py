"""The demo's observatory shows La Cimade's five buckets on its page and in its CSV export."""

import csv
import io

import pytest
from django.urls import reverse

from guichet.demo.observatory import seed_observatory
from guichet.observatory.figures import BUCKETS
from guichet.observatory.models import Bucket
from guichet.observatory.publication import published_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    # One simulated week (`make run` seeds four, with seed 1); seed 3 offers every bucket in one.
    seed_observatory(weeks=1, seed=3)


def test_the_page_shows_every_bucket_for_the_demo_targets(client, demo):
    _, by_department = published_figures()
    totals = {
        key: sum(row.figures.buckets.counts.get(key, 0) for row in by_department) for key in BUCKETS
    }
    assert all(totals.values()), totals
    page = client.get(reverse("observatory:index")).content.decode()
    for label in Bucket.labels:
        assert f'<th scope="col">{label[0].upper()}{label[1:]}</th>' in page
    for row in by_department:  # the whole period's line of each département, in its table
        counts = row.figures.buckets
        cells = "".join(f"<td>{count} ({percent} %)</td>" for _, count, percent in counts.rows())
        assert cells + f"<td>{counts.unplaced}</td>" in page.replace("\n", "").replace("  ", "")


def test_the_csv_export_gives_every_check_its_bucket(client, demo):
    response = client.get(reverse("observatory:export_csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["bucket_label"] for row in rows} == set(Bucket.labels) | {""}
    for row in rows:
        if row["outcome"] in ("no_slot", "overloaded"):
            assert row["bucket"] == "no_date"
        if row["bucket"] and row["bucket"] != "no_date":
            assert row["outcome"] == "slots" and row["earliest"]
