/**
 * PostgreSQL reports positions as UTF-8 byte offsets; editors use UTF-16 code units.
 * For pure-ASCII text (the common case) the two are equal and no table is built.
 */
export interface OffsetMap {
  /** UTF-16 offset of a UTF-8 byte offset into the same text. */
  toUtf16(byteOffset: number): number;
}

const IDENTITY: OffsetMap = { toUtf16: (b) => b };
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

export function offsetMapFor(text: string): OffsetMap {
  if (!NON_ASCII.test(text)) return IDENTITY;
  // bytes[k] = UTF-8 offset of UTF-16 offset k (monotonic), searched by bisection.
  const bytes = new Uint32Array(text.length + 1);
  let b = 0;
  for (let k = 0; k < text.length; k++) {
    bytes[k] = b;
    const c = text.charCodeAt(k);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { b += 4; bytes[++k] = b; /* low surrogate: inside the code point */ }
    else b += 3;
  }
  bytes[text.length] = b;
  return {
    toUtf16(byteOffset: number): number {
      let lo = 0;
      let hi = text.length;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (bytes[mid] <= byteOffset) lo = mid; else hi = mid - 1;
      }
      return lo;
    },
  };
}

/**
 * PostgreSQL's error cursor counts characters (code points), not bytes: libpg-query passes it on 0-based.
 */
export function codePointToUtf16(text: string, codePoints: number): number {
  if (!NON_ASCII.test(text)) return Math.min(codePoints, text.length);
  let k = 0;
  for (let cp = 0; cp < codePoints && k < text.length; cp++) {
    const c = text.charCodeAt(k);
    k += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
  }
  return k;
}
