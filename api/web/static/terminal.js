// 车间终端: the scan box, the operator's badge, reports and start/pause/resume,
// and the offline queue. Every action gets its idempotency key when the
// operator presses the button; it waits in localStorage until the server has
// answered (recorded, or refused by the rules), so a report made offline is
// sent when the network returns, and one sent twice counts once (the server
// keeps a receipt per user and key).
(function () {
  "use strict";
  const root = document.getElementById("terminal");
  const tiles = document.querySelectorAll("a.tile[data-wc]");
  tiles.forEach(function (a) {
    a.addEventListener("click", function () { localStorage.setItem("fl.terminal.wc", a.dataset.wc); });
  });
  if (!root) {
    const saved = localStorage.getItem("fl.terminal.wc");
    if (saved && tiles.length && !location.search.includes("wc=")) {
      location.replace("/terminal?wc=" + encodeURIComponent(saved));
    }
    return;
  }
  const msg = root.dataset;
  const wc = root.dataset.wc;
  localStorage.setItem("fl.terminal.wc", wc);
  const QUEUE = "fl.terminal.queue", OPERATOR = "fl.terminal.operator." + wc;
  const scan = document.getElementById("scan");
  const feedback = document.getElementById("feedback");
  const panel = document.getElementById("report-panel");
  const form = document.getElementById("report-form");
  const opBox = document.getElementById("operation");
  const queueList = document.getElementById("queue");
  const queueCount = document.getElementById("queue-count");
  const operatorLabel = document.getElementById("operator");
  const operatorOut = document.getElementById("operator-out");
  const net = document.getElementById("net");
  let current = null;   // the scan code being reported
  let sending = false;

  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);  // works without https, unlike randomUUID
    return "term-" + Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function today() {
    const d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }
  function show(kind, text) {
    feedback.className = "feedback " + kind;
    feedback.textContent = text;
    if (kind !== "queued") window.flBeep(kind === "ok");
  }
  function operator() {
    try { return JSON.parse(localStorage.getItem(OPERATOR) || "null"); } catch (e) { return null; }
  }
  function showOperator() {
    const op = operator();
    operatorLabel.textContent = op ? op.code + " " + op.name : operatorLabel.dataset.empty;
    operatorLabel.classList.toggle("warn", !op);
    operatorOut.hidden = !op;
  }
  function queue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(items) {
    localStorage.setItem(QUEUE, JSON.stringify(items));
    renderQueue();
  }
  function renderQueue() {
    const items = queue();
    queueCount.textContent = String(items.length);
    queueList.innerHTML = "";
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "muted"; li.textContent = queueList.dataset.empty;
      queueList.appendChild(li);
    }
    items.forEach(function (item) {
      const li = document.createElement("li");
      li.className = "queued-item";
      li.textContent = item.label + (item.note ? " — " + item.note : "");
      queueList.appendChild(li);
    });
  }
  function setNet() {
    const online = navigator.onLine;
    net.textContent = online ? net.dataset.online : net.dataset.offline;
    net.className = "pill " + (online ? "ok" : "bad");
  }

  // Send the queue, oldest first; stop at the first that cannot be sent now.
  async function flush() {
    if (sending) return;
    sending = true;
    try {
      let items = queue();
      while (items.length) {
        const item = items[0];
        let answer;
        try {
          answer = await fetch(item.url, {
            method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRF-Token": window.flCsrf() },
            body: JSON.stringify(item.body),
          });
        } catch (e) {  // no network: keep it, try again later
          return;
        }
        if (answer.status === 401 || answer.status === 403 || answer.status >= 500) {
          item.note = answer.status >= 500 ? String(answer.status) : msg.msgSignin;
          saveQueue(items);
          if (answer.status !== 500) show("bad", msg.msgSignin);
          return;
        }
        let data = {};
        try { data = await answer.json(); } catch (e) { data = { ok: false, error: String(answer.status) }; }
        items = queue().filter(function (x) { return x.body.key !== item.body.key; });
        saveQueue(items);
        if (data.ok) {
          show("ok", (data.replayed ? msg.msgAgain : msg.msgRecorded) + ": " + item.label);
          document.body.dispatchEvent(new Event("fl-reported"));
          if (current === item.body.code) loadOperation(current, data.position);
        } else {
          show("bad", msg.msgRefused + ": " + item.label + " — " + (data.error || answer.status));
        }
      }
    } finally {
      sending = false;
    }
  }
  function enqueue(url, body, label) {
    const items = queue();
    items.push({ url: url, body: body, label: label, at: new Date().toISOString() });
    saveQueue(items);
    if (!navigator.onLine) show("queued", msg.msgQueued + ": " + label);
    flush().then(function () {
      if (queue().some(function (x) { return x.body.key === body.key; })) show("queued", msg.msgQueued + ": " + label);
    });
  }

  function loadOperation(code, waitFor) {
    const url = "/terminal/operation?code=" + encodeURIComponent(code) + (waitFor ? "&waitFor=" + waitFor : "");
    fetch(url, { credentials: "same-origin" }).then(function (r) {
      return r.text().then(function (html) { return { ok: r.ok, html: html }; });
    }).then(function (r) {
      if (r.ok) { opBox.innerHTML = r.html; } else { show("bad", new DOMParser().parseFromString(r.html, "text/html").body.textContent.trim()); }
    }).catch(function () { /* offline: the panel keeps what it showed */ });
  }
  function pick(code) {
    if (!operator()) { show("bad", msg.msgBadgeFirst); return; }
    current = code.toUpperCase();
    panel.hidden = false;
    opBox.innerHTML = "<strong class='code'>" + current.replace(/[<>&]/g, "") + "</strong>";
    form.reset();
    loadOperation(current);
    scan.focus();
  }
  async function badge(code) {
    let answer;
    try {
      answer = await fetch("/terminal/badge?code=" + encodeURIComponent(code), { credentials: "same-origin" });
    } catch (e) { show("bad", msg.msgQueued); return; }
    const data = await answer.json().catch(function () { return { ok: false, error: String(answer.status) }; });
    if (!data.ok) { show("bad", data.error); return; }
    localStorage.setItem(OPERATOR, JSON.stringify({ code: data.code, name: data.name }));
    showOperator();
    show("ok", msg.msgHello + " " + data.code + " " + data.name);
  }

  scan.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    ev.preventDefault();
    const code = scan.value.trim();
    scan.value = "";
    if (!code) return;
    if (/^WO-[^/]+\/OP/i.test(code)) { pick(code); } else { badge(code); }
  });
  // The scan box keeps the focus: a keyboard-wedge scanner types into whatever has it.
  document.addEventListener("click", function (ev) {
    if (!ev.target.closest("input, select, textarea")) setTimeout(function () { scan.focus(); }, 0);
  });
  document.addEventListener("focusout", function () {
    setTimeout(function () { if (!document.activeElement || document.activeElement === document.body) scan.focus(); }, 50);
  });
  document.getElementById("dispatch").addEventListener("click", function (ev) {
    const row = ev.target.closest("tr.pick");
    if (row) pick(row.dataset.code);
  });
  form.querySelectorAll("button.reason").forEach(function (b) {
    b.addEventListener("click", function () { form.elements.scrapReason.value = b.dataset.reason; });
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    const op = operator();
    if (!op) { show("bad", msg.msgBadgeFirst); return; }
    if (!current) { show("bad", msg.msgScanOp); return; }
    const f = form.elements;
    const body = {
      key: newKey(), code: current, postingDate: today(), operator: op.code,
      good: f.good.value.trim(), scrap: f.scrap.value.trim(), rework: f.rework.value.trim(),
      laborHours: f.laborHours.value.trim(), scrapReason: f.scrapReason.value.trim(),
    };
    const parts = [current];
    if (body.good) parts.push("+" + body.good);
    if (body.scrap) parts.push("✕" + body.scrap);
    enqueue("/terminal/report", body, parts.join(" "));
    form.reset();
    scan.focus();
  });
  form.querySelectorAll("button[data-action]").forEach(function (b) {
    b.addEventListener("click", function () {
      if (!current) { show("bad", msg.msgScanOp); return; }
      enqueue("/terminal/" + b.dataset.action, { key: newKey(), code: current }, current + " " + b.textContent.trim());
    });
  });
  operatorOut.addEventListener("click", function () {
    localStorage.removeItem(OPERATOR);
    showOperator();
    scan.focus();
  });
  window.addEventListener("online", function () { setNet(); flush(); });
  window.addEventListener("offline", setNet);
  setInterval(flush, 5000);
  setNet(); showOperator(); renderQueue(); flush();
  scan.focus();
})();
