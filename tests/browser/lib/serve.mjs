// node tests/browser/lib/serve.mjs DIR [PORT]: serves DIR on http://127.0.0.1:PORT/ (scripts/serve-web.sh).
import { startServer } from "./server.mjs";

const [dir = "dist", port = "8080"] = process.argv.slice(2);
const server = await startServer(dir, { port: Number(port) });
console.log(`Zicha is served on ${server.url}`);
