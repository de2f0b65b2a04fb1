"""axe-core in every browser test: no page a test shows escapes the check.

`AuditedBrowser` hands out browser contexts in which every document loads axe-core
(installed by npm from package-lock.json into node_modules/, never fetched while
testing) and checks itself once loaded and again after each htmx swap. A page
cannot be left before its check ends: the request for the next document waits for
it. The pages still open when the context closes are checked as they were left
(in a context without JavaScript, that is the only check: its earlier pages are not
checked). The violations gathered fail the test at its end, so no test can forget
the check.

`axe_check(page, impacts=...)` runs it on demand (test_axe_pages.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError

AXE_JS = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
# What fails a test by itself; test_axe_pages.py holds the main pages to every impact.
BLOCKING = ("critical", "serious")
ALL_IMPACTS = ("critical", "serious", "moderate", "minor")
# The longest one check may take before it counts as a failure rather than a hang.
CHECK_MS = 20_000
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# Runs in every top-level document; axe's runs are queued (it refuses to run twice at once).
_WATCH = """
(() => {
  if (window.top !== window || window.__terrainAxe || document.contentType !== 'text/html') return;
  const tags = %(tags)s;
  // Each document says who it is: a page's counts belong to the document that made them.
  const doc = Math.random().toString(36).slice(2) + Date.now().toString(36);
  let queue = Promise.resolve();
  // A stylesheet the busy test server failed to send would make every target look tiny:
  // ask for it once more before judging the page, and say so plainly if it never comes.
  const styled = () => Promise.all([...document.querySelectorAll('link[rel=stylesheet]')]
    .filter(link => !link.sheet)
    .map(link => new Promise(resolve => {
      const again = link.cloneNode();
      again.addEventListener('load', () => resolve(null));
      again.addEventListener('error', () => resolve(link.href));
      setTimeout(() => resolve(link.href), %(stylesheet_ms)d);
      link.replaceWith(again);
    })))
    .then(missing => missing.filter(Boolean));
  // Every check ends: one that never settles would hold the page's next navigation and
  // the test's end for ever (a hung CI run), so it becomes a violation that says so.
  const bounded = promise => Promise.race([promise, new Promise(resolve => setTimeout(
    () => resolve([{id: 'axe-timeout', impact: 'critical', nodes: [],
                    help: 'the accessibility check did not end within %(check_ms)d ms'}]), %(check_ms)d))]);
  const run = () => bounded(styled().then(missing => missing.length
    ? [{id: 'stylesheet-not-loaded', impact: 'critical', nodes: [],
        help: 'the test server did not send ' + missing.join(', ')}]
    : axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
    .then(r => r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: (n.failureSummary || '').slice(0, 300)})),
    })))));
  const check = () => {
    window.__terrainAxeStarted(doc);
    const failed = error => [{id: 'axe-error', impact: 'critical', help: String(error), nodes: []}];
    queue = queue.then(run).catch(failed).then(found => window.__terrainAxeReport(found, location.href, doc));
    return queue;
  };
  const runNow = () => { const done = queue.then(run); queue = done.catch(() => []); return done; };
  window.__terrainAxe = {check, run: runNow};
  document.addEventListener('DOMContentLoaded', () => {
    window.__terrainAxeStarted(doc);
    window.addEventListener('load', () => { check(); window.__terrainAxeReport([], location.href, doc); });
  });
  let settled;
  document.addEventListener('htmx:afterSettle', () => { clearTimeout(settled); settled = setTimeout(check, 50); });
})();
"""

_RUN = """async ([tags, ms]) => {
  if (window.__terrainAxe) return await window.__terrainAxe.run();
  const late = new Promise(resolve => setTimeout(() => resolve(null), ms));
  const checked = axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  const results = await Promise.race([checked, late]);
  if (!results) {
    return [{id: 'axe-timeout', impact: 'critical', nodes: [],
             help: `the accessibility check did not end within ${ms} ms`}];
  }
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: (n.failureSummary || '').slice(0, 300)})),
  }));
}"""


# Terrain's own pages are served on this machine; a network's page a test stands in for
# (a share link opening wa.me, say) is not ours to audit.
OWN_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def is_own_page(url: str) -> bool:
    return urlsplit(url).hostname in OWN_HOSTS


def axe_source() -> str:
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing: run `npm ci` (scripts/ensure-system.sh does it)")
    return AXE_JS.read_text()


@dataclass
class Violation:
    url: str
    id: str
    impact: str
    help: str
    nodes: list[dict] = field(default_factory=list)

    def __str__(self) -> str:
        where = "; ".join(f"{n['target']} ({n['summary']})" for n in self.nodes[:6])
        return f"[{self.impact}] {self.id} on {self.url}: {self.help}. {where}"


def axe_check(page, *, impacts=BLOCKING) -> list[Violation]:
    """Run axe-core on the page as it stands; the violations of the given impacts."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Through the DevTools protocol: neither the page's Content-Security-Policy nor
        # a context without JavaScript stops it.
        page.evaluate(axe_source())
    found = page.evaluate(_RUN, [list(WCAG_TAGS), CHECK_MS])
    return [Violation(url=page.url, **v) for v in found if v["impact"] in impacts]


class AuditedContext:
    """A Playwright browser context whose pages are checked before they are left."""

    def __init__(self, context, violations: list[Violation], *, browser, javascript: bool = True):
        self._context = context
        self._browser = browser
        self._javascript = javascript
        self._violations = violations
        self._closed = False
        # The page's current document and its checks started and not reported. Counts are
        # kept per document: the browser may send a left document's messages after the
        # navigation that left it, and a count it can no longer end must not hold the next
        # one for ever.
        self._current: dict = {}  # page -> (document, checks running)
        self._held: dict = defaultdict(list)  # page -> navigation requests waiting for them
        context.expose_binding("__terrainAxeStarted", self._started)
        context.expose_binding("__terrainAxeReport", self._reported)
        context.add_init_script(path=str(AXE_JS) if AXE_JS.exists() else axe_source())
        context.add_init_script(_WATCH % {"tags": list(WCAG_TAGS), "stylesheet_ms": 5000, "check_ms": CHECK_MS})
        context.route("**/*", self._before_request)

    def __getattr__(self, name):
        return getattr(self._context, name)

    def _record(self, violations) -> None:
        for violation in violations:
            if (
                violation.impact in BLOCKING
                and is_own_page(violation.url)
                and not any(str(v) == str(violation) for v in self._violations)
            ):
                self._violations.append(violation)

    def _running(self, page) -> int:
        return self._current.get(page, (None, 0))[1]

    def _started(self, source, doc) -> None:
        page = source["page"]
        current, running = self._current.get(page, (None, 0))
        # A new document: the one before is gone, its checks will never report.
        self._current[page] = (doc, running + 1 if doc == current else 1)

    def _reported(self, source, found, url, doc) -> None:
        page = source["page"]
        self._record(Violation(url=url, **v) for v in found)
        current, running = self._current.get(page, (None, 0))
        if doc != current:
            return
        self._current[page] = (doc, max(0, running - 1))
        if not self._running(page):
            self._release(page)

    def _release(self, page) -> None:
        for route in self._held.pop(page, []):
            route.fallback()

    def _before_request(self, route, request) -> None:
        try:
            page = request.frame.page
        except PlaywrightError:
            # A new window's first request comes before its frame exists: nothing to wait for.
            route.fallback()
            return
        if request.is_navigation_request() and request.frame.parent_frame is None and self._running(page):
            # The document being left is still alive: its check ends, then it goes.
            self._held[page].append(route)
            return
        route.fallback()

    def _check_without_javascript(self, page) -> list[Violation]:
        # axe-core waits on timers, which never run in a page without JavaScript: the page
        # as it stands is shown again where scripts run, with the site's own scripts refused.
        html, url = page.content(), page.url
        clone_context = self._browser.new_context(
            viewport=page.viewport_size, storage_state=self._context.storage_state()
        )

        def serve(route, request):
            if request.is_navigation_request():
                route.fulfill(body=html, content_type="text/html; charset=utf-8")
            elif request.resource_type == "script":
                route.abort()
            else:
                route.fallback()

        try:
            clone = clone_context.new_page()
            clone.route("**/*", serve)
            clone.goto(url)
            return axe_check(clone)
        finally:
            clone_context.close()

    def close(self, **kwargs) -> None:
        if self._closed:
            return
        self._closed = True
        for page in list(self._held):
            self._release(page)
        for page in self._context.pages:
            if not page.is_closed() and is_own_page(page.url):
                self._record(axe_check(page) if self._javascript else self._check_without_javascript(page))
        self._context.close(**kwargs)


class AuditedBrowser:
    """The session's browser, handing out audited contexts (see module docstring)."""

    def __init__(self, browser):
        self._browser = browser
        self.contexts: list[AuditedContext] = []
        self.violations: list[Violation] = []

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **kwargs) -> AuditedContext:
        context = AuditedContext(
            self._browser.new_context(**kwargs),
            self.violations,
            browser=self._browser,
            javascript=kwargs.get("java_script_enabled", True),
        )
        self.contexts.append(context)
        return context

    def finish(self) -> list[Violation]:
        for context in self.contexts:
            context.close()
        return self.violations


def violations_report(violations: list[Violation]) -> str:
    return "axe-core found accessibility violations:\n" + "\n".join(str(v) for v in violations)
