// Zicha's service worker, generated at build time by web/sw/post-build.mjs from
// web/sw/sw-template.js: the list below is every file of this build.
//
// - install: precache the app shell, then every checklist (its JSON, fetched when an inspection
//   of it is opened, and its TOML text, which exports embed), the extra UI module, the light
//   verifier, the report worker and the report font (LAZY: not needed for the first screen, which never waits for them —
//   the service worker installs in the background after the page is up — but needed offline
//   later); the shell must all be cached for the install to succeed, a LAZY file that fails to
//   download (a server error, a dropped connection) is left out and the install succeeds without
//   it, so that inspections work offline whatever happened to the report worker or the font;
//   a new version waits; it never takes over a running app;
// - a LAZY file missing from the cache (an install that left it out) is cached when first
//   fetched, and the page posts {warm: true} once interactive, at every start, to fetch the
//   missing ones again; the answer {offline: [missing paths]} tells the page it is ready for
//   offline use (once per version) or what is missing;
// - activate: delete older Zicha caches, then control open pages;
// - fetch: same-origin GETs cache-first; navigations to the app (the scope or index.html) get the
//   cached index.html, navigations to any other file get that file.
// User data lives in IndexedDB only: nothing here ever touches it.
const VERSION = "__VERSION__";
const CACHE = "zicha-" + VERSION;
const PRECACHE = __PRECACHE__;
const LAZY = __LAZY__;

// Caches `path` fresh from the network; a failure leaves it out (the next warm() tries again).
async function cacheLazy(cache, path) {
  try {
    const response = await fetch(new Request(path, { cache: "reload" }));
    if (response.ok) await cache.put(path, response);
  } catch {
    // Offline or refused: still missing, and said so by offlineStatus().
  }
}

async function warm() {
  const cache = await caches.open(CACHE);
  for (const path of LAZY) {
    if (!(await cache.match(path, { ignoreVary: true }))) await cacheLazy(cache, path);
  }
}

// What an inspection, the sign step and verification need, still missing from the cache; and
// whether the page should say so: once when everything is there (「已可离线使用」, remembered in
// this version's cache), every time while something is missing.
const ANNOUNCED = "./__offline-ready";
async function offlineStatus() {
  const cache = await caches.open(CACHE);
  const missing = [];
  for (const path of [...PRECACHE, ...LAZY]) {
    if (!(await cache.match(path, { ignoreVary: true }))) missing.push(path);
  }
  const announced = (await cache.match(ANNOUNCED)) !== undefined;
  if (missing.length === 0 && !announced) await cache.put(ANNOUNCED, new Response("1"));
  return { missing, tell: missing.length > 0 || !announced };
}

self.addEventListener("message", (event) => {
  if (event.data && event.data.warm) {
    event.waitUntil(
      warm()
        .catch(() => {})
        .then(offlineStatus)
        .then((status) => {
          if (status.tell && event.source) event.source.postMessage({ offline: status.missing });
        })
        .catch(() => {}),
    );
  }
});

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      await cache.addAll(PRECACHE.map((path) => new Request(path, { cache: "reload" })));
      // Each from this version's server into this version's cache only: never a mix of versions.
      await Promise.all(LAZY.map((path) => cacheLazy(cache, path)));
    }),
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
  // The app's own document (the scope, or index.html, with any query: its screens are in the
  // hash) is the cached index.html; any other page of the origin opened in a tab (the manifest, a
  // checklist's TOML) is that file, as for any other request, never the app in its place.
  const path = url.pathname.slice(new URL(self.registration.scope).pathname.length);
  if (request.mode === "navigate" && (path === "" || path === "index.html")) {
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match("index.html", { ignoreVary: true })).then((hit) => hit || fetch(request)),
    );
    return;
  }
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
      if (hit) return hit;
      const response = await fetch(request);
      if (response.ok && LAZY.includes(path)) await cache.put(path, response.clone());
      return response;
    })(),
  );
});
