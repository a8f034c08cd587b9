// The checklists are data files (not compiled into the wasm): the build writes each as the JSON of
// the linted TOML (crates/prebuild) and their index into index.html. Every one the index lists is
// offered for a new inspection; a checklist is fetched when an inspection of it is opened, and a
// file that cannot be loaded or read is named in an error the user sees, while the other
// checklists still work. The TOML text, which exported bundles embed, is fetched from the index's
// `source` when an export needs it, and refused unless it has the recorded hash.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { requireBuild, DIST, launch, openApp, newInspection, ensureProfile, download, checklistIndex, zipEntry } from "../lib/harness.mjs";
import { startServer } from "../lib/server.mjs";

let server;
before(async () => {
  requireBuild();
  server = await startServer(DIST);
});
after(async () => {
  await server?.close();
});

const links = checklistIndex().map((entry) => ({ stem: entry.id, json: entry.json, toml: entry.source, entry }));
const listed = links.map((link) => link.stem);

test("the build lists each checklist's JSON with its TOML; the service worker caches both after the shell", () => {
  assert.ok(listed.length >= 14, `index.html lists ${listed.length} checklists`);
  const sw = readFileSync(join(DIST, "sw.js"), "utf8");
  const precache = JSON.parse(sw.match(/const PRECACHE = (\[[\s\S]*?\]);/)[1]);
  const lazy = JSON.parse(sw.match(/const LAZY = (\[[\s\S]*?\]);/)[1]);
  for (const { stem, json, toml, entry } of links) {
    assert.match(json ?? "", new RegExp(`^checklists/${stem}-[0-9a-f]{16}\\.json$`), stem);
    assert.match(toml ?? "", new RegExp(`^checklists/${stem}-[0-9a-f]{16}\\.toml$`), stem);
    assert.ok(existsSync(join(DIST, json)) && existsSync(join(DIST, toml)), stem);
    // The JSON is the parsed checklist, with the id, version and hash the index lists.
    const checklist = JSON.parse(readFileSync(join(DIST, json), "utf8"));
    assert.deepEqual([checklist.id, checklist.version, checklist.hash], [stem, entry.version, entry.hash]);
    assert.match(checklist.hash, /^[0-9a-f]{64}$/);
    assert.equal(entry.sections, checklist.sections.length, stem);
    assert.equal(entry.items, checklist.sections.reduce((n, section) => n + section.items.length, 0), stem);
    assert.deepEqual([entry.sector, entry.title_zh, entry.title_en], [checklist.sector, checklist.title_zh, checklist.title_en]);
    // Neither is needed for the first screen: both are cached after the shell.
    assert.ok(!precache.includes(json) && lazy.includes(json), `${json} is cached after the shell`);
    assert.ok(!precache.includes(toml) && lazy.includes(toml), `${toml} is cached after the shell`);
  }
  assert.equal(existsSync(join(DIST, "checklists-json")), false, "the prebuild folder is gone");
  assert.doesNotMatch(readFileSync(join(DIST, "index.html"), "utf8"), /rel="preload"[^>]*\.json/, "no checklist is preloaded");
});

test("every checklist the build lists is offered, construction first", async () => {
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

/** Starts an inspection of `stem` without waiting for its screen (which may not come). */
async function startInspection(page, stem) {
  await ensureProfile(page);
  await page.selectOption("#new-checklist", stem);
  await page.fill("#new-inspectors", "李海燕");
  await page.click("#start-inspection");
  await page.waitForFunction(() => location.hash.startsWith("#/inspection/"));
}

test("a checklist that cannot be loaded is named in an error when opened; the others still work", async () => {
  const browser = await launch();
  try {
    const { page, context } = browser;
    await context.route(/\/checklists\/school-[0-9a-f]+\.json$/, (route) => route.fulfill({ status: 404, body: "" }));
    await openApp(page, server.url);
    // The index offers it: nothing is fetched before an inspection of it is opened.
    const offered = await page.$$eval("#new-checklist option", (options) => options.map((o) => o.value).filter(Boolean));
    assert.deepEqual(offered, listed);
    assert.equal(await page.locator('[data-kind="ChecklistsFailed"]').count(), 0);
    await startInspection(page, "school");
    const notice = page.locator('[data-kind="ChecklistsFailed"]');
    await notice.waitFor();
    const text = await notice.textContent();
    assert.match(text, /无法载入检查表/);
    assert.match(text, /school-[0-9a-f]+\.json: HTTP 404/);
    // Not loading any more: the screen says the inspection cannot be shown.
    await page.waitForFunction(() => document.querySelector("main .page p.card")?.textContent === "找不到这次检查。");
    assert.equal(await page.locator(".page.inspection").count(), 0);
    await page.goto(server.url);
    await newInspection(page, "fire-safety");
    assert.ok((await page.locator("article.item").count()) > 0);
  } finally {
    await browser.close();
  }
});

test("a checklist file that is not the JSON of a checklist is named with line and column", async () => {
  const browser = await launch();
  try {
    const { page, context } = browser;
    await context.route(/\/checklists\/school-[0-9a-f]+\.json$/, (route) =>
      route.fulfill({ status: 200, contentType: "application/json", body: '{\n  "id": 3}' }),
    );
    await openApp(page, server.url);
    await startInspection(page, "school");
    const notice = page.locator('[data-kind="ChecklistsFailed"]');
    await notice.waitFor();
    assert.match(
      await notice.textContent(),
      /school-[0-9a-f]+\.json:2:9: json: invalid type: integer `3`, expected a string/,
    );
  } finally {
    await browser.close();
  }
});

test("an exported bundle embeds the checklist's TOML byte for byte", async () => {
  const school = links.find((link) => link.stem === "school");
  const browser = await launch();
  try {
    const { page, errors } = browser;
    await openApp(page, server.url);
    await newInspection(page, "school");
    await page.waitForSelector("#export-bundle");
    const bundle = readFileSync((await download(page, "#export-bundle")).path);
    assert.deepEqual(zipEntry(bundle, "checklist.toml"), readFileSync(join(DIST, school.toml)));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test("an export refuses a checklist text with another hash than the inspection records", async () => {
  const school = links.find((link) => link.stem === "school");
  const browser = await launch();
  try {
    const { page, context } = browser;
    // No service worker, whose cache would answer before the route.
    await context.route(/\/sw\.js$/, (route) => route.fulfill({ status: 404, body: "" }));
    await context.route(/\/checklists\/school-[0-9a-f]+\.toml$/, (route) =>
      route.fulfill({ status: 200, body: `${readFileSync(join(DIST, school.toml), "utf8")}\n# changed\n` }),
    );
    await openApp(page, server.url);
    await newInspection(page, "school");
    await page.waitForSelector("#export-bundle");
    await page.click("#export-bundle");
    const notice = page.locator('[data-kind="ExportFailed"]');
    await notice.waitFor();
    assert.match(
      await notice.textContent(),
      /school-[0-9a-f]+\.toml: the text has hash [0-9a-f]{12}, but the inspection refers to school \S+ with hash [0-9a-f]{12}/,
    );
  } finally {
    await browser.close();
  }
});
