/// <reference lib="webworker" />
export {};
// The service worker keeps the app shell on the phone so /presensi/ opens without signal.
// The API is never cached: check-ins go through the page's own queue.
declare const self: ServiceWorkerGlobalScope;

const CACHE = "presensi-v1";
const APP = "/presensi/";

// The shell is the page plus the assets it names; in production their names carry content
// hashes, so they are read from the page rather than listed here.
async function cacheShell(): Promise<void> {
  const cache = await caches.open(CACHE);
  const response = await fetch(APP, { credentials: "same-origin" });
  if (!response.ok || response.redirected) return;
  const html = await response.clone().text();
  const assets = Array.from(new Set(html.match(/\/static\/presensi[^"'\s]*/g) ?? []));
  await cache.put(APP, response);
  await cache.addAll([...assets, "/presensi/manifest.webmanifest"]);
}

self.addEventListener("install", (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate" && url.pathname === APP) {
    // Network first (fresh CSRF token and session), the cached shell when offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put(APP, copy));
          }
          return response;
        })
        .catch(async () => (await caches.match(APP)) ?? Response.error()),
    );
    return;
  }
  if (url.pathname.startsWith("/static/presensi") || url.pathname === "/presensi/manifest.webmanifest") {
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ??
          fetch(request).then((response) => {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put(request, copy));
            return response;
          }),
      ),
    );
  }
});
