// Issue scenario 5: a request log shows no request leaving the origin, on every screen and for
// every action (photos, export, backup); and the Content-Security-Policy blocks any attempt.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  appUnderTest, openApp, saved, setUpProfileAndProject, newInspection, download, png, addPhoto, foreignRequests,
} from "../lib/harness.mjs";

// The test's own attempt to reach https://example.invalid, which the CSP blocks (and the console
// reports), is the only error allowed.
const app = appUnderTest(undefined, { allowErrors: /https:\/\/example\.invalid\/ping/ });

test("no request leaves the origin, and the CSP forbids it", async () => {
  const { page, requests, context } = app.browser;
  // Any request to another origin is recorded (and refused) here too.
  const routed = [];
  await context.route(
    (url) => !url.href.startsWith(app.server.origin),
    (route) => {
      routed.push(route.request().url());
      return route.abort();
    },
  );
  await openApp(page, app.server.url);
  await setUpProfileAndProject(page);
  await newInspection(page, "construction");
  const item = await page.locator("article.item").first().getAttribute("data-item");
  await saved(page, () => page.click(`#item-${item} [data-choice="conform"]`));
  await addPhoto(page, `#item-${item}-photos-file`, `#item-${item} .answer-details .photos`, png(800, 600, 1));
  await download(page, "#export-bundle");
  for (const hash of ["#/ledger", "#/settings"]) {
    await page.goto(app.server.url + hash);
    await page.waitForSelector('#save-status[data-loaded="true"]');
  }
  await download(page, "#backup");
  await page.click("#lang-en");
  await page.waitForSelector("html[lang=en]");
  assert.equal(await page.textContent('a.nav-link[href="#/settings"]'), "Settings");

  // The CSP refuses a connection to another origin before it is made.
  const blocked = await page.evaluate(async () => {
    const violations = [];
    document.addEventListener("securitypolicyviolation", (e) => violations.push(e.violatedDirective));
    let failed = false;
    try {
      await fetch("https://example.invalid/ping");
    } catch {
      failed = true;
    }
    await new Promise((r) => setTimeout(r, 100));
    return { failed, violations };
  });
  assert.equal(blocked.failed, true);
  assert.deepEqual(blocked.violations, ["connect-src"]);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  assert.match(csp, /connect-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|__ZICHA/);

  assert.ok(requests.length > 5, "requests were logged");
  assert.deepEqual(foreignRequests(requests, app.server.origin), [], "request log");
  assert.deepEqual(routed, [], "nothing was routed off the origin");
  const served = new Set(app.server.log.map((entry) => entry.path));
  assert.ok([...served].every((path) => !path.includes("..")));
});
