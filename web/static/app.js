/* dondoc web: the one script (a static file: the CSP allows no inline script).
 * Inside Telegram (a Mini App) it reads the launch parameters Telegram puts in the URL's
 * fragment (#tgWebAppData=…&tgWebAppThemeParams=…), or Telegram.WebApp when present:
 *  - applies the theme's colours as CSS variables (--tg-theme-bg-color…), now and on
 *    theme_changed, and keeps them for the next pages of the session;
 *  - on the sign-in page, sends initData to POST /auth/miniapp, which checks its signature on
 *    the server and opens the session, then goes on to the form;
 *  - opened from a group's "📱 Mở biểu mẫu" on one task (t.me/<bot>?startapp=t12), goes to
 *    that task's page of the form.
 * Outside Telegram it does nothing: every page and form works without it. */
(function () {
  "use strict";
  var WEB_CLIENTS = ["https://web.telegram.org", "https://webk.telegram.org", "https://webz.telegram.org"];
  var store = window.sessionStorage;

  function launchParams() {
    var hash = window.location.hash ? window.location.hash.slice(1) : "";
    var params = {};
    if (hash.indexOf("tgWebApp") !== -1) {
      hash.split("&").forEach(function (pair) {
        var at = pair.indexOf("=");
        if (at > 0) {
          try { params[decodeURIComponent(pair.slice(0, at))] = decodeURIComponent(pair.slice(at + 1)); }
          catch (e) { /* a malformed pair is ignored */ }
        }
      });
    }
    var app = window.Telegram && window.Telegram.WebApp;
    var start = (app && app.initDataUnsafe && app.initDataUnsafe.start_param) || params.tgWebAppStartParam || "";
    return {
      initData: (app && app.initData) || params.tgWebAppData || "",
      theme: (app && app.themeParams) || parseTheme(params.tgWebAppThemeParams),
      task: /^t[0-9]{1,10}$/.test(start) ? start.slice(1) : ""
    };
  }

  function parseTheme(raw) {
    if (!raw) { return null; }
    try { return JSON.parse(raw); } catch (e) { return null; }
  }

  function applyTheme(theme) {
    if (!theme || typeof theme !== "object") { return; }
    var root = document.documentElement;
    Object.keys(theme).forEach(function (key) {
      var value = String(theme[key]);
      if (/^[a-z_]+$/.test(key) && /^#[0-9a-fA-F]{3,8}$/.test(value)) {
        root.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), value);
      }
    });
    try { store.setItem("dondoc.theme", JSON.stringify(theme)); } catch (e) { /* private mode */ }
  }

  function postEvent(type, data) {
    var body = JSON.stringify(data || {});
    try {
      if (window.TelegramWebviewProxy) {
        window.TelegramWebviewProxy.postEvent(type, body);
      } else if (window.external && "notify" in window.external) {
        window.external.notify(JSON.stringify({ eventType: type, eventData: data || {} }));
      } else if (window.parent && window.parent !== window) {
        WEB_CLIENTS.forEach(function (origin) {
          window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data || {} }), origin);
        });
      }
    } catch (e) { /* not inside Telegram */ }
  }

  function onTelegramEvent(type, data) {
    if (type === "theme_changed" && data) { applyTheme(data.theme_params); }
  }

  window.Telegram = window.Telegram || {};
  window.Telegram.WebView = window.Telegram.WebView || { receiveEvent: onTelegramEvent };
  window.addEventListener("message", function (event) {
    if (WEB_CLIENTS.indexOf(event.origin) === -1) { return; }
    try {
      var message = JSON.parse(event.data);
      onTelegramEvent(message.eventType, message.eventData);
    } catch (e) { /* not Telegram's */ }
  });

  var launch = launchParams();
  if (launch.initData) {
    try { store.setItem("dondoc.initData", launch.initData); } catch (e) { /* private mode */ }
  }
  var kept = null;
  try { kept = parseTheme(store.getItem("dondoc.theme")); } catch (e) { kept = null; }
  applyTheme(launch.theme || kept);
  if (launch.initData || kept) {
    document.body.classList.add("in-telegram");
    postEvent("web_app_ready");
    postEvent("web_app_expand");
  }

  var taskPage = launch.task ? "/app/tasks/" + launch.task : "";
  if (taskPage && !document.getElementById("sign-in") && window.location.pathname === "/app") {
    window.location.replace(taskPage);  // signed in already: straight to the task
    return;
  }

  var signIn = document.getElementById("sign-in");
  var initData = launch.initData;
  if (!initData) { try { initData = store.getItem("dondoc.initData") || ""; } catch (e) { initData = ""; } }
  if (signIn && initData) {
    var wait = signIn.querySelector(".miniapp-wait");
    var failed = signIn.querySelector(".miniapp-failed");
    if (wait) { wait.hidden = false; }
    fetch(signIn.getAttribute("data-miniapp-login"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ init_data: initData })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      try { store.removeItem("dondoc.initData"); } catch (e) { /* ignore */ }
      if (result.ok && result.body && result.body.ok) {
        var here = window.location.pathname + window.location.search;
        window.location.replace(taskPage || (here.indexOf("/app") === 0 ? here : result.body.next));
      } else {
        if (wait) { wait.hidden = true; }
        if (failed) { failed.hidden = false; }
      }
    }).catch(function () {
      if (wait) { wait.hidden = true; }
      if (failed) { failed.hidden = false; }
    });
  }
}());
