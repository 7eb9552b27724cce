// Live alerts: the inbox follows the member's Server-Sent Events stream, and every page keeps
// the unread badge current. Written as a plain script (no build step, no CDN).
"use strict";

(function () {
  const badge = document.getElementById("unread-badge");
  const alertsTable = document.getElementById("alerts");
  const table = alertsTable && alertsTable.dataset.live === "true"
    ? alertsTable.querySelector("tbody")
    : null;
  const status = document.getElementById("live-status");
  const csrf = document.querySelector('meta[name="vigil-csrf"]');
  if (!csrf) return; // not signed in

  function refreshBadge() {
    fetch("/api/v1/alerts/unread-count", { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((body) => {
        if (!body || !badge) return;
        badge.textContent = String(body.unread);
        badge.hidden = body.unread === 0;
      })
      .catch(() => {});
  }

  function addRow(alert) {
    if (!table || table.querySelector(`[data-alert="${alert.id}"]`)) return;
    const row = document.createElement("tr");
    row.dataset.alert = alert.id;
    row.className = "vigil-unread";
    const when = document.createElement("td");
    const time = document.createElement("time");
    time.dateTime = alert.created_at;
    time.dir = "ltr";
    time.textContent = alert.created_at.replace("T", " ").slice(0, 16);
    when.append(time);
    const what = document.createElement("td");
    const title = alert.record_id ? document.createElement("a") : document.createElement("span");
    if (alert.record_id) title.href = `/records/${alert.record_id}`;
    title.textContent = alert.title;
    const kind = document.createElement("small");
    kind.textContent = alert.kind;
    what.append(title, document.createElement("br"), kind);
    const from = document.createElement("td");
    from.textContent = (alert.body && alert.body.owner) || "";
    const state = document.createElement("td");
    const form = document.createElement("form");
    form.method = "post";
    form.action = `/inbox/${alert.id}/read`;
    form.className = "vigil-inline";
    const hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "csrf_token";
    hidden.value = csrf.content;
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "outline";
    button.textContent = table.dataset.readLabel;
    form.append(hidden, button);
    state.append(form);
    row.append(when, what, from, state);
    table.prepend(row);
    const empty = document.getElementById("alerts-empty");
    if (empty) empty.hidden = true;
  }

  refreshBadge();
  // On the inbox, start from where the rendered page left off; reconnects send Last-Event-ID.
  const since = alertsTable ? `?since=${encodeURIComponent(alertsTable.dataset.since)}` : "";
  const source = new EventSource(`/api/v1/alerts/stream${since}`);
  source.addEventListener("open", () => {
    if (status) status.textContent = status.dataset.connected;
    refreshBadge(); // alerts may have come between the first count and the stream
  });
  source.addEventListener("error", () => {
    if (status) status.textContent = status.dataset.lost;
  });
  source.addEventListener("alert", (event) => {
    addRow(JSON.parse(event.data));
    refreshBadge();
  });
})();
