// Small enhancements; every page works without this file.
(function () {
  // After an action, move focus to its result (errors first) so screen reader and keyboard
  // users hear it and continue from there, instead of from the top of the page.
  function focusResult(root) {
    var target = root.querySelector("#error-summary") || root.querySelector("#result-message");
    if (target) { target.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { focusResult(document); });
  document.addEventListener("htmx:afterSettle", function (event) { focusResult(event.target); });

  // Copy buttons (hidden without this file): copy the named field, say so in its status.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.dataset.copy);
      var status = document.getElementById(button.dataset.copy + "-copied");
      button.hidden = false;
      button.addEventListener("click", function () {
        function done(message) { if (status) { status.textContent = message; } }
        function fallback() {
          field.select();
          done(document.execCommand("copy") ? button.dataset.copied : button.dataset.copyFailed);
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(
            function () { done(button.dataset.copied); }, fallback);
        } else {
          fallback();
        }
      });
    });
  });
})();

// The installable app: the service worker keeps My shifts for offline use and shows push
// notifications; it is told the page's language for its offline page.
(function () {
  if (!("serviceWorker" in navigator)) { return; }
  navigator.serviceWorker.register("/sw.js").then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    registration.active.postMessage({lang: document.documentElement.lang});
    setUpPushToggle(registration);
  }).catch(function () { /* no offline copy and no push; the pages work as before */ });

  function keyBytes(base64url) {
    var text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
    return bytes;
  }

  function csrfToken() {
    var field = document.querySelector("input[name=_csrf_token]");
    return field ? field.value : "";
  }

  function post(path, body) {
    return fetch(path, {method: "POST", credentials: "same-origin", body: JSON.stringify(body),
                        headers: {"Content-Type": "application/json",
                                  "X-CSRFToken": csrfToken()}}).then(function (answer) {
      if (!answer.ok && answer.status !== 404) { throw new Error(String(answer.status)); }
    });
  }

  function setUpPushToggle(registration) {
    var section = document.getElementById("push-settings");
    if (!section || !("PushManager" in window) || !("Notification" in window)) { return; }
    var on = document.getElementById("push-on");
    var off = document.getElementById("push-off");
    var state = document.getElementById("push-state");
    var publicKey = null;

    function show(subscribed, message) {
      on.hidden = subscribed;
      off.hidden = !subscribed;
      state.textContent = message || section.dataset[subscribed ? "on" : "off"];
    }
    function failed(error) {
      show(false, Notification.permission === "denied" ? section.dataset.blocked
                                                        : section.dataset.failed);
    }

    fetch("/api/me/push", {credentials: "same-origin"}).then(function (answer) {
      return answer.ok ? answer.json() : null;
    }).then(function (settings) {
      if (!settings || !settings.public_key) { return; }
      publicKey = settings.public_key;
      return registration.pushManager.getSubscription().then(function (subscription) {
        section.hidden = false;
        show(Boolean(subscription));
      });
    }).catch(function () { /* the section stays hidden */ });

    on.addEventListener("click", function () {
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") { throw new Error(permission); }
        return registration.pushManager.subscribe({userVisibleOnly: true,
                                                   applicationServerKey: keyBytes(publicKey)});
      }).then(function (subscription) {
        return post("/api/me/push/subscriptions", subscription.toJSON());
      }).then(function () { show(true); off.focus(); }).catch(failed);
    });

    off.addEventListener("click", function () {
      registration.pushManager.getSubscription().then(function (subscription) {
        if (!subscription) { return null; }
        return post("/api/me/push/subscriptions/remove", {endpoint: subscription.endpoint})
          .then(function () { return subscription.unsubscribe(); });
      }).then(function () { show(false); on.focus(); }).catch(failed);
    });
  }
})();
