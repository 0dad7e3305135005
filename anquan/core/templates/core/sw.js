// Anquan service worker (anquan/core/offline.py): the app shell from the cache, the field pages from the network
// and, when the network fails, from the cache. Submissions are never handled here (field.js queues them).
const VERSION = "{{ version }}";
const SHELL_CACHE = "anquan-shell-" + VERSION;
const PAGES_CACHE = "anquan-pages";
const SHELL = {{ shell|safe|default:"[]" }};
const PAGES = {{ pages|safe|default:"[]" }};
const STATIC_PREFIX = "{{ static_prefix }}";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(
    names.filter((n) => n.startsWith("anquan-shell-") && n !== SHELL_CACHE).map((n) => caches.delete(n))
  )).then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(caches.match(request, {ignoreSearch: true}).then((hit) => hit || fetch(request).then((response) => {
      if (response.ok) { const copy = response.clone(); caches.open(SHELL_CACHE).then((c) => c.put(request, copy)); }
      return response;
    })));
    return;
  }
  if (request.mode === "navigate" && PAGES.includes(url.pathname)) {
    event.respondWith(fetch(request).then((response) => {
      if (response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(PAGES_CACHE).then((c) => c.put(url.pathname, copy));
      }
      return response;
    }).catch(() => caches.match(url.pathname).then((hit) => hit || Response.error())));
  }
});
