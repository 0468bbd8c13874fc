/**
 * A hand-written SVG line chart (no chart library): bytes per parked task against task
 * count, log x axis and log y axis, one line per system. Caller: report.ts.
 */
export interface Series {
  label: string;
  points: { x: number; y: number }[];
}

const COLORS = ['#555555', '#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function fmt(v: number): string {
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  return String(v);
}

/** Powers of ten and their 2x/5x between lo and hi, for log-axis ticks. */
function logTicks(lo: number, hi: number, withSubs: boolean): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of withSubs ? [1, 2, 5] : [1]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
  }
  return out;
}

export function lineChartSvg(title: string, xLabel: string, yLabel: string, series: readonly Series[]): string {
  const W = 760;
  const H = 440;
  const L = 80;
  const R = 210;
  const T = 40;
  const B = 60;
  const all = series.flatMap((s) => s.points).filter((p) => p.x > 0 && p.y > 0);
  if (all.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="60"><text x="10" y="30">${esc(title)}: no data</text></svg>\n`;
  const xLo = 10 ** Math.floor(Math.log10(Math.min(...all.map((p) => p.x))));
  const xHi = 10 ** Math.ceil(Math.log10(Math.max(...all.map((p) => p.x))));
  const yLo = 10 ** Math.floor(Math.log10(Math.min(...all.map((p) => p.y))));
  const yHi = 10 ** Math.ceil(Math.log10(Math.max(...all.map((p) => p.y))));
  const px = (x: number): number => L + ((Math.log10(x) - Math.log10(xLo)) / (Math.log10(xHi) - Math.log10(xLo))) * (W - L - R);
  const py = (y: number): number => H - B - ((Math.log10(y) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo))) * (H - T - B);
  const o: string[] = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  o.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  o.push(`<text x="${W / 2 - R / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>`);
  for (const x of logTicks(xLo, xHi, false)) {
    o.push(`<line x1="${px(x).toFixed(1)}" y1="${T}" x2="${px(x).toFixed(1)}" y2="${H - B}" stroke="#e0e0e0"/>`);
    o.push(`<text x="${px(x).toFixed(1)}" y="${H - B + 18}" text-anchor="middle">${fmt(x)}</text>`);
  }
  for (const y of logTicks(yLo, yHi, true)) {
    o.push(`<line x1="${L}" y1="${py(y).toFixed(1)}" x2="${W - R}" y2="${py(y).toFixed(1)}" stroke="#e0e0e0"/>`);
    o.push(`<text x="${L - 6}" y="${(py(y) + 4).toFixed(1)}" text-anchor="end">${fmt(y)}</text>`);
  }
  o.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#333"/>`);
  o.push(`<text x="${(L + W - R) / 2}" y="${H - 18}" text-anchor="middle">${esc(xLabel)}</text>`);
  o.push(`<text transform="translate(20 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  series.forEach((s, i) => {
    const c = COLORS[i % COLORS.length]!;
    const pts = s.points.filter((p) => p.x > 0 && p.y > 0).sort((a, b) => a.x - b.x);
    if (pts.length > 0) {
      o.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`);
      for (const p of pts) o.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${c}"/>`);
    }
    const ly = T + 10 + i * 20;
    o.push(`<line x1="${W - R + 15}" y1="${ly}" x2="${W - R + 40}" y2="${ly}" stroke="${c}" stroke-width="2"/>`);
    o.push(`<text x="${W - R + 46}" y="${ly + 4}">${esc(s.label)}</text>`);
  });
  o.push('</svg>');
  return o.join('\n') + '\n';
}
