/**
 * Graph isomorphism for pickle round trips: `b` must have the same shape and values as `a`,
 * and the same sharing: every object of `a` corresponds to exactly one object of `b` (so a
 * shared reference stays shared, a cycle stays a cycle, and distinct objects stay distinct).
 * Iterative, so deep graphs do not overflow. Returns null when equal, else a description.
 */
export function isoDiff(a: unknown, b: unknown): string | null {
  const fwd = new Map<object, object>();
  const back = new Map<object, object>();
  const work: [unknown, unknown, string][] = [[a, b, 'root']];
  while (work.length > 0) {
    const [x, y, path] = work.pop()!;
    if (typeof x !== typeof y) return `${path}: ${typeof x} vs ${typeof y}`;
    if (x === null || (typeof x !== 'object' && typeof x !== 'function')) {
      if (!Object.is(x, y)) return `${path}: ${String(x)} vs ${String(y)}`;
      continue;
    }
    if (y === null || typeof y !== 'object') return `${path}: object vs ${String(y)}`;
    const seen = fwd.get(x);
    if (seen !== undefined) {
      if (seen !== y) return `${path}: sharing lost (one object became two)`;
      continue;
    }
    if (back.has(y)) return `${path}: two objects became one`;
    fwd.set(x, y);
    back.set(y, x);
    if (Object.getPrototypeOf(x) !== Object.getPrototypeOf(y)) return `${path}: prototype differs`;
    if (Array.isArray(x)) {
      const ya = y as unknown[];
      if (x.length !== ya.length) return `${path}: length ${x.length} vs ${ya.length}`;
      for (let i = 0; i < x.length; i++) {
        if (i in x !== i in ya) return `${path}[${i}]: hole differs`;
        work.push([x[i], ya[i], `${path}[${i}]`]);
      }
      // named (non-index) own properties, in order
      const named = (o: object) => Object.keys(o).filter((k) => !/^(0|[1-9]\d*)$/.test(k));
      const xn = named(x);
      const yn = named(ya);
      if (xn.join('\u0000') !== yn.join('\u0000')) return `${path}: array properties ${xn} vs ${yn}`;
      for (const k of xn) work.push([(x as unknown as Record<string, unknown>)[k], (ya as unknown as Record<string, unknown>)[k], `${path}.${k}`]);
      continue;
    }
    if (x instanceof Map) {
      const ye = [...(y as Map<unknown, unknown>)];
      const xe = [...x];
      if (xe.length !== ye.length) return `${path}: map size`;
      xe.forEach(([k, v], i) => work.push([k, ye[i]![0], `${path}.key${i}`], [v, ye[i]![1], `${path}.val${i}`]));
      continue;
    }
    if (x instanceof Set) {
      const ys = [...(y as Set<unknown>)];
      const xs = [...x];
      if (xs.length !== ys.length) return `${path}: set size`;
      xs.forEach((v, i) => work.push([v, ys[i], `${path}.item${i}`]));
      continue;
    }
    if (x instanceof Date) {
      if (!Object.is(x.getTime(), (y as Date).getTime())) return `${path}: date`;
      continue;
    }
    if (x instanceof RegExp) {
      if (String(x) !== String(y)) return `${path}: regexp`;
      continue;
    }
    if (x instanceof ArrayBuffer) {
      if (Buffer.compare(Buffer.from(x), Buffer.from(y as ArrayBuffer)) !== 0) return `${path}: bytes`;
      continue;
    }
    if (ArrayBuffer.isView(x)) {
      const yv = y as ArrayBufferView;
      // A Buffer is copied out of Node's shared pool, so only its bytes are compared.
      if (!Buffer.isBuffer(x) && (x.byteOffset !== yv.byteOffset || x.byteLength !== yv.byteLength)) return `${path}: view window`;
      if (Buffer.compare(Buffer.from(x.buffer, x.byteOffset, x.byteLength), Buffer.from(yv.buffer, yv.byteOffset, yv.byteLength)) !== 0)
        return `${path}: view bytes`;
      continue;
    }
    if (x instanceof Error) {
      const ye = y as Error;
      if (x.message !== ye.message || x.stack !== ye.stack) return `${path}: error message/stack`;
      work.push([x.cause, ye.cause, `${path}.cause`]);
    }
    const xk = Object.keys(x);
    const yk = Object.keys(y);
    if (xk.join('\u0000') !== yk.join('\u0000')) return `${path}: keys ${xk} vs ${yk}`;
    for (const k of xk) work.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`]);
  }
  return null;
}
