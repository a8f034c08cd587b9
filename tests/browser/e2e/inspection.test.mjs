// Issue scenario 1: complete a construction inspection through the UI (at least one item per
// section, two hazards with photos); the scores and rates shown equal `zicha score --json` of the
// exported bundle. Also: photos are stored downscaled, the request log stays on the origin, and
// screenshots of every screen at 360 px and 1280 px go to tests/artifacts/.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  appUnderTest, openApp, saved, setUpProfileAndProject, newInspection, gotoSection, download, cliScore, fmt, png, addPhoto, storedPhotos, screenshot, foreignRequests, WRONG_CREDIT_CODE,
} from "../lib/harness.mjs";

const app = appUnderTest();

/** The scores the inspection screen shows, read from the DOM. */
async function shownScores(page) {
  return page.evaluate(() => {
    const text = (el, selector) => el.querySelector(selector)?.textContent.trim();
    return {
      total: text(document, "#score-total"),
      grade: text(document, "#score-grade"),
      progress: text(document, "#score-progress"),
      stopWork: document.querySelector("#stop-work") !== null,
      stopReasons: document.querySelectorAll("#stop-work li").length,
      asOf: document.querySelector(".score-panel").dataset.asOf,
      rates: [...document.querySelectorAll("li.rate")].map((li) => ({
        target: li.dataset.target,
        percent: text(li, ".rate-percent"),
        fraction: text(li, ".rate-fraction"),
      })),
      rows: [...document.querySelectorAll("tr[data-row]")].map((tr) => ({ id: tr.dataset.row, score: text(tr, ".row-score") })),
      sections: [...document.querySelectorAll("tr[data-section]")].map((tr) => ({
        id: tr.dataset.section,
        score: text(tr, ".section-score"),
      })),
    };
  });
}

test("a construction inspection scores exactly like `zicha score`", async () => {
  const { page, requests, errors } = app.browser;
  await openApp(page, app.server.url);

  // The credit code is checked live and the message names the expected character.
  await page.fill("#org-credit-code", WRONG_CREDIT_CODE);
  const message = await page.textContent("#org-credit-code-hint");
  assert.match(message, /应为“3”/, message);
  assert.equal(await page.getAttribute("#org-credit-code", "aria-invalid"), "true");
  await setUpProfileAndProject(page);
  assert.match(await page.textContent("#org-credit-code-hint"), /校验通过/);

  const id = await newInspection(page, "construction");
  const sectionCount = await page.locator("#section-select option").count();
  // Every section of construction.toml: the five 100% targets, the nineteen JGJ 59 sheets (保证 and
  // 一般 sections), the major-hazard criteria and the stop-work triggers.
  assert.equal(sectionCount, 43);

  let hazards = 0;
  let deductionFailed = false;
  for (let idx = 0; idx < sectionCount; idx++) {
    await gotoSection(page, idx);
    const first = page.locator("article.item").first();
    const item = await first.getAttribute("data-item");
    const card = `#item-${item}`;
    const kinds = await page.locator(`${card} [data-choice]`).evaluateAll((buttons) => buttons.map((b) => b.dataset.choice));
    if (idx === 0 && kinds.includes("nonconform")) {
      await saved(page, () => page.click(`${card} [data-choice="nonconform"]`));
    } else if (!deductionFailed && kinds.includes("deduct")) {
      await page.click(`${card} [data-choice="deduct"]`);
      await saved(page, () => page.check(`#item-${item}-rule-0`));
      deductionFailed = true;
    } else if (kinds.includes("conform")) {
      await saved(page, () => page.click(`${card} [data-choice="conform"]`));
    } else {
      await saved(page, () => page.click(`${card} [data-choice="na"]`));
    }
    // A second answer in every third section, and a note.
    const second = page.locator("article.item").nth(1);
    if (idx % 3 === 1 && (await second.count()) > 0) {
      const secondItem = await second.getAttribute("data-item");
      const choice = page.locator(`#item-${secondItem} [data-choice="conform"]`);
      if ((await choice.count()) > 0) {
        await saved(page, () => choice.click());
        await saved(page, () => page.fill(`#item-${secondItem}-note`, "现场抽查合格"));
      }
    }
    // Record a hazard from each failed first item, with a photo (larger than 2000 px).
    if ((await page.locator(`${card}.failed`).count()) > 0) {
      await saved(page, () => page.click(`${card} .record-hazard`));
      hazards += 1;
      const hazard = await page.locator(`${card} article.hazard`).first().getAttribute("data-hazard");
      await saved(page, () => page.fill(`#hz-${hazard}-location`, hazards === 1 ? "项目部办公室" : "3#楼东侧"));
      await addPhoto(page, `#hz-${hazard}-before-file`, `#hz-${hazard} .photos`, png(3000, 1800, hazards), `hazard-${hazards}.png`);
    }
  }
  assert.equal(hazards, 2, "two failed items, two hazards");

  // An answer photo too.
  await gotoSection(page, 0);
  const firstItem = await page.locator("article.item").first().getAttribute("data-item");
  await addPhoto(page, `#item-${firstItem}-photos-file`, `#item-${firstItem} .answer-details .photos`, png(2400, 2400, 5));

  // Photos are stored as JPEG Blobs of at most 2000 px, keyed by SHA-256.
  const photos = await storedPhotos(page);
  assert.equal(photos.length, 3);
  for (const photo of photos) {
    assert.equal(photo.type, "image/jpeg");
    assert.ok(Math.max(photo.width, photo.height) <= 2000, JSON.stringify(photo));
    assert.match(photo.key, /^[0-9a-f]{64}$/);
  }

  // The hazards are in the ledger, supervised when major.
  await page.click('a.nav-link[href="#/ledger"]');
  await page.waitForSelector(".page.ledger");
  assert.equal(await page.locator("article.hazard-summary").count(), 2);

  // Back to the inspection: read what is shown, export the bundle, score it with the CLI.
  await page.goto(`${app.server.url}#/inspection/${id}`);
  await page.waitForSelector("#score-total");
  const shown = await shownScores(page);
  const bundle = await download(page, "#export-bundle");
  assert.match(bundle.name, /\.zicha$/);
  const cli = cliScore(bundle.path, shown.asOf);

  assert.equal(shown.total, fmt(cli.total), "total");
  // Not every sheet is answered here, so JGJ 59 gives no grade yet (评分未完成, issue 11 §2).
  assert.equal(shown.grade, cli.grade ?? (cli.incomplete.length > 0 ? "评分未完成" : "尚未评分"), "grade");
  assert.equal(await page.locator("#score-incomplete li").count(), cli.incomplete.length, "incomplete");
  assert.equal(shown.progress, `${cli.progress.answered}/${cli.progress.items}`, "progress");
  assert.ok(cli.progress.answered >= sectionCount);
  assert.equal(shown.stopWork, cli.stop_work, "stop-work");
  assert.equal(shown.stopReasons, cli.stop_work_reasons.length, "stop-work reasons");
  assert.equal(cli.hazards.general + cli.hazards.major, 2);
  assert.deepEqual(
    shown.rates,
    cli.five_100.map((rate) => ({
      target: rate.target,
      percent: rate.denominator > 0 ? `${fmt(Math.round((rate.numerator * 10000) / rate.denominator) / 100)}%` : "未检查",
      fraction: `(${rate.numerator}/${rate.denominator})`,
    })),
    "five 100% rates",
  );
  assert.deepEqual(
    shown.rows,
    cli.summary.map((row) => ({ id: row.id, score: row.score === null ? "—" : fmt(row.score) })),
    "JGJ 59 summary",
  );
  assert.deepEqual(
    shown.sections,
    cli.sections.map((section) => ({ id: section.id, score: `${fmt(section.score)}/${fmt(section.max)}` })),
    "sections",
  );

  // Screenshots of every screen at 360 px and 1280 px.
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 900 });
    for (const [name, hash] of [["home", "#/"], ["inspection", `#/inspection/${id}`], ["ledger", "#/ledger"], ["settings", "#/settings"]]) {
      await page.goto(`${app.server.url}${hash}`);
      await page.waitForSelector('#save-status[data-loaded="true"]');
      await page.waitForTimeout(150);
      await screenshot(page, `${name}-${width}`);
    }
  }

  assert.deepEqual(foreignRequests(requests, app.server.origin), [], "no request leaves the origin");
  assert.deepEqual(errors, [], "no page errors");
});
