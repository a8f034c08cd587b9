// Issue scenario 2: reload after each of 30 answers; all 30 are there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appUnderTest, openApp, saved, waitLoaded, newInspection, foreignRequests } from "../lib/harness.mjs";

const app = appUnderTest({ width: 390, height: 844 });

test("30 answers survive a reload after each one", async () => {
  const { page, requests } = app.browser;
  await openApp(page, app.server.url);
  // Fire safety needs no project; its items are 符合/不符合 checks and measurements.
  const id = await newInspection(page, "fire-safety");
  const sections = await page.locator("#section-select option").count();

  const answered = [];
  let section = 0;
  let offset = 0;
  while (answered.length < 30) {
    assert.ok(section < sections, "enough items");
    await page.goto(`${app.server.url}#/inspection/${id}/${section}`);
    await waitLoaded(page);
    await page.waitForSelector("article.item");
    const items = await page.locator("article.item").evaluateAll((articles) => articles.map((a) => a.dataset.item));
    if (offset >= items.length) {
      section += 1;
      offset = 0;
      continue;
    }
    const item = items[offset];
    offset += 1;
    const card = `#item-${item}`;
    // Alternate 符合 / 不符合 / 不适用; measurements get a number.
    const choice = ["conform", "nonconform", "na"][answered.length % 3];
    if ((await page.locator(`${card} [data-choice="${choice}"]`).count()) > 0) {
      await saved(page, () => page.click(`${card} [data-choice="${choice}"]`));
      answered.push({ item, section, choice });
    } else if ((await page.locator(`${card}-measured`).count()) > 0) {
      await saved(page, async () => {
        await page.fill(`${card}-measured`, "1.5");
        await page.press(`${card}-measured`, "Tab");
      });
      answered.push({ item, section, value: "1.5" });
    } else {
      continue;
    }
    await page.reload();
    await waitLoaded(page);
    await page.waitForSelector(card);
    const progress = await page.textContent("#score-progress");
    assert.equal(progress.split("/")[0], String(answered.length), `after reload ${answered.length}`);
  }

  // Every one of the 30 answers is there, as given.
  for (const answer of answered) {
    await page.goto(`${app.server.url}#/inspection/${id}/${answer.section}`);
    await page.waitForSelector(`#item-${answer.item}`);
    if (answer.choice) {
      assert.equal(
        await page.getAttribute(`#item-${answer.item} [data-choice="${answer.choice}"]`, "aria-pressed"),
        "true",
        answer.item,
      );
    } else {
      assert.equal(await page.inputValue(`#item-${answer.item}-measured`), answer.value);
    }
  }
  assert.deepEqual(foreignRequests(requests, app.server.origin), []);
});
