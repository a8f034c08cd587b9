// Screenshots of every screen at 390×844 (phone) and 1280×900 (laptop), for a person to look at
// (issue 18: "screenshots at 390 and 1280 px of every screen"). Not a test: it asserts nothing and
// writes tests/artifacts/tour/<width>-<screen>.png — the viewport as the user first sees it, and a
// full-page one beside it. Run by hand after `trunk build --release`:
//   node tests/browser/tour.mjs
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  ARTIFACTS,
  DIST,
  launch,
  openApp,
  setUpProfileAndProject,
  newInspection,
  saved,
} from "./lib/harness.mjs";
import { startServer } from "./lib/server.mjs";

const out = join(ARTIFACTS, "tour");
mkdirSync(out, { recursive: true });
const server = await startServer(DIST);
try {
  for (const [width, height] of [
    [390, 844],
    [1280, 900],
  ]) {
    const browser = await launch({ width, height });
    try {
      const { page } = browser;
      const shot = async (name) => {
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(out, `${width}-${name}.png`) });
        await page.screenshot({ path: join(out, `${width}-${name}-full.png`), fullPage: true });
      };
      await openApp(page, server.url);
      await shot("01-first-run");
      await setUpProfileAndProject(page);
      await shot("02-home");
      const id = await newInspection(page, "construction");
      await shot("03-inspection");
      await saved(page, () => page.locator('article.item [data-choice="nonconform"]').first().click());
      await shot("04-item-failed");
      await page.goto(`${server.url}#/ledger`);
      await page.waitForSelector(".page");
      await shot("05-ledger");
      for (const [hash, name] of [
        [`#/report/${id}`, "06-report"],
        ["#/keys", "07-keys"],
        ["#/verify", "08-verify"],
        ["#/settings", "09-settings"],
        ["#/checklists", "10-checklists"],
      ]) {
        await page.goto(`${server.url}${hash}`);
        await page.waitForSelector(".extra-host .page, #backup, #keys, #verify, #report-run", { timeout: 30_000 }).catch(() => {});
        await shot(name);
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}
console.log(`screenshots in ${out}`);
