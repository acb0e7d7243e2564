"""Targets go out and come back as YAML or CSV; a bad file changes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from guichet.observatory.models import Target
from tests import factories

pytestmark = pytest.mark.django_db

YAML = """
- prefecture: Seine-Maritime
  department_code: "76"
  procedure: Renouveler une carte de résident
  url: http://127.0.0.1:8765/booking/create/50396
  checks_per_day: 6
- prefecture: Seine-Maritime
  department_code: "76"
  procedure: Retirer un récépissé
  url: http://127.0.0.1:8765/booking/create/50416/0
  enabled: false
"""


def observe(*args):
    out = io.StringIO()
    call_command("observe", *args, stdout=out)
    return out.getvalue()


def test_yaml_import_then_csv_round_trip(tmp_path):
    (tmp_path / "targets.yaml").write_text(YAML)
    assert observe("import", str(tmp_path / "targets.yaml")) == "2 targets created, 0 updated\n"
    card, receipt = Target.objects.order_by("procedure")
    assert (card.checks_per_day, card.enabled, receipt.enabled) == (6, True, False)

    (tmp_path / "targets.csv").write_text(observe("export", "--format", "csv"))
    Target.objects.filter(pk=card.pk).update(checks_per_day=1, procedure="changed")
    assert observe("import", str(tmp_path / "targets.csv")) == "0 targets created, 2 updated\n"
    card.refresh_from_db()
    assert (card.checks_per_day, card.procedure) == (6, "Renouveler une carte de résident")


def test_yaml_export_reads_back_the_same(tmp_path):
    (tmp_path / "in.yaml").write_text(YAML)
    observe("import", str(tmp_path / "in.yaml"))
    exported = observe("export")
    (tmp_path / "out.yaml").write_text(exported)
    observe("import", str(tmp_path / "out.yaml"))
    assert observe("export") == exported
    assert Target.objects.count() == 2


def test_a_bad_row_is_named_and_nothing_is_imported(tmp_path):
    (tmp_path / "bad.yaml").write_text(YAML + "- {prefecture: X, url: not-an-address}\n")
    with pytest.raises(CommandError, match="target 3"):
        observe("import", str(tmp_path / "bad.yaml"))
    assert not Target.objects.exists()


@pytest.fixture
def admin_client(client):
    """A national administrator in the admin, second factor done (the admin asks for both)."""
    return factories.log_in_agent(client, factories.make_agent(None, role="administrator"))


def test_targets_are_managed_in_the_admin(admin_client):
    factories.make_target()
    assert admin_client.get("/admin/observatory/target/").status_code == 200
    assert admin_client.get("/admin/observatory/check/").status_code == 200
    assert admin_client.get("/admin/observatory/check/add/").status_code == 403
