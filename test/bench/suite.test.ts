import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lineChartSvg } from '../../bench/chart.js';
import { median } from '../../bench/median.js';
import { buildPlan } from '../../bench/plan.js';
import { SYSTEM_IDS } from '../../bench/workloads.js';

describe('bench: median', () => {
  it('is the middle element, or the mean of the middle two', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.throws(() => median([]), RangeError);
  });
  it('lies between min and max and ignores order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { minLength: 1 }), (xs) => {
        const m = median(xs);
        assert.ok(m >= Math.min(...xs) && m <= Math.max(...xs));
        assert.equal(median([...xs].reverse()), m);
      }),
    );
  });
});

describe('bench: SVG chart', () => {
  it('draws one polyline per series, x increasing with N on the log axis', () => {
    const svg = lineChartSvg('t', 'x', 'y', [
      { label: 'a<b', points: [{ x: 2000, y: 300 }, { x: 1e6, y: 250 }, { x: 20000, y: 280 }] },
      { label: 'c', points: [{ x: 2000, y: 9000 }] },
    ]);
    assert.match(svg, /^<svg /);
    assert.equal(svg.match(/<polyline /g)?.length, 2);
    assert.ok(svg.includes('a&lt;b'), 'labels are escaped');
    const pts = svg.match(/points="([^"]+)"/)![1]!.split(' ').map((p) => Number(p.split(',')[0]));
    assert.deepEqual([...pts].sort((a, b) => a - b), pts, 'points sorted by x');
    assert.ok(pts[0]! < pts[1]! && pts[1]! < pts[2]!);
  });
  it('says "no data" instead of drawing an empty chart', () => {
    assert.match(lineChartSvg('t', 'x', 'y', []), /no data/);
  });
});

describe('bench: plan', () => {
  it('measures every system on every workload, with a baseline (N = 0) for each memory curve', () => {
    const plan = buildPlan({ quick: false, huge: false, runs: 5, only: null, systems: SYSTEM_IDS });
    for (const s of SYSTEM_IDS) {
      for (const w of ['pingpong', 'ring', 'spawn', 'spawn-bounded', 'schedule', 'deep-call', 'deep-yield', 'max-depth-call', 'max-depth-yield'])
        assert.ok(plan.some((m) => m.spec.system === s && m.spec.workload === w), `${s} ${w}`);
      assert.ok(plan.some((m) => m.spec.system === s && m.spec.workload === 'parked' && m.spec.params.n === 0), `${s} baseline`);
    }
    const pp = plan.find((m) => m.spec.system === 'stackless' && m.spec.workload === 'pingpong')!;
    assert.equal(pp.spec.params.n, 1_000_000, 'the fixed definition: 10^6 round trips');
    assert.ok(plan.filter((m) => m.spec.workload === 'parked').every((m) => m.nodeFlags.includes('--expose-gc')));
    const deep = plan.find((m) => m.spec.system === 'stackless-compiled' && m.spec.workload === 'pickle-deep')!;
    assert.equal(deep.spec.params.depth, 1_000_000, 'issue #4: a 10^6-frame tasklet pickles and resumes');
  });
  it('--huge adds 10^7 parked tasklets for stackless only among the runtimes under test', () => {
    const plan = buildPlan({ quick: false, huge: true, runs: 5, only: ['parked'], systems: SYSTEM_IDS });
    assert.ok(plan.some((m) => m.spec.system === 'stackless' && m.spec.params.n === 10_000_000));
    assert.ok(!plan.some((m) => m.spec.system === 'effect' && m.spec.params.n === 10_000_000));
  });
});

describe('bench: child process protocol', () => {
  it('prints one RESULT line whose check passed, and fails loudly on a bad spec', () => {
    const ok = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', 'bench/child.ts',
      JSON.stringify({ system: 'stackless', workload: 'pingpong', params: { n: 1000 } })], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(ok.status, 0, ok.stderr);
    const line = ok.stdout.split('\n').find((l) => l.startsWith('RESULT '))!;
    const r = JSON.parse(line.slice(7)) as { ops: number; wallNs: number; cpuNs: number };
    assert.equal(r.ops, 2000);
    assert.ok(r.wallNs > 0 && r.cpuNs >= 0);
    const bad = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', 'bench/child.ts',
      JSON.stringify({ system: 'effection', workload: 'schedule', params: { tasks: 2, each: 10 } })], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /does not implement schedule/);
  });
});
