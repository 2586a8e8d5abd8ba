// Keel service worker. Generated per build: the cache names carry the build's
// asset hashes, so a new build replaces the old caches.
const VERSION = "__VERSION__";
const ASSETS = "keel-assets-" + VERSION;
const PAGES = "keel-pages-" + VERSION;
const PRECACHE = __PRECACHE__;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(ASSETS).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => k.startsWith("keel-") && k !== ASSETS && k !== PAGES)
            .map((k) => caches.delete(k))
        )
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  // Signing out clears that person's cached pages.
  if (event.data && event.data.type === "signed-out") {
    event.waitUntil(caches.delete(PAGES));
  }
});

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(ASSETS);
    cache.put(request, response.clone());
  }
  return response;
}

// Sign-in and setup pages hold nothing personal and are never kept.
const UNCACHED_PAGES = ["/login", "/setup"];

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    const path = new URL(request.url).pathname;
    if (response.ok && !response.redirected && response.type === "basic" && !UNCACHED_PAGES.includes(path) && !path.endsWith(".csv")) {
      const cache = await caches.open(PAGES);
      cache.put(request, response.clone());
    }
    return response;
  } catch (err) {
    const cached = (await caches.match(request, { cacheName: PAGES })) || (await caches.match("/", { cacheName: PAGES }));
    if (cached) return cached;
    return new Response(
      "<!doctype html><meta charset=utf-8><title>Keel</title><p>You are offline. 你已离线。</p>",
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
    );
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Server functions and health checks are never cached.
  if (url.pathname.startsWith("/api/") || url.pathname === "/healthz" || url.pathname === "/sw.js") return;
  if (url.pathname.startsWith("/__PKG__/") || url.pathname.startsWith("/icons/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (request.mode === "navigate" || (request.headers.get("accept") || "").includes("text/html")) {
    event.respondWith(networkFirst(request));
  }
});
