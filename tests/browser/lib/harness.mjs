// Shared helpers of the browser tests: Debian Chromium through playwright-core (which never
// downloads a browser) with a fresh profile per test, the dist/ server, and UI steps.
import { mkdtemp, rm, mkdir, writeFile } from "node:fs/promises";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync, inflateRawSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { startServer } from "./server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
export const DIST = process.env.ZICHA_DIST ?? join(root, "dist");
export const ZICHA_BIN =
  process.env.ZICHA_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(root, "target"), "debug/zicha");
export const ARTIFACTS = join(root, "tests/artifacts");
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** A valid 统一社会信用代码 (its check character is 3) and the same code with a wrong one. */
export const CREDIT_CODE = "91350100M000100Y43";
export const WRONG_CREDIT_CODE = "91350100M000100Y44";

/**
 * The checklists a build lists in index.html (web/sw/post-build.mjs), construction first: each
 * zicha_core catalog::IndexEntry (id, version, hash, sector, titles, sections, items) with `json`
 * and `source`, the paths of its JSON and TOML in dist/ (without "./").
 */
export function checklistIndex(dist = DIST) {
  const index = readFileSync(join(dist, "index.html"), "utf8");
  const text = index.match(/<script type="application\/json" id="zicha-checklists">([^<]*)<\/script>/)?.[1];
  if (text === undefined) throw new Error(`${dist}/index.html has no #zicha-checklists`);
  return JSON.parse(text).map((entry) => ({ ...entry, json: entry.json.replace(/^\.\//, ""), source: entry.source.replace(/^\.\//, "") }));
}

export function requireBuild() {
  if (!existsSync(join(DIST, "index.html"))) {
    throw new Error(`${DIST}/index.html is missing: run \`trunk build --release\` first`);
  }
}

/**
 * The usual set-up of a test file: `before` its tests, dist/ is served and Chromium launched (with
 * `viewport`, see `launch`); `after` them, both stop, and the page errors and console errors
 * collected meanwhile must be none (but those matching `allowErrors`, a RegExp, for a file whose
 * tests cause some on purpose). The returned object holds `server` and `browser` once `before`
 * has run.
 */
export function appUnderTest(viewport, { allowErrors } = {}) {
  const app = { server: undefined, browser: undefined };
  before(async () => {
    requireBuild();
    app.server = BASE_URL ? externalServer(BASE_URL) : await startServer(DIST);
    app.browser = await launch(viewport);
  });
  after(async () => {
    const errors = (app.browser?.errors ?? []).filter((error) => !allowErrors?.test(error));
    await app.browser?.close();
    await app.server?.close();
    assert.deepEqual(errors, [], "page errors or console errors during the tests of this file");
  });
  return app;
}

/**
 * ZICHA_BASE_URL: the app as another server serves it (scripts/test.d/42-deploy.sh: nginx with
 * deploy/nginx/), for the tests that need only its URL (`app.server.url` and `.origin`; its log
 * stays empty, and it cannot be stopped or given another root).
 */
export const BASE_URL = process.env.ZICHA_BASE_URL;

function externalServer(base) {
  const url = new URL(base);
  return {
    url: url.href,
    origin: url.origin,
    log: [],
    setRoot() {
      throw new Error(`ZICHA_BASE_URL=${base}: another server's root cannot be changed`);
    },
    close: async () => {},
  };
}

/** Chromium with a fresh --user-data-dir; every request of the context is logged. */
export async function launch({ width = 1280, height = 900 } = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), "zicha-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: FLAGS,
    headless: true,
    viewport: { width, height },
    acceptDownloads: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
  });
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return {
    context,
    page,
    requests,
    errors,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** URLs of `requests` that leave `origin` (blob: and data: URLs stay in the page). */
export function foreignRequests(requests, origin) {
  return requests.filter((url) => !url.startsWith(origin + "/") && !/^(blob|data):/.test(url));
}

/** Opens the app and waits until its data is loaded from IndexedDB. */
export async function openApp(page, url) {
  await page.goto(url);
  await waitLoaded(page);
}

/**
 * Waits until `predicate`, run in the page with `arg`, returns a truthy value, and returns it.
 * For predicates that await (caches, IndexedDB): page.waitForFunction does not await a promise, so
 * an async predicate passes it at once (a Promise is truthy). A navigation meanwhile is retried;
 * on timeout the error says `what` and the predicate's last error.
 */
export async function waitUntil(page, predicate, arg, { timeout = 30_000, polling = 250, what = "the condition" } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await page.evaluate(predicate, arg);
      if (value) return value;
      last = undefined;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`waited ${timeout} ms for ${what}${last ? `: ${last.message}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, polling));
  }
}

/**
 * The app's next start after an update: `pages` (the running version's) are closed, and `url` is
 * opened once the browser has activated the waiting service worker. A page opened at once can still
 * be handed to the old worker, which the browser has not let go yet: a running app of the old
 * version, which rightly keeps the new one waiting. The worker versions are watched through the
 * DevTools protocol from the new page while it is blank. Returns the new page.
 */
export async function nextStart(context, pages, url, { timeout = 30_000 } = {}) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const status = new Map();
  cdp.on("ServiceWorker.workerVersionUpdated", ({ versions }) => {
    for (const version of versions) status.set(version.versionId, version.status);
  });
  await cdp.send("ServiceWorker.enable");
  for (const old of pages) await old.close();
  const alone = () => {
    const live = [...status.values()].filter((state) => state !== "redundant");
    return live.length === 1 && live[0] === "activated";
  };
  const deadline = Date.now() + timeout;
  while (!alone()) {
    if (Date.now() > deadline) throw new Error(`the new service worker was not activated in ${timeout} ms: ${[...status.values()]}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await cdp.send("ServiceWorker.disable");
  await cdp.detach();
  await openApp(page, url);
  return page;
}

export async function waitLoaded(page) {
  await page.waitForSelector('#save-status[data-loaded="true"]', { timeout: 30_000 });
}

async function written(page) {
  return Number(await page.getAttribute("#save-status", "data-written"));
}

/** Runs `step` (a UI change) and waits until its write to IndexedDB has finished. */
export async function saved(page, step) {
  const before = await written(page);
  await step();
  await page.waitForFunction(
    (count) => {
      const status = document.querySelector("#save-status");
      return Number(status.dataset.written) > count && status.dataset.pending === "0";
    },
    before,
    { timeout: 15_000 },
  );
}

/** Fills the enterprise profile and adds a project with its four parties. */
export async function setUpProfileAndProject(page) {
  await saved(page, () => page.fill("#org-name", "闽江建设工程有限公司"));
  await saved(page, () => page.fill("#org-credit-code", CREDIT_CODE));
  await saved(page, () => page.fill("#org-address", "福建省福州市鼓楼区五四路88号"));
  await saved(page, () => page.fill("#org-legal", "王建国"));
  await saved(page, () => page.fill("#org-safety-lead", "李海燕"));
  await page.fill("#new-project-name", "闽江安置房二期工程3#楼");
  await page.fill("#new-project-location", "福州市鼓楼区");
  await page.fill("#new-project-party-client", "福州城投集团");
  await page.fill("#new-project-party-design", "福建省建筑设计研究院");
  await page.fill("#new-project-party-contractor", "闽江建设工程有限公司");
  await page.fill("#new-project-party-supervisor", "福建工程监理有限公司");
  await saved(page, () => page.click("#add-project"));
}

/** Fills the enterprise profile's two required fields when they are empty. */
export async function ensureProfile(page) {
  await page.waitForSelector(".page.home");
  if ((await page.inputValue("#org-name")) === "") await saved(page, () => page.fill("#org-name", "闽江建设工程有限公司"));
  if ((await page.inputValue("#org-credit-code")) === "") await saved(page, () => page.fill("#org-credit-code", CREDIT_CODE));
}

/** Starts an inspection of `checklist` and returns its id (filling in the profile first if it is
 * empty: an inspection needs one). */
export async function newInspection(page, checklist = "construction") {
  await ensureProfile(page);
  await page.selectOption("#new-checklist", checklist);
  await page.fill("#new-inspectors", "李海燕，王伟");
  await saved(page, () => page.click("#start-inspection"));
  await page.waitForSelector(".page.inspection");
  return page.getAttribute(".page.inspection", "data-inspection");
}

/** Shows section `idx` (0-based) of the open inspection. */
export async function gotoSection(page, idx) {
  await page.selectOption("#section-select", String(idx));
  await page.waitForFunction(
    (n) => document.querySelector("#section-title")?.textContent.startsWith(`${n}. `),
    idx + 1,
  );
}

const tempDirs = [];
process.once("exit", () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory in the system's temp dir, removed when the test process exits (a 200-photo
 * bundle and its PDF are 210 MB: bigreport.test.mjs left them behind on every run). */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Clicks the download button `selector` and returns the file's path and name (in a temp dir
 * removed when the test process exits). */
export async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const path = join(tempDir("zicha-download-"), file.suggestedFilename());
  await file.saveAs(path);
  return { path, name: file.suggestedFilename() };
}

/** Writes a screenshot to tests/artifacts/. */
export async function screenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** `zicha score FILE --json --as-of DAY`. */
export function cliScore(file, asOf) {
  const output = execFileSync(ZICHA_BIN, ["score", file, "--json", "--as-of", asOf], { encoding: "utf8" });
  return JSON.parse(output);
}

/** A number printed like the app and the CLI: at most two decimals, no trailing zeros. */
export function fmt(value) {
  return value.toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A width × height RGB PNG with a gradient and a `seed`-dependent stripe, as a Buffer. */
export function png(width, height, seed = 0) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      const i = row + 1 + x * 3;
      const stripe = Math.floor(x / 97) % 7 === seed % 7;
      raw[i] = stripe ? 220 : (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = stripe ? 40 : 140;
    }
  }
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Adds a photo through the file input `selector` and waits until it is stored and shown. */
export async function addPhoto(page, inputSelector, stripSelector, bytes, name = "photo.png") {
  const before = Number(await page.getAttribute(stripSelector, "data-count"));
  await saved(page, () => page.setInputFiles(inputSelector, { name, mimeType: "image/png", buffer: bytes }));
  await page.waitForFunction(
    ([selector, count]) => Number(document.querySelector(selector)?.dataset.count) > count,
    [stripSelector, before],
  );
}

/** The ids of the inspections stored in IndexedDB (e.g. after importing a bundle). */
export async function storedInspectionIds(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("zicha");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction("inspections").objectStore("inspections").getAllKeys();
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result);
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

/** Every photo Blob in IndexedDB: key, MIME type, width and height. */
export async function storedPhotos(page) {
  return page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const request = indexedDB.open("zicha");
      request.onsuccess = () => ok(request.result);
      request.onerror = () => fail(request.error);
    });
    const store = db.transaction("photos").objectStore("photos");
    const [keys, blobs] = await Promise.all(
      ["getAllKeys", "getAll"].map(
        (method) =>
          new Promise((ok) => {
            const request = store[method]();
            request.onsuccess = () => ok(request.result);
          }),
      ),
    );
    const result = [];
    for (let i = 0; i < keys.length; i++) {
      const bitmap = await createImageBitmap(blobs[i]);
      result.push({ key: keys[i], type: blobs[i].type, width: bitmap.width, height: bitmap.height });
    }
    db.close();
    return result;
  });
}

/** The file `name` of a zip (stored or deflated), from its central directory. */
export function zipEntry(zip, name) {
  let end = zip.length - 22;
  while (zip.readUInt32LE(end) !== 0x06054b50) end -= 1;
  let at = zip.readUInt32LE(end + 16);
  for (let n = zip.readUInt16LE(end + 10); n > 0; n -= 1) {
    const nameLength = zip.readUInt16LE(at + 28);
    const entryName = zip.toString("utf8", at + 46, at + 46 + nameLength);
    if (entryName === name) {
      const local = zip.readUInt32LE(at + 42);
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + zip.readUInt32LE(at + 20));
      return zip.readUInt16LE(at + 10) === 8 ? inflateRawSync(data) : data;
    }
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return undefined;
}

export { writeFile };
