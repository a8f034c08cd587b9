// The regulator's inbox on the verify page (issue 14 §2): five reports made with the CLI — two
// enterprises, two sectors, a resubmission of the same inspection, a byte flipped inside the
// signed range, and an unsigned report whose file name starts with `=` — are verified with "keep
// the PDF" ticked. The inbox keeps them in its own IndexedDB database with the fields of
// `zicha register`'s `reports` table (compared with the CLI's Parquet register of the same files,
// read by DuckDB), links the resubmission, keeps the same file once, filters by verdict and sector,
// exports xlsx (read back with openpyxl) and CSV (byte order mark, neutralised cell), and is still
// there after a reload and offline (server stopped).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { requireBuild, ZICHA_BIN, DIST, launch, openApp, download, screenshot, foreignRequests, waitUntil } from "../lib/harness.mjs";
import { startServer } from "../lib/server.mjs";

const PASSPHRASE = "inbox-test-passphrase";
// In the order they are verified (the CLI registers them in the same order).
const NAMES = ["a-valid.pdf", "b-flipped.pdf", "c-school.pdf", "d-resubmitted.pdf", "=HYPERLINK(1).pdf"];
const RECEIVED = "2026-03-20T09:00:00+08:00";

function zicha(args, options = {}) {
  return execFileSync(ZICHA_BIN, args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ZICHA_PASSPHRASE: PASSPHRASE },
    ...options,
  });
}

const sha256 = async (path) => createHash("sha256").update(await readFile(path)).digest("hex");

let dir;
let server;
let browser;
let sha;
before(async () => {
  requireBuild();
  assert.ok(existsSync(ZICHA_BIN), `${ZICHA_BIN} is missing: cargo build -p zicha-cli`);
  dir = await mkdtemp(join(tmpdir(), "zicha-inbox-"));
  const path = (name) => join(dir, name);
  /** Samples, renders at `time` and signs in boxes `boxes` with the enterprise's own key. */
  const report = (sector, seed, date, time, boxes, output) => {
    const bundle = path(`${sector}-${seed}.zicha`);
    if (!existsSync(bundle)) zicha(["sample", sector, "--seed", String(seed), "--date", date, "-o", bundle]);
    const unsigned = path(`${output}.unsigned.pdf`);
    zicha(["render", bundle, "-o", unsigned, "--time", time]);
    // `zicha verify` exits 1 for the unsigned file; its JSON names the enterprise.
    const { organisation, credit_code } = JSON.parse(
      spawnSync(ZICHA_BIN, ["verify", "--json", unsigned], { encoding: "utf8" }).stdout,
    )[0].inspection;
    const keys = path(`keys-${sector}-${seed}`);
    if (!existsSync(keys)) {
      zicha(["keygen", "--org", organisation, "--credit-code", credit_code, "--signer", "周敏",
        "--not-before", "2026-01-01T00:00:00+08:00", "-o", keys]);
    }
    let input = unsigned;
    boxes.forEach((box, index) => {
      const signed = path(`${output}.${index}.pdf`);
      zicha(["sign", input, "--key", join(keys, "key.pem"), "--cert", join(keys, "cert.pem"),
        "--party", String(box), "--time", time.replace("T18", "T19"), "-o", signed]);
      input = signed;
    });
    return input;
  };
  const copy = async (from, to) => writeFile(path(to), await readFile(from));
  await copy(report("construction", 3, "2026-03-01", "2026-03-02T18:00:00+08:00", [1], "a"), "a-valid.pdf");
  // One byte of the middle of the file flipped: inside the signed range.
  const flipped = Buffer.from(await readFile(path("a-valid.pdf")));
  flipped[Math.floor(flipped.length / 3)] ^= 0x01;
  await writeFile(path("b-flipped.pdf"), flipped);
  await copy(report("school", 5, "2026-04-10", "2026-04-11T18:00:00+08:00", [1], "c"), "c-school.pdf");
  // The same inspection rendered again a day later: other bytes, the same inspection id.
  await copy(report("construction", 3, "2026-03-01", "2026-03-03T18:00:00+08:00", [1], "d"), "d-resubmitted.pdf");
  // Unsigned, and named to plant a formula in a spreadsheet.
  await copy(path("a.unsigned.pdf"), "=HYPERLINK(1).pdf");
  sha = {};
  for (const name of NAMES) sha[name] = await sha256(path(name));
  server = await startServer(DIST);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The inbox table's rows as the page shows them. */
async function rows(page) {
  return page.locator("#inbox-table tr.inbox-row").evaluateAll((trs) =>
    trs.map((tr) => ({
      file: tr.dataset.file,
      sha: tr.dataset.sha,
      verdict: tr.dataset.verdict,
      major: tr.querySelector(".inbox-major").textContent,
      resubmitted: tr.querySelector(".inbox-resubmitted")?.textContent ?? null,
    })),
  );
}

async function inboxTotal(page, total) {
  await page.waitForSelector(`#inbox[data-loaded="true"][data-total="${total}"]`, { timeout: 60_000 });
}

/** A CSV's lines split into cells (RFC 4180 quotes; no line breaks inside cells here). */
function csvCells(line) {
  const cells = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      cells.push(cell);
      cell = "";
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

test("inbox: kept, linked, filtered, exported, after a reload and offline", async () => {
  const { page, context, requests, errors } = browser;
  await openApp(page, `${server.url}#/verify`);
  await inboxTotal(page, 0);
  assert.equal(await page.locator("#inbox-empty").count(), 1);
  await page.check("#inbox-keep-pdf");
  await page.setInputFiles("#verify-files", NAMES.map((name) => join(dir, name)));
  await page.waitForFunction(() => document.querySelectorAll("article.verify-card").length === 5, null, { timeout: 120_000 });
  await inboxTotal(page, 5);
  assert.equal(await page.getAttribute("#inbox-message", "data-added"), "5");

  const cli = JSON.parse(spawnSync(ZICHA_BIN, ["verify", "--json", ...NAMES], { cwd: dir, encoding: "utf8" }).stdout);
  const verdicts = Object.fromEntries(cli.map((result) => [result.file, result.verdict]));
  assert.deepEqual(
    Object.values(verdicts),
    ["valid", "invalid", "valid", "valid", "invalid"],
    "the files are what they claim to be",
  );
  const shown = await rows(page);
  assert.deepEqual(
    shown.map(({ file, sha: hash, verdict }) => [file, hash, verdict]).sort(),
    NAMES.map((name) => [name, sha[name], verdicts[name]]).sort(),
  );
  // Four files carry the construction sample's inspection id (the flipped and the unsigned copy
  // too): each later one is linked to the one before it, in the order received.
  const revisions = Object.fromEntries(shown.map((row) => [row.file, row.resubmitted]));
  assert.deepEqual(revisions, {
    "a-valid.pdf": null, "b-flipped.pdf": "第 2 次报送", "c-school.pdf": null,
    "d-resubmitted.pdf": "第 3 次报送", "=HYPERLINK(1).pdf": "第 4 次报送",
  });
  await page.click('tr[data-file="d-resubmitted.pdf"] .inbox-open');
  assert.equal(await page.textContent(".inbox-detail .inbox-supersedes"), sha["b-flipped.pdf"]);
  assert.deepEqual(
    await page.locator(".inbox-detail .verify-signature").evaluateAll((items) => items.map((li) => li.dataset.signer)),
    ["周敏"],
  );
  assert.ok((await page.locator(".inbox-detail .inbox-hazard").count()) > 0, "the hazards are shown");
  // The kept PDF comes back byte for byte.
  const pdf = await download(page, ".inbox-detail .inbox-pdf");
  assert.ok((await readFile(pdf.path)).equals(await readFile(join(dir, "d-resubmitted.pdf"))));
  await page.click('tr[data-file="d-resubmitted.pdf"] .inbox-open');
  assert.equal(await page.locator(".inbox-detail").count(), 0);
  // Counts and both charts.
  assert.match(await page.textContent("#inbox-counts"), /显示 5 \/ 5 份 · 有效 3 · 无效 2 · .*重新报送 3/);
  assert.deepEqual(
    await page.locator("#inbox-chart-verdicts .inbox-bar").evaluateAll((bars) => bars.map((g) => [g.dataset.month, g.dataset.total])),
    [["2026-03", "4"], ["2026-04", "1"]],
  );
  assert.equal(await page.locator("#inbox-chart-grades .inbox-bar").count(), 2);

  // The same file again is not kept twice.
  await page.setInputFiles("#verify-files", [join(dir, "a-valid.pdf")]);
  await page.waitForSelector('#inbox-message[data-duplicates="1"]', { timeout: 60_000 });
  assert.equal(await page.getAttribute("#inbox-message", "data-added"), "0");
  await inboxTotal(page, 5);

  // The rows are the register's: `zicha register` on the same files, read by DuckDB.
  const register = join(dir, "register");
  zicha(["register", ...NAMES, "--to", register, "--time", RECEIVED], { cwd: dir });
  const columns = ["file_sha256", "file_name", "verdict", "enterprise", "credit_code", "project", "sector",
    "checklist_id", "checklist_version", "inspection_id", "inspection_date", "grade", "total", "stop_work",
    "hazards_major_open", "hazards_total_open", "signer_count", "supersedes", "revision", "reason_codes"];
  const duck = spawnSync("python3", ["-c", `
import duckdb, json, sys
rows = duckdb.sql(f"SELECT ${columns.join(", ")} FROM read_parquet('{sys.argv[1]}/reports/*/*.parquet', hive_partitioning = true) ORDER BY file_name").fetchall()
def text(v):
    if v is None: return ""
    if isinstance(v, bool): return "true" if v else "false"
    if isinstance(v, float): return repr(float(v))
    return str(v)
print(json.dumps([[text(v) for v in row] for row in rows]))
`, register], { encoding: "utf8" });
  assert.equal(duck.status, 0, duck.stderr);
  const expected = JSON.parse(duck.stdout);

  // CSV of all five: the byte order mark, the register's columns, a neutralised cell.
  const csvFile = await download(page, "#inbox-export-csv");
  assert.match(csvFile.name, /^zicha-inbox-\d{4}-\d{2}-\d{2}\.csv$/);
  const csvBytes = await readFile(csvFile.path);
  assert.deepEqual([...csvBytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 byte order mark");
  const lines = csvBytes.toString("utf8").slice(1).trimEnd().split("\n");
  const header = csvCells(lines[0]);
  assert.deepEqual(header.slice(0, 19), ["file_sha256", "file_name", "received_at", "verdict", "reasons", "enterprise",
    "credit_code", "project", "sector", "checklist_id", "checklist_version", "inspection_id", "inspection_date", "grade",
    "total", "stop_work", "hazards_major_open", "hazards_total_open", "signer_count"]);
  assert.equal(lines.length, 6);
  assert.ok(lines.some((line) => line.includes(`"'=HYPERLINK(1).pdf"`)), "the formula is neutralised");
  const browserRows = lines.slice(1).map(csvCells).map((cells) =>
    columns.map((column) => {
      const value = cells[header.indexOf(column)];
      return column === "file_name" ? value.replace(/^'/, "") : value;
    }),
  ).sort((a, b) => (a[1] < b[1] ? -1 : 1));
  const normal = (table) => table.map((row) => row.map((value, index) =>
    columns[index] === "total" && value !== "" ? String(Number(value)) : value));
  assert.deepEqual(normal(browserRows), normal(expected), "the browser's rows are the register's");

  // Filtered by verdict, then by sector too.
  await page.selectOption("#inbox-verdict", "valid");
  assert.deepEqual((await rows(page)).map((row) => row.file).sort(), ["a-valid.pdf", "c-school.pdf", "d-resubmitted.pdf"]);
  await page.selectOption("#inbox-sector", "construction");
  assert.deepEqual((await rows(page)).map((row) => row.file).sort(), ["a-valid.pdf", "d-resubmitted.pdf"]);
  assert.match(await page.textContent("#inbox-counts"), /显示 2 \/ 5 份/);
  // The filtered table as xlsx, read back with openpyxl.
  const xlsx = await download(page, "#inbox-export-xlsx");
  assert.match(xlsx.name, /\.xlsx$/);
  const read = spawnSync("python3", ["-c", `
import json, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
out = {}
for sheet in book.worksheets:
    rows = [[c.value if not hasattr(c.value, "isoformat") else c.value.isoformat()[:10] for c in row] for row in sheet.iter_rows()]
    out[sheet.title] = {"rows": rows, "frozen": sheet.freeze_panes}
print(json.dumps(out, default=str))
`, xlsx.path], { encoding: "utf8" });
  assert.equal(read.status, 0, read.stderr);
  const book = JSON.parse(read.stdout);
  assert.deepEqual(Object.keys(book), ["reports", "signatures"]);
  const [head, ...data] = book.reports.rows;
  assert.deepEqual(head, header);
  assert.equal(book.reports.frozen, "A2");
  assert.deepEqual(data.map((row) => row[head.indexOf("file_name")]).sort(), ["a-valid.pdf", "d-resubmitted.pdf"]);
  const dateColumn = head.indexOf("inspection_date");
  assert.deepEqual(data.map((row) => row[dateColumn]), ["2026-03-01", "2026-03-01"]);
  assert.deepEqual(data.map((row) => row[head.indexOf("sector")]), ["construction", "construction"]);
  // One signature each, by the enterprise's own key.
  assert.equal(book.signatures.rows.length, 3);
  assert.equal(book.signatures.rows[0][1], "signer");
  assert.ok(book.signatures.rows.slice(1).every((row) => row[1] === "周敏"));
  await screenshot(page, "inbox-1280");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "inbox-390");
  await page.setViewportSize({ width: 1280, height: 900 });

  // Still there after a reload.
  await page.reload();
  await inboxTotal(page, 5);

  // Offline: the server stopped, the network gone, the app from the service worker's cache.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  await waitUntil(page, async () => {
    const names = await caches.keys();
    const cache = await caches.open(names.find((n) => n.startsWith("zicha-")));
    const paths = (await cache.keys()).map((r) => new URL(r.url).pathname);
    return paths.some((p) => p.includes("zicha-worker")) && paths.some((p) => p.includes("zicha-extra"));
  }, null, { timeout: 60_000, what: "the report worker and the extra module in the cache" });
  await server.close();
  server = undefined;
  await context.setOffline(true);
  await page.reload();
  await inboxTotal(page, 5);
  await page.selectOption("#inbox-verdict", "invalid");
  assert.deepEqual((await rows(page)).map((row) => row.file).sort(), ["=HYPERLINK(1).pdf", "b-flipped.pdf"]);
  // The worker writes the export offline too.
  const offlineCsv = await readFile((await download(page, "#inbox-export-csv")).path);
  assert.equal(offlineCsv.toString("utf8").trimEnd().split("\n").length, 3);
  // Remove one report.
  await page.click('tr[data-file="b-flipped.pdf"] .inbox-open');
  await page.click(".inbox-detail .inbox-remove");
  await inboxTotal(page, 4);
  await page.reload();
  await inboxTotal(page, 4);
  assert.deepEqual(foreignRequests(requests, new URL(page.url()).origin), []);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource|net::ERR/.test(e)), []);
});
