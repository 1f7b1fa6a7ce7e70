/**
 * Readers for untrusted JSON. Whatever an IdP sends, they answer a value or null and never
 * throw, so one odd attribute cannot stop a user from being projected.
 */
export type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

/**
 * An attribute by name: the canonical spelling first, then any other case, because RFC 7643
 * §2.1 makes names case-insensitive. Own properties only, so `constructor` never reads the prototype.
 */
export function field(record: JsonRecord | undefined, name: string): unknown {
  if (record === undefined) return undefined;
  if (Object.hasOwn(record, name)) return record[name];
  const wanted = name.toLowerCase();
  const key = Object.keys(record).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : record[key];
}

/** A multi-valued attribute's elements; a lone object counts as a one-element list. */
export function records(value: unknown): JsonRecord[] {
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((element: unknown) => {
    const record = asRecord(element);
    return record === undefined ? [] : [record];
  });
}

/**
 * Trimmed text, or null when empty: OneLogin resolves unset template placeholders to ""
 * (or " " between two of them), and an empty value must not overwrite or name anything.
 * Letter case is kept exactly, so a case-only change reaches the target user.
 */
export function text(value: unknown): string | null {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** `true`, `"True"`, `" false "` → the boolean; anything else → undefined. */
export function booleanValue(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const lower = value.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}
