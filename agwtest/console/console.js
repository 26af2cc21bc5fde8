// The agwtest console: renders the stream of /agwtest/ui/events and posts
// the buttons to the control hooks. DOM is built with textContent only, so
// nothing from the gateway is ever parsed as HTML.
"use strict";

const maxEvents = 500; // timeline rows kept, like the server's history

const $ = (sel) => document.querySelector(sel);

function el(tag, props, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (k.startsWith("data-")) e.setAttribute(k, v);
    else e[k] = v;
  }
  e.append(...kids.filter((k) => k !== null && k !== undefined));
  return e;
}

function notice(text) {
  const n = $("#notice");
  n.textContent = text;
  n.hidden = !text;
}

// act posts a control hook (relative to /agwtest/ui, so "ring" is
// /agwtest/ring); path may be a function, read at the click. A successful
// reply is not read: the sign-in hook's carries the Guid, which has no
// place on the page.
async function act(path) {
  if (typeof path === "function") path = path();
  notice("");
  try {
    const res = await fetch(path, { method: "POST" });
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      notice(body.error || `${path}: HTTP ${res.status}`);
    }
  } catch (err) {
    notice(`${path}: ${err.message}`);
  }
}

function button(label, cls, path, enabled = true) {
  return el("button", { className: cls, textContent: label, disabled: !enabled, onclick: () => act(path) });
}

function badge(state) {
  return el("span", { className: "badge", textContent: state, "data-state": state });
}

// skills lists the agent's configured skill queues, marking those it has
// joined (ResetSkill) with a check.
function skills(a) {
  const list = a.skills || [];
  if (!list.length) return el("span", { className: "muted", textContent: "—" });
  const joined = new Set(a.joined || []);
  return list.map((id) => (joined.has(id) ? `${id} ✓` : String(id))).join(", ");
}

function caller() {
  return encodeURIComponent($("#caller").value.trim() || "13800000000");
}

function renderAgents(agents) {
  const rows = agents.map((a) => {
    const q = `agent=${a.id}`;
    const signedIn = a.state !== "signed-out";
    const ring = () => `ring?${q}&caller=${caller()}`;
    const actions = signedIn
      ? [button("Ring", "ring", ring, a.state === "idle"), button("Sign out", "signout", `signout?${q}`)]
      : [button("Sign in", "signin", `signin?${q}`)];
    return el("tr", { "data-agent": a.id },
      el("td", { className: "num", textContent: a.id }),
      el("td", { className: "num", textContent: a.phone }),
      el("td", { textContent: a.group }),
      el("td", {}, skills(a)),
      el("td", {}, badge(a.state)),
      el("td", { className: "num", textContent: a.callid || "" }),
      el("td", { className: "num", textContent: a.held || "" }),
      el("td", { className: "actions" }, ...actions));
  });
  $("#agents tbody").replaceChildren(...rows);
}

function renderCalls(calls) {
  const rows = calls.map((c) => {
    const q = `callid=${encodeURIComponent(c.id)}`;
    const actions = [];
    if (c.direction === "outbound" && c.state === "dialing") actions.push(button("Customer answers", "answer", `answer?${q}`));
    actions.push(button("Hang up", "hangup", `hangup?${q}`));
    return el("tr", { "data-call": c.id },
      el("td", { className: "num", textContent: c.id }),
      el("td", { textContent: c.direction }),
      el("td", { className: "num", textContent: c.caller }),
      el("td", { className: "num", textContent: c.called }),
      el("td", { className: "num", textContent: c.agent }),
      el("td", {}, badge(c.state), c.muted ? " muted" : null),
      el("td", { className: "actions" }, ...actions));
  });
  $("#calls tbody").replaceChildren(...rows);
  $("#no-calls").hidden = calls.length > 0;
}

// kind colours an event type by what it means for the agent.
function kind(type) {
  if (/Ringing|Alerting/.test(type)) return "ring";
  if (/Talking|Offhook/.test(type)) return "talk";
  if (/Release|Fail/.test(type)) return "end";
  return "info";
}

function clock(iso) {
  const d = new Date(iso);
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

// summary shows an event's content as key=value pairs; the cell's title
// keeps the JSON.
function summary(content) {
  if (content === null || typeof content !== "object") return content === null ? "" : String(content);
  return Object.entries(content)
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : v}`)
    .join("  ");
}

function addEvent(entry) {
  const ev = entry.event;
  const json = ev.content === null ? "" : JSON.stringify(ev.content);
  const row = el("tr", { "data-type": ev.eventType, "data-agent": ev.workNo },
    el("td", { className: "num muted", textContent: clock(entry.time) }),
    el("td", { className: "num", textContent: ev.workNo }),
    el("td", {}, el("span", { className: `event ${kind(ev.eventType)}`, textContent: ev.eventType })),
    el("td", { className: "content", textContent: summary(ev.content), title: json }));
  const body = $("#timeline tbody");
  body.prepend(row);
  while (body.rows.length > maxEvents) body.lastElementChild.remove();
  $("#no-events").hidden = true;
}

function link(state, text) {
  const l = $("#link");
  l.dataset.link = state;
  l.textContent = text;
}

function connect() {
  const es = new EventSource("ui/events");
  es.onopen = () => link("live", "live");
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED) link("closed", "gateway closed");
    else link("connecting", "reconnecting…");
  };
  es.addEventListener("reset", () => {
    $("#timeline tbody").replaceChildren();
    $("#no-events").hidden = false;
  });
  es.addEventListener("gw", (m) => addEvent(JSON.parse(m.data)));
  // Tables are redrawn only when they change (not for the counters), so
  // that a busy gateway does not swap a button from under the pointer.
  let agents = "", calls = "";
  es.addEventListener("state", (m) => {
    const s = JSON.parse(m.data);
    const a = JSON.stringify(s.agents), c = JSON.stringify(s.calls);
    if (a !== agents) renderAgents(s.agents);
    if (c !== calls) renderCalls(s.calls);
    agents = a;
    calls = c;
    $("#counters").textContent = `${s.eventsQueued} events queued · ${s.eventsDelivered} delivered`;
  });
}

$("#ring-skill").onclick = () => act(`ring?skill=${encodeURIComponent($("#skill").value.trim())}&caller=${caller()}`);
connect();
