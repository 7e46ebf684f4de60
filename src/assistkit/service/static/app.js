// The caseworkers' page: paste or upload a household, see its determination. Plain JavaScript, no build step.
// Every URL is relative, so the page works under a reverse proxy's prefix (assistkit serve --root-path).
"use strict";

const TEXT = {
  zh: {
    intro: "粘贴或上传一户家庭的 JSON（household-format.md；也可以是带 household 与 on 的示例文件），选择认定日期、地区和语言。",
    household: "家庭数据（JSON）", file: "上传文件", on: "认定日期", locality: "地区", lang: "语言",
    member: "收入曲线成员", max: "最高月工资（元）", assess: "认定", programmes: "各救助项目",
    needs: "需求与支付（瀑布图）", curve: "救助随工资变化的曲线", curve_hint: "该成员月工资从 0 变化到最高值时，每月救助合计（实线）与工资加救助（虚线）；红点为悬崖：工资增加而总收入减少。",
    household_statuses: "家庭身份", member_statuses: "成员身份", none: "无", monthly: "每月", one_off: "一次性",
    eligible: "符合", not_eligible: "不符合", totals: "合计", payments: "支付", reasons: "理由", need: "需求",
    remaining: "剩余", paid: "已付", no_needs: "无需求。", wage: "月工资", yuan: "元", next_review: "下次复核",
    errors: "错误", problem: "数据有误", invalid_json: "不是有效的 JSON", loading: "认定中…",
    cliffs: "悬崖", no_cliffs: "无悬崖", assistance: "救助", net: "工资＋救助",
  },
  en: {
    intro: "Paste or upload a household as JSON (household-format.md; a spec example with household and on works too), choose the date, locality and language.",
    household: "Household (JSON)", file: "Upload a file", on: "Assessment date", locality: "Locality", lang: "Language",
    member: "Member for the curve", max: "Highest monthly wage (yuan)", assess: "Assess", programmes: "Programmes",
    needs: "Needs and payments (waterfall)", curve: "Benefit curve", curve_hint: "Total monthly assistance (solid) and wage plus assistance (dashed) as the member's monthly wage goes from 0 to the highest; red dots are cliffs, where earning more leaves less.",
    household_statuses: "Household statuses", member_statuses: "Member statuses", none: "none", monthly: "monthly",
    one_off: "one-off", eligible: "eligible", not_eligible: "not eligible", totals: "Totals", payments: "Payments",
    reasons: "Reasons", need: "need", remaining: "remaining", paid: "paid", no_needs: "No needs.", wage: "monthly wage",
    yuan: "yuan", next_review: "Next review", errors: "Errors", problem: "The data has problems",
    invalid_json: "not valid JSON", loading: "Assessing…", cliffs: "cliffs", no_cliffs: "no cliffs",
    assistance: "assistance", net: "wage + assistance",
  },
};

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
let titles = {};

function lang() { return $("lang").value; }
function t(key) { return TEXT[lang()][key] || key; }

function el(tag, attrs = {}, ...children) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

function applyTexts() {
  document.documentElement.lang = lang() === "zh" ? "zh-CN" : "en";
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
}

async function loadLocalities() {
  const health = await (await fetch("health")).json();
  for (const name of health.localities) $("locality").append(el("option", { value: name, text: name }));
  await loadTitles();
}

async function loadTitles() {
  const plugins = await (await fetch("plugins?locality=" + encodeURIComponent($("locality").value))).json();
  titles = {};
  for (const p of plugins.programmes) titles[p.name] = { zh: p.title_zh || p.name, en: p.title_en || p.name };
}

function parsed() {
  try { return JSON.parse($("household").value); } catch (e) { return null; }
}

function householdOf(data) {
  return data && typeof data.household === "object" && data.household !== null ? data.household : data;
}

function onHouseholdChanged() {
  const data = parsed();
  const household = householdOf(data);
  if (data && typeof data.on === "string") $("on").value = data.on;
  const select = $("member");
  const before = select.value;
  select.replaceChildren();
  for (const m of (household && Array.isArray(household.members)) ? household.members : []) {
    select.append(el("option", { value: m.id, text: `${m.id} ${m.name || ""}`.trim() }));
  }
  if ([...select.options].some((o) => o.value === before)) select.value = before;
}

function query(extra = {}) {
  const params = new URLSearchParams({ lang: lang(), locality: $("locality").value, ...extra });
  if ($("on").value) params.set("on", $("on").value);
  return params.toString();
}

function showProblem(problem) {
  const box = $("problem");
  box.replaceChildren(el("strong", { text: `${t("problem")}: ${problem.title}` }), el("p", { text: problem.detail }));
  if (Array.isArray(problem.errors) && problem.errors.length) {
    const list = el("ul");
    for (const e of problem.errors) list.append(el("li", {}, el("code", { text: e.path || "(whole record)" }), `: ${e.message}`));
    box.append(list);
  }
  box.hidden = false;
}

async function assess(event) {
  event.preventDefault();
  $("problem").hidden = true;
  if (parsed() === null) {
    showProblem({ title: t("invalid_json"), detail: t("invalid_json"), errors: [] });
    return;
  }
  const button = $("assess");
  button.disabled = true;
  button.textContent = t("loading");
  try {
    const response = await fetch("assess?" + query(), { method: "POST", body: $("household").value,
                                                        headers: { "Content-Type": "application/json" } });
    const body = await response.json();
    if (!response.ok) { showProblem(body); $("result").hidden = true; return; }
    render(body);
    await curve();
  } finally {
    button.disabled = false;
    button.textContent = t("assess");
  }
}

function title(name) { return (titles[name] || { zh: name, en: name })[lang()]; }

function render(d) {
  $("headline").textContent = `${d.household} · ${d.on} · ${d.policy}`;
  const statuses = $("statuses");
  statuses.replaceChildren(el("span", { class: "label", text: `${t("household_statuses")}: ` }));
  for (const s of d.statuses.household.length ? d.statuses.household : [t("none")]) statuses.append(el("span", { text: s }));
  for (const [member, held] of Object.entries(d.statuses.members)) {
    statuses.append(el("span", { "data-member": member, text: `${member}: ${held.join(", ")}` }));
  }
  $("totals").textContent = `${t("totals")}: ${t("monthly")} ${d.totals.monthly} ${t("yuan")} · ${t("one_off")} `
    + `${d.totals.one_off} ${t("yuan")} · ${t("next_review")}: ${d.next_review || t("none")}`;
  const warnings = $("warnings");
  warnings.replaceChildren();
  for (const e of d.errors || []) warnings.append(el("p", { text: `${t("errors")}: ${e.programme} (${e.plugin}): ${e.message}` }));

  const programmes = $("programmes");
  programmes.replaceChildren();
  for (const [name, p] of Object.entries(d.programmes)) {
    const box = el("section", { class: "programme " + (p.eligible ? "eligible" : "not-eligible"), "data-programme": name });
    box.append(el("header", {},
      el("strong", { text: `${title(name)} (${name}) · ${p.eligible ? t("eligible") : t("not_eligible")}` }),
      el("span", { class: "amounts" }, `${t("monthly")} `, el("span", { class: "monthly", text: p.monthly }),
         ` · ${t("one_off")} `, el("span", { class: "one-off", text: p.one_off }), ` ${t("yuan")}`)));
    if (p.payments.length) {
      const list = el("ul", { class: "payments" });
      for (const pay of p.payments) {
        const who = [pay.member, pay.need].filter(Boolean).join(" · ");
        list.append(el("li", { text: `${pay.kind}${who ? " (" + who + ")" : ""}: ${pay.amount} ${t("yuan")}`
          + (pay.approval ? ` [${pay.approval}]` : "") }));
      }
      box.append(el("div", { text: t("payments") }), list);
    }
    if (p.reasons.length) {
      const list = el("ul", { class: "reasons" });
      for (const r of p.reasons) list.append(el("li", { class: "reason", "data-rule": r.rule }, el("span", { class: "rule", text: r.rule }), r.text));
      box.append(list);
    }
    if (p.error) box.append(el("p", { class: "warnings", text: `${t("errors")}: ${p.error.message}` }));
    programmes.append(box);
  }
  waterfall(d);
  $("result").hidden = false;
}

// The needs waterfall: each need's amount, what each programme paid toward it in the order paid, what remains.
function waterfall(d) {
  const box = $("needs");
  box.replaceChildren();
  const needs = Object.entries(d.needs);
  if (!needs.length) { box.append(el("p", { text: t("no_needs") })); return; }
  for (const [id, need] of needs) {
    const steps = [];
    for (const [name, p] of Object.entries(d.programmes)) {
      for (const pay of p.payments) if (pay.need === id) steps.push([title(name), Number(pay.amount), pay.amount]);
    }
    const total = Number(need.amount) || 1;
    const width = 150 + 110 * (steps.length + 2), height = 190, top = 20, bottom = 150;
    const y = (v) => bottom - (bottom - top) * v / total;
    const svg = el("svg:svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "data-need": id,
                                "aria-label": `${t("need")} ${id}` });
    let x = 20, level = total;
    const bar = (from, to, label, amount, color) => {
      svg.append(el("svg:rect", { x, y: y(Math.max(from, to)), width: 80, height: Math.max(1, Math.abs(y(from) - y(to))), fill: color }));
      svg.append(el("svg:text", { x: x + 40, y: y(Math.max(from, to)) - 4, "text-anchor": "middle", text: amount }));
      svg.append(el("svg:text", { x: x + 40, y: bottom + 16, "text-anchor": "middle", text: label }));
      x += 110;
    };
    bar(0, total, `${t("need")} ${id}`, need.amount, "#8a94a6");
    for (const [name, value, text] of steps) { bar(level, level - value, name, text, "#2b59c3"); level -= value; }
    bar(0, Number(need.remaining), t("remaining"), need.remaining, "#b3261e");
    svg.append(el("svg:line", { class: "axis", x1: 10, x2: x, y1: bottom, y2: bottom }));
    box.append(svg);
  }
}

// The benefit curve (the `cliff` data): total monthly assistance and wage + assistance against the member's wage.
async function curve() {
  const box = $("curve");
  box.replaceChildren();
  if (!$("member").value) return;
  const response = await fetch("cliff?" + query({ member: $("member").value, max: $("max").value || "3000",
                                                  step: String(Math.max(50, Math.round(Number($("max").value || 3000) / 60 / 50) * 50)) }),
                               { method: "POST", body: $("household").value, headers: { "Content-Type": "application/json" } });
  const data = await response.json();
  if (!response.ok) { showProblem(data); return; }
  const points = data.points.map((p) => ({ wage: Number(p.wage), total: Number(p.total), net: Number(p.net) }));
  const width = 720, height = 300, left = 60, right = 20, top = 15, bottom = 40;
  const maxX = Math.max(...points.map((p) => p.wage)) || 1;
  const maxY = Math.max(...points.map((p) => Math.max(p.total, p.net))) || 1;
  const sx = (v) => left + (width - left - right) * v / maxX;
  const sy = (v) => height - bottom - (height - top - bottom) * v / maxY;
  const svg = el("svg:svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", id: "curve-chart",
                              "aria-label": t("curve") });
  svg.append(el("svg:line", { class: "axis", x1: left, x2: width - right, y1: sy(0), y2: sy(0) }));
  svg.append(el("svg:line", { class: "axis", x1: left, x2: left, y1: top, y2: sy(0) }));
  for (let i = 0; i <= 4; i++) {
    const vx = maxX * i / 4, vy = maxY * i / 4;
    svg.append(el("svg:text", { x: sx(vx), y: height - bottom + 14, "text-anchor": "middle", text: vx.toFixed(0) }));
    svg.append(el("svg:text", { x: left - 6, y: sy(vy) + 4, "text-anchor": "end", text: vy.toFixed(0) }));
  }
  svg.append(el("svg:text", { x: (left + width) / 2, y: height - 6, "text-anchor": "middle", text: `${t("wage")} ${data.member} (${t("yuan")})` }));
  const path = (key) => points.map((p, i) => `${i ? "L" : "M"}${sx(p.wage).toFixed(1)},${sy(p[key]).toFixed(1)}`).join(" ");
  svg.append(el("svg:path", { class: "total", d: path("total") }, el("svg:title", { text: t("assistance") })));
  svg.append(el("svg:path", { class: "net", d: path("net") }, el("svg:title", { text: t("net") })));
  for (const c of data.cliffs) {
    svg.append(el("svg:circle", { class: "cliff", cx: sx(Number(c.wage_to)), cy: sy(Number(c.total_to)), r: 4 },
                  el("svg:title", { text: `${c.wage_from} → ${c.wage_to}: −${c.drop}` })));
  }
  box.append(svg, el("p", { class: "hint", text: data.cliffs.length ? `${t("cliffs")}: ${data.cliffs.length}` : t("no_cliffs") }));
}

document.addEventListener("DOMContentLoaded", async () => {
  applyTexts();
  $("lang").addEventListener("change", applyTexts);
  $("locality").addEventListener("change", loadTitles);
  $("household").addEventListener("input", onHouseholdChanged);
  $("file").addEventListener("change", async () => {
    const file = $("file").files[0];
    if (file) { $("household").value = await file.text(); onHouseholdChanged(); }
  });
  $("form").addEventListener("submit", assess);
  await loadLocalities();
  document.body.dataset.ready = "true";
});
