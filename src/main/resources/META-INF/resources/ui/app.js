// switchguard status page: polls /status, /actions, /schedules, /drills and /drill-plans with the bearer key the
// operator typed in; approves or denies approval mode's requests (/approve, /deny) after a confirmation.
// The key lives in this tab's sessionStorage only; nothing secret is ever part of the page itself.
"use strict";

const KEY_SLOT = "switchguard.apiKey";
const POLL_MS = 2000;
// The function each kind's switchover goes through (CONTRACT §4); a dws DR also has the planned switchover.
const ACTIONS = { "dcs": ["swap"], "dcs-v1": ["swap"], "drs": ["switch-vip"], "dws": ["failover", "switchover"] };

const $ = (id) => document.getElementById(id);
const rows = new Map(); // target name -> { tr, cells, pause }
let timer = null;
let pending = null; // { target, action } of the open switchover dialog
let answering = null; // { verb, approval } of the open approve/deny dialog
const approvalRows = new Map(); // approvalId -> tr, kept across polls so a focused button stays put

function key() { return sessionStorage.getItem(KEY_SLOT); }

async function call(method, path, body) {
  const headers = { "Authorization": "Bearer " + key() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (res.status === 401) {
    sessionStorage.removeItem(KEY_SLOT);
    showKeyForm();
    throw new Error("The API key was refused; enter it again.");
  }
  return { status: res.status, data };
}

function text(value) { return value === null || value === undefined || value === "" ? "—" : String(value); }

function time(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleString();
}

function el(tag, props, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props || {});
  children.forEach((c) => e.append(c instanceof Node ? c : document.createTextNode(text(c))));
  return e;
}

function badge(label, tone) { return el("span", { className: "badge " + tone }, label); }

function showError(message) {
  const e = $("error");
  e.hidden = !message;
  e.textContent = message || "";
}

function showKeyForm() {
  $("key-form").hidden = false;
  $("forget-key").hidden = true;
  $("summary").textContent = "Enter the API key to load the status.";
}

function signalsText(s) {
  if (!s) return "not checked yet";
  const parts = [];
  const one = (name, r) => { if (r) parts.push(name + " " + r.health.toLowerCase() + (r.detail ? " (" + r.detail + ")" : "")); };
  one("data plane", s.dataPlane);
  one("cloud", s.cloud);
  one("standby", s.standby);
  if (s.cloudApiFailed) parts.push("cloud API failed");
  if (s.notRun && s.notRun.length) parts.push("not run: " + s.notRun.join(", "));
  return parts.length ? parts.join("; ") : "no signal";
}

function healthCell(t) {
  if (!t.watched) return badge("not watched", "warn");
  if (!t.lastProbeAt) return badge("not checked", "warn");
  return t.healthy ? badge("healthy", "ok") : badge("unhealthy", "bad");
}

function decisionText(d) {
  if (!d) return "—";
  const head = [d.diagnosis, d.verdict].filter(Boolean).join(" → ");
  return head + (d.reason ? ": " + d.reason : "") + (d.guard ? " (guard " + d.guard + ")" : "");
}

function cooldownCell(t) {
  if (t.cooldownUntil && new Date(t.cooldownUntil) > new Date()) return badge("until " + time(t.cooldownUntil), "warn");
  return el("span", { className: "muted" }, t.cooldown ? "none (" + duration(t.cooldown) + " after an action)" : "none");
}

function preflightCell(p) {
  if (!p) return el("span", { className: "muted" }, "not run yet");
  const checks = (p.checks || []).map((c) => c.name + (c.ok ? " ok" : " failed") + ": " + c.reason).join("\n");
  // Why not ready is the point of the column: the failing checks' sentences are shown, every check on hover.
  const parts = [p.ready ? badge("ready", "ok") : badge("not ready", "bad"), " " + time(p.at)];
  if (!p.ready) parts.push(el("br"), el("span", { className: "why" }, p.reason));
  return el("span", { title: checks }, ...parts);
}

function modeText(t) {
  if (t.approval) return "asks approval (then " + t.approval.onTimeout + " after " + duration(t.approval.timeout) + ")";
  return t.auto ? "auto" : "alert only";
}

function duration(iso) { return iso ? iso.replace(/^PT/, "").toLowerCase() : "—"; }

function lastActionCell(a) {
  if (!a) return "—";
  return el("span", {}, a.status + " " + a.action + " (" + a.trigger + ") " + time(a.startedAt));
}

function row(t) {
  let r = rows.get(t.target);
  if (!r) {
    const tr = el("tr", { id: "target-" + t.target });
    tr.dataset.target = t.target;
    const cells = {};
    const th = el("th", { scope: "row" });
    tr.append(th);
    cells.name = th;
    for (const c of ["health", "signals", "streak", "decision", "paused", "cooldown", "preflight", "lastAction"]) {
      cells[c] = el("td", { className: c });
      tr.append(cells[c]);
    }
    const actions = el("td", { className: "actions" });
    const pause = el("button", { type: "button", className: "pause" });
    pause.addEventListener("click", () => togglePause(t.target, pause.dataset.paused === "true"));
    actions.append(pause);
    for (const action of ACTIONS[t.kind] || []) {
      const b = el("button", { type: "button", className: "switch", textContent: action + "…" });
      b.dataset.action = action;
      b.setAttribute("aria-label", action + " " + t.target + " (dry run first)");
      b.addEventListener("click", () => openSwitch(t.target, action));
      actions.append(b);
    }
    tr.append(actions);
    $("targets").tBodies[0].append(tr);
    r = { tr, cells, pause };
    rows.set(t.target, r);
    $("f-target").append(el("option", { value: t.target }, t.target));
  }
  const c = r.cells;
  c.name.replaceChildren(t.target, el("br"), el("span", { className: "muted" }, t.kind + ", " + modeText(t)
      + (t.group ? ", group " + t.group : "")));
  c.health.replaceChildren(healthCell(t));
  c.signals.textContent = signalsText(t.signals);
  c.streak.textContent = t.failureStreak + (t.breachCount ? " (breaches " + t.breachCount + ")" : "");
  c.decision.textContent = decisionText(t.lastDecision);
  c.paused.replaceChildren(t.paused ? badge("paused", "warn") : el("span", { className: "muted" }, "no"),
      t.paused && t.pauseReason ? " " + t.pauseReason : "");
  c.cooldown.replaceChildren(cooldownCell(t));
  c.preflight.replaceChildren(preflightCell(t.preflight));
  c.lastAction.replaceChildren(lastActionCell(t.lastAction));
  r.pause.dataset.paused = String(!!t.paused);
  r.pause.textContent = t.paused ? "Resume" : "Pause";
  r.pause.setAttribute("aria-label", (t.paused ? "Resume " : "Pause ") + t.target);
}

function renderStatus(s) {
  const lease = s.lease || {};
  $("lease-holder").textContent = lease.holder ? lease.holder : "nobody holds the lease";
  $("lease-epoch").textContent = text(lease.epoch);
  $("lease-expires").textContent = time(lease.expiresAt);
  $("instance").textContent = s.instance.id + (s.instance.leader ? " (leader)" : " (standby)");
  $("dry-run").textContent = s.dryRun ? "yes: actions are simulated" : "no";
  s.targets.forEach(row);
  const unhealthy = s.targets.filter((t) => t.watched && t.lastProbeAt && !t.healthy).length;
  // A live region: written only when it changes, so a screen reader hears news, not every poll.
  const summary = s.targets.length + " targets, " + unhealthy + " unhealthy";
  if ($("summary").textContent !== summary) $("summary").textContent = summary;
  $("updated").textContent = "updated " + new Date().toLocaleTimeString();
  const counts = (s.notifications && s.notifications.sinks) || {};
  $("sinks").tBodies[0].replaceChildren(...Object.entries(counts).map(([sink, n]) =>
      el("tr", {}, el("th", { scope: "row" }, sink), el("td", {}, n.pending), el("td", {}, n.delivered), el("td", {}, n.dead))));
  if (!Object.keys(counts).length) {
    $("sinks").tBodies[0].replaceChildren(el("tr", {}, el("td", { colSpan: 4, className: "muted" }, "no notification sink configured")));
  }
  const dead = (s.notifications && s.notifications.recentDead) || [];
  $("dead").replaceChildren(...(dead.length ? dead.map((d) => el("li", {},
      text(d.type) + " for " + text(d.subject) + " to " + text(d.sink) + " after " + d.attempts + " attempts: " + text(d.lastError)))
      : [el("li", { className: "muted" }, "none")]));
}

function renderApprovals(list) {
  const body = $("approvals").tBodies[0];
  const open = new Set(list.map((a) => a.approvalId));
  for (const [id, tr] of approvalRows) {
    if (!open.has(id)) { tr.remove(); approvalRows.delete(id); }
  }
  for (const a of list) {
    let tr = approvalRows.get(a.approvalId);
    if (!tr) {
      tr = el("tr", { id: "approval-" + a.target });
      tr.dataset.approvalId = a.approvalId;
      for (const c of ["target", "action", "breach", "asked", "deadline"]) tr.append(el("td", { className: c }));
      const answer = el("td", { className: "answer" });
      for (const [verb, label] of [["approve", "Approve…"], ["deny", "Deny…"]]) {
        const b = el("button", { type: "button", className: verb, textContent: label });
        b.setAttribute("aria-label", (verb === "approve" ? "Approve " : "Deny ") + a.action + " of " + a.target);
        b.addEventListener("click", () => openAnswer(verb, a));
        answer.append(b);
      }
      tr.append(answer);
      approvalRows.set(a.approvalId, tr);
      body.append(tr); // requests come oldest first: a new one goes last
    }
    const cell = (c) => tr.querySelector("td." + c);
    cell("target").textContent = a.target;
    cell("action").textContent = a.action;
    cell("breach").textContent = [a.diagnosis, a.reason].filter(Boolean).join(": ");
    cell("asked").textContent = time(a.requestedAt);
    cell("deadline").textContent = time(a.deadline) + ", then " + (a.onTimeout === "act" ? "it acts" : "it gives up");
  }
  const empty = body.querySelector("tr.empty");
  if (list.length && empty) empty.remove();
  if (!list.length && !empty) body.append(el("tr", { className: "empty" }, el("td", { colSpan: 6, className: "muted" }, "no request waits for an answer")));
}

function renderJournal(actions) {
  const status = $("f-status").value, trigger = $("f-trigger").value;
  const shown = actions.filter((a) => (!status || a.status === status) && (!trigger || a.trigger === trigger));
  const tone = (st) => st === "SUCCEEDED" ? "ok" : st === "FAILED" || st === "UNKNOWN" ? "bad" : "warn";
  $("journal").tBodies[0].replaceChildren(...shown.map((a) => {
    const tr = el("tr", {}, el("td", {}, time(a.startedAt)), el("td", {}, a.target), el("td", {}, a.action),
        el("td", { className: "trigger" }, a.trigger), el("td", { className: "status" }, badge(a.status, tone(a.status))),
        el("td", {}, a.verification), el("td", {}, a.detail || a.error_msg || ""));
    tr.dataset.actionId = a.actionId;
    return tr;
  }));
  if (!shown.length) $("journal").tBodies[0].append(el("tr", {}, el("td", { colSpan: 7, className: "muted" }, "no actions")));
}

function renderBudget(b) {
  $("budget-form").hidden = !b || !b.enabled;
  if (!b || !b.enabled) {
    $("budget-used").textContent = "no fleet-wide budget configured";
    $("budget-brake").textContent = "—";
    $("budget-reset").textContent = "—";
    return;
  }
  $("budget-used").textContent = used(b);
  $("budget-brake").replaceChildren(brake(b));
  $("budget-reset").textContent = resetText(b.lastReset);
  const groups = b.groups || [];
  $("budget-groups").hidden = !groups.length;
  $("budget-groups").tBodies[0].replaceChildren(...groups.map((g) => {
    const tr = el("tr", {}, el("th", { scope: "row" }, g.group), el("td", { className: "used" }, used(g)),
        el("td", { className: "brake" }, brake(g)), el("td", {}, resetText(g.lastReset)));
    tr.dataset.group = g.group;
    return tr;
  }));
  // The reset form offers the fleet-wide budget and each group's; a choice survives the poll.
  const select = $("budget-group"), chosen = select.value;
  const names = ["", ...groups.map((g) => g.group)];
  if ([...select.options].map((o) => o.value).join("|") !== names.join("|")) {
    select.replaceChildren(...names.map((n) => el("option", { value: n }, n || "fleet-wide")));
    select.value = names.includes(chosen) ? chosen : "";
  }
}

function used(b) { return b.used + " of " + b.maxAutomatic + " within " + duration(b.window); }

function brake(b) {
  if (!b.braked) return badge("off", "ok");
  return el("span", {}, badge("braked since " + time(b.brakedAt), "bad"), b.brakedBecause ? " " + b.brakedBecause : "");
}

function resetText(r) { return r ? time(r.at) + " by " + r.by + ": " + r.reason : "never"; }

function table(id, items, columns, empty) {
  const body = $(id).tBodies[0];
  if (!items.length) {
    body.replaceChildren(el("tr", {}, el("td", { colSpan: columns, className: "muted" }, empty)));
    return;
  }
  body.replaceChildren(...items);
}

function stateBadge(state) {
  const tone = state === "SUCCEEDED" || state === "DONE" || state === "ACTIVE" ? "ok"
      : state === "FAILED" || state === "INTERRUPTED" || state === "MISSED" || state === "BLOCKED" ? "bad" : "warn";
  return badge(state, tone);
}

// Who asked, as the journal names them (an API key's label): nothing for rows from before it was kept.
function by(label) { return label ? " (by " + label + ")" : ""; }

function renderSchedules(list) {
  table("schedules", list.map((s) => {
    const tr = el("tr", {}, el("td", {}, time(s.at)), el("td", {}, s.target), el("td", { className: "state" }, stateBadge(s.state)),
        el("td", {}, s.reason + by(s.createdBy)), el("td", {}, (s.outcome || (s.actionId ? "action " + s.actionId : ""))
            + by(s.cancelledBy)));
    tr.dataset.scheduleId = s.id;
    return tr;
  }), 5, "no scheduled switchovers");
}

function rto(leg) {
  if (!leg) return "—";
  return leg.rtoMillis === null || leg.rtoMillis === undefined ? leg.status + " (not verified)" : leg.rtoMillis + " ms";
}

function renderDrills(list) {
  table("drills", list.map((d) => {
    const tr = el("tr", {}, el("td", {}, time(d.startedAt)), el("td", {}, d.target + " (" + d.kind + ")"),
        el("td", { className: "state" }, stateBadge(d.state)), el("td", {}, rto(d.away) + " / " + rto(d.back)),
        el("td", {}, (d.detail || (d.reason ? "reason: " + d.reason : "")) + by(d.startedBy)));
    tr.dataset.drillId = d.id;
    return tr;
  }), 5, "no drills");
}

function renderPlans(list) {
  table("plans", list.map((p) => {
    const tr = el("tr", {}, el("td", {}, p.target), el("td", {}, p.cron), el("td", {}, p.holdMillis / 1000 + " s"),
        el("td", {}, p.state === "ACTIVE" ? time(p.nextAt) : "—"), el("td", { className: "state" }, stateBadge(p.state)),
        el("td", {}, p.lastDrillId ? time(p.lastAt) : "none yet"));
    tr.dataset.planId = p.id;
    return tr;
  }), 6, "no drill plans");
}

async function refresh() {
  if (!key()) return;
  try {
    const target = $("f-target").value;
    const limit = Math.min(1000, Math.max(1, parseInt($("f-limit").value, 10) || 50));
    const [status, journal, schedules, drills, plans] = await Promise.all([call("GET", "/status"),
        call("GET", "/actions?limit=" + limit + (target ? "&target=" + encodeURIComponent(target) : "")),
        call("GET", "/schedules"), call("GET", "/drills"), call("GET", "/drill-plans")]);
    if (status.status !== 200) throw new Error("/status answered " + status.status + ": " + text(status.data && status.data.error_msg));
    renderStatus(status.data);
    renderBudget(status.data.budget);
    renderApprovals(status.data.approvals || []);
    if (journal.status === 200) renderJournal(journal.data);
    if (schedules.status === 200) renderSchedules(schedules.data);
    if (drills.status === 200) renderDrills(drills.data);
    if (plans.status === 200) renderPlans(plans.data);
    // A list a poll could not read keeps what it showed; the alert says which.
    const failed = [["/schedules", schedules], ["/drills", drills], ["/drill-plans", plans]].filter(([, r]) => r.status !== 200);
    if (failed.length) throw new Error(failed.map(([p, r]) => p + " answered " + r.status).join("; "));
    showError(null);
  } catch (e) {
    showError(e.message);
  }
}

function start() {
  $("key-form").hidden = true;
  $("forget-key").hidden = false;
  refresh();
  clearInterval(timer);
  timer = setInterval(refresh, POLL_MS);
}

async function togglePause(target, paused) {
  try {
    const r = paused ? await call("POST", "/resume", { target })
        : await call("POST", "/pause", { target, reason: "paused from the status page" });
    if (r.status !== 200) throw new Error((paused ? "resume" : "pause") + " answered " + r.status + ": " + text(r.data && r.data.error_msg));
    await refresh();
  } catch (e) {
    showError(e.message);
  }
}

async function resetBudget() {
  const reason = $("budget-reason").value.trim();
  if (!reason) return;
  try {
    const group = $("budget-group").value;
    const r = await call("POST", "/budget/reset", group ? { group, reason } : { reason });
    if (r.status !== 200) throw new Error("budget reset answered " + r.status + ": " + text(r.data && r.data.error_msg));
    $("budget-reason").value = "";
    await refresh();
  } catch (e) {
    showError(e.message);
  }
}

function openAnswer(verb, a) {
  answering = { verb, approval: a };
  $("answer-title").textContent = (verb === "approve" ? "Approve " : "Deny ") + a.action + " of " + a.target;
  $("answer-what").textContent = (verb === "approve"
      ? "The target is looked at again first; only if the breach still holds does the " + a.action + " run, with every guard. "
      : "Nothing reaches the cloud, and this breach asks no more; manual calls still work. ")
      + "Asked " + time(a.requestedAt) + " because: " + text(a.reason);
  $("answer-result").textContent = "";
  $("answer-confirm").textContent = verb === "approve" ? "Confirm approval" : "Confirm denial";
  $("answer-confirm").disabled = false;
  $("answer-dialog").showModal();
  $("answer-reason").focus();
}

async function confirmAnswer() {
  if (!answering) return;
  const { verb, approval } = answering;
  const reason = $("answer-reason").value.trim();
  if (!reason) {
    $("answer-result").textContent = "A reason is required: it is journaled with who answered.";
    $("answer-reason").focus();
    return;
  }
  $("answer-confirm").disabled = true;
  $("answer-result").textContent = verb === "approve" ? "Approving…" : "Denying…";
  try {
    const r = await call("POST", "/" + verb, { target: approval.target, approvalId: approval.approvalId, reason });
    const d = r.data || {};
    const sw = d.switchover ? "; " + d.switchover.action + " " + describe(d.switchover, r.status) : "";
    $("answer-result").textContent = (d.status ? "Result: " + d.status : "HTTP " + r.status) + sw
        + (d.error_msg ? " (" + d.error_msg + ")" : "");
    $("answer-cancel").textContent = "Close";
    $("answer-cancel").focus();
    refresh();
  } catch (e) {
    $("answer-result").textContent = e.message;
  }
}

function describe(a, httpStatus) {
  if (!a) return "No answer (HTTP " + httpStatus + ").";
  const base = a.status ? a.status + (a.detail ? ": " + a.detail : "") : "HTTP " + httpStatus;
  return a.error_msg && a.error_msg !== a.detail ? base + " (" + a.error_msg + ")" : base;
}

async function openSwitch(target, action) {
  pending = { target, action };
  const dialog = $("switch-dialog");
  $("switch-title").textContent = action + " " + target;
  $("switch-verdict").textContent = "Asking the guards (dry run)…";
  $("switch-steps").replaceChildren();
  $("switch-confirm").disabled = true;
  dialog.showModal();
  try {
    const r = await call("POST", "/" + action, { target, dryRun: true });
    const ok = r.status === 200 && r.data && r.data.status === "DRY_RUN";
    $("switch-verdict").textContent = (ok ? "The guards allow it. " : "The guards refuse it. ") + describe(r.data, r.status);
    $("switch-steps").replaceChildren(...((r.data && r.data.steps) || []).map((s) => el("li", {}, s.name + ": " + text(s.detail))));
    $("switch-confirm").disabled = !ok;
    (ok ? $("switch-reason") : $("switch-cancel")).focus();
  } catch (e) {
    $("switch-verdict").textContent = e.message;
  }
}

async function confirmSwitch() {
  if (!pending) return;
  const { target, action } = pending;
  $("switch-confirm").disabled = true;
  $("switch-verdict").textContent = "Switching over…";
  try {
    const reason = $("switch-reason").value.trim();
    const r = await call("POST", "/" + action, reason ? { target, reason } : { target });
    $("switch-verdict").textContent = "Result: " + describe(r.data, r.status);
    $("switch-cancel").textContent = "Close";
    $("switch-cancel").focus();
    refresh();
  } catch (e) {
    $("switch-verdict").textContent = e.message;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("key-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(KEY_SLOT, $("api-key").value.trim());
    $("api-key").value = "";
    start();
  });
  $("forget-key").addEventListener("click", () => {
    sessionStorage.removeItem(KEY_SLOT);
    clearInterval(timer);
    showKeyForm();
  });
  $("switch-confirm").addEventListener("click", confirmSwitch);
  $("answer-confirm").addEventListener("click", confirmAnswer);
  $("answer-dialog").addEventListener("close", () => { answering = null; $("answer-cancel").textContent = "Cancel"; $("answer-reason").value = ""; });
  $("budget-form").addEventListener("submit", (ev) => { ev.preventDefault(); resetBudget(); });
  $("switch-dialog").addEventListener("close", () => { pending = null; $("switch-cancel").textContent = "Cancel"; $("switch-reason").value = ""; });
  for (const id of ["f-target", "f-status", "f-trigger", "f-limit"]) $(id).addEventListener("change", refresh);
  if (key()) start();
});
