"""`python -m bench.queries`: how many SQL statements one answer of each page costs.

The web bench runs it once, after its measurements, with the server's settings and database:
it reads on standard input a JSON list of {"name", "method", "path", "json", "cookies"} and
prints {name: statements}. Each page is asked once through Django's own handler (the test
client, in this process) while every statement sent to the database is counted; the answer must
be the one the bench expects, so a refused request is not counted as a cheap one.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    # As in a server's process that has answered before: the first page of a process reads the
    # site's configuration (guichet.site_config), once.
    Client(HTTP_HOST="127.0.0.1").get("/")
    counts = {}
    for page in json.load(sys.stdin):
        client = Client(HTTP_HOST="127.0.0.1")
        for cookie, value in page["cookies"].items():
            client.cookies[cookie] = value
        statements = []

        def count(execute, sql, params, many, context, statements=statements):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            if page["method"] == "post":
                response = client.post(
                    page["path"], data=page["json"], content_type="application/json"
                )
            else:
                response = client.get(page["path"])
        if response.status_code != page["expected"]:
            raise SystemExit(f"{page['name']}: answered {response.status_code}")
        counts[page["name"]] = len(statements)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
