// Issue 19 §2, "full disks": the storage quota exhausted (CDP Storage.overrideQuotaForOrigin) while
// an answer and a photo are saved. The user is told clearly, in Chinese, that the change is not
// saved and what to do; the answer stays on the page; the notice leads to the backup, whose file
// holds the unsaved answer; once there is room again the app saves it by itself (services/db.rs,
// app.rs), and it is there after a reload.
//
// Chromium lets an IndexedDB bucket spend the free space it last asked the quota manager about for
// up to 30 s without asking again (BucketContext::kBucketSpaceCacheTimeLimit), so a quota lowered
// after writes only bites half a minute later. The data is therefore made first, the browser
// started again on the same profile, and the quota lowered before its first write.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { chromium } from "playwright-core";
import {
  requireBuild, DIST, CHROMIUM, FLAGS, waitLoaded, saved, newInspection, gotoSection, png, tempDir, zipEntry,
} from "../lib/harness.mjs";
import { startServer } from "../lib/server.mjs";

let server;
let context;
const userDataDir = tempDir("zicha-quota-");
const errors = [];

async function launch() {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: FLAGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return page;
}

before(async () => {
  requireBuild();
  server = await startServer(DIST);
});
after(async () => {
  await context?.close();
  await server?.close();
});

test("storage full while an answer and a photo are saved: a clear notice, the answer kept, the backup offered, saved once there is room", async () => {
  let page = await launch();
  await page.goto(server.url);
  await waitLoaded(page);
  const id = await newInspection(page, "fire-safety");
  await gotoSection(page, 1);
  const items = await page.locator("article.item").evaluateAll((a) => a.map((x) => x.dataset.item));
  await saved(page, () => page.click(`#item-${items[0]} [data-choice="conform"]`));
  // The service worker has cached everything (so it writes nothing to its cache later).
  await page.waitForSelector("#offline-status", { timeout: 60_000 });
  await context.close();

  page = await launch();
  await page.goto(`${server.url}#/inspection/${id}/1`);
  await waitLoaded(page);
  await page.waitForSelector(`#item-${items[1]}`);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Storage.overrideQuotaForOrigin", { origin: server.origin, quotaSize: 1024 });
  const { usage, quota } = await cdp.send("Storage.getUsageAndQuota", { origin: server.origin });
  assert.ok(usage > quota, `the origin uses ${usage} bytes of a ${quota}-byte quota`);

  // An answer: not saved, said so, and still shown.
  await page.click(`#item-${items[1]} [data-choice="nonconform"]`);
  const notice = page.locator('.notice[data-kind="QuotaExceeded"]');
  await notice.waitFor({ timeout: 15_000 });
  const text = (await notice.locator("p").textContent()).trim();
  console.log(`# quota notice: ${text}`);
  assert.equal(
    text,
    "存储空间已满，刚才的修改未能保存到本机。已填写的内容仍在本页，请勿关闭或刷新；请先下载备份，再删除旧检查或清理设备空间，空间恢复后会自动保存。未能保存的照片需重新添加。",
  );
  assert.equal(await notice.getAttribute("role"), "alert");
  assert.equal(await page.textContent("#save-status"), "保存失败");
  assert.equal(await page.getAttribute(`#item-${items[1]} [data-choice="nonconform"]`, "aria-pressed"), "true", "the answer stays on the page");

  // A photo: not stored, so not attached (no thumbnail naming a photo that is not there), and the
  // same notice, shown once.
  await page.setInputFiles(`#item-${items[0]}-photos-file`, { name: "p.png", mimeType: "image/png", buffer: png(900, 600, 3) });
  await page.waitForFunction(() => !document.querySelector('.photo-buttons [aria-busy="true"]'), null, { timeout: 15_000 });
  assert.equal(await page.getAttribute(`#item-${items[0]} .answer-details .photos`, "data-count"), "0");
  assert.equal(await page.locator('.notice[data-kind="QuotaExceeded"]').count(), 1);
  assert.equal(await page.locator('.notice[data-kind="StorageFailed"], .notice[data-kind="PhotoFailed"]').count(), 0);

  // The backup the notice leads to holds the answer that is not saved.
  await notice.locator("a.notice-backup").click();
  await page.waitForSelector("#backup");
  const [file] = await Promise.all([page.waitForEvent("download"), page.click("#backup")]);
  const backupPath = join(tempDir("zicha-quota-backup-"), file.suggestedFilename());
  await file.saveAs(backupPath);
  const bundle = zipEntry(await readFile(backupPath), `inspections/${id}.zicha`);
  assert.ok(bundle, "the backup holds the inspection");
  const inspection = JSON.parse(zipEntry(bundle, "inspection.json").toString("utf8"));
  const answers = inspection.inspection.answers;
  assert.equal(answers[items[1]]?.result, "non_conform", JSON.stringify(answers));
  assert.equal(answers[items[0]]?.result, "conform");

  // Room again: saved by itself, with nothing more done by the user.
  await cdp.send("Storage.overrideQuotaForOrigin", { origin: server.origin });
  await page.waitForFunction(() => document.querySelector("#save-status")?.textContent === "已保存", null, { timeout: 20_000 });
  await page.goto(`${server.url}#/inspection/${id}/1`);
  await page.reload();
  await waitLoaded(page);
  await page.waitForSelector(`#item-${items[1]}`);
  assert.equal(await page.getAttribute(`#item-${items[1]} [data-choice="nonconform"]`, "aria-pressed"), "true", "saved after the quota returned");
  assert.equal(await page.getAttribute(`#item-${items[0]} [data-choice="conform"]`, "aria-pressed"), "true");
  // A failed write is an error the app shows, not one it throws.
  assert.deepEqual(errors.filter((error) => !/QuotaExceeded|quota/i.test(error)), []);
});
