/**
 * Tagged templates with a `yield` in a substitution become a call `tag(strings, ...values)`
 * (emitter.ts); the strings array comes from a tagged template of their own in the machine,
 * `$rt.strings\`...\``, whose site is evaluated on every call, so it is the same (frozen,
 * with `raw`) object each time, as the original site's is.
 *
 * Caller: generated code only.
 */
export function strings(s: TemplateStringsArray): TemplateStringsArray {
  return s;
}
