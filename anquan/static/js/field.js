// Field pages: tables as cards on a phone, filter drawers, confirmation dialogs, and the offline queue of
// submissions (issue #12). No framework; behaviour hangs on data-aq-* attributes, never on inline handlers
// (the Content-Security-Policy refuses them).
(function () {
  "use strict";
  const T = {  // every word a user reads here is Chinese
    ok: "确定", cancel: "取消", reason: "原因（必填）", reasonMissing: "请填写原因",
    pending: (n) => "待发送 " + n + " 条", sendNow: "立即发送", offline: "网络未连接：提交的内容已保存在本机，联网后自动发送",
    queued: "已保存在本机，联网后自动发送", dropped: "网络不稳定，未能送达：已保存在本机，稍后自动发送", sent: (n) => "已发送 " + n + " 条", refused: (n) => n + " 条未被接受，请重新填写",
    discard: "删除", view: "查看", filter: "筛选", close: "关闭",
  };

  // --- tables as cards below 768 px: each cell is labelled with its column's heading -------------------
  // Every list table (aq-table) with a one-row heading becomes cards too, unless it says data-aq-keep-table.
  function labelCells(root) {
    root.querySelectorAll("table.aq-table:not([data-aq-keep-table])").forEach(function (table) {
      if (table.tHead && table.tHead.rows.length === 1) table.classList.add("aq-cards");
    });
    root.querySelectorAll("table.aq-cards").forEach(function (table) {
      const heads = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.from(row.children).forEach(function (cell, i) {
          if (!cell.dataset.label && heads[i] && cell.colSpan < 2) cell.dataset.label = heads[i];
        });
      });
    });
  }

  // --- drawers: <button data-aq-drawer="ID"> opens the element ID (filters on a phone) ---------------------
  // A list page's filter form (a GET form in a card with three fields or more) becomes one by itself.
  function drawFilters(root) {
    root.querySelectorAll("main form.card").forEach(function (form, i) {
      if (form.classList.contains("aq-drawer") || form.method.toLowerCase() !== "get") return;
      if (form.querySelectorAll("input:not([type=hidden]), select").length < 3) return;
      form.id = form.id || "aq-filters-" + i;
      form.classList.add("aq-drawer");
      const head = document.createElement("div");
      head.className = "aq-drawer-head";
      const title = document.createElement("strong");
      title.textContent = T.filter;
      const close = document.createElement("button");
      close.type = "button";
      close.className = "btn-close";
      close.setAttribute("aria-label", T.close);
      close.dataset.aqDrawerClose = "";
      head.append(title, close);
      form.prepend(head);
      const open = document.createElement("button");
      open.type = "button";
      open.className = "btn btn-outline-primary btn-sm aq-drawer-button mb-2";
      open.dataset.aqDrawer = form.id;
      open.setAttribute("aria-controls", form.id);
      open.setAttribute("aria-expanded", "false");
      const icon = document.createElement("i");
      icon.className = "bi bi-funnel";
      open.append(icon, " " + T.filter);
      form.before(open);
    });
  }

  document.addEventListener("click", function (event) {
    const opener = event.target.closest("[data-aq-drawer]");
    if (opener) {
      const drawer = document.getElementById(opener.dataset.aqDrawer);
      const open = !drawer.classList.contains("aq-open");
      drawer.classList.toggle("aq-open", open);
      opener.setAttribute("aria-expanded", String(open));
      document.body.classList.toggle("aq-drawer-open", open);
      return;
    }
    const closer = event.target.closest("[data-aq-drawer-close]");
    if (closer) {
      closer.closest(".aq-drawer").classList.remove("aq-open");
      document.body.classList.remove("aq-drawer-open");
    }
  });

  // --- confirmation before an irreversible step ------------------------------------------------------------
  // <form data-aq-confirm="question" [data-aq-reason="field name"]>: an in-page dialog asks the question (and,
  // with data-aq-reason, the reason, copied into that field of the form); only 确定 sends the form.
  function ask(form) {
    const dialog = document.createElement("dialog");
    dialog.className = "aq-confirm";
    dialog.setAttribute("data-testid", "confirm-dialog");
    const text = document.createElement("p");
    text.className = "aq-confirm-question";
    text.textContent = form.dataset.aqConfirm;
    dialog.appendChild(text);
    let reason = null;
    let error = null;
    if (form.dataset.aqReason) {
      const label = document.createElement("label");
      label.className = "form-label";
      label.textContent = T.reason;
      reason = document.createElement("textarea");
      reason.className = "form-control";
      reason.rows = 3;
      reason.id = "aq-confirm-reason";
      label.htmlFor = reason.id;
      const field = form.elements[form.dataset.aqReason];
      if (field) reason.value = field.value;
      error = document.createElement("div");
      error.className = "aq-field-error";
      dialog.append(label, reason, error);
    }
    const buttons = document.createElement("div");
    buttons.className = "aq-confirm-buttons";
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "btn btn-outline-secondary btn-lg";
    cancel.textContent = T.cancel;
    const ok = document.createElement("button");
    ok.type = "button";
    ok.className = "btn btn-primary btn-lg";
    ok.textContent = T.ok;
    buttons.append(cancel, ok);
    dialog.appendChild(buttons);
    document.body.appendChild(dialog);
    cancel.addEventListener("click", () => { dialog.close(); dialog.remove(); });
    dialog.addEventListener("cancel", () => dialog.remove());
    ok.addEventListener("click", function () {
      if (reason) {
        if (!reason.value.trim()) { error.textContent = T.reasonMissing; reason.focus(); return; }
        let field = form.elements[form.dataset.aqReason];
        if (!field) {
          field = document.createElement("input");
          field.type = "hidden";
          field.name = form.dataset.aqReason;
          form.appendChild(field);
        }
        field.value = reason.value.trim();
      }
      dialog.close();
      dialog.remove();
      form.dataset.aqConfirmed = "1";
      form.requestSubmit(form.aqSubmitter || undefined);
    });
    dialog.showModal();
    (reason || ok).focus();
  }
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.dataset || !form.dataset.aqConfirm) return;
    if (form.dataset.aqConfirmed) { delete form.dataset.aqConfirmed; return; }
    event.preventDefault();
    event.stopImmediatePropagation();  // not sent: its client key stays as it was
    form.aqSubmitter = event.submitter && event.submitter.form === form ? event.submitter : null;
    ask(form);
  }, true);

  // --- offline queue: <form data-aq-offline> submitted without a network is kept on the phone --------------
  // (IndexedDB, files included) and sent with its client key (form_key, core/idempotency.py) when the network
  // returns: the server records it once however often it arrives.
  const DB = "anquan-outbox";
  function store(mode) {
    return new Promise(function (resolve, reject) {
      const open = indexedDB.open(DB, 1);
      open.onupgradeneeded = () => open.result.createObjectStore("items", {keyPath: "id", autoIncrement: true});
      open.onerror = () => reject(open.error);
      open.onsuccess = () => resolve(open.result.transaction("items", mode).objectStore("items"));
    });
  }
  function done(request) {
    return new Promise((resolve, reject) => { request.onsuccess = () => resolve(request.result); request.onerror = () => reject(request.error); });
  }
  const outbox = {
    all: async () => done((await store("readonly")).getAll()),
    add: async (item) => done((await store("readwrite")).add(item)),
    put: async (item) => done((await store("readwrite")).put(item)),
    remove: async (id) => done((await store("readwrite")).delete(id)),
  };
  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // `sent`: the FormData of a post the network dropped, kept with the key it was sent with: if it did reach the
  // server, sending it again is recorded once (core/idempotency.py)
  async function queue(form, submitter, sent) {
    const data = sent || new FormData(form, submitter || undefined);
    if (!sent) data.set("form_key", newKey());  // a page served from the cache may carry a key already used
    const fields = [];
    data.forEach(function (value, name) {
      if (value instanceof File) {
        if (value.size) fields.push([name, value, value.name]);
      } else if (name !== "csrfmiddlewaretoken") fields.push([name, value]);
    });
    // the form's own address (form.action would be a field named "action", as a workflow form has)
    const url = new URL(form.getAttribute("action") || "", location.href).href;
    await outbox.add({url: url, fields: fields, at: Date.now(), title: document.title.split("·")[0].trim()});
    // the page may show what was kept (a checklist marks the item as recorded): it gets the values sent
    form.dispatchEvent(new CustomEvent("aq:queued", {bubbles: true, detail: {fields: fields}}));
    form.reset();
    if (form.elements.form_key) {  // the next report is another one; Back still finds this page's key
      form.elements.form_key.value = newKey();
      history.replaceState(Object.assign({}, history.state, {aqFormKey: form.elements.form_key.value}), "");
    }
    form.querySelectorAll("[data-aq-files-shown], [data-aq-location]").forEach((el) => { el.textContent = ""; });
    note(sent ? T.dropped : T.queued, "warning");
    await show();
    retry();
  }

  // --- a field form is posted with fetch while online, so that a request the network drops is queued too -----
  // (navigator.onLine says only that there is a network interface). A redirect (done) comes back as
  // X-Aq-Location (core/offline.OutboxAnswerMiddleware) and is opened as the browser would have; any other
  // answer (the form with its errors) is shown by posting the form natively, as it would have been.
  const WAIT_MS = 60000;  // a request not answered by then is taken as dropped
  async function post(form, submitter) {
    if (form.aqPosting) return;  // a second tap while the first is on its way sends nothing more
    form.aqPosting = true;
    const data = new FormData(form, submitter || undefined);
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: {"X-CSRFToken": csrfToken(), "X-Aq-Outbox": "1"}, signal: AbortSignal.timeout(WAIT_MS),
      });
    } catch (e) {
      form.aqPosting = false;
      data.delete("csrfmiddlewaretoken");
      await queue(form, submitter, data);
      return;
    }
    const location = response.headers.get("X-Aq-Location");
    if (location) { window.location.assign(location); return; }
    if (submitter && submitter.name) {
      const keep = document.createElement("input");
      keep.type = "hidden"; keep.name = submitter.name; keep.value = submitter.value;
      form.appendChild(keep);
    }
    HTMLFormElement.prototype.submit.call(form);  // no submit event: not intercepted again
  }

  // While something waits, try again: soon at first, then every 30 s. The browser's "online" event is not enough:
  // a page opened from the service worker's copy without a network may already believe it is online (so no event
  // comes), and a weak signal says "online" while requests fail.
  const RETRY_SECONDS = [5, 10, 20, 30];
  let retrying = null;
  function retry(attempt) {
    if (retrying) return;
    const step = attempt || 0;
    retrying = setTimeout(async function () {
      retrying = null;
      const waiting = (await outbox.all()).filter((i) => !i.refused);
      if (!waiting.length) return;
      if (navigator.onLine) await flush();
      retry(Math.min(step + 1, RETRY_SECONDS.length - 1));
    }, RETRY_SECONDS[step] * 1000);
  }

  let flushing = null;
  function flush() {
    if (!flushing) flushing = send().finally(() => { flushing = null; });
    return flushing;
  }
  async function send() {
    let sent = 0;
    let refused = 0;
    let last = null;
    for (const item of await outbox.all()) {
      if (item.refused || !navigator.onLine) continue;
      const data = new FormData();
      item.fields.forEach((f) => (f.length === 3 ? data.append(f[0], f[1], f[2]) : data.append(f[0], f[1])));
      data.set("csrfmiddlewaretoken", csrfToken());
      let response;
      try {
        response = await fetch(item.url, {method: "POST", body: data, credentials: "same-origin", headers: {"X-CSRFToken": csrfToken()}});
      } catch (e) {
        break;  // still no network: try again when it returns
      }
      const landed = new URL(response.url);
      if (response.ok && response.redirected && !landed.pathname.startsWith("/login")) {
        await outbox.remove(item.id);
        sent += 1;
        last = response.url;
      } else if (response.status === 403 || landed.pathname.startsWith("/login")) {
        break;  // the session ended: keep everything until the user has logged in again
      } else {
        item.refused = true;  // the server refused the content (it answered with the form and its errors)
        await outbox.put(item);
        refused += 1;
      }
    }
    if (sent) note(T.sent(sent), "success", sent === 1 ? last : null);
    if (refused) note(T.refused(refused), "danger");
    await show();
  }

  function note(text, kind, link) {
    const main = document.querySelector("main");
    if (!main) return;
    main.querySelectorAll('[data-testid="outbox-note"]').forEach((old) => old.remove());
    const alert = document.createElement("div");
    alert.className = "alert alert-" + kind;
    alert.setAttribute("role", "status");
    alert.dataset.testid = "outbox-note";
    alert.textContent = text;
    if (link) {
      const open = document.createElement("a");
      open.href = link;
      open.className = "ms-2";
      open.textContent = T.view;
      alert.appendChild(open);
    }
    main.prepend(alert);
  }

  async function show() {
    let items = [];
    try { items = await outbox.all(); } catch (e) { return; }
    let bar = document.getElementById("aq-outbox");
    if (!items.length) { if (bar) bar.remove(); return; }
    if (!bar) {
      bar = document.createElement("div");
      bar.id = "aq-outbox";
      bar.className = "aq-outbox";
      bar.dataset.testid = "outbox";
      document.body.appendChild(bar);
    }
    bar.replaceChildren();
    const count = document.createElement("strong");
    count.textContent = T.pending(items.length);
    bar.appendChild(count);
    items.filter((i) => i.refused).forEach(function (item) {
      const row = document.createElement("div");
      row.className = "small";
      row.textContent = item.title + " · " + T.refused(1) + " ";
      const drop = document.createElement("button");
      drop.type = "button";
      drop.className = "btn btn-sm btn-link p-0";
      drop.textContent = T.discard;
      drop.addEventListener("click", async () => { await outbox.remove(item.id); await show(); });
      row.appendChild(drop);
      bar.appendChild(row);
    });
    if (navigator.onLine) {
      const now = document.createElement("button");
      now.type = "button";
      now.className = "btn btn-sm btn-light ms-2";
      now.textContent = T.sendNow;
      now.addEventListener("click", flush);
      bar.appendChild(now);
    } else {
      const why = document.createElement("div");
      why.className = "small";
      why.textContent = T.offline;
      bar.appendChild(why);
    }
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (event.defaultPrevented || !form.hasAttribute || !form.hasAttribute("data-aq-offline") || !window.indexedDB) return;
    event.preventDefault();
    const sending = navigator.onLine ? post(form, event.submitter) : queue(form, event.submitter);
    sending.catch((e) => note(String(e), "danger"));
  }, true);  // before anquan.js's listener, which then leaves the page's history alone (no early "navigation")
  window.addEventListener("online", flush);
  window.addEventListener("offline", show);

  document.addEventListener("DOMContentLoaded", function () {
    labelCells(document);
    drawFilters(document);
    // a refused form: the first field with an error in view, ready to be corrected
    const invalid = document.querySelector("main form .is-invalid");
    if (invalid) { invalid.scrollIntoView({block: "center"}); invalid.focus({preventScroll: true}); }
    if (!window.indexedDB) return;
    show().then(() => { if (navigator.onLine) return flush(); }).then(() => outbox.all()).then((items) => { if (items.length) retry(); });
  });
  document.addEventListener("htmx:afterSwap", (event) => labelCells(event.target));

  // --- the service worker keeps the app shell (styles, scripts, the field forms) for a weak network ----------
  // the pages kept for a weak network are one user's: the login page (after a logout) forgets them
  if (document.getElementById("id_username") && window.caches) caches.delete("anquan-pages");
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", () => navigator.serviceWorker.register("/sw.js").catch(() => {}));
  }
})();
