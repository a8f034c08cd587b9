// Issue 17: sign where you are. Two browser contexts are two devices: the inspector's (the
// enterprise's profile, a browser key) answers an inspection, signs it by hand and with the key,
// and exports the report; the 监理's (the 监理 unit's profile, its own browser key for that unit)
// opens the received file on the verify screen, sees which boxes are signed and free, draws a
// handwritten signature and countersigns into the 监理 box only, and downloads the result, which
// `zicha verify`, pdfsig and pyHanko accept with both signatures. Refused, with the reason in
// Chinese: a report with a modified revision, the 监理 box already signed, a key of another unit,
// a PDF from another app. Screenshots of the countersign screen at 390 and 1280 px go to
// target/screenshots/.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateSync } from "node:zlib";
import {
  requireBuild, DIST, ZICHA_BIN, CREDIT_CODE, launch, openApp, saved, setUpProfileAndProject,
  newInspection, download, foreignRequests,
} from "../lib/harness.mjs";
import { startServer } from "../lib/server.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const SCREENSHOTS = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, "target"), "screenshots");
// The 监理 unit the inspector's project records (harness: setUpProfileAndProject), and a valid
// credit code of its own (zicha-core checks the check character).
const SUPERVISOR_UNIT = "福建工程监理有限公司";
const SUPERVISOR_CODE = "91110000100000000R";
const SUPERVISOR = "张建华";

before(() => requireBuild());

/** Draws a short zig-zag on the pad `padId`. */
async function drawOn(page, padId) {
  const canvas = page.locator(`#${padId} canvas`);
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const at = (fx, fy) => [box.x + box.width * fx, box.y + box.height * fy];
  await page.mouse.move(...at(0.1, 0.6));
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(...at(0.1 + i * 0.06, i % 2 ? 0.3 : 0.7), { steps: 3 });
  await page.mouse.up();
  await page.waitForFunction((id) => document.querySelector(`#${id}`).dataset.empty === "false", padId);
}

/** Creates a browser key for `signer` on the keys screen (the profile's unit). */
async function createKey(page, signer) {
  await page.goto(page.url().split("#")[0] + "#/keys");
  await page.waitForSelector("#key-create");
  const before = await page.locator("li.key-card").count();
  await page.fill("#key-signer", signer);
  await page.fill("#key-pass", "zicha-test-passphrase");
  await page.fill("#key-pass-again", "zicha-test-passphrase");
  const downloaded = page.waitForEvent("download", { timeout: 60_000 });
  await page.click('#key-create button[type="submit"]');
  await downloaded;
  await page.waitForFunction((n) => document.querySelectorAll("li.key-card").length > n, before);
  const key = await page.locator("li.key-card").last().getAttribute("data-key");
  // Its certificate, for pyHanko's trust.
  const certificate = await download(page, `li.key-card[data-key="${key}"] button >> nth=0`);
  return { key, certificate: certificate.path };
}

/** Opens `file` in the countersign panel of the verify screen and waits for the check. */
async function openReceived(page, file) {
  if (!page.url().includes("#/verify")) {
    await page.goto(page.url().split("#")[0] + "#/verify");
    await page.waitForSelector("#countersign");
  }
  await page.setInputFiles("#cs-file", file);
  await page.waitForSelector("#cs-verdict", { timeout: 120_000 });
  await page.waitForFunction(() => document.querySelector("#countersign").dataset.busy === "false");
}

async function boxes(page) {
  return page.locator("#cs-boxes > li").evaluateAll((all) =>
    all.map((li) => `${li.dataset.number} ${li.dataset.role} ${li.dataset.signed}${li.dataset.mine === "true" ? " mine" : ""}`),
  );
}

async function refusal(page) {
  await page.waitForSelector("#cs-refused");
  return page.$eval("#cs-refused", (el) => ({ code: el.dataset.code, text: el.textContent }));
}

// The PDF as text, its newest objects, and an appended revision (as verify.test.mjs tampers).
const latin1 = (bytes) => Buffer.from(bytes).toString("latin1");

function objectBody(pdf, number) {
  const text = latin1(pdf);
  let at = -1;
  for (const match of text.matchAll(new RegExp(`(?:^|[\\r\\n])${number} 0 obj`, "g"))) at = match.index + match[0].length;
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

/** The first page's content stream: object number and decoded bytes. */
function coverContent(pdf) {
  const ref = (body, key) => Number(new RegExp(`/${key}\\s*(\\d+)\\s+0\\s+R`).exec(body)[1]);
  const pages = ref(objectBody(pdf, lastTrailer(pdf).root).body, "Pages");
  const kids = /\/Kids\s*\[([^\]]*)\]/.exec(objectBody(pdf, pages).body)[1];
  const page = Number([...kids.matchAll(/(\d+)\s+0\s+R/g)][0][1]);
  const number = ref(objectBody(pdf, page).body, "Contents");
  const { at, body } = objectBody(pdf, number);
  const length = Number(/\/Length\s*(\d+)(?!\s+\d+\s+R)/.exec(body)[1]);
  let dataAt = at + body.indexOf("stream") + "stream".length;
  if (pdf[dataAt] === 0x0d) dataAt++;
  if (pdf[dataAt] === 0x0a) dataAt++;
  const raw = pdf.subarray(dataAt, dataAt + length);
  return { number, data: /FlateDecode/.test(body) ? inflateSync(raw) : raw };
}

/** `pdf` with a revision that paints over the cover page (a classic xref section). */
function paintedOver(pdf) {
  const cover = coverContent(pdf);
  const stream = Buffer.concat([cover.data, Buffer.from("\nq 1 1 1 rg 0 0 596 842 re f Q\n", "latin1")]);
  const { startxref, root, size } = lastTrailer(pdf);
  const head = Buffer.concat([pdf, Buffer.from(pdf[pdf.length - 1] === 0x0a ? "" : "\n")]);
  const object = Buffer.concat([
    Buffer.from(`${cover.number} 0 obj\n<</Length ${stream.length}>>\nstream\n`, "latin1"),
    stream,
    Buffer.from("\nendstream\nendobj\n", "latin1"),
  ]);
  const xref = head.length + object.length;
  const tail =
    `xref\n${cover.number} 1\n${String(head.length).padStart(10, "0")} 00000 n\r\n` +
    `trailer\n<</Size ${Math.max(size, cover.number + 1)}/Root ${root} 0 R/Prev ${startxref}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.concat([head, object, Buffer.from(tail, "latin1")]);
}

async function shot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // From the top: a full-page shot of a scrolled page draws the sticky header mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

test("the inspector signs and exports; the 监理 countersigns on another device; refusals", async () => {
  const dir = mkdtempSync(join(tmpdir(), "zicha-countersign-"));
  const server = await startServer(DIST);
  const inspector = await launch();
  const supervisor = await launch();
  try {
    // Device 1: the inspector renders and signs box 1 with a browser key.
    const page = inspector.page;
    await openApp(page, server.url);
    await setUpProfileAndProject(page);
    const id = await newInspection(page, "construction");
    const items = await page.locator("article.item").evaluateAll((a) => a.map((x) => x.dataset.item));
    await saved(page, () => page.click(`#item-${items[0]} [data-choice="conform"]`));
    const inspectorKey = await createKey(page, "李海燕");
    await page.goto(page.url().split("#")[0] + `#/report/${id}`);
    await page.waitForSelector("#party-0");
    await drawOn(page, "party-0-pad");
    await page.selectOption("#party-0-key", inspectorKey.key);
    const exported = page.waitForEvent("download", { timeout: 120_000 });
    await page.click("#report-run");
    const report = join(dir, "received.pdf");
    await (await exported).saveAs(report);
    await page.waitForSelector("#report-done");

    // Device 2: the 监理 unit's own profile and key.
    const other = supervisor.page;
    await openApp(other, server.url);
    await saved(other, () => other.fill("#org-name", SUPERVISOR_UNIT));
    await saved(other, () => other.fill("#org-credit-code", SUPERVISOR_CODE));
    await saved(other, () => other.fill("#org-safety-lead", SUPERVISOR));
    const supervisorKey = await createKey(other, SUPERVISOR);

    await openReceived(other, report);
    assert.equal(await other.getAttribute("#cs-verdict", "data-verdict"), "valid");
    assert.deepEqual(await boxes(other), ["1 检查人 true", "2 检查人 false", "3 企业负责人 false", "4 监理 false"]);
    await other.selectOption("#cs-key", supervisorKey.key);
    // The key decides the box: the 监理 unit's, never another party's.
    assert.deepEqual(await boxes(other), ["1 检查人 true", "2 检查人 false", "3 企业负责人 false", "4 监理 false mine"]);
    assert.equal(await other.isDisabled("#cs-sign"), true, "no handwriting yet");
    await drawOn(other, "cs-pad");
    for (const [width, height] of [[390, 844], [1280, 900]]) {
      await other.setViewportSize({ width, height });
      await shot(other, `countersign-${width}`);
    }
    const countersigned = other.waitForEvent("download", { timeout: 120_000 });
    await other.click("#cs-sign");
    const file = await countersigned;
    assert.equal(file.suggestedFilename(), "received-监理会签.pdf");
    const both = join(dir, "countersigned.pdf");
    await file.saveAs(both);
    await other.waitForSelector("#cs-done");
    assert.equal(await other.getAttribute("#cs-done", "data-number"), "4");

    // zicha verify: valid, the inspector and the 监理, box 4 filled; still incomplete as a whole.
    const verify = spawnSync(ZICHA_BIN, ["verify", "--json", both], { encoding: "utf8" });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    const [result] = JSON.parse(verify.stdout);
    assert.equal(result.verdict, "valid");
    assert.deepEqual(
      result.signatures.map((s) => `${s.role} ${s.signer} ${s.organisation} ${s.field}`),
      ["检查人 李海燕 闽江建设工程有限公司 ZichaBox1", `监理 ${SUPERVISOR} ${SUPERVISOR_UNIT} ZichaBox4`],
    );
    assert.deepEqual(result.parties.map((p) => `${p.number} ${p.role} ${p.signed}`), [
      "1 检查人 true", "2 检查人 false", "3 企业负责人 false", "4 监理 true",
    ]);
    assert.equal(result.proof.status, "proven");
    const strict = spawnSync(ZICHA_BIN, ["verify", "--require-all-parties", both], { encoding: "utf8" });
    assert.equal(strict.status, 1, strict.stdout);
    assert.match(strict.stdout, /有效但签署不全 incomplete/);
    // pdfsig: both valid, the 监理's covers the whole file.
    const pdfsig = spawnSync("pdfsig", [both], { encoding: "utf8" });
    assert.equal(pdfsig.stdout.match(/Signature is Valid\./g)?.length, 2, pdfsig.stdout);
    assert.match(pdfsig.stdout.split("Signature #").pop(), /Total document signed/, pdfsig.stdout);
    // pyHanko, trusting the two certificates exported from the two devices' keys screens.
    const pyhanko = spawnSync(
      "pyhanko",
      ["sign", "validate", "--pretty-print", "--no-revocation-check", "--trust", inspectorKey.certificate,
        "--trust", supervisorKey.certificate, both],
      { encoding: "utf8" },
    );
    assert.equal(pyhanko.status, 0, pyhanko.stdout + pyhanko.stderr);
    assert.match(pyhanko.stdout, /judged VALID/, pyhanko.stdout);
    // The handwriting is vector strokes in the 监理's visible signature: the signature page
    // (rendered as poppler draws the widgets) shows both.
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [both], { encoding: "utf8" }))[1]);
    execFileSync("pdftoppm", ["-png", "-r", "60", "-f", String(pages), "-l", String(pages), both, join(SCREENSHOTS, "countersign-signature-page")]);

    // Refused: the same file again (the 监理 box is signed now).
    await openReceived(other, both);
    await other.selectOption("#cs-key", supervisorKey.key);
    const signedAgain = await refusal(other);
    assert.equal(signedAgain.code, "box-signed");
    assert.match(signedAgain.text, /已经签署过/);
    assert.equal(await other.isDisabled("#cs-sign"), true);

    // Refused: a revision painted over the cover after the inspector signed.
    const modified = join(dir, "modified.pdf");
    writeFileSync(modified, paintedOver(readFileSync(report)));
    await openReceived(other, modified);
    assert.equal(await other.getAttribute("#cs-verdict", "data-verdict"), "modified");
    const changed = await refusal(other);
    assert.equal(changed.code, "modified");
    assert.match(changed.text, /签名后被修改/);
    assert.equal(await other.locator("#cs-sign").count(), 0, "no signing form for a modified report");

    // Refused: a key of another unit (the enterprise's, with the 监理's name) for the 监理 box.
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-utf8", "-days", "30", "-nodes",
      "-subj", `/CN=${SUPERVISOR}/O=闽江建设工程有限公司/serialNumber=${CREDIT_CODE}`,
      "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "keyUsage=critical,digitalSignature,nonRepudiation",
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
    ], { stdio: "ignore" });
    execFileSync("openssl", [
      "pkcs12", "-export", "-inkey", join(dir, "key.pem"), "-in", join(dir, "cert.pem"),
      "-passout", "pass:p12-pass-word", "-out", join(dir, "other-unit.p12"),
    ]);
    await other.goto(other.url().split("#")[0] + "#/keys");
    await other.waitForSelector("#key-create");
    const before = await other.locator("li.key-card").count();
    await other.setInputFiles("#key-file", join(dir, "other-unit.p12"));
    await other.fill("#key-import-pass", "p12-pass-word");
    await other.click('#key-import button[type="submit"]');
    await other.waitForFunction((n) => document.querySelectorAll("li.key-card").length > n, before);
    const otherUnitKey = await other.locator("li.key-card").last().getAttribute("data-key");
    await openReceived(other, report);
    await other.selectOption("#cs-key", otherUnitKey);
    const wrongUnit = await refusal(other);
    assert.equal(wrongUnit.code, "other-unit");
    assert.match(wrongUnit.text, /证书单位不是该签名框所代表的单位/);
    assert.equal(await other.isDisabled("#cs-sign"), true);
    assert.deepEqual(await boxes(other), ["1 检查人 true", "2 检查人 false", "3 企业负责人 false", "4 监理 false"]);

    // Refused: a PDF another app made (no boxes reserved): pdftocairo's copy of the report.
    const foreign = join(dir, "foreign.pdf");
    execFileSync("pdftocairo", ["-pdf", "-f", "1", "-l", "1", report, foreign]);
    await openReceived(other, foreign);
    const notOurs = await refusal(other);
    assert.equal(notOurs.code, "not-a-report");
    assert.match(notOurs.text, /不是本应用生成的报告/);

    assert.deepEqual(foreignRequests(inspector.requests, server.origin), []);
    assert.deepEqual(foreignRequests(supervisor.requests, server.origin), []);
    assert.deepEqual(inspector.errors, []);
    assert.deepEqual(supervisor.errors, []);
  } finally {
    await inspector.close();
    await supervisor.close();
    await server.close();
  }
});
