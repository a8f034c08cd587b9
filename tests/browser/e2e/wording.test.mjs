// Issue 11 §1: a failed 重大 item becomes a ledger entry worded as found (the item's `hazard_zh`,
// never its compliant `text_zh`), and the report made from the exported data carries the same
// words to the regulator's `zicha verify`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  appUnderTest, openApp, saved, setUpProfileAndProject, newInspection, gotoSection, download, ZICHA_BIN, CREDIT_CODE,
} from "../lib/harness.mjs";

const app = appUnderTest();
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../..");

/** `text_zh` and `hazard_zh` of item `id` in checklists/<checklist>.toml (both are one-line strings). */
function itemWords(checklist, id) {
  const source = readFileSync(join(ROOT, "checklists", `${checklist}.toml`), "utf8");
  const block = source.split("[[sections.items]]").find((part) => part.includes(`\nid = "${id}"\n`));
  assert.ok(block, `item ${id} in ${checklist}.toml`);
  const field = (key) => new RegExp(`\\n${key} = "([^"]*)"`).exec(block)?.[1];
  return { text: field("text_zh"), hazard: field("hazard_zh") };
}

const zicha = (args) => execFileSync(ZICHA_BIN, args, { encoding: "utf8", env: { ...process.env, ZICHA_PASSPHRASE: "zicha-test-passphrase" } });

test("a failed 重大 item is recorded and reported as what was found", async () => {
  const { page } = app.browser;
  await openApp(page, app.server.url);
  await setUpProfileAndProject(page);
  await newInspection(page, "construction");

  // The section holding the first 重大 judgement item of the 2022 criteria.
  const item = "mh-01";
  const words = itemWords("construction", item);
  assert.ok(words.hazard && words.hazard !== words.text, JSON.stringify(words));
  const options = await page.locator("#section-select option").count();
  let found = false;
  for (let idx = 0; idx < options && !found; idx++) {
    await gotoSection(page, idx);
    found = (await page.locator(`#item-${item}`).count()) > 0;
  }
  assert.ok(found, `${item} is on some section`);

  await saved(page, () => page.click(`#item-${item} [data-choice="nonconform"]`));
  await saved(page, () => page.click(`#item-${item} .record-hazard`));
  const hazard = await page.locator(`#item-${item} article.hazard`).first().getAttribute("data-hazard");
  assert.equal(await page.inputValue(`#hz-${hazard}-description`), words.hazard);

  // The ledger shows the finding, never the compliant text.
  await page.click('a.nav-link[href="#/ledger"]');
  await page.waitForSelector(".page.ledger article.hazard-summary");
  const ledger = await page.locator(".page.ledger").innerText();
  const description = await page.inputValue(`#hz-${hazard}-description`).catch(() => null);
  assert.ok(ledger.includes(words.hazard) || description === words.hazard, "the ledger shows the finding");
  assert.ok(!ledger.includes(words.text), "the ledger does not show the compliant text");

  // The regulator's side: the exported data rendered, signed and verified says the same.
  await page.goBack();
  await page.waitForSelector("#export-bundle");
  const bundle = await download(page, "#export-bundle");
  const dir = mkdtempSync(join(tmpdir(), "zicha-wording-"));
  const pdf = join(dir, "report.pdf");
  zicha(["render", bundle.path, "-o", pdf, "--time", "2026-03-02T18:00:00+08:00"]);
  zicha(["keygen", "--org", "闽江建设工程有限公司", "--credit-code", CREDIT_CODE, "--signer", "李海燕",
    "--not-before", "2026-01-01T00:00:00+08:00", "-o", join(dir, "key")]);
  zicha(["sign", pdf, "--key", join(dir, "key", "key.pem"), "--cert", join(dir, "key", "cert.pem"),
    "--party", "检查人:李海燕", "--time", "2026-03-02T19:00:00+08:00", "-o", join(dir, "signed.pdf")]);
  const verified = zicha(["verify", join(dir, "signed.pdf")]);
  assert.ok(verified.includes(`重大事故隐患：${words.hazard}`), verified);
  assert.ok(!verified.includes(words.text), verified);
});
