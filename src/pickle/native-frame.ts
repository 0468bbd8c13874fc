import { Session } from 'node:inspector';

/**
 * Name the function behind a native generator object (a frame that is not restorable), for
 * error messages: "function* worker". JS offers no way to get from a generator object to its
 * function, so this asks V8 through an in-process inspector session (synchronous; used only
 * on the error path). Caller: the encoder, when refusing a native frame.
 */
export function describeNativeFrame(frame: object): string {
  const tag = Object.prototype.toString.call(frame);
  if (tag !== '[object Generator]') {
    const cls = (frame as { constructor?: { name?: string } }).constructor?.name;
    return `a frame of class ${cls || 'Object'} (not a compiled frame)`;
  }
  const name = generatorFunctionName(frame);
  return name === null ? 'a native generator (function name unknown)' : `the native generator function* ${name}`;
}

function generatorFunctionName(gen: object): string | null {
  const g = globalThis as { __stacklessPickleProbe?: object };
  let session: Session | null = null;
  let name: string | null = null;
  try {
    session = new Session();
    session.connect();
    g.__stacklessPickleProbe = gen;
    session.post('Runtime.evaluate', { expression: 'globalThis.__stacklessPickleProbe' }, (err, res) => {
      const objectId = err === null ? res?.result?.objectId : undefined;
      if (objectId === undefined) return;
      session!.post('Runtime.getProperties', { objectId, ownProperties: true }, (err2, props) => {
        if (err2 !== null) return;
        const fn = props.internalProperties?.find((p) => p.name === '[[GeneratorFunction]]');
        const text = fn?.value?.description ?? '';
        const m = /^(?:async\s+)?function\s*\*\s*([\w$]+)/.exec(text) ?? /^\*?\s*([\w$]+)\s*\(/.exec(text);
        name = m !== null ? m[1]! : null;
      });
    });
  } catch {
    name = null;
  } finally {
    delete g.__stacklessPickleProbe;
    session?.disconnect();
  }
  return name;
}
