import type { Readable, Writable } from 'node:stream';
import { StreamReader } from './stream-reader.js';
import { StreamWriter } from './stream-writer.js';

/**
 * Adapters for any Node stream: `reader(fs.createReadStream(p))` gives recv/read/readline/
 * readUntil/readAll that block the tasklet; `writer(stream)` gives write() with backpressure
 * and end(). The adapter attaches its listeners at once and owns the stream from then on.
 */
export function reader(stream: Readable, label = 'stream'): StreamReader {
  return new StreamReader(stream, label, 'stream');
}

export function writer(stream: Writable, label = 'stream'): StreamWriter {
  return new StreamWriter(stream, label, 'stream');
}
