// Dispute Sandbox dashboard: buttons call the /_sandbox JSON endpoints, then the page reloads and
// shows what happened; the live feed comes by server-sent events. Plain JavaScript, no build step.
(function () {
  "use strict";
  const body = document.body;
  const BANNER = "sandbox-banner";

  function show(message, bad) {
    const banner = document.getElementById("banner");
    banner.hidden = false;
    banner.className = "banner" + (bad ? " bad" : "");
    banner.textContent = message;
  }

  function summary(kind, status, data) {
    if (status >= 400) return "Refused (" + status + "): " + (data && (data.error || JSON.stringify(data)) || "no body");
    if (kind === "clock" && data && data.now !== undefined) {
      const events = data.events || [];
      const lines = events.slice(0, 12).map(e => "• " + e.provider + " " + e.object_id + ": " + e.type + change(e.data));
      if (events.length > 12) lines.push("… and " + (events.length - 12) + " more");
      return "Clock now " + data.now + ". " + (events.length ? events.length + " event(s):\n" + lines.join("\n") : "Nothing changed.");
    }
    if (kind === "control") return "Done. Status now: " + (data && (data.status || data.state || data.stage || "see below") || "ok");
    if (kind === "fault") return "Armed: " + ((data && data.faults) || []).length + " fault(s) pending.";
    if (kind === "redeliver") return "Redelivering " + (data && data.redelivering || "") + ".";
    return "Done.";
  }

  // the new status an event names, whatever the provider calls the field ({"to": …} or {"status": {"to": …}})
  function change(data) {
    if (!data) return "";
    for (const key of ["to", "status", "state", "stage"]) {
      const value = data[key];
      if (typeof value === "string" || typeof value === "number") return " → " + value;
      if (value && typeof value === "object" && value.to !== undefined) return " → " + value.to;
    }
    return "";
  }

  async function call(path, method, payload, kind) {
    let response, data = null;
    try {
      response = await fetch(path, {
        method: method || "POST",
        headers: { "content-type": "application/json" },
        body: method === "DELETE" || method === "GET" ? undefined : JSON.stringify(payload || {}),
      });
      const text = await response.text();
      try { data = text ? JSON.parse(text) : null; } catch (e) { data = { error: text.slice(0, 300) }; }
    } catch (error) {
      show("Request failed: " + error, true);
      return;
    }
    const message = summary(kind, response.status, data);
    if (response.status >= 400) { show(message, true); return; }
    sessionStorage.setItem(BANNER, message);
    location.reload();
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-post]");
    if (button) {
      event.preventDefault();
      if (button.dataset.confirm && !confirm(button.dataset.confirm)) return;
      let payload = {};
      try { payload = JSON.parse(button.dataset.body || "{}"); } catch (e) { show("bad preset body", true); return; }
      button.disabled = true;
      call(button.dataset.post, button.dataset.method || "POST", payload, button.dataset.report).finally(() => { button.disabled = false; });
      return;
    }
    const copy = event.target.closest("[data-copy]");
    if (copy) {
      const text = copy.dataset.copy;
      const done = () => { copy.textContent = "copied"; setTimeout(() => { copy.textContent = "copy"; }, 1200); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, () => fallbackCopy(text, done));
      } else {
        fallbackCopy(text, done);
      }
    }
  });

  function fallbackCopy(text, done) {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); done(); } finally { area.remove(); }
  }

  function on(id, handler) {
    const form = document.getElementById(id);
    if (form) form.addEventListener("submit", function (event) { event.preventDefault(); handler(form); });
  }

  on("clock-set", function (form) {
    const value = form.elements.now.value;
    if (!value) { show("Pick an instant first.", true); return; }
    call(form.dataset.api, "POST", { now: value + (value.length === 16 ? ":00" : "") + "Z" }, "clock");
  });

  on("fault-form", function (form) {
    const f = form.elements;
    call(form.dataset.api, "POST", {
      provider: f.provider.value, status: Number(f.status.value), count: Number(f.count.value),
      path: f.path.value, retry_after: Number(f.retry_after.value || 0),
    }, "fault");
  });

  on("generic-control", function (form) {
    let payload;
    try { payload = JSON.parse(form.elements.body.value || "{}"); } catch (e) { show("The body is not JSON: " + e.message, true); return; }
    call(form.elements.path.value, "POST", payload, "control");
  });

  document.getElementById("banner").addEventListener("click", function () { this.hidden = true; });
  const kept = sessionStorage.getItem(BANNER);
  if (kept) { sessionStorage.removeItem(BANNER); show(kept, false); }

  // live feed: the clock everywhere; the tables where the page has them
  if (window.EventSource) {
    const source = new EventSource(body.dataset.base + "/feed/stream");
    const live = document.getElementById("live");
    const clock = document.getElementById("clock-now");
    const setNow = (iso) => { if (clock) clock.textContent = iso.replace(/\.\d{3}Z$/, "Z"); };
    source.addEventListener("open", () => live && live.classList.add("on"));
    source.addEventListener("error", () => live && live.classList.remove("on"));
    source.addEventListener("clock", (event) => setNow(JSON.parse(event.data).now));
    source.addEventListener("feed", function (event) {
      const data = JSON.parse(event.data);
      setNow(data.now);
      const stale = document.getElementById("stale");
      if (stale && !document.getElementById("feed-events") && data.seq > Number(body.dataset.seq || 0)) stale.hidden = false;
      replace("feed-events", data.events, "data-seq");
      replace("feed-deliveries", data.deliveries, "data-attempt");
      replace("feed-requests", data.requests, "data-request");
    });
  }

  function replace(tableId, html, key) {
    const table = document.getElementById(tableId);
    if (!table) return;
    const tbody = table.tBodies[0];
    const seen = new Set(Array.from(tbody.rows).map(r => r.getAttribute(key) + "|" + r.className));
    tbody.innerHTML = html;
    Array.from(tbody.rows).forEach(r => {
      if (r.getAttribute(key) && !seen.has(r.getAttribute(key) + "|" + r.className)) r.classList.add("fresh");
    });
  }
})();
