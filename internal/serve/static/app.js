// The page of triad serve: plain JavaScript, no build step. The server sends
// JSON (see internal/serve/view.go); this file draws the map, the charts
// (with uPlot) and the tables, and streams runs with server-sent events.
"use strict";

const $ = (id) => document.getElementById(id);
const colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
const roleColors = { source: "#1f77b4", accelerator: "#ff7f0e", connector: "#2ca02c", periphery: "#999999" };
const svgNS = "http://www.w3.org/2000/svg";

// One tab, one run at a time: the server knows this tab by its id.
const tab = sessionStorage.getItem("triad-tab") || (Math.random().toString(36).slice(2) + Date.now().toString(36));
sessionStorage.setItem("triad-tab", tab);

const state = {
  view: null,      // the scenario as the server describes it
  original: {},    // path → value as loaded
  run: null,       // id of the current run
  runView: null,   // the scenario it ran
  checked: null,   // the scenario with the edits, as last checked
  source: null,    // its EventSource
  result: null,    // the finished run's results
  pinned: null,    // id of the pinned run
  pinnedBands: null, // its curves
  batch: null,     // the batch: its id, event source and results
  adoption: null,  // uPlot charts
  pipeline: null,
  timer: null,     // the animation's timer
  frame: 0,
};

async function api(method, path, body) {
  const opts = { method, headers: {} };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(path, opts);
  const ct = r.headers.get("Content-Type") || "";
  const data = ct.includes("json") ? await r.json() : await r.text();
  return { ok: r.ok, status: r.status, data };
}

// ---- scenario and parameters ----

async function loadList() {
  const r = await api("GET", "api/scenarios");
  const sel = $("scenario");
  sel.textContent = "";
  for (const s of r.data) {
    const o = document.createElement("option");
    o.value = s.name;
    o.textContent = s.label + (s.description ? " — " + s.description.slice(0, 80) : "");
    sel.appendChild(o);
  }
  sel.onchange = () => loadScenario(sel.value);
  await loadScenario(sel.value);
}

async function loadScenario(name) {
  const r = await api("GET", "api/scenario?name=" + encodeURIComponent(name));
  if (!r.ok) { showProblems(r.data); return; }
  state.view = r.data;
  state.checked = null;
  state.original = {};
  for (const p of r.data.settings.concat(r.data.params)) state.original[p.path] = p.value;
  $("description").textContent = r.data.description;
  $("sweep-note").hidden = !r.data.sweep;
  $("yaml").value = r.data.yaml;
  renderParams(r.data);
  drawMap($("map"), r.data, null, null);
  drawCities($("cities"), r.data, null, 0);
  setupBatch(r.data);
  showProblems(null);
}

// niceStep returns the number of the 1-2-5 ladder (…, 0.01, 0.02, 0.05,
// 0.1, 0.2, 0.5, 1, 2, 5, 10, …) at or above x.
function niceStep(x) {
  if (!(x > 0)) return 1;
  const e = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 5, 10]) if (m * e >= x * (1 - 1e-9)) return roundTo(m * e, e);
  return 10 * e;
}

// roundTo rounds x to a multiple of step and drops the float noise, so
// that 0.1 + 0.2 reads 0.3.
// stepUnit names the running scenario's step ("month" for the built-ins
// that say so, "step" otherwise).
function stepUnit() {
  const v = state.runView || state.view;
  return (v && v.step_unit) || "step";
}

function roundTo(x, step) {
  const k = Math.round(x / step);
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number((k * step).toFixed(Math.min(digits, 20)));
}

// sliderRange returns a parameter's slider: its bottom, top and step. The
// top is the upper bound when that is near the value, else a few times
// the value; the step is the 1-2-5 number at or above a hundredth of the
// span, so that the slider stops at readable values (pulling 1.9 down
// gives 1.8, 1.7, … 1, exactly). An open bound is kept out by one step.
function sliderRange(p) {
  const v = Number(p.value);
  const lo = p.lo === null ? 0 : p.lo;
  const hi = p.hi === null ? Infinity : p.hi;
  let top;
  if (p.int) top = Math.min(hi, Math.max(2 * v, 10));
  else if (v > 0) top = Math.min(hi, v < 0.05 ? 4 * v : Math.max(4 * v, 1));
  else top = Math.min(hi, 1);
  let step = niceStep((top - lo) / 100);
  if (p.int) step = Math.max(1, Math.round(step));
  // The stops are multiples of the step: the bottom is the bound or the
  // first multiple above it.
  let min = Math.ceil(roundTo(lo / step, 1e-6)) * step;
  if (p.loOpen && min <= lo) min += step;
  let max = Math.ceil(roundTo(top / step, 1e-6)) * step;
  if (max > hi || (p.hiOpen && max >= hi)) max = p.hiOpen ? hi - step : hi;
  return { min: roundTo(min, step), max: roundTo(max, step), step };
}

function renderParams(view) {
  const form = $("params");
  form.textContent = "";
  const groups = new Map();
  for (const p of view.settings.concat(view.params)) {
    if (!groups.has(p.group)) groups.set(p.group, []);
    groups.get(p.group).push(p);
  }
  // Links are many: they start folded, under one heading.
  const links = document.createElement("details");
  const ls = document.createElement("summary");
  ls.textContent = `links (${view.links.length}): friction and coupling`;
  links.appendChild(ls);
  for (const [group, ps] of groups) {
    const fs = document.createElement("fieldset");
    const lg = document.createElement("legend");
    lg.textContent = group;
    fs.appendChild(lg);
    for (const p of ps) fs.appendChild(paramRow(p));
    (group.startsWith("link ") ? links : form).appendChild(fs);
  }
  if (view.links.length) form.appendChild(links);
}

function paramRow(p) {
  const row = document.createElement("div");
  row.className = "param";
  const id = "p-" + p.path.replace(/[^a-z0-9]/gi, "_");
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = p.label;
  const field = document.createElement("input");
  field.type = p.path === "seed" ? "text" : "number";
  field.id = id;
  field.dataset.path = p.path;
  field.value = p.value;
  field.step = "any"; // a typed value is taken exactly
  let slider = document.createElement("span");
  if (p.path !== "seed") {
    const r = sliderRange(p);
    slider = document.createElement("input");
    slider.type = "range";
    slider.min = r.min;
    slider.max = r.max;
    slider.step = r.step;
    slider.value = p.value;
    slider.dataset.slider = p.path;
    slider.setAttribute("aria-label", p.label);
    slider.oninput = () => { field.value = String(roundTo(Number(slider.value), r.step)); changed(); };
  }
  field.oninput = () => { if (slider.type === "range") slider.value = field.value; changed(); };
  const doc = document.createElement("div");
  doc.className = "doc";
  const value = cell("span", "scenario: " + p.value, "value");
  value.title = "the value in the scenario, before your changes";
  const range = cell("span", "allowed " + p.range, "range");
  range.title = "the values the scenario format accepts";
  doc.append(value, " · ", range, " · " + p.doc);
  row.append(label, slider, field, doc);
  return row;
}

// request is what the page asks the server for: the scenario, its edited
// YAML if edited, and the changed fields as --set assignments.
function request() {
  const req = { tab, scenario: state.view.name, sets: [] };
  if ($("yaml").value !== state.view.yaml) req.yaml = $("yaml").value;
  for (const f of document.querySelectorAll("#params input[data-path]")) {
    const path = f.dataset.path;
    const changedHere = f.value.trim() !== state.original[path];
    f.closest(".param").classList.toggle("changed", changedHere);
    if (!changedHere) continue;
    const v = f.value.trim();
    if (path === "seed") req.seed = v;
    else if (path === "replications" || path === "steps") {
      // A whole number goes as --replications and --steps do; anything
      // else as an assignment, to get the server's message for it.
      const n = Number(v);
      if (v !== "" && Number.isInteger(n) && n > 0) req[path] = n;
      else req.sets.push(path + "=" + v);
    } else req.sets.push(path + "=" + v);
  }
  return req;
}

let checkTimer = null;
function changed() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, 250);
}

// check asks the server whether the edits are valid and redraws the map.
async function check() {
  const r = await api("POST", "api/check", request());
  if (!r.ok) { showProblems(r.data); return false; }
  showProblems(null);
  state.checked = r.data;
  drawMap($("map"), r.data, null, null);
  return true;
}

function showProblems(data) {
  const box = $("errors");
  if (!data) { box.hidden = true; box.textContent = ""; return; }
  box.hidden = false;
  box.textContent = data.error || "error";
}

// ---- the region map ----

// layout places the regions on a circle (one region in the middle),
// leaving room above for the largest circle and below for its two lines
// of labels, so that no label is cut at the edge.
function layout(regions, w, h) {
  const n = regions.length, pos = {};
  const top = 40, bottom = 66, side = 60;
  const cx = w / 2, cy = (top + h - bottom) / 2;
  const r = Math.min(w / 2 - side, (h - bottom - top) / 2);
  regions.forEach((reg, i) => {
    const a = -Math.PI / 2 + 2 * Math.PI * i / n;
    pos[reg.id] = n === 1 ? [cx, cy] : [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });
  return pos;
}

function el(name, attrs, text) {
  const e = document.createElementNS(svgNS, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}

// drawMap draws view's regions and links on svg; with shares (region →
// adoption share) the regions fill by share, and with flow (a matrix) the
// flows of products between regions are drawn as arrows.
function drawMap(svg, view, shares, flow) {
  svg.textContent = "";
  const w = 420, h = 320;
  const pos = layout(view.regions, w, h);
  const maxFirms = Math.max(1, ...view.regions.map((r) => r.firms));
  const radius = (r) => 10 + 26 * Math.sqrt(r.firms / maxFirms);
  const defs = el("defs", {});
  const marker = el("marker", { id: svg.id + "-arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 5, markerHeight: 5, orient: "auto" });
  marker.appendChild(el("path", { d: "M0,0 L10,5 L0,10 z", fill: "#c0392b" }));
  defs.appendChild(marker);
  svg.appendChild(defs);
  const maxC = Math.max(1e-9, ...view.links.filter((l) => l.from !== l.to).map((l) => l.coupling));
  for (const l of view.links) {
    if (l.from === l.to || !pos[l.from] || !pos[l.to]) continue;
    const [x1, y1] = pos[l.from], [x2, y2] = pos[l.to];
    const line = el("line", { x1, y1, x2, y2, stroke: "#556", "stroke-width": 1 + 5 * l.coupling / maxC, "stroke-opacity": 1 - 0.8 * l.friction });
    line.appendChild(el("title", {}, `${l.id}: coupling ${l.coupling}, friction ${l.friction}`));
    svg.appendChild(line);
  }
  if (flow) {
    const ids = view.regions.map((r) => r.id);
    let maxF = 1e-9;
    flow.forEach((row, o) => row.forEach((v, d) => { if (o !== d) maxF = Math.max(maxF, v || 0); }));
    flow.forEach((row, o) => row.forEach((v, d) => {
      if (o === d || !v) return;
      const [x1, y1] = pos[ids[o]], [x2, y2] = pos[ids[d]];
      // Bend each direction to its own side, and stop at the circle.
      const mx = (x1 + x2) / 2 + (y2 - y1) * 0.15, my = (y1 + y2) / 2 - (x2 - x1) * 0.15;
      const rd = radius(view.regions[d]) + 3;
      const len = Math.hypot(x2 - mx, y2 - my);
      const ex = x2 - (x2 - mx) * rd / len, ey = y2 - (y2 - my) * rd / len;
      const path = el("path", { d: `M${x1},${y1} Q${mx},${my} ${ex},${ey}`, fill: "none", stroke: "#c0392b", "stroke-opacity": 0.75, "stroke-width": 1 + 6 * v / maxF, "marker-end": `url(#${svg.id}-arrow)` });
      path.appendChild(el("title", {}, `${ids[o]} → ${ids[d]}: ${v.toFixed(1)} products per run`));
      svg.appendChild(path);
    }));
  }
  // The regions over the arrows, and their labels over everything, on a
  // white halo: an arrow never hides a name or a share.
  const labels = el("g", { class: "labels" });
  view.regions.forEach((r, i) => {
    const [x, y] = pos[r.id];
    const rad = radius(r);
    const col = roleColors[r.role] || colors[i % colors.length];
    const g = el("g", { "data-region": r.id });
    g.appendChild(el("circle", { cx: x, cy: y, r: rad, fill: shares ? "#fff" : col, "fill-opacity": shares ? 1 : 0.8, stroke: col, "stroke-width": 2 }));
    if (shares) {
      const s = Math.max(0, Math.min(1, shares[r.id] || 0));
      g.appendChild(el("circle", { cx: x, cy: y, r: rad * Math.sqrt(s), fill: col, "fill-opacity": 0.85 }));
      labels.appendChild(el("text", { x, y: y + rad + 24, "text-anchor": "middle", "font-size": 11, class: "halo" }, (100 * s).toFixed(1) + " %"));
    }
    labels.appendChild(el("text", { x, y: y + rad + 12, "text-anchor": "middle", "font-size": 12, "font-weight": "bold", class: "halo" }, r.id + (r.role ? " · " + r.role : "")));
    g.appendChild(el("title", {}, `${r.name || r.id}: ${r.firms} firms, ${r.labs} labs`));
    svg.appendChild(g);
  });
  svg.appendChild(labels);
}

// ---- runs ----

async function startRun() {
  showProblems(null);
  const r = await api("POST", "api/runs", request());
  if (!r.ok) { showProblems(r.data); return; }
  state.run = r.data.id;
  state.runView = state.checked || state.view;
  state.result = null;
  document.body.dataset.state = "running";
  $("run").disabled = true;
  $("cancel").disabled = false;
  $("pin").disabled = true;
  $("zip").hidden = true;
  $("headline").textContent = "";
  $("headline-table").textContent = "";
  delete $("adoption").dataset.partial;
  delete $("adoption").dataset.grew;
  $("headline-notes").textContent = "";
  $("compare-box").hidden = true;
  $("progress").textContent = "waiting for a turn…";
  $("bar").max = r.data.runs;
  $("bar").value = 0;
  const es = new EventSource("api/runs/" + r.data.id + "/events");
  state.source = es;
  es.addEventListener("progress", (ev) => {
    const p = JSON.parse(ev.data);
    $("bar").value = p.done;
    const going = p.partial && p.partial.bands && p.partial.bands.reached ? p.partial.bands.reached.filter((n) => n > 0).length : 0;
    $("progress").textContent = p.state === "queued" ? "waiting for a turn…"
      : p.state === "running" && p.done === p.total ? `all ${p.total} runs done; writing the tables, charts and report…`
      : `runs ${p.done} of ${p.total} finished` + (going ? `, the furthest at step ${going - 1}` : "") + ` (${p.state})`;
    if (p.partial && p.state !== "done") showPartial(p.partial, p.total);
  });
  es.addEventListener("done", (ev) => { showResult(JSON.parse(ev.data)); finish("done"); });
  es.addEventListener("failed", (ev) => { finish("failed"); showProblems(JSON.parse(ev.data)); $("progress").textContent = "the run failed"; });
  es.addEventListener("cancelled", () => { finish("cancelled"); $("progress").textContent = "cancelled"; });
  es.onerror = () => { if (es.readyState === EventSource.CLOSED) finish("lost"); };
}

function finish(how) {
  document.body.dataset.state = how;
  if (state.source) state.source.close();
  state.source = null;
  $("run").disabled = false;
  $("cancel").disabled = true;
}

async function cancelRun() {
  if (state.run) await api("POST", "api/runs/" + state.run + "/cancel");
}

// drawAdoption draws each region's mean share with its 95 % band.
function drawAdoption(bands, total) {
  const box = $("adoption");
  const data = [bands.steps];
  const series = [{ label: stepUnit() }];
  const bandDefs = [];
  bands.regions.forEach((b, i) => {
    const c = colors[i % colors.length];
    data.push(b.mean, b.low, b.high);
    series.push({ label: b.region, stroke: c, width: 2, value: (u, v) => v == null ? "-" : (100 * v).toFixed(1) + " %" });
    series.push({ label: b.region + " low", stroke: "transparent", points: { show: false } });
    series.push({ label: b.region + " high", stroke: "transparent", points: { show: false } });
    const k = 1 + 3 * i;
    bandDefs.push({ series: [k + 2, k + 1], fill: c + "33" });
  });
  // The pinned run's means, dashed, when it has the same steps.
  const pinned = state.pinnedBands;
  const withPinned = pinned && pinned.steps.length === bands.steps.length && pinned.regions.length === bands.regions.length;
  if (withPinned) {
    pinned.regions.forEach((b, i) => {
      data.push(b.mean);
      series.push({ label: b.region + " (pinned)", stroke: colors[i % colors.length], width: 1, dash: [6, 4], points: { show: false } });
    });
  }
  if (!state.adoption || state.adoption.series.length !== series.length) {
    if (state.adoption) state.adoption.destroy();
    box.textContent = "";
    state.adoption = new uPlot({
      width: Math.max(320, box.clientWidth || 600), height: 300, series, bands: bandDefs,
      scales: { x: { time: false }, y: { range: [0, 1] } },
      axes: [{ label: stepUnit() }, { label: "adoption share", values: (u, vs) => vs.map((v) => (100 * v).toFixed(0) + "%") }],
      legend: { show: false },
    }, data, box);
    legend($("adoption-legend"), bands.regions.map((b) => b.region), withPinned ? "dashed: the pinned run " + state.pinned : "");
  } else {
    state.adoption.setData(data);
  }
  box.dataset.updates = String(Number(box.dataset.updates) + 1);
  box.dataset.runs = String(bands.runs);
  // The steps drawn so far: while the runs go on, the curves end at the
  // furthest step a run has reached.
  const points = bands.regions.length ? bands.regions[0].mean.filter((v) => v != null).length : 0;
  box.dataset.points = String(points);
  box.dataset.steps = String(bands.steps.length);
  if (bands.runs < total) {
    box.dataset.partial = "true";
    if (points > 0 && points < bands.steps.length) box.dataset.grew = "true";
  }
}

// showPartial shows the figures over the runs finished so far.
function showPartial(res, total) {
  if (!res.bands) return;
  drawAdoption(res.bands, total);
  showHeadline(res);
  drawPipeline(res.pipeline);
  drawTransfer(res.transfer);
}

function showResult(res) {
  state.result = res;
  $("progress").textContent = `finished: ${res.bands ? res.bands.runs : 0} runs`;
  if (res.bands) drawAdoption(res.bands, res.bands.runs);
  showHeadline(res);
  drawPipeline(res.pipeline);
  drawTransfer(res.transfer);
  setupAnimation(res);
  $("pin").disabled = false;
  $("zip").href = "api/runs/" + state.run + "/zip";
  $("zip").setAttribute("download", "");
  $("zip").hidden = false;
  if (state.pinned && state.pinned !== state.run) compareWithPinned();
}

// fmtFigure writes a figure of the headline table: a share in percent,
// a count or a number of steps with one decimal.
function fmtFigure(v, percent) {
  if (v == null) return "-";
  return percent ? (100 * v).toFixed(1) + " %" : v.toFixed(1);
}

// figureCell is a table cell with a figure's mean and, below it, its 95 %
// interval.
function figureCell(c, percent, runs) {
  const td = document.createElement("td");
  td.dataset.metric = c.metric;
  td.appendChild(cell("span", fmtFigure(c.mean, percent), "mean"));
  if (c.low != null && c.high != null) {
    const ci = cell("span", `[${fmtFigure(c.low, percent)}, ${fmtFigure(c.high, percent)}]`, "ci");
    ci.title = "95 % confidence interval of the mean over the runs";
    td.appendChild(ci);
  }
  if (c.mean != null && c.n < runs) {
    const n = cell("span", `in ${c.n} of ${runs} runs`, "ci");
    n.title = "the runs where the figure exists: in the others no product got there";
    td.appendChild(n);
  }
  return td;
}

// showHeadline shows the headline figures as a table with their intervals
// and tooltips, and as triad run prints them.
function showHeadline(res) {
  $("headline").textContent = res.headline;
  const t = res.table, table = $("headline-table");
  table.textContent = "";
  if (!t) return;
  const head = document.createElement("tr");
  head.append(cell("th", "region (role)", "name"));
  for (const c of t.columns) {
    const th = cell("th", c.label);
    th.title = c.tip;
    th.dataset.metric = c.metric;
    th.tabIndex = 0; // the tooltip reaches a keyboard too
    head.appendChild(th);
  }
  table.appendChild(head);
  for (const row of t.rows) {
    const tr = document.createElement("tr");
    const name = cell("th", row.region, "name");
    if (row.role) name.appendChild(cell("span", row.role, "ci"));
    tr.appendChild(name);
    row.cells.forEach((c, i) => tr.appendChild(figureCell(c, t.columns[i].percent, t.runs)));
    table.appendChild(tr);
  }
  const notes = $("headline-notes");
  notes.textContent = "";
  for (const c of t.totals) {
    const percent = c.percent;
    const item = cell("span", `${c.label}: `, "total");
    item.title = c.tip;
    item.appendChild(cell("b", fmtFigure(c.mean, percent)));
    if (c.low != null) item.append(` [${fmtFigure(c.low, percent)}, ${fmtFigure(c.high, percent)}]`);
    notes.append(item, document.createElement("br"));
  }
  notes.append(`${t.runs} runs of ${t.steps} ${t.unit || "steps"}. ${t.ci}`);
}

function drawPipeline(p) {
  const box = $("pipeline");
  const data = [p.steps, p.discovered, p.commercialized, p.lost];
  if (state.pipeline && state.pipeline.data[0].length === p.steps.length) {
    state.pipeline.setData(data);
    return;
  }
  if (state.pipeline) state.pipeline.destroy();
  box.textContent = "";
  state.pipeline = new uPlot({
    width: Math.max(320, box.clientWidth || 600), height: 240,
    series: [{ label: stepUnit() },
      { label: "discovered", stroke: colors[0], width: 1.5 },
      { label: "commercialized", stroke: colors[2], width: 1.5 },
      { label: "lost", stroke: colors[3], width: 1.5 }],
    scales: { x: { time: false } },
    axes: [{ label: stepUnit() }, { label: "per " + stepUnit() }],
  }, data, box);
}

// legend writes a colour key of names, in the charts' colours.
function legend(box, names, note) {
  box.textContent = "";
  names.forEach((n, i) => {
    const item = document.createElement("span");
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = colors[i % colors.length];
    item.append(sw, document.createTextNode(n));
    box.appendChild(item);
  });
  if (note) box.appendChild(cell("span", note));
}

function cell(tag, text, cls) {
  const c = document.createElement(tag);
  c.textContent = text;
  if (cls) c.className = cls;
  return c;
}

function drawTransfer(t) {
  const table = $("transfer");
  table.textContent = "";
  const head = document.createElement("tr");
  head.appendChild(cell("th", "from \\ to", "name"));
  for (const id of t.regions) head.appendChild(cell("th", id));
  table.appendChild(head);
  let max = 1e-9;
  for (const row of t.mean) for (const v of row) max = Math.max(max, v || 0);
  t.mean.forEach((row, o) => {
    const tr = document.createElement("tr");
    tr.appendChild(cell("th", t.regions[o], "name"));
    for (const v of row) {
      const td = cell("td", v == null ? "-" : v.toFixed(1));
      td.style.background = `rgba(31,119,180,${0.6 * (v || 0) / max})`;
      tr.appendChild(td);
    }
    table.appendChild(tr);
  });
}

// ---- the animation ----

function setupAnimation(res) {
  const slider = $("time");
  slider.max = res.flowSteps.length - 1;
  slider.value = slider.max;
  slider.disabled = false;
  $("play").disabled = false;
  slider.oninput = () => drawFrame(Number(slider.value));
  drawFrame(Number(slider.value));
}

function drawFrame(k) {
  const res = state.result;
  if (!res || !res.bands) return;
  const step = res.flowSteps[k];
  const i = res.bands.steps.indexOf(step);
  const shares = {};
  for (const b of res.bands.regions) shares[b.region] = i >= 0 ? b.mean[i] : 0;
  drawMap($("anim"), state.runView, shares, res.flows[k]);
  drawCities($("cities"), state.runView, res.cities, k);
  const pol = (res.policies || []).filter((p) => p.at <= step).map((p) => p.name);
  $("time-label").textContent = `step ${step}` + (pol.length ? " · policy in force: " + pol.join(", ") : "");
}

function play() {
  if (state.timer) { clearInterval(state.timer); state.timer = null; $("play").textContent = "Play"; return; }
  const slider = $("time");
  if (Number(slider.value) >= Number(slider.max)) slider.value = 0;
  $("play").textContent = "Pause";
  state.timer = setInterval(() => {
    const k = Number(slider.value) + 1;
    if (k > Number(slider.max)) { play(); return; }
    slider.value = k;
    drawFrame(k);
  }, 80);
}

// ---- the city view ----

// shareColor returns the colour of an adoption share: from a pale to a
// deep blue as the share goes from 0 to 1.
function shareColor(s) {
  const t = Math.max(0, Math.min(1, s || 0));
  const lo = [239, 243, 255], hi = [8, 48, 107];
  const c = lo.map((v, i) => Math.round(v + (hi[i] - v) * t));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

// drawCities draws every city of view as a dot around its region's place
// on the map, sized by its firms and filled by its adoption share at
// frame k of cities (null: the runner did not report the cities); each
// region is a ring in its role's colour, labelled with its id and role.
function drawCities(svg, view, cities, k) {
  svg.textContent = "";
  const w = 420, h = 320;
  const pos = layout(view.regions, w, h);
  let maxFirms = 1;
  for (const r of view.regions) for (const c of r.cities || []) maxFirms = Math.max(maxFirms, c.firms);
  const labels = el("g", { class: "labels" });
  const fills = [];
  let ci = 0;
  view.regions.forEach((r, i) => {
    const [x, y] = pos[r.id];
    const n = (r.cities || []).length;
    const ring = n <= 1 ? 0 : 12 + 7 * Math.sqrt(n);
    const col = roleColors[r.role] || colors[i % colors.length];
    const g = el("g", { "data-region": r.id });
    g.appendChild(el("circle", { cx: x, cy: y, r: ring + 16, fill: "none", stroke: col, "stroke-width": 3, "stroke-opacity": 0.6 }));
    (r.cities || []).forEach((c, j) => {
      const a = -Math.PI / 2 + 2 * Math.PI * j / Math.max(1, n);
      const cx = x + ring * Math.cos(a), cy = y + ring * Math.sin(a);
      const share = cities && cities.shares[k] ? cities.shares[k][ci] : null;
      const fill = share == null ? "#ddd" : shareColor(share);
      fills.push(fill);
      const dot = el("circle", { cx, cy, r: 3 + 11 * Math.sqrt(c.firms / maxFirms), fill, stroke: "#333", "stroke-width": 0.7, "data-city": c.id });
      dot.appendChild(el("title", {}, `${c.name || c.id} (${r.id}, ${r.role || "no role"}): ${c.firms} firms, ${c.labs} labs` +
        (share == null ? "" : `; ${(100 * share).toFixed(1)} % of its firms use the products`)));
      g.appendChild(dot);
      ci++;
    });
    labels.appendChild(el("text", { x, y: y + ring + 30, "text-anchor": "middle", "font-size": 12, "font-weight": "bold", class: "halo" }, r.id + (r.role ? " · " + r.role : "")));
    svg.appendChild(g);
  });
  svg.appendChild(labels);
  svg.dataset.frame = String(k);
  svg.dataset.fills = fills.join(" ");
  const key = $("cities-key");
  key.textContent = "";
  if (!cities) { key.append("Run the scenario to colour the cities by adoption."); return; }
  for (const s of [0, 0.25, 0.5, 0.75, 1]) {
    const item = document.createElement("span");
    const sw = cell("span", "", "swatch");
    sw.style.background = shareColor(s);
    item.append(sw, `${100 * s} %`);
    key.appendChild(item);
  }
}

// ---- pin and compare ----

function pin() {
  state.pinned = state.run;
  state.pinnedBands = state.result && state.result.bands;
  $("pin").textContent = "Pinned: " + state.run;
}

async function compareWithPinned() {
  const r = await api("GET", `api/compare?base=${state.pinned}&other=${state.run}`);
  const box = $("compare-box");
  box.hidden = false;
  const table = $("compare");
  table.textContent = "";
  $("compare-zip").hidden = !r.ok;
  if (!r.ok) { $("compare-note").textContent = r.data.error; return; }
  $("compare-zip").href = `api/compare/zip?base=${state.pinned}&other=${state.run}`;
  $("compare-note").textContent = r.data.why + ". Difference: this run − pinned, with its 95 % interval; * marks an adjusted p below 0.05.";
  const head = document.createElement("tr");
  for (const h of ["figure", "region", "pinned " + r.data.sets[0], "this " + r.data.sets[1], "difference", "95 % CI", "p adj."]) head.appendChild(cell("th", h, "name"));
  table.appendChild(head);
  const f = (v) => v == null ? "-" : Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3);
  for (const row of r.data.rows) {
    const tr = document.createElement("tr");
    const sig = row.pAdj != null && row.pAdj < 0.05;
    tr.append(cell("td", row.metric, "name"), cell("td", row.region || "all", "name"), cell("td", f(row.a)), cell("td", f(row.b)),
      cell("td", f(row.diff) + (sig ? " *" : ""), sig ? "sig" : ""), cell("td", `[${f(row.low)}, ${f(row.high)}]`), cell("td", row.pAdj == null ? "-" : row.pAdj.toPrecision(2)));
    table.appendChild(tr);
  }
}

// ---- batch runs ----

function showTab(which) {
  $("run-view").hidden = which !== "run";
  $("batch-view").hidden = which !== "batch";
  $("tab-run").setAttribute("aria-selected", String(which === "run"));
  $("tab-batch").setAttribute("aria-selected", String(which === "batch"));
}

// batchValues proposes values for a parameter: its value and readable
// values around it, on its slider's stops, within its range.
function batchValues(p) {
  const r = sliderRange(p), v = Number(p.value);
  const out = new Set();
  for (const f of [0.5, 1, 1.5, 2]) {
    let x = roundTo(v * f, r.step);
    if (p.int) x = Math.round(x);
    if (x >= r.min && x <= r.max) out.add(x);
  }
  if (out.size < 2) { out.add(r.min); out.add(r.max); }
  return [...out].sort((a, b) => a - b).join(", ");
}

// setupBatch fills the batch form for the scenario: its parameters, and
// the figures of the headline table.
function setupBatch(view) {
  const params = view.params;
  for (const [id, optional] of [["batch-p1", false], ["batch-p2", true]]) {
    const sel = $(id);
    sel.textContent = "";
    if (optional) sel.appendChild(new Option("(none)", ""));
    for (const p of params) sel.appendChild(new Option(`${p.group}: ${p.label}`, p.path));
  }
  const byPath = (path) => params.find((p) => p.path === path);
  $("batch-p1").onchange = () => { const p = byPath($("batch-p1").value); $("batch-v1").value = p ? batchValues(p) : ""; };
  $("batch-p2").onchange = () => { const p = byPath($("batch-p2").value); $("batch-v2").value = p ? batchValues(p) : ""; };
  $("batch-p2").value = "";
  $("batch-v2").value = "";
  $("batch-p1").onchange();
  $("batch-chart").textContent = "";
  $("batch-table").textContent = "";
  $("batch-legend").textContent = "";
  $("batch-zip").hidden = true;
  state.batch = null;
}

// batchRequest is the page's request with the batch's sweep.
function batchRequest() {
  const req = request();
  req.sweep = [];
  for (const [p, v] of [["batch-p1", "batch-v1"], ["batch-p2", "batch-v2"]]) {
    const path = $(p).value;
    if (!path) continue;
    const values = $(v).value.split(",").map((x) => x.trim()).filter((x) => x !== "").map(Number);
    req.sweep.push({ path, values });
  }
  return req;
}

async function startBatch() {
  showProblems(null);
  const req = batchRequest();
  if (req.sweep.some((sp) => sp.values.some((x) => !isFinite(x)) || !sp.values.length)) {
    showProblems({ error: "batch: give each parameter one or more numbers, separated by commas" });
    return;
  }
  const r = await api("POST", "api/batch", req);
  if (!r.ok) { showProblems(r.data); return; }
  const b = { id: r.data.id, total: r.data.runs, result: null, source: null };
  state.batch = b;
  document.body.dataset.batch = "running";
  $("batch-run").disabled = true;
  $("batch-cancel").disabled = false;
  $("batch-zip").hidden = true;
  $("batch-progress").textContent = `waiting for a turn… (${r.data.points} points × ${req.replications || "the"} replications)`;
  const es = new EventSource("api/runs/" + b.id + "/events");
  b.source = es;
  const end = (how) => {
    es.close();
    document.body.dataset.batch = how;
    $("batch-run").disabled = false;
    $("batch-cancel").disabled = true;
  };
  es.addEventListener("progress", (ev) => {
    const p = JSON.parse(ev.data);
    $("batch-progress").textContent = p.state === "queued" ? "waiting for a turn…" : `runs ${p.done} of ${p.total} finished (${p.state})`;
    if (p.partial && p.partial.batch && p.state !== "done") { b.result = p.partial.batch; drawBatch(); }
  });
  es.addEventListener("done", (ev) => {
    b.result = JSON.parse(ev.data).batch;
    $("batch-progress").textContent = `finished: ${b.total} runs`;
    $("batch-zip").href = "api/runs/" + b.id + "/zip";
    $("batch-zip").hidden = false;
    drawBatch();
    end("done");
  });
  es.addEventListener("failed", (ev) => { end("failed"); showProblems(JSON.parse(ev.data)); $("batch-progress").textContent = "the batch failed"; });
  es.addEventListener("cancelled", () => { end("cancelled"); $("batch-progress").textContent = "cancelled"; });
  es.onerror = () => { if (es.readyState === EventSource.CLOSED) end("lost"); };
}

// batchFigures fills the figure and region pickers from a batch's result,
// keeping the choices made.
function batchFigures(b) {
  const fig = $("batch-figure"), reg = $("batch-region");
  if (fig.options.length === 0 || fig.dataset.for !== b.paths.join(",")) {
    const keepF = fig.value;
    fig.textContent = "";
    for (const c of b.columns.concat(b.totals)) {
      const o = new Option(c.label, c.metric);
      o.title = c.tip;
      fig.appendChild(o);
    }
    fig.value = keepF || "t50";
    if (!fig.value) fig.selectedIndex = 0;
    reg.textContent = "";
    if (b.paths.length === 1) reg.appendChild(new Option("every region", ""));
    for (const id of b.regions) reg.appendChild(new Option(id, id));
    reg.selectedIndex = 0;
    fig.dataset.for = b.paths.join(",");
    fig.onchange = drawBatch;
    reg.onchange = drawBatch;
  }
}

// batchSeries returns the series of the batch's chart: the chosen figure
// against the first parameter, one series per region (one parameter) or
// per value of the second parameter (two, for the chosen region).
function batchSeries(b) {
  const metric = $("batch-figure").value;
  const col = b.columns.concat(b.totals).find((c) => c.metric === metric) || b.columns[0];
  const total = b.totals.some((c) => c.metric === col.metric);
  const region = total ? "" : $("batch-region").value;
  const figureOf = (rg) => b.figures.find((f) => f.metric === col.metric && f.region === rg);
  const series = [];
  if (b.paths.length === 1) {
    const regions = total ? [""] : region ? [region] : b.regions;
    for (const rg of regions) {
      const f = figureOf(rg);
      series.push({ name: rg || "all regions", pts: b.points.map((p, k) => ({ x: p.values[0], c: f.cells[k] })) });
    }
  } else {
    const rg = total ? "" : region || b.regions[0];
    const f = figureOf(rg);
    const seconds = [...new Set(b.points.map((p) => p.values[1]))];
    for (const v of seconds) {
      series.push({ name: `${b.paths[1]} = ${v}`, pts: b.points.map((p, k) => ({ x: p.values[0], v2: p.values[1], c: f.cells[k] })).filter((q) => q.v2 === v) });
    }
  }
  return { col, series, region };
}

// niceTicks returns about n readable ticks (1-2-5 steps) covering [lo, hi].
function niceTicks(lo, hi, n) {
  if (!(hi > lo)) { hi = lo + 1; lo = lo - 1; }
  const step = niceStep((hi - lo) / n);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(roundTo(t, step));
  return out;
}

// drawBatch draws the chosen figure against the first parameter, with the
// 95 % interval of every point as a bar, and fills the table. The axes
// fit the data (an effect of a few steps is not flattened against zero).
function drawBatch() {
  const b = state.batch && state.batch.result;
  const svg = $("batch-chart");
  svg.textContent = "";
  if (!b) return;
  batchFigures(b);
  const { col, series } = batchSeries(b);
  const fmt = (v) => fmtFigure(v, col.percent);
  const W = 560, H = 320, L = 64, R = 16, T = 14, B = 44;
  const xs = b.points.map((p) => p.values[0]);
  let ylo = Infinity, yhi = -Infinity;
  for (const s of series) for (const q of s.pts) for (const v of [q.c.mean, q.c.low, q.c.high]) if (v != null) { ylo = Math.min(ylo, v); yhi = Math.max(yhi, v); }
  const drawn = isFinite(ylo);
  if (!drawn) { ylo = 0; yhi = 1; }
  const pad = (yhi - ylo) * 0.08 || Math.abs(yhi) * 0.1 || 0.1;
  ylo -= pad; yhi += pad;
  let xlo = Math.min(...xs), xhi = Math.max(...xs);
  const xpad = (xhi - xlo) * 0.06 || Math.abs(xhi) * 0.1 || 0.5;
  xlo -= xpad; xhi += xpad;
  const X = (x) => L + (x - xlo) / (xhi - xlo) * (W - L - R);
  const Y = (y) => T + (1 - (y - ylo) / (yhi - ylo)) * (H - T - B);
  const axis = el("g", { class: "axis", "font-size": 11 });
  for (const t of niceTicks(ylo, yhi, 5)) {
    axis.appendChild(el("line", { x1: L, x2: W - R, y1: Y(t), y2: Y(t), stroke: "#e4e4ea" }));
    axis.appendChild(el("text", { x: L - 4, y: Y(t) + 4, "text-anchor": "end" }, col.percent ? (100 * t).toFixed(Math.max(0, 1 - Math.floor(Math.log10(Math.max(1e-9, 100 * (yhi - ylo)))))) + " %" : String(t)));
  }
  for (const x of [...new Set(xs)]) {
    axis.appendChild(el("line", { x1: X(x), x2: X(x), y1: H - B, y2: H - B + 4, stroke: "#555" }));
    axis.appendChild(el("text", { x: X(x), y: H - B + 16, "text-anchor": "middle" }, String(x)));
  }
  axis.appendChild(el("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: "#555" }));
  axis.appendChild(el("line", { x1: L, x2: L, y1: T, y2: H - B, stroke: "#555" }));
  axis.appendChild(el("text", { x: (L + W - R) / 2, y: H - 8, "text-anchor": "middle" }, b.paths[0]));
  axis.appendChild(el("text", { x: 14, y: (T + H - B) / 2, "text-anchor": "middle", transform: `rotate(-90 14 ${(T + H - B) / 2})` }, col.label));
  svg.appendChild(axis);
  let points = 0;
  series.forEach((s, i) => {
    const c = colors[i % colors.length];
    const g = el("g", { "data-series": s.name });
    const line = s.pts.filter((q) => q.c.mean != null).map((q) => `${X(q.x)},${Y(q.c.mean)}`);
    if (line.length > 1) g.appendChild(el("polyline", { points: line.join(" "), fill: "none", stroke: c, "stroke-width": 1.5 }));
    for (const q of s.pts) {
      if (q.c.mean == null) continue;
      if (q.c.low != null && q.c.high != null) {
        g.appendChild(el("line", { x1: X(q.x), x2: X(q.x), y1: Y(q.c.low), y2: Y(q.c.high), stroke: c, "stroke-width": 1.5 }));
        for (const y of [q.c.low, q.c.high]) g.appendChild(el("line", { x1: X(q.x) - 4, x2: X(q.x) + 4, y1: Y(y), y2: Y(y), stroke: c }));
      }
      const dot = el("circle", { cx: X(q.x), cy: Y(q.c.mean), r: 3.5, fill: c, class: "point" });
      dot.appendChild(el("title", {}, `${s.name}, ${b.paths[0]} = ${q.x}: ${fmt(q.c.mean)}` + (q.c.low != null ? ` [${fmt(q.c.low)}, ${fmt(q.c.high)}]` : "") + ` over ${q.c.n} runs`));
      g.appendChild(dot);
      points++;
    }
    svg.appendChild(g);
  });
  svg.dataset.points = String(points);
  svg.dataset.series = String(series.length);
  legend($("batch-legend"), series.map((s) => s.name), "");
  // The table: a row per point, a column per series.
  const table = $("batch-table");
  table.textContent = "";
  const head = document.createElement("tr");
  for (const p of b.paths) head.appendChild(cell("th", p, "name"));
  head.appendChild(cell("th", "runs"));
  if (b.paths.length === 1) for (const s of series) { const th = cell("th", `${col.label}: ${s.name}`); th.title = col.tip; head.appendChild(th); }
  else { const th = cell("th", `${col.label}: ${series.length ? batchSeries(b).region || b.regions[0] : ""}`); th.title = col.tip; head.appendChild(th); }
  table.appendChild(head);
  b.points.forEach((p, k) => {
    const tr = document.createElement("tr");
    for (const v of p.values) tr.appendChild(cell("td", String(v), "name"));
    tr.appendChild(cell("td", String(p.runs)));
    const figs = b.paths.length === 1 ? series.map((s) => s.pts[k].c) : [series.flatMap((s) => s.pts).find((q) => q.x === p.values[0] && q.v2 === p.values[1]).c];
    for (const c of figs) tr.appendChild(figureCell(c, col.percent, p.runs));
    table.appendChild(tr);
  });
}

async function cancelBatch() {
  if (state.batch) await api("POST", "api/runs/" + state.batch.id + "/cancel");
}

// ---- downloads ----

async function downloadYAML() {
  const r = await fetch("api/yaml", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request()) });
  if (!r.ok) { showProblems(await r.json()); return; }
  const blob = await r.blob();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = (state.view.title || "scenario") + ".yaml";
  a.click();
  URL.revokeObjectURL(a.href);
}

// Closing or reloading the tab stops its run: the server keeps one run per
// tab, and nobody would see this one.
window.addEventListener("pagehide", () => {
  if (state.run && state.source) navigator.sendBeacon("api/runs/" + state.run + "/cancel");
  if (state.batch && state.batch.source && state.batch.source.readyState !== EventSource.CLOSED) navigator.sendBeacon("api/runs/" + state.batch.id + "/cancel");
});

$("tab-run").onclick = () => showTab("run");
$("tab-batch").onclick = () => showTab("batch");
$("batch-run").onclick = startBatch;
$("batch-cancel").onclick = cancelBatch;
$("run").onclick = startRun;
$("cancel").onclick = cancelRun;
$("reset").onclick = () => loadScenario(state.view.name);
$("download-yaml").onclick = downloadYAML;
$("pin").onclick = pin;
$("play").onclick = play;
$("yaml").oninput = changed;
loadList();
