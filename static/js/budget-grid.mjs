// The budget grid (templates/budgets/grid.html): totals follow the figures as they are typed.
//
// Progressive enhancement: the server validates every figure and works out the same totals on each
// save attempt, so the page works without this script. The formulas come from budgets/derivations.py
// through the page (json_script), so there is one definition of gross, controllable and net.
// Figures are held as BigInt hundredths, never as floating point: 0.1 + 0.2 is exactly 0.3 here too.

const grid = document.querySelector("[data-budget-grid]");
const data = JSON.parse(document.getElementById("budget-grid-data").textContent);
const MINUS = /^[-\u2212\u2013]/;

// "1,234.5", "(12.3)", "-£12.3" -> hundredths; "" -> null (a blank is not zero); anything else -> undefined.
export function parseFigure(text) {
  let body = (text || "").trim();
  if (body === "") return null;
  let negative = false;
  if (body.startsWith("(") && body.endsWith(")")) {
    negative = true;
    body = body.slice(1, -1).trim();
  }
  if (MINUS.test(body)) {
    if (negative) return undefined;
    negative = true;
    body = body.slice(1).trim();
  }
  if (body.startsWith("£")) body = body.slice(1).trim();
  if (MINUS.test(body) && !negative) {
    negative = true;
    body = body.slice(1).trim();
  }
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(body);
  if (!match) return undefined;
  const value = BigInt(match[1].replaceAll(",", "")) * 100n + BigInt((match[2] || "").padEnd(2, "0"));
  return negative ? -value : value;
}

export function formatFigure(value, places) {
  if (value === null || value === undefined) return "";
  const negative = value < 0n;
  let hundredths = negative ? -value : value;
  if (places === 1) hundredths = ((hundredths + 5n) / 10n) * 10n; // half away from zero, as the server
  const whole = (hundredths / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = (hundredths % 100n).toString().padStart(2, "0").slice(0, places);
  return `${negative && hundredths !== 0n ? "-" : ""}${whole}.${fraction}`;
}

function add(values) {
  const known = values.filter((value) => value !== null && value !== undefined);
  return known.length ? known.reduce((sum, value) => sum + value, 0n) : null;
}

// The keyed figures of a line (or a sum of lines) with the derived ones added, as derivations.derive.
export function derive(keyed) {
  const result = { ...keyed };
  for (const [name, parts] of Object.entries(data.formulas)) {
    result[name] = add(parts.map((part) => result[part] ?? null));
  }
  const previous = result.previous_controllable ?? null;
  result.controllable_change =
    result.controllable === null || previous === null ? null : result.controllable - previous;
  return result;
}

function keyedOf(row) {
  const keyed = {};
  for (const input of row.querySelectorAll("input[data-figure]")) {
    const value = parseFigure(input.value);
    keyed[input.dataset.figure] = value === undefined ? null : value; // a refused figure counts as blank
  }
  return keyed;
}

function groupOf(row) {
  const kind = row.querySelector("[data-role=kind]");
  if (kind) {
    if (kind.value === "memorandum") return "memorandum";
    return row.querySelector("[data-role=category]")?.value || "none";
  }
  return row.dataset.group;
}

function sum(rows) {
  const totals = {};
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) {
      totals[name] = add([totals[name] ?? null, value]);
    }
  }
  return derive(totals);
}

function places(name) {
  return data.figures[name]?.kind === "fte" ? 2 : 1;
}

function show(row, values) {
  for (const cell of row.querySelectorAll("[data-total-figure]")) {
    const name = cell.dataset.totalFigure;
    cell.textContent = formatFigure(values[name] ?? null, places(name));
  }
}

function recalculate() {
  const lines = [];
  for (const row of grid.querySelectorAll("tr[data-line]")) {
    const keyed = keyedOf(row);
    const derived = derive(keyed);
    for (const cell of row.querySelectorAll("[data-derived]")) {
      cell.textContent = formatFigure(derived[cell.dataset.derived], places(cell.dataset.derived));
    }
    if (!row.querySelector("[data-role=delete]")?.checked) lines.push({ group: groupOf(row), keyed });
  }
  for (const row of grid.querySelectorAll("tr[data-total]")) {
    const kind = row.dataset.total;
    const counted = lines.filter((line) =>
      kind === "subtotal" ? line.group === row.dataset.key
      : kind === "total" ? line.group !== "memorandum"
      : true,
    );
    show(row, sum(counted.map((line) => line.keyed)));
  }
}

if (grid) {
  grid.addEventListener("input", recalculate);
  grid.addEventListener("change", recalculate);
}
