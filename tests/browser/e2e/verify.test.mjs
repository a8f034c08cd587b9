// The regulator's verify page (#/verify), opened on a fresh browser with no enterprise profile:
// three reports made with the CLI — signed by two parties (valid), one byte flipped inside the
// signed range (invalid), and an appended incremental update that paints over the cover page
// (modified after signing) — are dropped into the page; every card shows its verdict and signers,
// and the exported CSV is byte for byte `zicha verify --csv` on the same files with the same names,
// without and with a trust list. The request log shows that nothing leaves the origin and that
// verifying fetches nothing but the app's own static files (the light verifier, the report worker).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { inflateSync } from "node:zlib";
import {
  requireBuild, DIST, ZICHA_BIN, launch, openApp, download, screenshot, foreignRequests,
} from "../lib/harness.mjs";
import { startServer } from "../lib/server.mjs";

const PASSPHRASE = "verify-test-passphrase";
// The sample's enterprise, read from the report: the signers' certificates are its own. The two
// signers (周敏, 王雪) are not the people the sample names, so their boxes are chosen by number.
let ORGANISATION;
let CREDIT_CODE;
const INSPECTOR = "周敏";
const HEAD = "王雪";
const NAMES = ["valid.pdf", "flipped.pdf", "modified.pdf"];

function zicha(args, options = {}) {
  return execFileSync(ZICHA_BIN, args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ZICHA_PASSPHRASE: PASSPHRASE },
    ...options,
  });
}

/** `zicha verify NAMES... --csv` run in `dir` (so the file column holds the bare names). */
function cliCsv(dir, csvName, extra = []) {
  const result = spawnSync(ZICHA_BIN, ["verify", ...NAMES, "--json", "--csv", csvName, ...extra], {
    cwd: dir,
    encoding: "utf8",
  });
  // 1: not every file is valid (two of them are not meant to be).
  assert.equal(result.status, 1, result.stderr);
  return { json: JSON.parse(result.stdout), csv: join(dir, csvName) };
}

// An attacker's tools: the PDF text as latin1, object lookup by scanning (the report's objects are
// plain, uncompressed dictionaries with classic xref tables), and an appended revision.
const latin1 = (bytes) => Buffer.from(bytes).toString("latin1");

/** The text of object `number` as its newest definition has it, and where that text starts. */
function objectBody(pdf, number) {
  const text = latin1(pdf);
  let at = -1;
  for (const match of text.matchAll(new RegExp(`(?:^|[\\r\\n])${number} 0 obj`, "g"))) {
    at = match.index + match[0].length;
  }
  assert.ok(at > 0, `object ${number} not found`);
  return { at, body: text.slice(at, text.indexOf("endobj", at)) };
}

function lastTrailer(pdf) {
  const text = latin1(pdf);
  const startxref = Number(/startxref\s+(\d+)\s*%%EOF\s*$/.exec(text)[1]);
  const trailer = text.slice(text.lastIndexOf("trailer"));
  return {
    startxref,
    root: Number(/\/Root\s*(\d+)\s+0\s+R/.exec(trailer)[1]),
    size: Number(/\/Size\s*(\d+)/.exec(trailer)[1]),
  };
}

/** Page `index`'s content stream: object number, where its data starts, its decoded bytes. */
function pageContent(pdf, index) {
  const ref = (body, key) => Number(new RegExp(`/${key}\\s*(\\d+)\\s+0\\s+R`).exec(body)[1]);
  const pages = ref(objectBody(pdf, lastTrailer(pdf).root).body, "Pages");
  const kids = /\/Kids\s*\[([^\]]*)\]/.exec(objectBody(pdf, pages).body)[1];
  const page = Number([...kids.matchAll(/(\d+)\s+0\s+R/g)][index][1]);
  const number = ref(objectBody(pdf, page).body, "Contents");
  const { at, body } = objectBody(pdf, number);
  const length = Number(/\/Length\s*(\d+)(?!\s+\d+\s+R)/.exec(body)[1]);
  let dataAt = at + body.indexOf("stream") + "stream".length;
  if (pdf[dataAt] === 0x0d) dataAt++;
  if (pdf[dataAt] === 0x0a) dataAt++;
  const raw = pdf.subarray(dataAt, dataAt + length);
  return { number, dataAt, length, data: /FlateDecode/.test(body) ? inflateSync(raw) : raw };
}

/** `pdf` with an incremental update (objects, a classic xref section, a trailer with /Prev). */
function appendRevision(pdf, objects) {
  const { startxref, root, size } = lastTrailer(pdf);
  const parts = [pdf];
  let offset = pdf.length;
  if (pdf[pdf.length - 1] !== 0x0a) {
    parts.push(Buffer.from("\n"));
    offset += 1;
  }
  const entries = [];
  for (const { number, stream } of objects) {
    entries.push([number, offset]);
    const chunk = Buffer.concat([
      Buffer.from(`${number} 0 obj\n<</Length ${stream.length}>>\nstream\n`, "latin1"),
      stream,
      Buffer.from("\nendstream\nendobj\n", "latin1"),
    ]);
    parts.push(chunk);
    offset += chunk.length;
  }
  entries.sort((a, b) => a[0] - b[0]);
  let tail = "xref\n";
  for (const [number, at] of entries) tail += `${number} 1\n${String(at).padStart(10, "0")} 00000 n\r\n`;
  const newSize = Math.max(size, ...entries.map(([number]) => number + 1));
  tail += `trailer\n<</Size ${newSize}/Root ${root} 0 R/Prev ${startxref}>>\nstartxref\n${offset}\n%%EOF\n`;
  parts.push(Buffer.from(tail, "latin1"));
  return Buffer.concat(parts);
}

/** Whether `program` runs; with ZICHA_REQUIRE_TOOLS=1 a missing tool fails the test. */
function toolAvailable(program) {
  const ok = spawnSync(program, ["-v"], { encoding: "utf8" }).error === undefined;
  if (!ok && process.env.ZICHA_REQUIRE_TOOLS === "1") throw new Error(`${program} is required`);
  if (!ok) console.log(`skipped: ${program} not installed`);
  return ok;
}

let server;
let browser;
let dir;
let fingerprints;
before(async () => {
  requireBuild();
  assert.ok(existsSync(ZICHA_BIN), `${ZICHA_BIN} is missing: cargo build -p zicha-cli`);
  dir = await mkdtemp(join(tmpdir(), "zicha-verify-"));
  zicha(["sample", "construction", "--seed", "3", "--date", "2026-03-01", "-o", join(dir, "s.zicha")]);
  zicha(["render", join(dir, "s.zicha"), "-o", join(dir, "report.pdf"), "--time", "2026-03-02T18:00:00+08:00"]);
  const unsigned = JSON.parse(
    spawnSync(ZICHA_BIN, ["verify", "--json", join(dir, "report.pdf")], { encoding: "utf8" }).stdout,
  )[0].inspection;
  ORGANISATION = unsigned.organisation;
  CREDIT_CODE = unsigned.credit_code;
  for (const [folder, signer] of [["inspector", INSPECTOR], ["head", HEAD]]) {
    zicha([
      "keygen", "--org", ORGANISATION, "--credit-code", CREDIT_CODE, "--signer", signer,
      "--not-before", "2026-01-01T00:00:00+08:00", "-o", join(dir, folder),
    ]);
  }
  const sign = (input, folder, role, time, output) =>
    zicha([
      "sign", join(dir, input), "--key", join(dir, folder, "key.pem"), "--cert", join(dir, folder, "cert.pem"),
      // The sample's own people are not the test's signers: their boxes are chosen by number.
      "--party", role === "检查人" ? "1" : "3", "--time", time, "-o", join(dir, output),
    ]);
  sign("report.pdf", "inspector", "检查人", "2026-03-02T19:00:00+08:00", "one.pdf");
  sign("one.pdf", "head", "企业负责人", "2026-03-02T19:30:00+08:00", "valid.pdf");
  const valid = await readFile(join(dir, "valid.pdf"));

  // (b) One byte of the cover page's content stream flipped: inside both signed ranges.
  const cover = pageContent(valid, 0);
  const flipped = Buffer.from(valid);
  flipped[cover.dataAt + Math.floor(cover.length / 2)] ^= 0x01;
  await writeFile(join(dir, "flipped.pdf"), flipped);

  // (c) A later revision replaces the cover page's content: the old drawing, then a white sheet
  // over the whole page with a green box where the grade was. Every signed byte is unchanged.
  const paintOver = Buffer.concat([
    cover.data,
    Buffer.from("\nq 1 1 1 rg 0 0 596 842 re f 0 0.45 0.2 rg 60 560 475 160 re f Q\n", "latin1"),
  ]);
  await writeFile(join(dir, "modified.pdf"), appendRevision(valid, [{ number: cover.number, stream: paintOver }]));

  // The certificates' fingerprints, for a trust list (`zicha verify --json` prints them).
  const { json } = cliCsv(dir, "fingerprints.csv");
  fingerprints = json[0].signatures.map((signature) => signature.cert_sha256);
  assert.equal(fingerprints.length, 2);

  server = await startServer(DIST);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("the tampered files are what they claim to be (qpdf, pdfsig)", () => {
  if (toolAvailable("qpdf")) {
    // A syntactically valid incremental update, not appended garbage.
    const check = spawnSync("qpdf", ["--check", join(dir, "modified.pdf")], { encoding: "utf8" });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /No syntax or stream encoding errors/);
  }
  if (toolAvailable("pdfsig")) {
    const pdfsig = (name) => spawnSync("pdfsig", [join(dir, name)], { encoding: "utf8" }).stdout;
    const valid = pdfsig("valid.pdf");
    assert.equal(valid.match(/Signature is Valid/g)?.length, 2, valid);
    assert.match(valid, /Signature #2:[\s\S]*- Total document signed/);
    // Both signatures intact, neither covers the whole (modified) document.
    const modified = pdfsig("modified.pdf");
    assert.equal(modified.match(/Signature is Valid/g)?.length, 2, modified);
    assert.equal(modified.match(/Not total document signed/g)?.length, 2, modified);
    assert.equal(pdfsig("flipped.pdf").match(/Digest Mismatch/g)?.length, 2);
  }
});

test("verify page: verdicts, signers, CSV equal to the CLI's, nothing leaves the origin", async () => {
  const { page, context, requests, errors } = browser;
  const routed = [];
  await context.route(
    (url) => !url.href.startsWith(server.origin),
    (route) => {
      routed.push(route.request().url());
      return route.abort();
    },
  );
  // A regulator on a fresh device: straight to #/verify, no enterprise profile.
  await openApp(page, `${server.url}#/verify`);
  await page.waitForSelector("#verify-files");
  assert.equal(await page.locator("#org-name").count(), 0, "no profile form here");
  assert.equal(await page.textContent("#trust-status"), "未载入信任列表");
  // The file input is labelled, so it is reachable and named for keyboard and screen reader users.
  assert.equal(await page.$eval("#verify-files", (input) => input.multiple), true);
  assert.equal(await page.textContent('label[for="verify-files"]'), "选择 PDF 文件");

  const startedAt = requests.length;
  const logStart = server.log.length;
  await page.setInputFiles("#verify-files", NAMES.map((name) => join(dir, name)));
  await page.waitForSelector(".verify-card:nth-of-type(1)", { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll("article.verify-card").length === 3);
  // The light verifier's first verdict comes first (e2e/firstverdict.test.mjs); these are the
  // report worker's, once the run is over.
  await page.waitForSelector('#verify-status[data-busy="false"]', { state: "attached", timeout: 60_000 });
  assert.equal(await page.locator('section.verify-results[data-first="false"]').count(), 1);

  const cards = await page.locator("article.verify-card").evaluateAll((articles) =>
    articles.map((article) => ({
      file: article.dataset.file,
      verdict: article.dataset.verdict,
      text: article.querySelector(".verdict-text").textContent,
      signers: [...article.querySelectorAll(".verify-signature")].map((li) => [
        li.querySelector(".verify-role").textContent,
        li.dataset.signer,
        li.dataset.trust,
      ]),
      reasons: [...article.querySelectorAll(".verify-reasons li")].map((li) => li.dataset.code),
      grade: article.querySelector(".verify-grade")?.textContent,
      total: article.querySelector(".verify-total")?.textContent,
      rates: [...article.querySelectorAll(".verify-rate-fraction")].map((td) => td.textContent),
    })),
  );
  const { json: cli, csv: cliCsvPath } = cliCsv(dir, "cli.csv");
  // No trust list: nobody's identity was checked, and each card says so.
  const signers = [["检查人", INSPECTOR, "not-checked"], ["企业负责人", HEAD, "not-checked"]];
  assert.deepEqual(
    cards.map(({ file, verdict, text, signers }) => ({ file, verdict, text, signers })),
    [
      { file: "valid.pdf", verdict: "valid", text: "有效", signers },
      { file: "flipped.pdf", verdict: "invalid", text: "无效", signers },
      { file: "modified.pdf", verdict: "modified", text: "签名后被修改", signers },
    ],
  );
  assert.ok(cards[1].reasons.includes("digest-mismatch"), cards[1].reasons.join());
  assert.ok(cards[2].reasons.includes("page-content-changed"), cards[2].reasons.join());
  assert.deepEqual(cards[0].reasons, []);
  assert.equal(await page.locator("article.verify-card .verify-identity-unchecked").count(), 3);
  // The recovered inspection, re-scored, as the CLI has it.
  for (const [index, card] of cards.entries()) {
    const score = cli[index].inspection.score;
    assert.equal(card.grade, score.grade);
    assert.equal(card.total, String(score.total));
    assert.deepEqual(card.rates, score.five_100.map((rate) => `${rate.numerator}/${rate.denominator}`));
  }
  assert.match(await page.textContent("#verify-counts"), /共 3 份：有效 1，无效 1，签名后被修改 1，签名人证书未登记 0/);

  // The exported CSV is the CLI's file, byte for byte (no byte order mark).
  const exported = await download(page, "#export-csv");
  assert.match(exported.name, /^zicha-verify-\d{4}-\d{2}-\d{2}\.csv$/);
  const csvBytes = await readFile(exported.path);
  assert.ok(csvBytes.equals(await readFile(cliCsvPath)), `CSV differs:\n${csvBytes}`);

  // A trust list with the inspector's certificate: the same files are checked again.
  const trustPath = join(dir, "trust.txt");
  await writeFile(trustPath, `# registered\n${fingerprints[0].match(/../g).join(":").toUpperCase()}\n`);
  await page.setInputFiles("#trust-file", trustPath);
  await page.waitForFunction(
    () => document.querySelector('article[data-file="valid.pdf"] .verify-signature')?.dataset.trust === "known",
    null,
    { timeout: 60_000 },
  );
  assert.equal(await page.getAttribute("#trust-status", "data-count"), "1");
  assert.deepEqual(
    await page.locator('article[data-file="valid.pdf"] .verify-signature').evaluateAll((items) =>
      items.map((li) => [li.dataset.signer, li.dataset.trust, li.querySelector(".badge").textContent]),
    ),
    [[INSPECTOR, "known", "已登记"], [HEAD, "unknown", "未登记"]],
  );
  // The head's certificate is not on the list: the file is not valid, in red, and says why.
  assert.deepEqual(
    await page.$eval('article[data-file="valid.pdf"]', (article) => [
      article.dataset.verdict,
      article.classList.contains("invalid"),
      article.querySelector(".verdict-text").textContent,
      [...article.querySelectorAll(".verify-signature .verify-reasons li")].map((li) => li.dataset.code),
    ]),
    ["unregistered", true, "签名人证书未登记", ["unregistered"]],
  );
  const { csv: trustedCsvPath } = cliCsv(dir, "cli-trusted.csv", ["--trust", trustPath]);
  const trustedCsv = await readFile((await download(page, "#export-csv")).path);
  assert.ok(trustedCsv.equals(await readFile(trustedCsvPath)), `CSV with trust list differs:\n${trustedCsv}`);
  // Cleared: nobody's identity is checked again.
  await page.click("#trust-clear");
  await page.waitForFunction(
    () => document.querySelector('article[data-file="valid.pdf"] .verify-signature')?.dataset.trust === "not-checked",
    null,
    { timeout: 60_000 },
  );
  assert.equal(await page.textContent("#trust-status"), "未载入信任列表");

  // Verifying fetched nothing but the app's own files (the report worker's script and wasm).
  const during = requests.slice(startedAt);
  assert.ok(during.length > 0, "the worker was loaded on first need");
  for (const url of during) {
    assert.ok(url.startsWith(server.origin + "/") || /^blob:/.test(url), `request ${url}`);
    if (url.startsWith(server.origin + "/")) {
      const path = decodeURIComponent(new URL(url).pathname);
      assert.ok(existsSync(join(DIST, path)), `${path} is a file of the build`);
    }
  }
  const served = server.log.slice(logStart);
  assert.ok(served.every((entry) => entry.method === "GET"), JSON.stringify(served));
  assert.ok(served.every((entry) => existsSync(join(DIST, decodeURIComponent(entry.path)))), JSON.stringify(served));

  await screenshot(page, "verify-1280");
  await page.setViewportSize({ width: 360, height: 800 });
  await screenshot(page, "verify-360");
  await page.setViewportSize({ width: 1280, height: 900 });

  assert.deepEqual(foreignRequests(requests, server.origin), [], "request log");
  assert.deepEqual(routed, [], "nothing was routed off the origin");
  assert.deepEqual(errors, []);
});

test("verify page: a dropped file is checked; the drop zone highlights while dragging", async () => {
  const { page, errors } = browser;
  // A fresh page: no files, no results.
  await page.reload();
  await page.waitForSelector("#verify-drop");
  assert.equal(await page.locator("article.verify-card").count(), 0);
  const bytes = [...(await readFile(join(dir, "valid.pdf")))];
  const transfer = await page.evaluateHandle((bytes) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], "dropped.pdf", { type: "application/pdf" }));
    return data;
  }, bytes);
  await page.dispatchEvent("#verify-drop", "dragenter", { dataTransfer: transfer });
  await page.dispatchEvent("#verify-drop", "dragover", { dataTransfer: transfer });
  await page.waitForSelector('#verify-drop.dragging[data-dragging="true"]');
  await page.dispatchEvent("#verify-drop", "drop", { dataTransfer: transfer });
  await page.waitForSelector('article.verify-card[data-file="dropped.pdf"][data-verdict="valid"]', { timeout: 60_000 });
  assert.equal(await page.getAttribute("#verify-drop", "data-dragging"), "false");
  assert.equal(await page.locator("article.verify-card").count(), 1);
  assert.deepEqual(errors, []);
});

test("verify page: progress is announced, and a long run can be cancelled", async () => {
  const { page, errors } = browser;
  await page.reload();
  await page.waitForSelector("#verify-files");
  // Sixty reports take the worker a while: long enough to see the progress and cancel.
  const many = Array.from({ length: 60 }, (_, index) => ({
    name: `report-${String(index + 1).padStart(2, "0")}.pdf`,
    mimeType: "application/pdf",
    buffer: null,
  }));
  const valid = await readFile(join(dir, "valid.pdf"));
  for (const file of many) file.buffer = valid;
  assert.equal(await page.getAttribute("#verify-status", "aria-live"), "polite");
  await page.setInputFiles("#verify-files", many);
  await page.waitForSelector('#verify-status[data-busy="true"][data-total="60"]');
  // Checked by the light verifier, then the pages compared by the report worker.
  assert.match(await page.textContent("#verify-status-text"), /^(已检查 |正在比对页面：)\d+ \/ 60 份$/);
  await page.click("#verify-cancel");
  await page.waitForSelector('#verify-status[data-busy="false"]');
  assert.equal(await page.textContent("#verify-status"), "已取消验证。");
  assert.equal(await page.locator("article.verify-card").count(), 0, "nothing was shown after cancelling");
  // The next run starts a fresh worker.
  await page.setInputFiles("#verify-files", join(dir, "modified.pdf"));
  await page.waitForSelector('article.verify-card[data-file="modified.pdf"][data-verdict="modified"]', { timeout: 60_000 });
  assert.deepEqual(errors, []);
});
