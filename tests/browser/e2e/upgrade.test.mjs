// Issue 19 §2: every IndexedDB version of the `zicha` database ever shipped (1, 2 and 3:
// web/src/services/db.rs) upgrades to the current one with its data intact, and the verify page's
// `zicha-inbox` (version 1, its only one so far: services/inbox.rs) opens as stored. Each fixture
// (fixtures/idb-vN.json, written to that version's schema by fixtures/make-idb.py) is loaded into a
// fresh browser before the app opens; then the app shows every record, the database is at the
// current version with all its stores, and every stored value is still byte for byte what the old
// version wrote (opening never rewrites a record).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { appUnderTest, openApp, waitLoaded, checklistIndex } from "../lib/harness.mjs";

const app = appUnderTest();
const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../fixtures");
/** The database version this build opens (services/db.rs DB_VERSION) and its stores. */
const CURRENT = 3;
const STORES = ["checklists", "hazards", "inspections", "keys", "meta", "pads", "photos", "projects"];

/** The fixture of version `n`, with "@fire-safety" made the build's own reference to it. */
function fixture(n) {
  const fire = checklistIndex().find((entry) => entry.id === "fire-safety");
  const reference = JSON.stringify({ id: fire.id, version: fire.version, hash: fire.hash });
  const text = readFileSync(join(fixtures, `idb-v${n}.json`), "utf8").replaceAll('\\"@fire-safety\\"', reference.replaceAll('"', '\\"'));
  return JSON.parse(text);
}

/** Opens a page of the origin that does not start the app (the manifest: the service worker,
 * installed by the first test, gives a navigation to any file but the app's own document that
 * file), so that nothing opens the database while a test deletes it and writes an old version. */
async function holdOrigin(page) {
  await page.goto(app.server.url + "manifest.webmanifest");
  assert.notEqual(await page.evaluate(() => document.contentType), "text/html", "the manifest page is not the app");
}

/** Writes `dump` as IndexedDB holds it: its version, its stores, its values (Blobs and bytes). */
const load = (page, dump) =>
  page.evaluate(
    (dump) =>
      new Promise((resolve, reject) => {
        const value = (v) => {
          if (v && typeof v === "object" && v.$blob) {
            const bytes = Uint8Array.from(atob(v.$blob.base64), (c) => c.charCodeAt(0));
            return new Blob([bytes], { type: v.$blob.type });
          }
          if (v && typeof v === "object" && v.$bytes !== undefined) return Uint8Array.from(atob(v.$bytes), (c) => c.charCodeAt(0));
          if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)]));
          return v;
        };
        const open = indexedDB.open(dump.database, dump.version);
        open.onupgradeneeded = () => {
          for (const store of Object.keys(dump.stores)) open.result.createObjectStore(store);
        };
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(Object.keys(dump.stores), "readwrite");
          for (const [store, records] of Object.entries(dump.stores)) {
            for (const [key, v] of records) tx.objectStore(store).put(value(v), key);
          }
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onabort = () => reject(tx.error);
        };
      }),
    dump,
  );

/** The database as it is now: version, stores, and each record as text (Blobs and bytes as
 * base64, as in the fixtures). */
const read = (page, name = "zicha") =>
  page.evaluate(
    (name) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = async () => {
          const db = open.result;
          const stores = [...db.objectStoreNames];
          const base64 = async (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
          const plain = async (v) => {
            if (v instanceof Blob) return { $blob: { type: v.type, base64: await base64(await v.arrayBuffer()) } };
            if (v instanceof Uint8Array) return { $bytes: await base64(v) };
            if (v && typeof v === "object") {
              const out = {};
              for (const [k, x] of Object.entries(v)) out[k] = await plain(x);
              return out;
            }
            return v;
          };
          const records = {};
          for (const store of stores) {
            const request = db.transaction(store).objectStore(store).openCursor();
            const rows = [];
            await new Promise((done) => {
              request.onsuccess = () => {
                const cursor = request.result;
                if (!cursor) return done();
                rows.push([cursor.key, cursor.value]);
                cursor.continue();
              };
            });
            records[store] = [];
            for (const [key, v] of rows) records[store].push([key, await plain(v)]);
          }
          db.close();
          resolve({ version: db.version, stores: stores.sort(), records });
        };
      }),
    name,
  );

const sorted = (rows) => [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Loads fixture `version` before the app opens, then checks what the app shows and stores. */
async function upgrades(version) {
  const { context } = app.browser;
  const page = await context.newPage();
  try {
    const dump = fixture(version);
    // A page of the origin that does not start the app: the database as that version left it.
    await holdOrigin(page);
    // (The previous test's database goes first: deleting waits until its page has let go of it.)
    await page.evaluate(() => new Promise((done) => { const r = indexedDB.deleteDatabase("zicha"); r.onsuccess = r.onerror = () => done(); }));
    await load(page, dump);

    await openApp(page, app.server.url);
    // The language, the profile, both projects (one a bare schema-0 record) and the inspections.
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assert.equal(await page.inputValue("#org-name"), "闽江建设工程有限公司");
    const projects = await page.locator("li.project").allTextContents();
    assert.ok(projects.some((text) => text.includes("闽江安置房二期工程3#楼")), projects.join(" | "));
    assert.ok(projects.some((text) => text.includes("开发版留下的项目")), projects.join(" | "));
    assert.equal(await page.locator(".inspection-row").count(), version === 3 ? 2 : 1);
    // The answers and the photo of the first inspection (fire safety, section 2: 疏散).
    await page.goto(`${app.server.url}#/inspection/I-20261120-3fa2c1d0/1`);
    await page.waitForSelector("#item-ev-01");
    assert.equal(await page.getAttribute('#item-ev-01 [data-choice="nonconform"]', "aria-pressed"), "true");
    assert.equal(await page.getAttribute('#item-ev-02 [data-choice="conform"]', "aria-pressed"), "true");
    assert.equal(await page.getAttribute('#item-ev-03 [data-choice="na"]', "aria-pressed"), "true");
    assert.equal(await page.inputValue("#item-ev-01-note"), "应急照明灯不亮");
    await page.waitForFunction(() => {
      const img = document.querySelector('#item-ev-01 .answer-details li.thumb img');
      return img?.complete && img.naturalWidth === 64;
    });
    // The hazard with its status and history.
    await page.goto(`${app.server.url}#/ledger`);
    await page.waitForSelector("#hz-H-2026-001");
    assert.equal(await page.getAttribute("#hz-H-2026-001", "data-status"), "InProgress");
    await page.click("#hz-H-2026-001-open");
    await page.waitForSelector("#hz-H-2026-001-measures");
    assert.equal(await page.inputValue("#hz-H-2026-001-measures"), "更换应急照明灯");
    assert.match(await page.textContent("#hz-H-2026-001 .history"), /已安排电工/);
    if (version >= 2) {
      await page.goto(`${app.server.url}#/keys`);
      await page.waitForSelector('li.key-card[data-key="K-5e6f7a8b"]');
      assert.match(await page.textContent('li.key-card[data-key="K-5e6f7a8b"]'), /李海燕/);
    }
    if (version >= 3) {
      await page.goto(`${app.server.url}#/checklists`);
      await page.waitForSelector('#checklists-imported tr[data-checklist="own-fixture"]');
      await page.goto(`${app.server.url}#/inspection/I-20261205-7c8d9e0f`);
      await page.waitForSelector("#item-tgt-01");
      assert.equal(await page.getAttribute('#item-tgt-01 [data-choice="conform"]', "aria-pressed"), "true");
    }

    // The database: the current version, every store, and every value as it was written.
    await page.reload();
    await waitLoaded(page);
    const now = await read(page);
    assert.equal(now.version, CURRENT);
    assert.deepEqual(now.stores, STORES);
    for (const [store, rows] of Object.entries(dump.stores)) {
      assert.deepEqual(sorted(now.records[store]), sorted(rows), `store ${store}`);
    }
    for (const store of STORES.filter((name) => !(name in dump.stores))) {
      assert.deepEqual(now.records[store], [], `store ${store} is new and empty`);
    }
  } finally {
    await page.close();
  }
}

// One test( line each (scripts/test.d/40-browser.sh counts them).
test("a version-1 database opens at version 3 with its data intact", () => upgrades(1));
test("a version-2 database opens at version 3 with its data intact", () => upgrades(2));
test("a version-3 database opens at version 3 with its data intact", () => upgrades(3));

test("the inbox's version-1 database opens with its report and PDF intact", async () => {
  const { context } = app.browser;
  const page = await context.newPage();
  try {
    const dump = JSON.parse(readFileSync(join(fixtures, "inbox-v1.json"), "utf8"));
    const [[sha]] = dump.stores.reports;
    await holdOrigin(page);
    await page.evaluate(() => new Promise((done) => { const r = indexedDB.deleteDatabase("zicha-inbox"); r.onsuccess = r.onerror = () => done(); }));
    await load(page, dump);
    await openApp(page, `${app.server.url}#/verify`);
    await page.waitForSelector('#inbox[data-loaded="true"][data-total="1"]', { timeout: 30_000 });
    const row = page.locator(`tr.inbox-row[data-sha="${sha}"]`);
    assert.equal(await row.getAttribute("data-verdict"), "valid");
    assert.equal(await row.getAttribute("data-file"), "闽江安置房二期-自查报告.pdf");
    assert.match(await row.textContent(), /闽江建设工程有限公司/);
    const now = await read(page, "zicha-inbox");
    assert.equal(now.version, 1);
    assert.deepEqual(now.stores, ["pdfs", "reports"]);
    for (const [store, rows] of Object.entries(dump.stores)) assert.deepEqual(now.records[store], rows, `store ${store}`);
  } finally {
    await page.close();
  }
});
