// Plain scripts (no build step, no library, no CDN): forms that check themselves as the officer
// types, and live alerts.
"use strict";

// Forms marked data-validate check as the officer types: the constraints the page declares
// (required, min, max, maxlength, pattern), inputs required while another has a given value
// (data-required-when="handling:H3"), and groups of which at least one must be given
// (data-any-of, data-required-choice). Messages come from data-msg-* attributes, in the page's
// language. The server checks everything again: this only spares the officer a round trip.
(function () {
  const GROUPS = "[data-any-of], [data-required-choice]";

  function say(form, element, name, values) {
    const text = element.dataset[name] || form.dataset[name] || "";
    return text.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
  }

  function applyRequiredWhen(form, field) {
    const rule = field.dataset.requiredWhen;
    if (!rule) return;
    const [name, values] = rule.split(":");
    const other = form.elements.namedItem(name);
    field.required = Boolean(other) && values.split(",").includes(other.value);
  }

  function problemOf(form, field) {
    applyRequiredWhen(form, field);
    const state = field.validity;
    if (state.valid) return "";
    if (state.valueMissing) return say(form, field, "msgRequired", {});
    if (state.badInput || state.typeMismatch) return say(form, field, "msgBadInput", {});
    if (state.rangeUnderflow || state.rangeOverflow) {
      return say(form, field, "msgRange", { min: field.min, max: field.max });
    }
    if (state.tooLong) return say(form, field, "msgTooLong", { max: field.maxLength });
    if (state.patternMismatch) return say(form, field, "msgPattern", {});
    return field.validationMessage;
  }

  function groupProblem(form, group) {
    const given = Array.from(group.querySelectorAll("input, textarea, select")).some((el) =>
      el.type === "checkbox" || el.type === "radio" ? el.checked : el.value.trim() !== "");
    if (given) return "";
    return say(form, group, group.dataset.anyOf ? "msgAnyOf" : "msgRequired", {});
  }

  // The message goes where the server puts its own: the element the input is described by.
  function show(element, text) {
    if (text) element.setAttribute("aria-invalid", "true");
    else element.removeAttribute("aria-invalid");
    for (const id of (element.getAttribute("aria-describedby") || "").split(/\s+/)) {
      const box = id && document.getElementById(id);
      if (box && box.classList.contains("vigil-field-error")) {
        box.textContent = text;
        box.hidden = !text;
        return;
      }
    }
  }

  function fieldsOf(form) {
    return Array.from(form.elements).filter((el) => el.name && el.willValidate);
  }

  function check(form, element) {
    const text = element.matches(GROUPS) ? groupProblem(form, element) : problemOf(form, element);
    show(element, text);
    return !text;
  }

  function setUp(form) {
    form.noValidate = true; // these messages replace the browser's own bubbles
    const touched = new Set();
    const recheck = (event) => {
      const field = event.target;
      if (!field.name || !field.willValidate) return;
      touched.add(field);
      const group = field.closest(GROUPS);
      if (group && event.type !== "focusout") touched.add(group);
      // A change may make another input required (H3 needs its conditions).
      for (const element of touched) check(form, element);
    };
    form.addEventListener("input", recheck);
    form.addEventListener("change", recheck);
    form.addEventListener("focusout", (event) => {
      recheck(event);
      const group = event.target.closest && event.target.closest(GROUPS);
      if (group && !group.contains(event.relatedTarget)) {
        touched.add(group);
        check(form, group);
      }
    });
    form.addEventListener("submit", (event) => {
      const all = [...fieldsOf(form), ...form.querySelectorAll(GROUPS)];
      const failed = all.filter((element) => !check(form, element));
      if (failed.length) {
        event.preventDefault();
        all.forEach((element) => touched.add(element));
        const first = failed[0].matches(GROUPS) ? failed[0].querySelector("input") : failed[0];
        if (first) first.focus();
      }
    });
  }

  document.querySelectorAll("form[data-validate]").forEach(setUp);
})();

// Live alerts: the inbox follows the member's Server-Sent Events stream, and every page keeps
// the unread badge current.
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
