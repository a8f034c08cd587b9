// Zicha's service worker, generated at build time by web/sw/post-build.mjs from
// web/sw/sw-template.js: the list below is every file of this build.
//
// - install: precache the whole build (a new version waits; it never takes over a running app);
// - activate: delete older Zicha caches, then control open pages;
// - fetch: same-origin GETs cache-first; navigations get the cached index.html.
// User data lives in IndexedDB only: nothing here ever touches it.
const VERSION = "__VERSION__";
const CACHE = "zicha-" + VERSION;
const PRECACHE = __PRECACHE__;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(PRECACHE.map((path) => new Request(path, { cache: "reload" }))),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((name) => name.startsWith("zicha-") && name !== CACHE).map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match("index.html")).then((hit) => hit || fetch(request)),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(request, { ignoreSearch: true })).then((hit) => hit || fetch(request)),
  );
});
