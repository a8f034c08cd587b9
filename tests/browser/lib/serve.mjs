// node tests/browser/lib/serve.mjs DIR [PORT] [precompressed|none]: serves DIR on
// http://127.0.0.1:PORT/ (scripts/serve-web.sh), by default with the .br / .gz siblings the build
// wrote, with "none" compressing nothing (lib/server.mjs).
import { startServer } from "./server.mjs";

const [dir = "dist", port = "8080", encoding = "precompressed"] = process.argv.slice(2);
const server = await startServer(dir, { port: Number(port), encoding });
console.log(`Zicha is served on ${server.url} (${encoding === "none" ? "uncompressed" : "precompressed .br / .gz siblings"})`);
