// Renders the app icons (PNG) from an SVG with headless Chromium. Run once after changing the
// design: node web/tools/make-icons.mjs (needs tests/browser/node_modules).
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = join(dirname(fileURLToPath(import.meta.url)), "../icons");
const require = createRequire(join(here, "../../tests/browser/package.json"));
const { chromium } = require("playwright-core");

const svg = (size, padding) => `
<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 512 512">
  <rect x="0" y="0" width="512" height="512" rx="${padding ? 0 : 96}" fill="#0b5d3b"/>
  <g transform="translate(256 256) scale(${padding ? 0.72 : 1}) translate(-256 -256)">
    <text x="256" y="300" font-size="300" font-weight="700" text-anchor="middle" fill="#ffffff"
      font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif">查</text>
    <path d="M150 392 l58 52 l154 -150" fill="none" stroke="#f2c230" stroke-width="40" stroke-linecap="round" stroke-linejoin="round"/>
  </g>
</svg>`;

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
for (const [name, size, maskable] of [["icon-192.png", 192, false], ["icon-512.png", 512, false], ["icon-maskable-512.png", 512, true]]) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<style>html,body{margin:0;background:transparent}</style>${svg(size, maskable)}`);
  writeFileSync(join(here, name), await page.screenshot({ omitBackground: true }));
}
await browser.close();
