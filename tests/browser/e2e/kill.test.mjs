// Issue 19 §2, "No data loss under kills": while a user answers items, attaches photos and moves
// hazards through their statuses, the renderer is killed (CDP Page.crash) at a random moment, and
// every so often the whole browser process (SIGKILL). After each restart every change confirmed on
// screen before the kill (the save status said 已保存 after it: `saved` in lib/harness.mjs) is
// there, the one change in flight at the kill is there whole or not at all, every photo a record
// names can be shown, and no error is shown.
//
// A kill is cheap: the page is crashed and a new one opened in the same persistent context (the app
// comes from the service worker's cache); a browser kill relaunches Chromium on the same profile.
// ZICHA_KILLS sets the number of kills: the issue asks for 200, which took 260 s on the project's
// 2-core machine (2026-12-06, with services/db.rs's own write connection: 1.3 s a kill, 190 renderer
// and 10 browser kills, 270 confirmed changes all kept, 101 of 185 changes in flight kept whole and
// the others not at all), more than the ~4 minutes one browser test may take in CI; so CI runs 60
// (ZICHA_KILLS unset: 63 s) and `ZICHA_KILLS=200` runs the full count by hand. The figures of a run
// are printed at its end.
// ZICHA_KILL_SEED replays a run (the seed is printed).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { requireBuild, DIST, CHROMIUM, FLAGS, waitLoaded, saved, newInspection, gotoSection, png } from "../lib/harness.mjs";
import { startServer } from "../lib/server.mjs";

const KILLS = Number(process.env.ZICHA_KILLS ?? 60);
/** Every BROWSER_KILL_EVERY-th kill is of the browser process instead of the renderer. */
const BROWSER_KILL_EVERY = 20;
const SEED = Number(process.env.ZICHA_KILL_SEED ?? Date.now() % 2 ** 31);

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(SEED);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const pick = (list) => list[Math.floor(random() * list.length)];

let server;
let userDataDir;
let context;
const errors = [];

async function launchContext() {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: FLAGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
  });
  for (const page of context.pages()) await page.close();
}

/** A fresh page of the context, its errors collected (a crashed page's own are expected). */
async function newPage() {
  const page = await context.newPage();
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return page;
}

/** The process id of this test's Chromium: the browser process of `userDataDir`'s profile. */
function browserPid() {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let args;
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
    } catch {
      continue;
    }
    if (args.includes(`--user-data-dir=${userDataDir}`) && !args.some((arg) => arg.startsWith("--type="))) return Number(entry);
  }
  throw new Error(`no browser process with --user-data-dir=${userDataDir}`);
}

/** Kills the renderer of `page` (Page.crash) and waits until it is gone. */
async function crash(page) {
  const cdp = await context.newCDPSession(page);
  const crashed = new Promise((done) => page.once("crash", done));
  cdp.send("Page.crash").catch(() => {});
  await crashed;
  await page.close().catch(() => {});
}

/** SIGKILLs the browser process and starts Chromium again on the same profile. */
async function killBrowser() {
  const closed = new Promise((done) => context.once("close", done));
  process.kill(browserPid(), "SIGKILL");
  await closed;
  await launchContext();
}

before(async () => {
  requireBuild();
  server = await startServer(DIST);
  userDataDir = await mkdtemp(join(tmpdir(), "zicha-kill-"));
  await launchContext();
});
after(async () => {
  await context?.close().catch(() => {});
  await server?.close();
  await rm(userDataDir, { recursive: true, force: true });
});

/** What the inspection screen shows of `items`: each one's choice (or null) and number of photos,
 * and the status of the hazard under each. */
const shown = (page, items) =>
  page.evaluate((ids) => {
    const result = {};
    for (const id of ids) {
      const card = document.querySelector(`#item-${id}`);
      result[id] = {
        choice: card.querySelector("[data-choice][aria-pressed=\"true\"]")?.dataset.choice ?? null,
        photos: Number(card.querySelector(".answer-details .photos")?.dataset.count ?? 0),
        hazard: card.querySelector("article.hazard")?.dataset.status ?? null,
      };
    }
    return result;
  }, items);

const STEPS = { Pending: "InProgress", InProgress: "AwaitingVerification", AwaitingVerification: "InProgress" };

test(`no confirmed change is lost over ${KILLS} kills, and none is half-written`, async () => {
  const started = Date.now();
  let page = await newPage();
  await page.goto(server.url);
  await waitLoaded(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Fire safety needs no project; its section 2 (疏散, index 1) has eight 一般 check items: the
  // first two fail and carry a hazard each, the other six are answered at random.
  const id = await newInspection(page, "fire-safety");
  const inspectionUrl = `${server.url}#/inspection/${id}/1`;
  await gotoSection(page, 1);
  const items = await page.locator("article.item").evaluateAll((a) => a.map((x) => x.dataset.item));
  assert.equal(items.length, 8);
  const hazards = [];
  for (const item of items.slice(0, 2)) {
    await saved(page, () => page.click(`#item-${item} [data-choice="nonconform"]`));
    await saved(page, () => page.click(`#item-${item} .record-hazard`));
    hazards.push(await page.getAttribute(`#item-${item} article.hazard`, "data-hazard"));
  }
  // Their 五定 plans, so that they can move.
  await page.goto(`${server.url}#/ledger`);
  for (const hazard of hazards) {
    await page.click(`#hz-${hazard}-open`);
    await saved(page, () => page.fill(`#hz-${hazard}-measures`, "更换损坏的应急照明灯"));
    await saved(page, () => page.fill(`#hz-${hazard}-deadline`, "2030-12-31"));
    await saved(page, () => page.fill(`#hz-${hazard}-responsible`, "王伟"));
    await saved(page, () => page.fill(`#hz-${hazard}-standard`, "断电后应急照明持续90分钟"));
    await saved(page, () => page.fill(`#hz-${hazard}-interim`, "增设临时照明并专人值守"));
    await page.click("#ledger-back");
  }

  // What the user saw confirmed: item → choice, item → number of photos, hazard → status.
  const choices = new Map(items.slice(0, 2).map((item) => [item, "nonconform"]));
  const photos = new Map(items.map((item) => [item, 0]));
  const statuses = new Map(hazards.map((hazard) => [hazard, "Pending"]));
  let photoSeed = 0;
  const counts = { confirmed: 0, inFlight: 0, inFlightKept: 0, renderer: 0, browser: 0, duringLoad: 0 };

  /** One random change; returns what it will have changed once written. */
  async function change(where) {
    const kind = pick(["answer", "answer", "photo", "hazard"]);
    if (kind === "hazard") {
      const hazard = pick(hazards);
      const from = statuses.get(hazard);
      const to = STEPS[from];
      if (where.at !== "ledger") {
        await page.goto(`${server.url}#/ledger`);
        where.at = "ledger";
      }
      await page.click(`#hz-${hazard}-open`);
      await page.waitForSelector(`#hz-${hazard} .transitions`);
      // Leaving 待验收 is a verification by someone who is neither responsible nor the submitter.
      if (from === "AwaitingVerification") await page.fill(`#hz-${hazard}-verifier`, "赵敏");
      return { kind, hazard, to, act: () => page.click(`#hz-${hazard} button[data-to="${to}"]`), after: () => page.click("#ledger-back") };
    }
    if (where.at !== "inspection") {
      await page.goto(inspectionUrl);
      await page.waitForSelector(`#item-${items[7]}`);
      where.at = "inspection";
    }
    const answered = items.filter((item) => choices.has(item));
    if (kind === "photo" && answered.length > 0) {
      const item = pick(answered);
      photoSeed += 1;
      // A distinct image each time (its width), so that each photo is a new hash.
      const bytes = png(640 + photoSeed, 480, photoSeed);
      const act = () =>
        page.setInputFiles(`#item-${item}-photos-file`, { name: `p${photoSeed}.png`, mimeType: "image/png", buffer: bytes });
      return { kind: "photo", item, act, after: async () => {} };
    }
    const item = pick(items.slice(2));
    const choice = pick(["conform", "nonconform", "na"].filter((c) => c !== choices.get(item)));
    return { kind: "answer", item, choice, act: () => page.click(`#item-${item} [data-choice="${choice}"]`), after: async () => {} };
  }

  /** Takes a change as confirmed. */
  function confirm(step) {
    if (step.kind === "answer") choices.set(step.item, step.choice);
    if (step.kind === "photo") photos.set(step.item, photos.get(step.item) + 1);
    if (step.kind === "hazard") statuses.set(step.hazard, step.to);
  }

  /** After a restart: what is shown is what was confirmed, or that plus the change in flight. */
  async function check(inFlight, kill) {
    await page.goto(inspectionUrl);
    await waitLoaded(page);
    await page.waitForSelector(`#item-${items[7]}`);
    const where = `kill ${kill} (seed ${SEED})`;
    assert.equal(await page.locator(".notice.error").count(), 0, `${where}: an error is shown: ${await page.locator(".notice.error").allTextContents()}`);
    let kept = false;
    const screen = await shown(page, items);
    for (const item of items) {
      const { choice, photos: count } = screen[item];
      if (inFlight?.kind === "answer" && inFlight.item === item && choice === inFlight.choice) kept = true;
      else assert.equal(choice, choices.get(item) ?? null, `${where}: the answer of ${item}`);
      if (inFlight?.kind === "photo" && inFlight.item === item && count === photos.get(item) + 1) kept = true;
      else assert.equal(count, photos.get(item), `${where}: the photos of ${item}`);
    }
    for (const [idx, hazard] of hazards.entries()) {
      const status = screen[items[idx]].hazard;
      if (inFlight?.kind === "hazard" && inFlight.hazard === hazard && status === inFlight.to) kept = true;
      else assert.equal(status, statuses.get(hazard), `${where}: the status of ${hazard}`);
    }
    // Every photo a record names is stored whole: each thumbnail gets its object URL (made only
    // from a stored Blob, hooks/mod.rs) and each Blob decodes as an image.
    await page
      .waitForFunction(() => [...document.querySelectorAll("li.thumb")].every((li) => li.querySelector("img") !== null), null, { timeout: 15_000 })
      .catch(async () => {
        const missing = await page.locator("li.thumb").evaluateAll((lis) => lis.filter((li) => !li.querySelector("img")).map((li) => li.dataset.hash));
        assert.fail(`${where}: photos named but not stored: ${missing}`);
      });
    const hashes = await page.locator("li.thumb").evaluateAll((lis) => lis.map((li) => li.dataset.hash));
    const undecodable = await page.evaluate(async (keys) => {
      const db = await new Promise((ok, fail) => {
        const request = indexedDB.open("zicha");
        request.onsuccess = () => ok(request.result);
        request.onerror = () => fail(request.error);
      });
      const store = db.transaction("photos").objectStore("photos");
      const blobs = await Promise.all(keys.map((key) => new Promise((ok) => (store.get(key).onsuccess = (event) => ok(event.target.result)))));
      db.close();
      const bad = [];
      for (const [i, blob] of blobs.entries()) {
        try {
          (await createImageBitmap(blob)).close();
        } catch {
          bad.push(keys[i]);
        }
      }
      return bad;
    }, hashes);
    assert.deepEqual(undecodable, [], `${where}: photos stored but not whole`);
    if (inFlight) {
      counts.inFlight += 1;
      if (kept) {
        counts.inFlightKept += 1;
        confirm(inFlight);
      }
    }
  }

  await page.goto(inspectionUrl);
  for (let kill = 1; kill <= KILLS; kill++) {
    const where = { at: "inspection" };
    await page.waitForSelector(`#item-${items[7]}`);
    let inFlight = null;
    if (random() < 0.1) {
      // A kill while the app starts (IndexedDB opening, the records loading).
      await page.reload({ waitUntil: "commit" });
      await sleep(Math.floor(random() * 300));
      counts.duringLoad += 1;
    } else {
      // Up to three changes confirmed on screen, then one in flight at the kill.
      const confirmedSteps = Math.floor(random() * 4);
      for (let n = 0; n < confirmedSteps; n++) {
        const step = await change(where);
        // A photo's record is written once its Blob is stored: `saved` waits for that write.
        await saved(page, step.act);
        confirm(step);
        counts.confirmed += 1;
        await step.after();
      }
      inFlight = await change(where);
      // Half the time the kill does not wait for the click to be done, so that it lands in the
      // middle of the write more often.
      const acting = inFlight.act().catch(() => {});
      if (random() < 0.5) await acting;
      // A photo takes ~100 ms to decode, scale, encode and store, an answer a few ms to write.
      await sleep(Math.floor(random() * (inFlight.kind === "photo" ? 250 : 15)));
    }
    if (kill % BROWSER_KILL_EVERY === 0) {
      await killBrowser();
      counts.browser += 1;
    } else {
      await crash(page);
      counts.renderer += 1;
    }
    page = await newPage();
    await check(inFlight, kill);
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `# kill test: ${KILLS} kills (${counts.renderer} renderer, ${counts.browser} browser process, ${counts.duringLoad} while starting) ` +
      `in ${seconds.toFixed(0)} s (${((seconds * 1000) / KILLS).toFixed(0)} ms a kill); ${counts.confirmed} confirmed changes all kept; ` +
      `${counts.inFlightKept} of ${counts.inFlight} changes in flight kept whole, the others not at all; seed ${SEED}`,
  );
  assert.ok(counts.confirmed > KILLS / 2, `changes confirmed between kills: ${counts.confirmed}`);
  await page.close();
  const unexpected = errors.filter((error) => !/crash/i.test(error));
  assert.deepEqual(unexpected, [], "page errors or console errors");
});
