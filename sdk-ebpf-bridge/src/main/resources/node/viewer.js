// Threadline node viewer: a trace list with filters, and one trace as a flame graph and a waterfall.
// Plain DOM, no framework and no build step; every value sent by a client goes in through textContent only.
"use strict";

const PALETTE = ["#4c6ef5", "#f08c00", "#2b8a3e", "#ae3ec9", "#e8590c", "#1098ad", "#c2255c", "#5c940d",
  "#7048e8", "#d6336c", "#0b7285", "#9c6644"];
const ORIGIN_TITLES = { A: "Application span (SDK / agent)", S: "System span (syscalls, eBPF)", N: "Network span (packets)" };

const $ = (id) => document.getElementById(id);

function el(tag, props, children) {
  const node = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key === "onclick") node.addEventListener("click", value);
      else node.setAttribute(key, value);
    }
  }
  for (const child of children || []) if (child) node.appendChild(child);
  return node;
}

function serviceColour(name) {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length];
}

function formatMs(ms) {
  if (ms >= 1000) return (ms / 1000).toFixed(ms >= 10000 ? 1 : 2) + " s";
  if (ms >= 1) return ms.toFixed(ms >= 100 ? 0 : ms >= 10 ? 1 : 2) + " ms";
  return Math.round(ms * 1000) + " µs";
}

function formatBytes(bytes) {
  if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + " MiB";
  if (bytes >= 1024) return (bytes / 1024).toFixed(1) + " KiB";
  return bytes + " B";
}

function badge(origin) {
  return el("span", { class: "badge origin-" + origin, text: origin, title: ORIGIN_TITLES[origin] || origin,
    "data-origin": origin });
}

function chip(service) {
  const dot = el("i", { class: "dot" });
  dot.style.background = serviceColour(service);
  return el("span", { class: "chip" }, [dot, el("span", { text: service })]);
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || ("HTTP " + response.status));
  return body;
}

function showError(message) {
  const error = $("error");
  error.textContent = message || "";
  error.hidden = !message;
}

async function refreshStatus() {
  try {
    const s = await getJson("api/status");
    $("status").textContent = s.traces + " traces · " + s.spans + " spans · " + formatBytes(s.bytes) + " of "
      + formatBytes(s.maxBytes) + " · evicted " + s.evictedTraces;
  } catch (e) {
    $("status").textContent = "node unreachable";
  }
}

// ---- trace list -------------------------------------------------------------------------------------------

function filterParams() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData($("filters"))) if (value !== "") params.set(name, value);
  return params;
}

async function showList(query) {
  $("trace-view").hidden = true;
  $("list-view").hidden = false;
  const params = new URLSearchParams(query);
  $("f-endpoint").value = params.get("endpoint") || "";
  $("f-min").value = params.get("minDurationMs") || "";
  $("f-errors").checked = params.get("errors") === "true";
  $("f-limit").value = params.get("limit") || "100";
  try {
    const [services, result] = await Promise.all([getJson("api/services"), getJson("api/traces?" + params)]);
    const select = $("f-service");
    select.replaceChildren(el("option", { value: "", text: "any" }));
    for (const service of services.services) select.appendChild(el("option", { value: service, text: service }));
    select.value = params.get("service") || "";
    renderList(result.traces);
    showError("");
  } catch (e) {
    showError("Cannot load traces: " + e.message);
  }
}

// Reloads the table only: the filter form is left alone, in case someone is typing in it.
async function refreshList() {
  const query = location.hash.replace(/^#\/?\??/, "");
  try {
    renderList((await getJson("api/traces?" + new URLSearchParams(query))).traces);
    refreshStatus();
  } catch (e) {
    showError("Cannot load traces: " + e.message);
  }
}

function renderList(traces) {
  const body = $("traces").querySelector("tbody");
  body.replaceChildren();
  $("empty").hidden = traces.length > 0;
  const longest = Math.max(0.001, ...traces.map((t) => t.durationMs));
  for (const trace of traces) {
    const bar = el("i");
    bar.style.width = Math.max(2, (trace.durationMs / longest) * 120) + "px";
    const row = el("tr", { class: trace.errorCount > 0 ? "has-error" : "", "data-trace-id": trace.traceId,
      onclick: () => { location.hash = "#/trace/" + trace.traceId; } }, [
      el("td", { text: new Date(trace.startMs).toLocaleTimeString() }),
      el("td", { class: "root" }, [chip(trace.rootService), el("span", { text: trace.rootEndpoint })]),
      el("td", {}, [el("span", { class: "dur" }, [bar, el("span", { text: formatMs(trace.durationMs) })])]),
      el("td", { text: String(trace.spanCount) }),
      el("td", {}, trace.services.map(chip)),
      el("td", { class: "mono", text: trace.traceId }),
    ]);
    body.appendChild(row);
  }
}

// ---- one trace --------------------------------------------------------------------------------------------

let current = null; // { trace, byId, order }

function layout(trace) {
  const byId = new Map(trace.spans.map((s) => [s.spanId, s]));
  const children = new Map();
  const roots = [];
  for (const span of trace.spans) {
    if (span.parentSpanId && byId.has(span.parentSpanId) && span.parentSpanId !== span.spanId) {
      if (!children.has(span.parentSpanId)) children.set(span.parentSpanId, []);
      children.get(span.parentSpanId).push(span);
    } else {
      roots.push(span);
    }
  }
  const byStart = (a, b) => a.offsetMs - b.offsetMs;
  const order = [];
  const seen = new Set();
  const visit = (span, depth) => {
    if (seen.has(span.spanId)) return; // a parent cycle from a bad sender: show each span once
    seen.add(span.spanId);
    order.push({ span, depth });
    for (const child of (children.get(span.spanId) || []).sort(byStart)) visit(child, depth + 1);
  };
  for (const root of roots.sort(byStart)) visit(root, 0);
  for (const span of trace.spans) if (!seen.has(span.spanId)) visit(span, 0);
  return { byId, order };
}

async function showTrace(traceId, spanId) {
  $("list-view").hidden = true;
  $("trace-view").hidden = false;
  if (!current || current.trace.traceId !== traceId) {
    try {
      const trace = await getJson("api/traces/" + encodeURIComponent(traceId));
      current = Object.assign({ trace }, layout(trace));
      renderTrace();
      showError("");
    } catch (e) {
      current = null;
      $("trace-title").textContent = "Trace " + traceId;
      $("trace-meta").textContent = "";
      $("flame").replaceChildren();
      $("waterfall").replaceChildren();
      showError(e.message);
      return;
    }
  }
  select(spanId);
}

function renderTrace() {
  const trace = current.trace;
  $("trace-title").textContent = trace.rootService + ": " + trace.rootEndpoint;
  $("trace-meta").replaceChildren(
    el("span", { text: formatMs(trace.durationMs) + " · " + trace.spanCount + " spans · "
      + trace.errorCount + " errors · started " + new Date(trace.startMs).toLocaleString() + " · trace " }),
    el("span", { class: "mono", text: trace.traceId }));
  $("legend").replaceChildren(...trace.services.map(chip));
  const total = Math.max(trace.durationMs, 0.001);
  renderFlame(total);
  renderAxis(total);
  renderWaterfall(total);
}

function pct(ms, total) {
  return Math.min(100, Math.max(0, (ms / total) * 100));
}

function renderFlame(total) {
  // Icicle layout: one band per depth; spans of a depth that overlap in time (concurrent calls) take extra lanes.
  const lanesByDepth = [];
  const placed = [];
  for (const { span, depth } of current.order) {
    const lanes = lanesByDepth[depth] || (lanesByDepth[depth] = []);
    let lane = lanes.findIndex((end) => end <= span.offsetMs + 1e-9);
    if (lane < 0) { lane = lanes.length; lanes.push(0); }
    lanes[lane] = span.offsetMs + span.durationMs;
    placed.push({ span, depth, lane });
  }
  const base = [];
  let rows = 0;
  for (let d = 0; d < lanesByDepth.length; d++) { base[d] = rows; rows += (lanesByDepth[d] || []).length; }
  const flame = $("flame");
  flame.replaceChildren();
  flame.style.height = rows * 22 + 4 + "px";
  for (const { span, depth, lane } of placed) {
    const bar = el("div", { class: "fbar" + (span.statusCode === "ERROR" ? " error" : ""),
      "data-span-id": span.spanId, title: span.name + " (" + span.service + ", " + formatMs(span.durationMs) + ")",
      text: span.origin + " · " + span.name, onclick: () => navigateSpan(span.spanId) });
    bar.style.left = pct(span.offsetMs, total) + "%";
    bar.style.width = "max(3px, calc(" + pct(span.durationMs, total) + "% - 1px))";
    bar.style.top = (base[depth] + lane) * 22 + "px";
    bar.style.background = serviceColour(span.service);
    flame.appendChild(bar);
  }
}

function renderAxis(total) {
  const axis = $("axis");
  axis.replaceChildren();
  for (let i = 0; i <= 4; i++) {
    const tick = el("span", { text: formatMs((total * i) / 4) });
    tick.style.left = i * 25 + "%";
    if (i === 4) tick.style.transform = "translateX(-100%)";
    axis.appendChild(tick);
  }
}

function renderWaterfall(total) {
  const waterfall = $("waterfall");
  waterfall.replaceChildren();
  for (const { span, depth } of current.order) {
    const dot = el("i", { class: "dot" });
    dot.style.background = serviceColour(span.service);
    const label = el("div", { class: "label" }, [
      badge(span.origin), dot, el("span", { class: "name", text: span.name }),
      el("span", { class: "kind", text: span.kind }),
      el("span", { class: "svc", text: span.service }),
      span.statusCode === "ERROR" ? el("span", { class: "err-mark", text: "!", title: "error" }) : null,
    ]);
    label.style.paddingLeft = depth * 14 + "px";
    const bar = el("div", { class: "bar" + (span.statusCode === "ERROR" ? " error" : "") });
    bar.style.left = pct(span.offsetMs, total) + "%";
    bar.style.width = pct(span.durationMs, total) + "%";
    bar.style.background = serviceColour(span.service);
    const took = el("span", { class: "took", text: formatMs(span.durationMs) });
    const end = pct(span.offsetMs + span.durationMs, total);
    if (end <= 88) {
      took.style.left = end + "%";
    } else if (pct(span.offsetMs, total) >= 12) {
      // No room after the bar: before it.
      took.style.right = 100 - pct(span.offsetMs, total) + "%";
      took.classList.add("before");
    } else {
      // A bar across the whole track: the label goes inside, at its end.
      took.style.right = 100 - end + "%";
      took.classList.add("inside");
    }
    const row = el("div", { class: "row", "data-span-id": span.spanId, "data-origin": span.origin,
      onclick: () => navigateSpan(span.spanId) }, [label, el("div", { class: "track" }, [bar, took])]);
    waterfall.appendChild(row);
  }
}

function navigateSpan(spanId) {
  location.hash = "#/trace/" + current.trace.traceId + "/" + spanId;
}

function select(spanId) {
  for (const node of document.querySelectorAll(".selected")) node.classList.remove("selected");
  const details = $("details");
  const span = spanId && current ? current.byId.get(spanId) : null;
  if (!span) { details.hidden = true; return; }
  for (const node of document.querySelectorAll('[data-span-id="' + CSS.escape(spanId) + '"]')) {
    node.classList.add("selected");
  }
  const facts = [
    ["service", span.service], ["kind", span.kind], ["origin", ORIGIN_TITLES[span.origin] || span.origin],
    ["status", span.statusCode + (span.statusMessage ? ": " + span.statusMessage : "")],
    ["start", "+" + formatMs(span.offsetMs)], ["duration", formatMs(span.durationMs)],
    ["span id", span.spanId], ["parent span id", span.parentSpanId || "(root)"],
  ];
  if (span.originalParentSpanId !== undefined) facts.push(["parent as sent", span.originalParentSpanId || "(root)"]);
  if (span.traceId !== current.trace.traceId) facts.push(["trace id as sent", span.traceId]);
  facts.push(["scope", span.scope || "(none)"]);
  const table = (rows) => el("table", {}, [el("tbody", {}, rows.map(([k, v]) =>
    el("tr", {}, [el("td", { class: "k", text: k }), el("td", { class: "mono", text: v })])))]);
  const section = (title, attributes) => attributes.length
    ? [el("h4", { text: title }), table(attributes.map((a) => [a.key, a.value]))] : [];
  const events = [];
  for (const event of span.events) {
    events.push(el("h4", { text: "event: " + event.name + " at +" + formatMs(event.offsetMs) }));
    if (event.attributes.length) events.push(table(event.attributes.map((a) => [a.key, a.value])));
  }
  details.replaceChildren(
    el("button", { class: "close", text: "×", title: "close",
      onclick: () => { location.hash = "#/trace/" + current.trace.traceId; } }),
    el("h3", {}, [badge(span.origin), el("span", { id: "detail-name", text: span.name })]),
    table(facts),
    ...section("Attributes", span.attributes),
    ...section("Resource", span.resource),
    ...events);
  details.hidden = false;
}

// ---- routing ----------------------------------------------------------------------------------------------

function route() {
  const hash = location.hash.replace(/^#\/?/, "");
  const match = hash.match(/^trace\/([0-9a-fA-F]{32})(?:\/([0-9a-fA-F]{16}))?$/);
  if (match) {
    showTrace(match[1].toLowerCase(), match[2] ? match[2].toLowerCase() : null);
  } else {
    current = null;
    showList(hash.startsWith("?") ? hash.substring(1) : "");
  }
  refreshStatus();
}

document.addEventListener("DOMContentLoaded", () => {
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    const hash = "#/?" + filterParams();
    if (location.hash === hash) route(); else location.hash = hash;
  });
  window.addEventListener("hashchange", route);
  // New traces show up without a reload while the list is open (the trace view never changes under the reader).
  setInterval(() => {
    if (!$("list-view").hidden && $("f-live").checked && !document.hidden) refreshList();
  }, 5000);
  route();
});
