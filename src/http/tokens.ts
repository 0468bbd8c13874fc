/**
 * Character classes of RFC 9110/9112, as 256-entry lookup tables over latin1 code units
 * (the parser decodes the head as latin1, so one code unit is one byte).
 */

function table(pred: (c: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = pred(c) ? 1 : 0;
  return t;
}

const TCHAR_PUNCT = "!#$%&'*+-.^_`|~";

/** tchar: the characters of a token (method, header field name). */
export const TCHAR = table(
  (c) =>
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    TCHAR_PUNCT.includes(String.fromCharCode(c)),
);

/** field-vchar / SP / HTAB: what a header field value may contain (obs-text included). */
export const FIELD_VALUE_CHAR = table((c) => c === 0x09 || (c >= 0x20 && c <= 0x7e) || c >= 0x80);

/** The characters accepted in a request-target: visible ASCII (no spaces, no controls). */
export const TARGET_CHAR = table((c) => c >= 0x21 && c <= 0x7e);

/** HEXDIG value, or 255 when `c` is not a hex digit. */
export const HEX_VALUE = (() => {
  const t = new Uint8Array(256).fill(255);
  for (let c = 0; c < 256; c++) {
    if (c >= 0x30 && c <= 0x39) t[c] = c - 0x30;
    else if (c >= 0x41 && c <= 0x46) t[c] = c - 0x41 + 10;
    else if (c >= 0x61 && c <= 0x66) t[c] = c - 0x61 + 10;
  }
  return t;
})();

/** True when `s` is a non-empty token. */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255 || TCHAR[c] === 0) return false;
  }
  return true;
}

/** True when `s` is a valid header field value (no CR, LF, NUL or other controls but HTAB). */
export function isFieldValue(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255 || FIELD_VALUE_CHAR[c] === 0) return false;
  }
  return true;
}
