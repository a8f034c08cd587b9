// The checklists are data files fetched at start-up (not compiled into the wasm): every one the
// build lists is offered for a new inspection, and a file that cannot be loaded is named in an
// error the user sees, while the rest of the app still starts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { requireBuild, DIST, launch, openApp } from "../lib/harness.mjs";
import { startServer } from "../lib/server.mjs";

let server;
before(async () => {
  requireBuild();
  server = await startServer(DIST);
});
after(async () => {
  await server?.close();
});

const listed = [...readFileSync(join(DIST, "index.html"), "utf8").matchAll(/data-checklist="([^"]+)"/g)].map(
  (match) => match[1],
);

test("every checklist the build lists is offered, construction first", async () => {
  assert.ok(listed.length >= 14, `index.html lists ${listed.length} checklists`);
  const browser = await launch();
  try {
    const { page, errors } = browser;
    await openApp(page, server.url);
    const offered = await page.$$eval("#new-checklist option", (options) => options.map((o) => o.value).filter(Boolean));
    assert.deepEqual(offered, listed);
    assert.equal(offered[0], "construction");
    assert.equal(await page.locator('[data-kind="ChecklistsFailed"]').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test("a checklist that cannot be loaded is named in an error; the others still work", async () => {
  const browser = await launch();
  try {
    const { page, context } = browser;
    await context.route(/\/checklists\/school-[0-9a-f]+\.toml$/, (route) => route.fulfill({ status: 404, body: "" }));
    await openApp(page, server.url);
    const notice = page.locator('[data-kind="ChecklistsFailed"]');
    await notice.waitFor();
    const text = await notice.textContent();
    assert.match(text, /无法载入检查表/);
    assert.match(text, /school-[0-9a-f]+\.toml: HTTP 404/);
    const offered = await page.$$eval("#new-checklist option", (options) => options.map((o) => o.value).filter(Boolean));
    assert.deepEqual(offered, listed.filter((stem) => stem !== "school"));
  } finally {
    await browser.close();
  }
});
