// Every sector's checklist runs in the app (issue 12): for each checklist the build lists, start an
// inspection, answer one 重大 item 不符合 (or a check item where the sector has no 判定标准), see
// the 未核对原文 mark exactly on the items not yet read against their standard, export the bundle,
// and let `zicha score` read the failure back from it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  appUnderTest,
  DIST,
  openApp,
  setUpProfileAndProject,
  newInspection,
  gotoSection,
  saved,
  download,
  cliScore,
  checklistIndex,
} from "../lib/harness.mjs";

const app = appUnderTest();

const checklists = checklistIndex().map(({ id, json }) => ({
  stem: id,
  checklist: JSON.parse(readFileSync(join(DIST, json), "utf8")),
}));

/** The item to fail: the first 重大 item, else the first check item; with its section's index. */
function target(checklist) {
  const all = checklist.sections.flatMap((section, idx) => section.items.map((item) => ({ item, idx })));
  return all.find(({ item }) => item.level === "重大") ?? all.find(({ item }) => item.kind === "check");
}

test("every sector's checklist: a failing 重大 item is answered, marked and exported", async () => {
  assert.ok(checklists.length >= 23, `${checklists.length} checklists listed`);
  const { page, errors } = app.browser;
  let majors = 0;
  await openApp(page, app.server.url);
  await setUpProfileAndProject(page);
  for (const { stem, checklist } of checklists) {
    await openApp(page, app.server.url);
    await newInspection(page, stem);
    const { item, idx } = target(checklist);
    await gotoSection(page, idx);
    const card = `#item-${item.id}`;
    await saved(page, () => page.click(`${card} [data-choice="nonconform"]`));
    assert.equal(await page.locator(`${card}.failed`).count(), 1, `${stem}/${item.id} failed`);
    // The provenance mark shows on exactly the unverified items of the section.
    const section = checklist.sections[idx];
    const marked = await page.$$eval("article.item", (cards) =>
      cards.filter((c) => c.querySelector(".badge.unverified")).map((c) => c.dataset.item),
    );
    assert.deepEqual(marked, section.items.filter((i) => !i.verified).map((i) => i.id), stem);
    const { path } = await download(page, "#export-bundle");
    const score = cliScore(path, "2026-12-31");
    assert.ok(score.failed_items.includes(item.id), `${stem}: ${JSON.stringify(score.failed_items)}`);
    if (item.level === "重大") {
      majors += 1;
      if (score.judgement) assert.equal(score.judgement.major_found, true, stem);
    }
  }
  assert.ok(majors >= 20, `${majors} sectors answered a 重大 item`);
  assert.deepEqual(errors, []);
});
