// Issue 18, first load: the first screen needs no checklist (the new-inspection form offers them
// from the index in index.html); opening an inspection fetches its checklist and no other; once the
// service worker is ready, every checklist opens with the server stopped. The server sends the
// build's precompressed siblings with Content-Encoding.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import http from "node:http";
import {
  requireBuild, DIST, launch, openApp, waitLoaded, setUpProfileAndProject, newInspection, checklistIndex, foreignRequests,
} from "../lib/harness.mjs";
import { startServer, acceptedEncodings } from "../lib/server.mjs";

const index = checklistIndex();
const isChecklistJson = (path) => /\/checklists\/[a-z0-9-]+-[0-9a-f]{16}\.json$/.test(path);

let server;
before(async () => {
  requireBuild();
  server = await startServer(DIST);
});
after(async () => {
  await server?.close();
});

/** The checklist JSON files the server was asked for since log entry `from`. */
const jsonServed = (from = 0) => server.log.slice(from).map((entry) => entry.path).filter(isChecklistJson);

test("the first screen is drawn from the index alone; an inspection fetches only its checklist", async () => {
  const browser = await launch({ width: 390, height: 844 });
  try {
    const { page, context, errors } = browser;
    // No service worker here: every request the server sees is the page's own.
    await context.route(/\/sw\.js$/, (route) => route.fulfill({ status: 404, body: "" }));
    const from = server.log.length;
    await openApp(page, server.url);
    await page.waitForSelector("#new-checklist option", { state: "attached" });
    const offered = await page.$$eval("#new-checklist option", (options) =>
      options.filter((o) => o.value).map((o) => [o.value, o.textContent]),
    );
    // Every checklist of the index, construction first, named by sector and title.
    assert.deepEqual(offered.map(([id]) => id), index.map((entry) => entry.id));
    assert.equal(offered[0][0], "construction");
    const school = index.find((entry) => entry.id === "school");
    assert.ok(offered.find(([id]) => id === "school")[1].includes(school.title_zh), offered.join("; "));
    assert.deepEqual(jsonServed(from), [], "no checklist before the first screen");

    // Opening an inspection of one checklist fetches that checklist, once.
    const beforeStart = server.log.length;
    const id = await newInspection(page, "school");
    assert.ok((await page.locator("article.item").count()) > 0);
    assert.deepEqual(jsonServed(beforeStart), [`/${school.json}`]);

    // Home lists the inspection with its title and progress, from the checklist already loaded.
    const beforeHome = server.log.length;
    await page.evaluate(() => {
      location.hash = "#/";
    });
    await page.waitForSelector(`[data-inspection="${id}"]`);
    assert.match(await page.textContent(`[data-inspection="${id}"] .inspection-title`), new RegExp(school.title_zh));
    assert.deepEqual(jsonServed(beforeHome), [], "nothing fetched twice");

    // A fresh start on the inspection's URL: its checklist, and no other.
    await page.goto("about:blank");
    const beforeReload = server.log.length;
    await page.goto(`${server.url}#/inspection/${id}`);
    await waitLoaded(page);
    await page.waitForSelector(".page.inspection article.item");
    assert.deepEqual(jsonServed(beforeReload), [`/${school.json}`]);
    // Only the refused service worker's script (once per start).
    assert.deepEqual(errors.filter((error) => !/bad HTTP response code \(404\) .* fetching the script/.test(error)), []);
  } finally {
    await browser.close();
  }
});

test("once the service worker is ready, every checklist opens with the server stopped", async () => {
  const offlineServer = await startServer(DIST);
  const browser = await launch({ width: 390, height: 844 });
  try {
    const { page, context, requests, errors } = browser;
    await openApp(page, offlineServer.url);
    await setUpProfileAndProject(page);
    // Ready = installed: the shell and, after it, every checklist are in its cache.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const cache = await caches.open(names.find((n) => n.startsWith("zicha-")));
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    for (const entry of index) {
      assert.ok(cached.some((path) => path.endsWith(`/${entry.json}`)), `${entry.json} cached`);
    }
    // The page itself fetched none: the first screen did not need one.
    const pageFetched = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname));
    assert.deepEqual(pageFetched.filter(isChecklistJson), []);

    await offlineServer.close();
    await context.setOffline(true);
    const served = offlineServer.log.length;
    for (const entry of index) {
      await page.goto(`${offlineServer.url}#/`);
      await waitLoaded(page);
      const id = await newInspection(page, entry.id);
      assert.equal(await page.getAttribute(".page.inspection", "data-inspection"), id);
      assert.ok((await page.locator("article.item").count()) > 0, entry.id);
    }
    assert.equal(await page.locator('[data-kind="ChecklistsFailed"]').count(), 0);
    assert.equal(offlineServer.log.length, served, "nothing reached the stopped server");
    assert.deepEqual(foreignRequests(requests, offlineServer.origin), []);
    assert.deepEqual(errors.filter((error) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(error)), []);
  } finally {
    await browser.close();
    await offlineServer.close();
  }
});

test("a first visit paints its largest text (the splash) before the wasm arrives", async () => {
  // A phone on a slow network (as Lighthouse's mobile preset): the splash in index.html (header,
  // navigation, the introduction) is the largest paint; the app draws the same introduction in the
  // same place, and the offline-ready status appears in the header without moving anything.
  const browser = await launch({ width: 412, height: 823 });
  try {
    const { page, context } = browser;
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
    });
    await page.addInitScript(() => {
      window.__shifts = [];
      window.__lcp = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          window.__shifts.push({ value: entry.value, nodes: entry.sources.map((s) => s.node?.nodeName + "." + (s.node?.className ?? "")) });
        }
      }).observe({ type: "layout-shift", buffered: true });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          window.__lcp.push({ time: entry.startTime, size: entry.size, element: `${entry.element?.nodeName}.${entry.element?.className}`, splash: !!entry.element?.closest("#zicha-splash") });
        }
      }).observe({ type: "largest-contentful-paint", buffered: true });
    });
    await page.goto(server.url);
    await page.waitForSelector("#offline-status", { timeout: 120_000 });
    const { shifts, lcp, wasmEnd } = await page.evaluate(() => ({
      shifts: window.__shifts,
      lcp: window.__lcp,
      wasmEnd: performance.getEntriesByType("resource").find((e) => /zicha-web-[0-9a-f]+_bg\.wasm$/.test(e.name))?.responseEnd,
    }));
    const moved = shifts.reduce((sum, shift) => sum + shift.value, 0);
    console.log(`# first visit: largest paint ${JSON.stringify(lcp.at(-1))}, wasm arrived at ${Math.round(wasmEnd)} ms, layout shift ${moved.toFixed(4)}`);
    // Nothing moves from the splash to the app being ready offline (that status appears in the
    // header's free space; as a notice above the page it pushed everything down: 0.093).
    assert.ok(moved < 0.01, `layout shift ${moved.toFixed(4)}: ${JSON.stringify(shifts)}`);
    const largest = lcp.at(-1);
    assert.ok(largest.splash && largest.element === "P.intro", `largest paint: ${JSON.stringify(lcp)}`);
    assert.ok(largest.time < wasmEnd, `painted at ${largest.time} ms, before the wasm arrived at ${wasmEnd} ms`);
    // The app's own page opens with the splash's words (i18n T::Intro and index.html agree).
    const splash = readFileSync(join(DIST, "index.html"), "utf8").match(/<p class="?intro"?>([^<]+)<\/p>/)[1];
    assert.equal(await page.textContent("main .page.first-run .intro"), splash);
  } finally {
    await browser.close();
  }
});

test("on a laptop too, nothing moves from the splash to the app being ready offline", async () => {
  // At 1280 px the header is one row (brand, navigation, status chips): the navigation follows
  // the brand and the free space lies after it, so 「✓ 可离线」 appearing beside the save status
  // moves nothing (before, the navigation slid left by the chip's width).
  const browser = await launch({ width: 1280, height: 900 });
  try {
    const { page } = browser;
    await page.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          window.__shifts.push({ value: entry.value, nodes: entry.sources.map((s) => s.node?.nodeName + "." + (s.node?.className ?? "")) });
        }
      }).observe({ type: "layout-shift", buffered: true });
    });
    await page.goto(server.url);
    await page.waitForSelector("#offline-status", { timeout: 120_000 });
    const shifts = await page.evaluate(() => window.__shifts);
    const moved = shifts.reduce((sum, shift) => sum + shift.value, 0);
    console.log(`# first visit at 1280 px: layout shift ${moved.toFixed(4)}`);
    assert.ok(moved < 0.001, `layout shift ${moved.toFixed(4)}: ${JSON.stringify(shifts)}`);
    const [nav, chip, save] = await Promise.all(
      [".main-nav", "#offline-status", "#save-status"].map((selector) => page.locator(selector).boundingBox()),
    );
    assert.ok(nav.x + nav.width < chip.x && chip.x + chip.width <= save.x, "navigation, then the chip, then the save status");
  } finally {
    await browser.close();
  }
});

/** GET `path` from the server with `accept` as Accept-Encoding: status, headers and raw body. */
function get(path, accept) {
  return new Promise((resolve, reject) => {
    const headers = accept === undefined ? {} : { "accept-encoding": accept };
    http
      .get(new URL(path, server.url), { headers }, (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

test("the build writes .br and .gz siblings, and the server sends the one the request accepts", async () => {
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const wasm = html.match(/zicha-web-[0-9a-f]+_bg\.wasm/)[0];
  const school = index.find((entry) => entry.id === "school");
  for (const file of [wasm, "index.html", "sw.js", school.json, school.source]) {
    const original = readFileSync(join(DIST, file));
    for (const [ext, decode] of [[".br", brotliDecompressSync], [".gz", gunzipSync]]) {
      assert.ok(existsSync(join(DIST, file + ext)), `${file}${ext}`);
      const sibling = readFileSync(join(DIST, file + ext));
      assert.ok(sibling.length < original.length, `${file}${ext} is smaller`);
      assert.deepEqual(decode(sibling), original, `${file}${ext} holds the file`);
    }
  }
  // Not compressed again: PNG icons, the gzip-compressed font.
  assert.equal(existsSync(join(DIST, "icons/icon-192.png.gz")), false);

  const original = readFileSync(join(DIST, wasm));
  const cases = [
    ["gzip, deflate, br, zstd", "br", join(DIST, `${wasm}.br`)],
    ["gzip, deflate", "gzip", join(DIST, `${wasm}.gz`)],
    ["br;q=0, gzip", "gzip", join(DIST, `${wasm}.gz`)],
    ["identity", undefined, join(DIST, wasm)],
    [undefined, undefined, join(DIST, wasm)],
  ];
  for (const [accept, encoding, file] of cases) {
    const response = await get(`/${wasm}`, accept);
    assert.equal(response.status, 200);
    assert.equal(response.headers["content-encoding"], encoding, `Accept-Encoding: ${accept}`);
    assert.equal(response.headers["content-type"], "application/wasm");
    assert.equal(response.headers.vary, "accept-encoding");
    assert.deepEqual(response.body, readFileSync(file), `Accept-Encoding: ${accept}`);
  }
  assert.deepEqual(brotliDecompressSync((await get(`/${wasm}`, "br")).body), original);
  assert.deepEqual(acceptedEncodings("gzip;q=0.5, br;q=0, zstd"), ["gzip", "zstd"]);

  // The plain server compresses nothing.
  const plain = await startServer(DIST, { encoding: "none" });
  try {
    const response = await new Promise((resolve) =>
      http.get(new URL(`/${wasm}`, plain.url), { headers: { "accept-encoding": "br, gzip" } }, (r) => {
        const chunks = [];
        r.on("data", (c) => chunks.push(c));
        r.on("end", () => resolve({ headers: r.headers, body: Buffer.concat(chunks) }));
      }),
    );
    assert.equal(response.headers["content-encoding"], undefined);
    assert.deepEqual(response.body, original);
  } finally {
    await plain.close();
  }
});
