/** One line of streamed input: its 1-based number and text (without the line break), or that it was too long. */
export type InputLine = { number: number; text: string } | { number: number; tooLong: true };

/** Longest line kept; a longer one is reported and skipped (it would otherwise be held whole in memory). */
export const MAX_LINE_BYTES = 1 << 20;

/**
 * Splits streamed bytes into lines (LF or CRLF), holding only the current line in memory. A UTF-8
 * byte-order mark at the start is skipped; a last line without a line break is still a line.
 */
export async function* inputLines(chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, maxBytes = MAX_LINE_BYTES): AsyncGenerator<InputLine> {
  let parts: Buffer[] = [];
  let held = 0;
  let tooLong = false;
  let number = 0;
  const finish = (tail: Buffer): InputLine => {
    number += 1;
    if (tooLong || held + tail.length > maxBytes) {
      parts = [];
      held = 0;
      tooLong = false;
      return { number, tooLong: true };
    }
    let bytes = parts.length === 0 ? tail : Buffer.concat([...parts, tail]);
    parts = [];
    held = 0;
    if (number === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    return { number, text: bytes.toString('utf8', 0, end) };
  };
  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
      yield finish(buf.subarray(start, nl));
      start = nl + 1;
    }
    if (start < buf.length) {
      const rest = buf.subarray(start);
      if (tooLong || held + rest.length > maxBytes) {
        tooLong = true;
        parts = [];
        held = 0;
      } else {
        // Copied: a stream may reuse its chunk's memory.
        parts.push(Buffer.from(rest));
        held += rest.length;
      }
    }
  }
  if (held > 0 || tooLong) yield finish(Buffer.alloc(0));
}
