"""`python -m bench.queries`: how many SQL statements one answer of each page costs.

The web bench runs it once, after its measurements, with the server's settings and database:
it reads on standard input a JSON list of {"name", "method", "path", "json", "cookies"} and
prints {name: statements}. Each page is asked twice through Django's own handler (the test
client, in this process) and every statement of the second answer is counted, as in a server's
process that has answered the page before (it keeps the site's configuration and the catalogue:
guichet.site_config, guichet.catalogue.cache); the answer must be the one the bench expects, so
a refused request is not counted as a cheap one.
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

    counts = {}
    for page in json.load(sys.stdin):
        client = Client(HTTP_HOST="127.0.0.1")
        for cookie, value in page["cookies"].items():
            client.cookies[cookie] = value

        def ask(client=client, page=page):
            if page["method"] == "post":
                response = client.post(
                    page["path"], data=page["json"], content_type="application/json"
                )
            else:
                response = client.get(page["path"])
            if response.status_code != page["expected"]:
                raise SystemExit(f"{page['name']}: answered {response.status_code}")

        ask()
        statements = []

        def count(execute, sql, params, many, context, statements=statements):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            ask()
        counts[page["name"]] = len(statements)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
