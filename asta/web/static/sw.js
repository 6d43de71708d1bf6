// Asta's service worker: My shifts and an offline page without a connection, and push
// notifications (standby offers, bookings). Served from "/" (asta/web/pages/pwa.py).
"use strict";

const CACHE = "asta-v1";
const LANGUAGES = ["fi", "sv", "en"];
const MY_SHIFTS = "/my-shifts";
const LANGUAGE_KEY = "/offline-language"; // the language of the last page shown
// Signing in or out starts someone's own session: the last one's shifts must not stay.
const SESSION_CHANGES = ["/sign-in", "/sign-out"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.addAll(LANGUAGES.map((lang) => "/offline?lang=" + lang)))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  const lang = event.data && event.data.lang;
  if (LANGUAGES.includes(lang)) {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.put(LANGUAGE_KEY, new Response(lang))));
  }
});

async function offlinePage(cache) {
  const saved = await cache.match(LANGUAGE_KEY);
  const lang = saved ? await saved.text() : "fi";
  return (await cache.match("/offline?lang=" + lang)) || Response.error();
}

async function savedMyShifts(cache) {
  const saved = await cache.match(MY_SHIFTS);
  if (!saved) {
    return null;
  }
  // The page carries its own note in its language, with the time it was made: shown here.
  const html = (await saved.text()).replace("data-offline-note hidden", "data-offline-note");
  return new Response(html, {headers: {"Content-Type": "text/html; charset=utf-8"}});
}

async function navigate(request) {
  const url = new URL(request.url);
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (url.pathname === MY_SHIFTS && !url.search && response.ok && !response.redirected) {
      await cache.put(MY_SHIFTS, response.clone());
    }
    return response;
  } catch (error) {
    const shifts = url.pathname === MY_SHIFTS ? await savedMyShifts(cache) : null;
    return shifts || offlinePage(cache);
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method === "POST" && SESSION_CHANGES.includes(url.pathname)) {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.delete(MY_SHIFTS)));
    return;
  }
  if (request.mode === "navigate" && request.method === "GET") {
    event.respondWith(navigate(request));
  }
});

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {body: event.data.text()};
  }
  event.waitUntil(self.registration.showNotification(data.title || "Asta", {
    body: data.body || "",
    tag: data.tag,
    icon: "/static/web/icons/icon-192.png",
    data: {url: data.url || MY_SHIFTS},
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data.url, self.location.origin).href;
  event.waitUntil(self.clients.matchAll({type: "window", includeUncontrolled: true})
    .then((windows) => {
      const open = windows.find((client) => client.url === target);
      return open ? open.focus() : self.clients.openWindow(target);
    }));
});
