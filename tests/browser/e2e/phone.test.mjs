// Issue 18 on a 390×844 phone: the first run cannot start an inspection without the enterprise
// profile; every screen opens at its top; the sticky area stays under 15% of the screen while
// answering; a deduction out of its rule's range is said in Chinese, in the user's terms, and the
// message goes once the value is valid; a failed item's photo is carried into the hazard recorded
// from it, and the item offers no second hazard; the ledger lists hazards as summary cards and
// opens one for editing; the offline-ready notice appears; every figure of the score panel has an accessible name.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  appUnderTest, openApp, saved, setUpProfileAndProject, newInspection, gotoSection, addPhoto, png, storedInspectionIds, screenshot,
} from "../lib/harness.mjs";

const app = appUnderTest({ width: 390, height: 844 });

/** Height of everything sticky or fixed that is on screen now. */
async function stickyHeight(page) {
  return page.evaluate(() => {
    let total = 0;
    for (const element of document.querySelectorAll("body *")) {
      const position = getComputedStyle(element).position;
      if (position !== "sticky" && position !== "fixed") continue;
      const rect = element.getBoundingClientRect();
      const visible = Math.min(rect.bottom, innerHeight) - Math.max(rect.top, 0);
      if (visible > 0 && rect.width > 0) total += visible;
    }
    return total;
  });
}

test("a safety officer's first run and inspection on a phone", async () => {
  const { page } = app.browser;
  await openApp(page, app.server.url);

  // First run: the steps in order, and no inspection without the profile.
  const steps = await page.locator(".first-run-steps > li").evaluateAll((items) =>
    items.map((li) => li.querySelector("h2")?.id ?? li.querySelector("form, section")?.className),
  );
  assert.equal(steps.length, 3, "profile, project, inspection");
  assert.equal(steps[2], "new-inspection-title", "the inspection form comes last");
  await page.selectOption("#new-checklist", "school");
  await page.fill("#new-inspectors", "李海燕");
  await page.click("#start-inspection");
  await page.waitForSelector(".new-inspection [role=alert]");
  assert.match(await page.textContent(".new-inspection [role=alert]"), /企业信息/);
  assert.deepEqual(await storedInspectionIds(page), [], "nothing was started");
  await screenshot(page, "phone-first-run-refused");

  // Once the service worker holds everything, the header says the app works offline: a status
  // in the header's first row, beside the save status, that covers nothing and moves nothing.
  const offline = page.locator("#offline-status");
  await offline.waitFor({ timeout: 60_000 });
  assert.match(await offline.getAttribute("aria-label"), /^已可离线使用/);
  assert.equal(await offline.textContent(), "✓ 可离线");
  const [chip, save, brand] = await Promise.all(
    ["#offline-status", "#save-status", ".brand"].map((selector) => page.locator(selector).boundingBox()),
  );
  assert.equal(Math.round(chip.y + chip.height / 2), Math.round(save.y + save.height / 2), "one row with the save status");
  assert.ok(chip.x >= brand.x + brand.width && chip.x + chip.width <= save.x, "between the brand and the save status");
  await screenshot(page, "phone-offline-ready");

  await setUpProfileAndProject(page);
  const id = await newInspection(page, "construction");
  assert.equal(await page.evaluate(() => scrollY), 0, "the inspection opens at its top");

  // The one sticky bar while answering, scrolled well down the section.
  await page.evaluate(() => scrollTo(0, 3000));
  await page.waitForTimeout(100);
  const sticky = await stickyHeight(page);
  assert.ok(sticky > 0, "the section bar stays on screen");
  assert.ok(sticky <= 0.15 * 844, `sticky area ${sticky} px of 844`);
  await screenshot(page, "phone-inspection-scrolled");

  // The score chip takes the user to the score panel; its figures have names.
  await page.click(".section-picker .mini-score");
  await page.waitForFunction(() => document.activeElement?.id === "score-aside");
  assert.match(await page.getByRole("meter", { name: "总分" }).textContent(), /^\d+(\.\d+)?$/);
  assert.ok(await page.getByRole("status", { name: "评定等级" }).isVisible());
  assert.match(await page.getByRole("meter", { name: "进度" }).getAttribute("aria-valuetext"), /^\d+\/\d+$/);

  // A deduction out of range: said in Chinese, gone once the value is valid.
  // (the first JGJ 59 score sheet after the five-100% sections).
  const sections = await page.locator("#section-select option").count();
  const card = page.locator("article.item:has([data-choice=deduct])").first();
  for (let idx = 1; idx < sections && (await card.count()) === 0; idx++) await gotoSection(page, idx);
  const item = await card.getAttribute("data-item");
  await card.locator("[data-choice=deduct]").click();
  const rule = card.locator("li.rule").first();
  await saved(page, () => rule.locator("input[type=checkbox]").check());
  const points = rule.locator("input[type=number]").first();
  const [min, max] = [Number(await points.getAttribute("min")), Number(await points.getAttribute("max"))];
  await points.fill(String(max + 10));
  await points.dispatchEvent("change");
  const error = page.locator(`#item-${item}-error`);
  await error.waitFor();
  const message = await error.textContent();
  assert.match(message, /^扣分值应在 \d+(\.\d+)?–\d+(\.\d+)? 分之间。$/, message);
  assert.ok(message.includes(`${min}–${max}`), message);
  assert.doesNotMatch(message, /answers\.|points|range/);
  await saved(page, () => points.fill(String(min)).then(() => points.dispatchEvent("change")));
  await error.waitFor({ state: "detached" });

  // A failed item's photo goes into the hazard recorded from it; no second hazard is offered.
  await gotoSection(page, 0);
  const failed = page.locator("article.item:has([data-choice=nonconform])").first();
  const failedId = await failed.getAttribute("data-item");
  await saved(page, () => failed.locator("[data-choice=nonconform]").click());
  await addPhoto(page, `#item-${failedId}-photos-file`, `#item-${failedId} .answer-details .photos`, png(800, 600, 3));
  await saved(page, () => failed.locator(".record-hazard").click());
  const hazard = await failed.locator("article.hazard").getAttribute("data-hazard");
  assert.equal(await page.getAttribute(`#hz-${hazard} .photos`, "data-count"), "1", "the item's photo is the 整改前照片");
  assert.equal(await failed.locator(".record-hazard").count(), 0, "one hazard per failed item");

  // The ledger opens at its top with summary cards; a hazard opens on its own.
  await page.evaluate(() => scrollTo(0, 1500));
  await page.click('a.nav-link[href="#/ledger"]');
  await page.waitForSelector(".page.ledger");
  assert.equal(await page.evaluate(() => scrollY), 0, "the ledger opens at its top");
  assert.ok(await page.locator("#filter-status").isVisible(), "its filters are on screen");
  assert.equal(await page.locator(`#hz-${hazard}-measures`).count(), 0, "no open form in the list");
  await screenshot(page, "phone-ledger");
  await page.click(`#hz-${hazard}-open`);
  await page.waitForSelector(`#hz-${hazard}-measures`);
  assert.equal(await page.locator("article.hazard").count(), 1, "the one hazard, on its own");
  await page.click("#ledger-back");
  await page.waitForSelector(`#hz-${hazard}-open`);

  // Home from the ledger, scrolled: at its top too.
  await page.evaluate(() => scrollTo(0, 600));
  await page.click('a.nav-link[href="#/"]');
  await page.waitForSelector(".page.home");
  assert.equal(await page.evaluate(() => scrollY), 0, "home opens at its top");
  assert.deepEqual(await storedInspectionIds(page), [id]);
});
