// One writer of records (ARCHITECTURE.md, web): the app shell's store writes meta, projects,
// inspections and hazards; the extra module's screens (settings here) ask it through the port of
// state/port.rs. So a restore that is still running when the user goes home, and an edit made there
// at once, are written in the order they happened, and moving quickly between the two modules'
// screens while writes are pending loses nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  appUnderTest, openApp, saved, waitLoaded, setUpProfileAndProject, newInspection, download, storedInspectionIds,
} from "../lib/harness.mjs";

const app = appUnderTest();

/** Waits until the shell has no write queued or running. */
const settled = (page) =>
  page.waitForFunction(() => document.querySelector("#save-status")?.dataset.pending === "0", null, { timeout: 15_000 });

/** The ids of the items of the section shown. */
const itemIds = (page) => page.locator("article.item").evaluateAll((a) => a.map((x) => x.dataset.item));

test("restore in settings, go home at once, edit, reload: the restored data holds and the edit is there", async () => {
  const { page, errors } = app.browser;
  await openApp(page, app.server.url);
  await setUpProfileAndProject(page);
  const kept = await newInspection(page, "construction");
  const items = await itemIds(page);
  await saved(page, () => page.click(`#item-${items[0]} [data-choice="nonconform"]`));
  await page.goto(`${app.server.url}#/settings`);
  await page.waitForSelector("#backup");
  const backupFile = await download(page, "#backup");

  // After the backup: a second inspection and another name, which the restore must take away.
  await page.goto(app.server.url);
  await page.waitForSelector("#org-name");
  await saved(page, () => page.fill("#org-name", "改名后的公司"));
  const dropped = await newInspection(page, "construction");
  assert.deepEqual((await storedInspectionIds(page)).sort(), [kept, dropped].sort());

  // Restore, and leave for a shell screen without waiting for it.
  await page.goto(`${app.server.url}#/settings`);
  await page.waitForSelector("#restore-file");
  await page.setInputFiles("#restore-file", backupFile.path);
  await page.click('a.nav-link[href="#/"]');
  await page.waitForSelector('.notice[data-kind="RestoreDone"]');
  await page.waitForFunction(() => document.querySelector("#org-name")?.value === "闽江建设工程有限公司");
  assert.equal(await page.locator(".inspection-row").count(), 1, "the restored records are shown at once");

  // Edit at once, on the shell's screen: an answer of the restored inspection.
  await page.goto(`${app.server.url}#/inspection/${kept}`);
  await page.waitForSelector(`#item-${items[1]}`);
  await page.click(`#item-${items[1]} [data-choice="conform"]`);
  await settled(page);

  await page.reload();
  await waitLoaded(page);
  await page.waitForSelector(`#item-${items[1]}`);
  assert.equal(await page.getAttribute(`#item-${items[0]} [data-choice="nonconform"]`, "aria-pressed"), "true", "restored answer");
  assert.equal(await page.getAttribute(`#item-${items[1]} [data-choice="conform"]`, "aria-pressed"), "true", "the edit after the restore");
  assert.deepEqual(await storedInspectionIds(page), [kept], "the inspection the restore removed stays removed");
  await page.goto(app.server.url);
  await page.waitForSelector("#org-name");
  assert.equal(await page.inputValue("#org-name"), "闽江建设工程有限公司");
  assert.deepEqual(errors, []);
});

test("quick changes between shell and extra screens while writes are pending lose nothing", async () => {
  const { page, errors } = app.browser;
  await openApp(page, app.server.url);
  const id = await newInspection(page, "fire-safety");
  const items = (await itemIds(page)).slice(0, 6);
  // Each round: an answer on the shell's screen, then at once to settings (the extra module) to
  // switch the language, then at once back; nothing waits for a write.
  const langs = ["en", "zh-CN", "en", "zh-CN", "en", "en"];
  for (const [round, item] of items.entries()) {
    await page.click(`#item-${item} [data-choice="${round % 2 ? "conform" : "nonconform"}"]`);
    await page.evaluate(() => { location.hash = "#/settings"; });
    await page.waitForSelector(`#lang-${langs[round]}`);
    await page.click(`#lang-${langs[round]}`);
    await page.evaluate((target) => { location.hash = target; }, `#/inspection/${id}`);
    await page.waitForSelector(`#item-${item}`);
  }
  await page.waitForSelector("html[lang=en]");
  await settled(page);

  await page.reload();
  await waitLoaded(page);
  await page.waitForSelector(`#item-${items[0]}`);
  assert.equal(await page.getAttribute("html", "lang"), "en", "the last language chosen");
  for (const [round, item] of items.entries()) {
    const choice = round % 2 ? "conform" : "nonconform";
    assert.equal(await page.getAttribute(`#item-${item} [data-choice="${choice}"]`, "aria-pressed"), "true", `answer ${round + 1}`);
  }
  assert.deepEqual(errors, []);
});
