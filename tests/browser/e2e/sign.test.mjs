// Issue 5, full flow: inspection → two parties sign on the pad → two keys created in the browser
// (non-extractable WebCrypto keys with self-issued certificates) → render and sign in the report
// worker → the downloaded PDF passes `zicha verify`, pdfsig (2 valid signatures, total document
// signed) and pyHanko. Then the same flow with the server stopped and the network gone after the
// first load. Screenshots of the keys and report screens go to tests/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  requireBuild, DIST, ZICHA_BIN, launch, openApp, saved, setUpProfileAndProject, newInspection,
  download, screenshot, foreignRequests, waitUntil,
} from "../lib/harness.mjs";
import { startServer } from "../lib/server.mjs";

before(() => requireBuild());

/** Draws a short zig-zag "signature" on a pad with the mouse. */
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

/** Creates a browser key for `signer`; returns the backup download. */
async function createKey(page, signer) {
  const before = await page.locator("li.key-card").count();
  await page.fill("#key-signer", signer);
  await page.fill("#key-pass", "zicha-test-passphrase");
  await page.fill("#key-pass-again", "zicha-test-passphrase");
  const downloaded = page.waitForEvent("download", { timeout: 60_000 });
  await page.click('#key-create button[type="submit"]');
  const failed = page.waitForSelector("#keys-error", { timeout: 60_000 }).then(async (el) => {
    throw new Error(`key creation failed: ${await el.textContent()}`);
  });
  const file = await Promise.race([downloaded, failed]);
  failed.catch(() => {});
  await page.waitForFunction((n) => document.querySelectorAll("li.key-card").length > n, before);
  return file;
}

/** The whole flow on an open app; returns the path of the downloaded, signed report. */
async function flow(page, tag) {
  await setUpProfileAndProject(page);
  const id = await newInspection(page, "construction");
  const items = await page.locator("article.item").evaluateAll((a) => a.map((x) => x.dataset.item));
  await saved(page, () => page.click(`#item-${items[0]} [data-choice="conform"]`));
  await saved(page, () => page.click(`#item-${items[1]} [data-choice="conform"]`));

  await page.goto(page.url().split("#")[0] + "#/keys");
  await page.waitForSelector("#key-create");
  const backup = await createKey(page, "李海燕");
  assert.match(backup.suggestedFilename(), /^zicha-key-backup-李海燕-[0-9a-f]{8}\.pem$/);
  const backupText = readFileSync(await backup.path(), "utf8");
  assert.match(backupText, /-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  assert.match(backupText, /-----BEGIN CERTIFICATE-----/);
  assert.doesNotMatch(backupText, /-----BEGIN PRIVATE KEY-----/);
  await createKey(page, "王伟");
  // The keys are non-extractable CryptoKeys in IndexedDB.
  const stored = await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("zicha");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction("keys").objectStore("keys").getAll();
          request.onsuccess = () =>
            resolve(request.result.map((r) => ({ extractable: r.key.extractable, type: r.key.type, usages: r.key.usages })));
          request.onerror = () => reject(request.error);
        };
      }),
  );
  assert.deepEqual(stored, [
    { extractable: false, type: "private", usages: ["sign"] },
    { extractable: false, type: "private", usages: ["sign"] },
  ]);
  const certificates = [];
  for (const card of await page.locator("li.key-card").all()) {
    const file = await download(page, `li.key-card[data-key="${await card.getAttribute("data-key")}"] button >> nth=0`);
    certificates.push(file.path);
  }
  await page.click("li.key-card >> nth=0 >> button >> nth=1");
  await page.waitForSelector("li.key-card figure.qr svg");
  await screenshot(page, `sign-${tag}-keys`);

  await page.goto(page.url().split("#")[0] + `#/report/${id}`);
  await page.waitForSelector("#party-0");
  const parties = await page.locator("li.party").evaluateAll((all) => all.map((li) => `${li.dataset.role} ${li.dataset.name}`));
  assert.deepEqual(parties.slice(0, 3), ["检查人 李海燕", "检查人 王伟", "企业负责人 李海燕"]);
  await drawOn(page, "party-0-pad");
  await drawOn(page, "party-1-pad");
  const keys = await page.locator("#party-0-key option").evaluateAll((o) => o.map((x) => x.value).filter(Boolean));
  assert.equal(keys.length, 2);
  await page.selectOption("#party-0-key", keys[0]);
  await page.selectOption("#party-1-key", keys[1]);
  // The strokes survive a reload (stored in IndexedDB at the end of each stroke).
  await page.reload();
  await page.waitForSelector('#party-0-pad[data-empty="false"]');
  await page.waitForSelector('#party-1-pad[data-empty="false"]');
  await page.selectOption("#party-0-key", keys[0]);
  await page.selectOption("#party-1-key", keys[1]);
  await screenshot(page, `sign-${tag}-report`);
  const downloaded = page.waitForEvent("download", { timeout: 120_000 });
  await page.click("#report-run");
  const failed = page.waitForSelector("#report-error", { timeout: 120_000 }).then(async (el) => {
    throw new Error(`the report failed: ${await el.textContent()}`);
  });
  const file = await Promise.race([downloaded, failed]);
  failed.catch(() => {});
  await page.waitForSelector("#report-done");
  const done = await page.$eval("#report-done", (el) => ({ ...el.dataset }));
  assert.equal(done.signatures, "2");
  assert.match(file.suggestedFilename(), /^闽江建设工程有限公司-闽江安置房二期工程3#楼-\d{4}-\d{2}-\d{2}\.pdf$/);
  const path = join(dirname(certificates[0]), `report-${tag}.pdf`);
  await file.saveAs(path);
  console.log(`# ${tag}: render ${done.renderMs} ms, sign ${done.signMs} ms, ${done.pages} pages`);
  return { path, certificates };
}

function checkSigned({ path, certificates }) {
  // zicha verify: valid, two signers, the inspection re-scored equals the report's summary.
  const result = spawnSync(ZICHA_BIN, ["verify", "--json", path], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const [report] = JSON.parse(result.stdout);
  assert.equal(report.verdict, "valid");
  assert.deepEqual(report.signatures.map((s) => `${s.role} ${s.signer}`), ["检查人 李海燕", "检查人 王伟"]);
  assert.equal(report.inspection.matches_report, true);
  assert.equal(report.inspection.signed, true);
  // pdfsig: two valid signatures, the last one covers the whole document.
  const pdfsig = spawnSync("pdfsig", [path], { encoding: "utf8" });
  assert.equal(pdfsig.stdout.match(/Signature is Valid\./g)?.length, 2, pdfsig.stdout);
  assert.match(pdfsig.stdout.split("Signature #").pop(), /Total document signed/, pdfsig.stdout);
  // pyHanko, trusting the two certificates exported from the keys screen.
  const trust = certificates.flatMap((cert) => ["--trust", cert]);
  const pyhanko = spawnSync("pyhanko", ["sign", "validate", "--pretty-print", "--no-revocation-check", ...trust, path], {
    encoding: "utf8",
  });
  assert.equal(pyhanko.status, 0, pyhanko.stdout + pyhanko.stderr);
  assert.match(pyhanko.stdout, /judged VALID/, pyhanko.stdout);
  // The handwritten signatures are images on the signature page.
  const images = execFileSync("pdfimages", ["-list", path], { encoding: "utf8" });
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [path], { encoding: "utf8" }))[1]);
  const onLast = images.split("\n").filter((line) => line.trim().startsWith(String(pages) + " "));
  assert.ok(onLast.length >= 2, images);
}

test("inspection → handwritten + digital signatures with browser keys → a PDF that pdfsig, pyHanko and zicha accept", async () => {
  const server = await startServer(DIST);
  const browser = await launch();
  try {
    const { page, requests, errors } = browser;
    await openApp(page, server.url);
    const signed = await flow(page, "online");
    checkSigned(signed);
    assert.deepEqual(foreignRequests(requests, server.origin), []);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test("imported keys — a CA's .p12 and a key backup — sign with their passphrases; a wrong one is refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "zicha-p12-"));
  // A P-256 identity as a CA would issue it (end-entity certificate), packed with OpenSSL.
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-utf8", "-days", "30", "-nodes",
    "-subj", "/CN=王伟/O=闽江建设工程有限公司/serialNumber=91350100M000100Y43",
    "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "keyUsage=critical,digitalSignature,nonRepudiation",
    "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
  ], { stdio: "ignore" });
  execFileSync("openssl", [
    "pkcs12", "-export", "-inkey", join(dir, "key.pem"), "-in", join(dir, "cert.pem"),
    "-passout", "pass:p12-pass-word", "-out", join(dir, "id.p12"),
  ]);
  const server = await startServer(DIST);
  const browser = await launch();
  try {
    const { page, errors } = browser;
    await openApp(page, server.url);
    await setUpProfileAndProject(page);
    const id = await newInspection(page, "construction");
    await page.goto(page.url().split("#")[0] + "#/keys");
    await page.waitForSelector("#key-create");
    // A browser key's backup, imported back as a passphrase-protected key.
    const backup = await createKey(page, "李海燕");
    const backupPath = join(dir, backup.suggestedFilename());
    await backup.saveAs(backupPath);
    for (const [file, passphrase] of [[backupPath, "zicha-test-passphrase"], [join(dir, "id.p12"), "p12-pass-word"]]) {
      const before = await page.locator("li.key-card").count();
      await page.setInputFiles("#key-file", file);
      await page.fill("#key-import-pass", passphrase);
      await page.click('#key-import button[type="submit"]');
      await page.waitForFunction((n) => document.querySelectorAll("li.key-card").length > n, before);
    }
    // A wrong passphrase is an error on the page, not a stored key.
    await page.setInputFiles("#key-file", join(dir, "id.p12"));
    await page.fill("#key-import-pass", "wrong");
    await page.click('#key-import button[type="submit"]');
    await page.waitForSelector("#keys-error");
    const cards = await page.locator("li.key-card").evaluateAll((all) => all.map((li) => [li.dataset.key, li.dataset.kind]));
    assert.deepEqual(cards.map(([, kind]) => kind).sort(), ["Backup", "Browser", "Pkcs12"]);
    const backupKey = cards.find(([, kind]) => kind === "Backup")[0];
    const p12Key = cards.find(([, kind]) => kind === "Pkcs12")[0];

    await page.goto(page.url().split("#")[0] + `#/report/${id}`);
    await page.waitForSelector("#party-1");
    const options = await page.locator("#party-0-key option").evaluateAll((o) => o.map((x) => x.value).filter(Boolean));
    assert.deepEqual(options.sort(), cards.map(([key]) => key).sort());
    await page.selectOption("#party-0-key", backupKey);
    await page.fill("#party-0-pass", "zicha-test-passphrase");
    await page.selectOption("#party-1-key", p12Key);
    await page.fill("#party-1-pass", "p12-pass-word");
    const downloaded = page.waitForEvent("download", { timeout: 120_000 });
    await page.click("#report-run");
    const file = await downloaded;
    await page.waitForSelector("#report-done");
    const path = join(dir, "report.pdf");
    await file.saveAs(path);
    const result = spawnSync(ZICHA_BIN, ["verify", "--json", path], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const [report] = JSON.parse(result.stdout);
    assert.deepEqual(report.signatures.map((s) => `${s.role} ${s.signer}`), ["检查人 李海燕", "检查人 王伟"]);
    const pdfsig = spawnSync("pdfsig", [path], { encoding: "utf8" });
    assert.equal(pdfsig.stdout.match(/Signature is Valid\./g)?.length, 2, pdfsig.stdout);

    // A wrong passphrase at signing time fails the run with a message; no file is offered.
    await page.fill("#party-1-pass", "wrong");
    await page.click("#report-run");
    await page.waitForSelector("#report-error");
    assert.match(await page.textContent("#report-error"), /王伟/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test("the same flow with the server stopped and the network gone after the first load", async () => {
  const server = await startServer(DIST);
  const browser = await launch({ width: 390, height: 844 });
  try {
    const { page, context, requests } = browser;
    await openApp(page, server.url);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    // The service worker caches the report worker and the font too (after the shell, in the
    // background), so that they are there offline.
    await waitUntil(
      page,
      async () => {
        const name = (await caches.keys()).find((n) => n.startsWith("zicha-"));
        const cache = await caches.open(name);
        const worker = document.querySelector("meta[name=zicha-worker]").content;
        const font = document.querySelector("meta[name=zicha-font]").content;
        // Complete bodies, not just entries being written.
        const size = async (url) => (await (await cache.match(url))?.arrayBuffer())?.byteLength ?? 0;
        return (await size(worker.replace(/\.js$/, "_bg.wasm"))) > 1e6 && (await size(font)) > 1e6;
      },
      null,
      { timeout: 60_000, polling: 500, what: "the report worker and the font, whole, in the cache" },
    );
    await server.close();
    await context.setOffline(true);
    const served = server.log.length;
    await page.reload();
    await page.waitForSelector('#save-status[data-loaded="true"]');
    const signed = await flow(page, "offline");
    checkSigned(signed);
    assert.equal(server.log.length, served, "nothing reached the stopped server");
    assert.deepEqual(foreignRequests(requests, server.origin), []);
  } finally {
    await browser.close();
    await server.close().catch(() => {});
  }
});
