// Lighthouse scores of the built app (run by hand, not in CI): performance, accessibility, best
// practices and SEO, on the mobile and the desktop preset, for the home screen (a first visit: no
// data) and an inspection screen (a construction inspection in IndexedDB, opened by its URL), each
// served (a) by lib/server.mjs with the .br / .gz siblings the build wrote (scripts/serve-web.sh,
// and what nginx gzip_static / brotli_static or Caddy's precompressed send) and (b) uncompressed,
// as a plain static server sends it. Lighthouse resets the service worker, the Cache Storage and
// the HTTP cache before every run (not IndexedDB), so every run is a first load from the network,
// throttled as its preset says (mobile: simulated slow 4G and a 4× slower CPU).
//
// node tests/browser/lighthouse.mjs [--runs N] [--why] [--json DIR]
//   after `trunk build --release --offline` (ZICHA_DIST names another build). --runs: the median
//   of N runs per line (default 1; scores vary by a few points between runs); --why: the audits
//   that cost points; --json: every report as DIR/<screen>-<preset>-<server>-<run>.json.
//
// Lighthouse (npm, devDependency, version 12 for Node 20) drives /usr/bin/chromium through its own
// chrome-launcher; nothing is downloaded at run time.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import * as chromeLauncher from "chrome-launcher";
import { chromium } from "playwright-core";
import { CHROMIUM, DIST, FLAGS, requireBuild, openApp, setUpProfileAndProject, newInspection } from "./lib/harness.mjs";
import { startServer } from "./lib/server.mjs";

const argument = (name) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const RUNS = Number(argument("--runs") ?? 1);
const WHY = process.argv.includes("--why");
const JSON_DIR = argument("--json");
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const PRESETS = { mobile: undefined, desktop: desktopConfig };

requireBuild();
if (JSON_DIR) mkdirSync(JSON_DIR, { recursive: true });

const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  chromeFlags: FLAGS.filter((flag) => flag !== "--headless").concat("--headless=new"),
});

/** Puts a construction inspection into the IndexedDB of `server`'s origin; returns its id. */
async function seedInspection(server) {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
  try {
    const page = await browser.contexts()[0].newPage();
    await openApp(page, server.url);
    await setUpProfileAndProject(page);
    const id = await newInspection(page, "construction");
    await page.close();
    return id;
  } finally {
    // Connected, not launched: this only disconnects.
    await browser.close();
  }
}

/** One Lighthouse run: the category scores (0–100), the main metrics and the lost points. */
async function audit(url, preset, name) {
  const flags = { port: chrome.port, output: "json", logLevel: "error", onlyCategories: CATEGORIES };
  const { lhr, report } = await lighthouse(url, flags, PRESETS[preset]);
  if (JSON_DIR) writeFileSync(join(JSON_DIR, `${name}.json`), report);
  const scores = Object.fromEntries(CATEGORIES.map((id) => [id, Math.round((lhr.categories[id].score ?? 0) * 100)]));
  const metric = (id) => lhr.audits[id]?.displayValue ?? "–";
  const metrics = {
    FCP: metric("first-contentful-paint"),
    LCP: metric("largest-contentful-paint"),
    TBT: metric("total-blocking-time"),
    CLS: metric("cumulative-layout-shift"),
    SI: metric("speed-index"),
  };
  const lost = [];
  for (const id of CATEGORIES) {
    for (const ref of lhr.categories[id].auditRefs) {
      const result = lhr.audits[ref.id];
      const counts = ref.weight > 0 || result.details?.type === "opportunity";
      if (counts && result.score !== null && result.score < 1 && result.scoreDisplayMode !== "informative") {
        lost.push(`${id}: ${result.id} ${result.displayValue ?? ""} (${Math.round(result.score * 100)})`);
      }
    }
  }
  return { scores, metrics, lost };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const rows = [];
try {
  for (const encoding of ["precompressed", "none"]) {
    const server = await startServer(DIST, { encoding });
    try {
      // Home first, while the origin has no data; then the inspection screen of seeded data.
      const screens = [["home", () => server.url]];
      screens.push(["inspection", async () => `${server.url}#/inspection/${await seedInspection(server)}`]);
      for (const [screen, urlOf] of screens) {
        const url = await urlOf();
        for (const preset of Object.keys(PRESETS)) {
          const runs = [];
          for (let run = 0; run < RUNS; run++) {
            runs.push(await audit(url, preset, `${screen}-${preset}-${encoding}-${run}`));
          }
          const byPerformance = [...runs].sort((a, b) => a.scores.performance - b.scores.performance);
          const middle = byPerformance[Math.floor(runs.length / 2)];
          const row = {
            screen,
            preset,
            server: encoding === "none" ? "plain" : "precompressed",
            ...Object.fromEntries(CATEGORIES.map((id) => [id, median(runs.map((r) => r.scores[id]))])),
            ...middle.metrics,
            runs: runs.map((r) => r.scores.performance).join(" "),
          };
          rows.push(row);
          console.error(`${screen} ${preset} ${row.server}: ${CATEGORIES.map((id) => `${id} ${row[id]}`).join(", ")}`);
          if (WHY) for (const line of middle.lost) console.error(`    ${line}`);
        }
      }
    } finally {
      await server.close();
    }
  }
} finally {
  await chrome.kill();
}

const columns = ["screen", "preset", "server", ...CATEGORIES, "FCP", "LCP", "TBT", "CLS", "SI", "runs"];
const titles = { performance: "perf", accessibility: "a11y", "best-practices": "bp", seo: "seo", runs: "perf of each run" };
const table = [columns.map((c) => titles[c] ?? c), ...rows.map((row) => columns.map((c) => String(row[c])))];
const widths = columns.map((_, i) => Math.max(...table.map((line) => line[i].length)));
console.log(`Lighthouse ${lighthouse.version ?? "12"} (${DIST}), ${RUNS} run(s) per line, median:`);
for (const line of table) console.log(line.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd());
