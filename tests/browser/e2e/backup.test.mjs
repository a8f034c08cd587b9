// Issue scenario 4: backup → clear all site data → restore → identical data, compared through the
// exported bundles (and the backup file itself).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import {
  appUnderTest, openApp, saved, waitLoaded, setUpProfileAndProject, newInspection, download, png, addPhoto, foreignRequests,
} from "../lib/harness.mjs";

const app = appUnderTest();

test("backup, clear site data, restore: the same bundles come out", async () => {
  const { page, context, requests } = app.browser;
  await openApp(page, app.server.url);
  await setUpProfileAndProject(page);
  const id = await newInspection(page, "construction");
  const items = await page.locator("article.item").evaluateAll((a) => a.map((x) => x.dataset.item));
  await saved(page, () => page.click(`#item-${items[0]} [data-choice="nonconform"]`));
  await saved(page, () => page.fill(`#item-${items[0]}-note`, "安全生产责任书未盖章"));
  await saved(page, () => page.click(`#item-${items[1]} [data-choice="conform"]`));
  await saved(page, () => page.click(`#item-${items[2]} [data-choice="na"]`));
  await saved(page, () => page.click(`#item-${items[0]} .record-hazard`));
  const hazard = await page.getAttribute(`#item-${items[0]} article.hazard`, "data-hazard");
  await addPhoto(page, `#hz-${hazard}-before-file`, `#hz-${hazard} .photos`, png(1200, 900, 2));

  // In the ledger: the 五定 plan (with 定标准 and the interim measures), then start rectification (a transition with who and when).
  await page.click('a.nav-link[href="#/ledger"]');
  await page.click(`#hz-${hazard}-open`);
  await page.waitForSelector(`#hz-${hazard}-measures`);
  await saved(page, () => page.fill(`#hz-${hazard}-measures`, "补签责任书并盖章"));
  await saved(page, () => page.fill(`#hz-${hazard}-deadline`, "2030-12-31"));
  await saved(page, () => page.fill(`#hz-${hazard}-responsible`, "李海燕"));
  await saved(page, () => page.fill(`#hz-${hazard}-standard`, "责任书经双方签字并加盖公章"));
  await saved(page, () => page.fill(`#hz-${hazard}-interim`, "补签前暂停该分包单位进场作业"));
  const start = page.locator(`#hz-${hazard} button[data-to="InProgress"]`);
  assert.equal(await start.isEnabled(), true);
  await saved(page, () => start.click());
  assert.equal(await page.getAttribute(`#hz-${hazard}`, "data-status"), "InProgress");
  // Only the legal next step is offered.
  assert.deepEqual(
    await page.locator(`#hz-${hazard} .transitions button`).evaluateAll((b) => b.map((x) => x.dataset.to)),
    ["AwaitingVerification"],
  );

  await page.goto(`${app.server.url}#/inspection/${id}`);
  await page.waitForSelector("#export-bundle");
  const bundleBefore = await readFile((await download(page, "#export-bundle")).path);
  await page.goto(`${app.server.url}#/settings`);
  await page.waitForSelector("#backup");
  const backupFile = await download(page, "#backup");
  const backupBefore = await readFile(backupFile.path);

  // Clear all site data: IndexedDB, caches, service worker.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Storage.clearDataForOrigin", { origin: app.server.origin, storageTypes: "all" });
  await page.goto(app.server.url);
  await waitLoaded(page);
  assert.equal(await page.locator(".inspection-row").count(), 0, "site data cleared");
  assert.equal(await page.inputValue("#org-name"), "");

  await page.goto(`${app.server.url}#/settings`);
  await page.waitForSelector("#restore-file");
  await saved(page, () => page.setInputFiles("#restore-file", backupFile.path));
  await page.waitForSelector('.notice[data-kind="RestoreDone"]');

  await page.goto(`${app.server.url}#/inspection/${id}`);
  await page.waitForSelector("#export-bundle");
  const bundleAfter = await readFile((await download(page, "#export-bundle")).path);
  assert.ok(bundleBefore.equals(bundleAfter), "the exported bundle is byte for byte the same");
  await page.goto(`${app.server.url}#/settings`);
  await page.waitForSelector("#backup");
  const backupAfter = await readFile((await download(page, "#backup")).path);
  assert.ok(backupBefore.equals(backupAfter), "the backup is byte for byte the same");

  // And it survives a reload (the restore was written to IndexedDB).
  await page.goto(app.server.url);
  await waitLoaded(page);
  assert.equal(await page.inputValue("#org-name"), "闽江建设工程有限公司");
  assert.equal(await page.locator(".inspection-row").count(), 1);
  assert.deepEqual(foreignRequests(requests, app.server.origin), []);
});
