/**
 * The public surface of every layer is a whitelist: adding or removing an exported name is a
 * deliberate API change that must update this file (and the docs). The core's list is pinned
 * in test/core/exports.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

const COMPILER_RUNTIME = [
  'ArrayIter', 'CLOSURE_DATA', 'CollectionIter', 'coercible', 'objRest', 'restOf', 'step', 'strings', 'FRAME_DATA', 'FUNCTION_DATA', 'Frame', 'KeysIter', 'ProtocolIter',
  'StringIter', 'budget', 'closeLoop', 'closure', 'closureInfo', 'compiledFunctions', 'copyScope', 'del',
  'fin', 'fnData', 'iter', 'jump', 'keys', 'methodData', 'ret', 'superCall', 'superGet', 'superSet', 'superUpdate', 'tdz', 'toKey', 'tryStart', 'unit', 'placedUnit', 'bindUnit',
];

const SURFACE: Record<string, string[]> = {
  'stackless/io': [
    'AsyncResult', 'BoundedSemaphore', 'ConcurrentReadError', 'ConnectionRefusedError', 'ConnectionResetError',
    'Event', 'Future', 'Group', 'IoError', 'Job', 'LimitExceededError', 'Lock', 'Pool', 'Process', 'Queue',
    'QueueEmptyError', 'QueueFullError', 'Semaphore', 'Server', 'Socket', 'SocketClosedError', 'StreamReader',
    'StreamWriter', 'SyncUsageError', 'Timeout', 'TimeoutError', 'VirtualClock', 'WriteAfterShutdownError',
    'advanceClock', 'checkHubInvariants', 'connect', 'connectTls', 'exec', 'formatTasklets', 'fs', 'getClock',
    'getHubTasklet', 'ioStats', 'listen', 'listenTls', 'lookup', 'main', 'nextTurn', 'reader', 'realClock',
    'setClock', 'setLoopBudget', 'sleep', 'spawn', 'spawnNamed', 'spawnProcess', 'startStallDetector', 'tasklets',
    'useVirtualClock', 'wait', 'withTimeout', 'writer',
  ],
  'stackless/http': [
    'BodyTooLargeError', 'ChunkedDecoder', 'ClientGoneError', 'DEFAULT_HEAD_LIMITS', 'DEFAULT_LIMITS',
    'HttpParseError', 'HttpRequest', 'HttpResponse', 'HttpServer', 'HttpTimeoutError', 'HttpUsageError',
    'InvalidHeaderError', 'LAST_CHUNK', 'RequestHead', 'checkHeader', 'chunkHeader', 'fetchHandler', 'headerPairs',
    'listen', 'parseRequestHead', 'reasonPhrase', 'serializeHeaders', 'statusLine',
  ],
  'stackless/pickle': ['FORMAT_VERSION', 'PickleError', 'REDUCE', 'REVIVE', 'pickle', 'registerClass', 'registerFunction', 'unpickle'],
  // The runtime ABI that generated code imports (frame base, iterators, jump/ret/fin/del
  // helpers, the pickler contract of src/compiler/contract.ts), without the compiler (Babel).
  'stackless/compiler/runtime': COMPILER_RUNTIME,
  // The compiler's entry: compile() and CompileError, plus the whole runtime.
  'stackless/compiler': [...COMPILER_RUNTIME, 'CompileError', 'compile'],
};

describe('public surface of every layer', () => {
  for (const [entry, names] of Object.entries(SURFACE)) {
    it(`${entry} exports exactly its whitelist`, async () => {
      const mod = (await import(entry)) as Record<string, unknown>;
      assert.deepEqual(Object.keys(mod).sort(), [...names].sort());
    });
  }
  it('stackless/compiler/runtime loads no Babel (compiled programs start without the compiler)', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e',
      "await import('stackless/compiler/runtime'); const { createRequire } = await import('node:module'); " +
      "const req = createRequire(process.cwd() + '/'); console.log(Object.keys(req.cache).filter((k) => k.includes('@babel')).length);"],
      { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '0');
  });
});
