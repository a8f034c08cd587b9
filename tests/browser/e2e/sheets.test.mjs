// Issue 13 in the browser: the 检查表 screen imports a checklist from an xlsx in the report worker
// (zicha-sheet), stores it in IndexedDB (store `checklists`, version 3 of the database) and lists it;
// an inspection runs on it; the 隐患台账 and 检查结果 come back as xlsx (read with openpyxl); the
// signed report carries the imported checklist, so `zicha verify` re-scores it from the report
// alone. A file with mistakes shows every problem with its sheet, row and column; reload and
// backup/restore keep the imported checklist; a version-2 database is upgraded with its records.
// With ZICHA_BENCH=1 it also times a 1,008-row import and a 1,000-hazard ledger export.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  requireBuild, DIST, ZICHA_BIN, launch, openApp, saved, newInspection, download, screenshot,
} from "../lib/harness.mjs";
import { startServer } from "../lib/server.mjs";

let server;
/** The URL of `path` (from "/") on the test server. */
const at = (path) => server.url.replace(/\/$/, "") + path;
before(async () => {
  requireBuild();
  server = await startServer(DIST);
});
after(async () => {
  await server?.close();
});

/** Runs Python with openpyxl on `script`, given `args` as sys.argv[1:]; returns stdout. */
function python(script, ...args) {
  return execFileSync("python3", ["-c", script, ...args], { encoding: "utf8" });
}

/** Our own checklist: the generic template with another id, title and version (sheet 信息). */
function ownChecklist(dir) {
  const template = join(dir, "generic.xlsx");
  execFileSync(ZICHA_BIN, ["template", "--from", "generic", "-o", template]);
  const own = join(dir, "本企业自查表.xlsx");
  python(
    `import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
info = wb["信息"]
for row in info.iter_rows(min_row=1, max_row=info.max_row):
    key = row[0].value
    if key == "编号": row[1].value = "own-list"
    if key == "名称": row[1].value = "闽江建设自查表"
    if key == "英文名称": row[1].value = "Minjiang own checklist"
    if key == "版本": row[1].value = "2026.1"
wb.save(sys.argv[2])`,
    template,
    own,
  );
  return own;
}

/** The same file with two mistakes: 分值 "十" in F2 and 隐患级别 "严重" in G3. */
function withMistakes(own, dir) {
  const bad = join(dir, "有错误.xlsx");
  python(
    `import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["检查表"]
ws["F2"] = "十"
ws["G3"] = "严重"
wb.save(sys.argv[2])`,
    own,
    bad,
  );
  return bad;
}

/** Sheet name → rows (lists of cell values as text) of an xlsx. */
function readXlsx(path) {
  return JSON.parse(
    python(
      `import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps({ws.title: [[("" if c is None else str(c)) for c in row] for row in ws.iter_rows(values_only=True)] for ws in wb}, ensure_ascii=False))`,
      path,
    ),
  );
}

/** Creates a browser key for `signer` on the keys screen. */
async function createKey(page, signer) {
  await page.goto(at("/#/keys"));
  await page.waitForSelector("#key-create");
  await page.fill("#key-signer", signer);
  await page.fill("#key-pass", "zicha-test-passphrase");
  await page.fill("#key-pass-again", "zicha-test-passphrase");
  const downloaded = page.waitForEvent("download", { timeout: 60_000 });
  await page.click('#key-create button[type="submit"]');
  await downloaded;
  await page.waitForSelector("li.key-card");
}

/** Draws a stroke on a signature pad. */
async function drawOn(page, padId) {
  const canvas = page.locator(`#${padId} canvas`);
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const at = (fx, fy) => [box.x + box.width * fx, box.y + box.height * fy];
  await page.mouse.move(...at(0.1, 0.6));
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(...at(0.1 + i * 0.08, i % 2 ? 0.3 : 0.7), { steps: 3 });
  await page.mouse.up();
  await page.waitForFunction((id) => document.querySelector(`#${id}`).dataset.empty === "false", padId);
}

/** Imports `file` on the 检查表 screen and waits for the result or the problems. */
async function importSheet(page, file) {
  await page.goto(at("/#/checklists"));
  await page.waitForSelector("#checklists-builtin");
  await page.setInputFiles("#import-sheet", file);
  await page.waitForSelector("#import-result, #import-problems, #import-failed", { timeout: 60_000 });
}

test("a version-2 database is upgraded to version 3 with its records intact", async () => {
  const browser = await launch();
  try {
    const { page, errors } = browser;
    // A page of the origin that does not start the app: make the database as version 2 left it.
    await page.goto(at("/manifest.webmanifest"));
    await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open("zicha", 2);
          open.onupgradeneeded = () => {
            for (const store of ["meta", "projects", "inspections", "hazards", "photos", "keys", "pads"]) {
              open.result.createObjectStore(store);
            }
          };
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction("projects", "readwrite");
            tx.objectStore("projects").put('{"schema":1,"record":{"id":"P-old","project":{"name":"旧项目一号楼"}}}', "P-old");
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    // (That page's own requests, such as a favicon, are not the app's.)
    const before = errors.length;
    await openApp(page, server.url);
    await page.waitForSelector("text=旧项目一号楼");
    const after = await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open("zicha");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const request = db.transaction("projects").objectStore("projects").get("P-old");
            request.onsuccess = () => resolve({ version: db.version, stores: [...db.objectStoreNames], project: request.result });
          };
        }),
    );
    assert.equal(after.version, 3);
    assert.ok(after.stores.includes("checklists"), after.stores.join());
    assert.match(after.project, /旧项目一号楼/);
    assert.deepEqual(errors.slice(before), []);
  } finally {
    await browser.close();
  }
});

test("an imported xlsx checklist is listed, inspected, exported as xlsx, signed and verified", async () => {
  const dir = mkdtempSync(join(tmpdir(), "zicha-sheets-"));
  const own = ownChecklist(dir);
  const bad = withMistakes(own, dir);
  const browser = await launch();
  try {
    const { page, errors } = browser;
    await openApp(page, server.url);

    // A file with mistakes: every problem with its cell, nothing stored.
    await importSheet(page, bad);
    const problems = await page.$$eval("#import-problems tbody tr", (rows) =>
      rows.map((row) => [...row.querySelectorAll("td")].map((td) => td.textContent)),
    );
    assert.deepEqual(problems, [
      ["检查表", "2", "F", '分值 "十" is not a number'],
      ["检查表", "3", "G", '隐患级别 "严重" must be 一般 or 重大 (是 or 否)'],
    ]);
    assert.equal(await page.locator("#checklists-imported").count(), 0);
    await screenshot(page, "sheets-problems-1280");

    // The good file: imported, summarised, listed with its counts.
    await importSheet(page, own);
    const result = await page.$eval("#import-result", (el) => ({ ...el.dataset, text: el.textContent }));
    assert.deepEqual([result.checklist, result.version, result.new], ["own-list", "2026.1", "true"]);
    assert.match(result.text, /闽江建设自查表/);
    assert.match(result.text, /共 48 项/);
    const row = '#checklists-imported tr[data-checklist="own-list"]';
    const counts = await page.$$eval(`${row} td[data-count]`, (cells) => cells.map((c) => [c.dataset.count, c.textContent]));
    const generic = await page.$$eval('#checklists-builtin tr[data-checklist="generic"] td[data-count]', (cells) => cells.map((c) => [c.dataset.count, c.textContent]));
    assert.deepEqual(counts, generic, "the same items, 重大 and checked items as the generic checklist it was made from");
    assert.equal(counts[0][1], "48");
    // Importing the same file again stores nothing new.
    await importSheet(page, own);
    assert.equal(await page.getAttribute("#import-result", "data-new"), "false");
    assert.equal(await page.locator("#checklists-imported tbody tr").count(), 1);
    await screenshot(page, "sheets-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "sheets-390");
    await page.setViewportSize({ width: 1280, height: 900 });

    // The templates: empty, and of the imported checklist, which `zicha import` reads back.
    const empty = await download(page, "#template-empty");
    assert.equal(empty.name, "检查表模板.xlsx");
    assert.ok(Object.keys(readXlsx(empty.path)).includes("检查表"));
    const filled = await download(page, `${row} .template-of`);
    assert.equal(filled.name, "检查表-own-list-2026.1.xlsx");
    const reimported = spawnSync(ZICHA_BIN, ["import", filled.path, "-o", join(dir, "again.toml")], { encoding: "utf8" });
    assert.equal(reimported.status, 0, reimported.stdout + reimported.stderr);
    assert.match(reimported.stderr, /own-list 2026\.1 · 48 items/);

    // A reload keeps it.
    await page.reload();
    await page.waitForSelector(row);

    // An inspection of it: the first item fails, with a hazard.
    await page.goto(at("/#/"));
    const offered = await page.$$eval("#new-checklist option", (options) => options.map((o) => o.value));
    assert.equal(offered.at(-1), "own-list");
    const id = await newInspection(page, "own-list");
    await page.waitForSelector("text=闽江建设自查表");
    const item = await page.locator("article.item").first().getAttribute("data-item");
    await page.click(`#item-${item} [data-choice="deduct"]`);
    await saved(page, () => page.check(`#item-${item}-rule-0`));
    await saved(page, () => page.click(`#item-${item} .record-hazard`));
    const hazard = await page.locator(`#item-${item} article.hazard`).first().getAttribute("data-hazard");
    await saved(page, () => page.fill(`#hz-${hazard}-location`, "仓库"));
    const second = await page.locator("article.item").nth(1).getAttribute("data-item");
    await saved(page, () => page.click(`#item-${second} [data-choice="conform"]`));

    // 检查结果 xlsx: every item, the hazard in the 隐患台账.
    const results = readXlsx((await download(page, "#export-results-xlsx")).path);
    assert.deepEqual(Object.keys(results), ["隐患台账", "检查结果", "汇总"]);
    assert.equal(results["检查结果"].length, 1 + 48);
    assert.equal(results["隐患台账"].length, 1 + 1);
    assert.equal(results["隐患台账"][1][0], hazard);
    // The ledger screen's xlsx: rows = hazards.
    await page.goto(at("/#/ledger"));
    const ledgerFile = await download(page, "#export-ledger-xlsx");
    assert.match(ledgerFile.name, /^隐患台账-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const ledger = readXlsx(ledgerFile.path);
    assert.deepEqual(Object.keys(ledger), ["隐患台账"]);
    assert.equal(ledger["隐患台账"].length, 1 + 1);
    assert.deepEqual([ledger["隐患台账"][0][0], ledger["隐患台账"][1][0], ledger["隐患台账"][1][2]], ["编号", hazard, "仓库"]);

    // The bundle carries the imported checklist; the CLI scores it without having it.
    await page.goto(at(`/#/inspection/${id}`));
    const bundle = await download(page, "#export-bundle");
    const carried = python(
      `import sys, zipfile
print(zipfile.ZipFile(sys.argv[1]).read("checklist.toml").decode())`,
      bundle.path,
    );
    assert.match(carried, /^id = "own-list"$/m);
    const score = spawnSync(ZICHA_BIN, ["score", bundle.path, "--json"], { encoding: "utf8" });
    assert.equal(score.status, 0, score.stdout + score.stderr);
    assert.equal(JSON.parse(score.stdout).failed_items.length, 1);

    // Signed report: `zicha verify` re-scores the imported checklist from the report alone.
    await createKey(page, "李海燕");
    await page.goto(at(`/#/report/${id}`));
    await page.waitForSelector("#party-0");
    await drawOn(page, "party-0-pad");
    const keys = await page.locator("#party-0-key option").evaluateAll((o) => o.map((x) => x.value).filter(Boolean));
    await page.selectOption("#party-0-key", keys[0]);
    const downloaded = page.waitForEvent("download", { timeout: 120_000 });
    await page.click("#report-run");
    const failed = page.waitForSelector("#report-error", { timeout: 120_000 }).then(async (el) => {
      throw new Error(`the report failed: ${await el.textContent()}`);
    });
    const pdf = await Promise.race([downloaded, failed]);
    failed.catch(() => {});
    const pdfPath = join(dir, "report.pdf");
    await pdf.saveAs(pdfPath);
    const verified = spawnSync(ZICHA_BIN, ["verify", "--json", pdfPath], { encoding: "utf8" });
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
    const [report] = JSON.parse(verified.stdout);
    assert.equal(report.verdict, "valid");
    assert.equal(report.inspection.matches_report, true);

    // Backup, then restore into an empty browser: the imported checklist and its inspection.
    await page.goto(at("/#/settings"));
    const backup = await download(page, "#backup");
    const fresh = await launch();
    try {
      await openApp(fresh.page, server.url);
      await fresh.page.goto(at("/#/settings"));
      await fresh.page.setInputFiles("#restore-file", backup.path);
      await fresh.page.waitForSelector('.notice[data-kind="RestoreDone"]', { timeout: 60_000 });
      await fresh.page.goto(at("/#/checklists"));
      await fresh.page.waitForSelector(row);
      await fresh.page.goto(at(`/#/inspection/${id}`));
      await fresh.page.waitForSelector("text=闽江建设自查表");
      assert.deepEqual(fresh.errors, []);
    } finally {
      await fresh.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test("benchmark: a 1,008-row import and a 1,000-hazard ledger export in the worker", { skip: !process.env.ZICHA_BENCH }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "zicha-sheets-bench-"));
  // 1,008 rows: the generic template's 48 rows repeated 21 times, each copy in sections of its own
  // (so that every section's points add up to its 分类满分), with their own ids; unverified.
  const rows = join(dir, "千行.xlsx");
  const template = join(dir, "generic.xlsx");
  execFileSync(ZICHA_BIN, ["template", "--from", "generic", "-o", template]);
  python(
    `import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["检查表"]
body = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=ws.max_row)]
body = [r for r in body if r[1]]
ws.delete_rows(2, ws.max_row)
for n in range(21 * len(body)):
    r = list(body[n % len(body)])
    block = n // len(body)
    r[0] = f"{r[0]}（{block + 1}）"
    r[1] = f"{r[1]}-{n}"
    r[13] = f"{r[13]}-{block + 1}"
    r[22] = "否"
    r[23] = None
    ws.append(r)
info = wb["信息"]
for row in info.iter_rows(min_row=1, max_row=info.max_row):
    if row[0].value == "编号": row[1].value = "bench"
wb.save(sys.argv[2])`,
    template,
    rows,
  );
  // 1,000 hazards: a sample bundle's hazards repeated with their own ids.
  const sample = join(dir, "sample.zicha");
  execFileSync(ZICHA_BIN, ["sample", "construction", "--date", "2026-03-02", "-o", sample]);
  const many = join(dir, "many.zicha");
  python(
    `import sys, json, zipfile
src = zipfile.ZipFile(sys.argv[1])
data = json.loads(src.read("inspection.json"))
hazards = data["hazards"]
data["hazards"] = [dict(hazards[n % len(hazards)], id=f"H-{n:04d}") for n in range(1000)]
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as out:
    for name in src.namelist():
        out.writestr(name, json.dumps(data, ensure_ascii=False) if name == "inspection.json" else src.read(name))`,
    sample,
    many,
  );
  const browser = await launch();
  try {
    const { page } = browser;
    await openApp(page, server.url);
    const imports = [];
    for (let run = 0; run < 3; run++) {
      const started = Date.now();
      await importSheet(page, rows);
      imports.push([Number(await page.getAttribute("#import-result", "data-millis")), Date.now() - started]);
    }
    await page.goto(at("/#/settings"));
    await page.setInputFiles("#restore-file", many);
    await page.waitForSelector('.notice[data-kind="ImportDone"]', { timeout: 60_000 });
    await page.goto(at("/#/ledger"));
    await page.waitForSelector("#export-ledger-xlsx");
    const exports = [];
    for (let run = 0; run < 3; run++) {
      const started = Date.now();
      const file = await download(page, "#export-ledger-xlsx");
      exports.push(Date.now() - started);
      if (run === 0) assert.equal(readXlsx(file.path)["隐患台账"].length, 1001);
    }
    console.log(`# import 1,008 rows: worker ${imports.map(([w]) => w.toFixed(0)).join(", ")} ms; click to listed ${imports.map(([, t]) => t).join(", ")} ms`);
    console.log(`# export 1,000-hazard ledger: click to download ${exports.join(", ")} ms`);
  } finally {
    await browser.close();
  }
});
