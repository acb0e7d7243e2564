"""What browser journeys check on every page they open: axe-core finds nothing, the browser
logged no error, and the server answered no 4xx/5xx that the person would meet."""

import functools

from axe_playwright_python.sync_playwright import Axe


@functools.cache
def _axe() -> Axe:
    return Axe()


def assert_accessible(page) -> None:
    """Zero axe-core violations on the page as it stands (any impact, every rule axe runs)."""
    results = _axe().run(page)
    assert results.violations_count == 0, f"axe-core on {page.url}:\n{results.generate_report()}"


class Journey:
    """A page followed through a journey: every page reached is checked with axe-core, and a
    failure says which responses and console lines the browser saw."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.log: list[str] = []
        self.checked: list[str] = []
        page.on("console", lambda message: self.log.append(f"console {message.text}"))
        page.on("response", self._response)

    def _response(self, response):
        self.log.append(f"{response.status} {response.request.method} {response.url}")

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        self.check()

    def check(self):
        """Check the page now shown (after a click that loaded a new page)."""
        self.page.wait_for_load_state("load")
        assert_accessible(self.page)
        self.checked.append(self.page.url)

    def refused(self) -> list[str]:
        """Responses the person met as errors (4xx and 5xx), for assertions and failures."""
        return [line for line in self.log if line[:1] in "45" and line[1:3].isdigit()]
