import type { ResourceTypeDefinition } from '../schema/resource-types';
import { badRequest } from '../errors';
import type { ScimResource } from './canonicalize';

/** `id`, `schemas` and `meta` are returned whatever the client asks (RFC 7643 §7 `returned: always`). */
const ALWAYS = new Set(['id', 'schemas', 'meta']);

interface Selector {
  /** Lower-cased top-level key: an attribute, or an extension URN. */
  top: string;
  /** Lower-cased attribute inside an extension, or a sub-attribute; an extension attribute's own sub-attribute selects the whole attribute. */
  inner?: string;
}

function parseSelectors(list: string, type: ResourceTypeDefinition): Selector[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((raw) => {
      if (raw.length > 300) throw badRequest('invalidValue', 'attribute name too long');
      const lower = raw.toLowerCase();
      // The URN itself selects the whole extension object; its dots ("2.0") are not sub-attribute separators.
      if (type.extensions.some((e) => e.id.toLowerCase() === lower)) return { top: lower };
      const extension = type.extensions.find((e) => lower.startsWith(`${e.id.toLowerCase()}:`));
      if (extension) {
        const [inner] = lower.slice(extension.id.length + 1).split('.');
        return { top: extension.id.toLowerCase(), inner };
      }
      const core = `${type.coreSchema.id.toLowerCase()}:`;
      const [top = '', sub] = (lower.startsWith(core) ? lower.slice(core.length) : lower).split('.');
      return { top, inner: sub };
    });
}

const pick = (value: unknown, key: string | undefined): unknown => {
  if (key === undefined) return value;
  const one = (v: unknown) => {
    if (typeof v !== 'object' || v === null) return undefined;
    const entry = Object.entries(v).find(([k]) => k.toLowerCase() === key);
    return entry ? { [entry[0]]: entry[1] } : undefined;
  };
  if (Array.isArray(value)) {
    const items = value.map(one).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  return one(value);
};

/** RFC 7644 §3.4.2.5 `attributes` and `excludedAttributes`, names case-insensitive. */
export function selectAttributes(
  resource: ScimResource,
  type: ResourceTypeDefinition,
  query: { attributes?: string; excludedAttributes?: string },
): ScimResource {
  if (query.attributes) {
    const selectors = parseSelectors(query.attributes, type);
    const out: ScimResource = {};
    for (const [key, value] of Object.entries(resource)) {
      const lower = key.toLowerCase();
      if (ALWAYS.has(lower)) {
        out[key] = value;
        continue;
      }
      for (const s of selectors.filter((sel) => sel.top === lower)) {
        const chosen = s.inner === undefined ? value : pick(value, s.inner);
        if (chosen === undefined) continue;
        const merged = typeof chosen === 'object' && !Array.isArray(chosen) && typeof out[key] === 'object' ? { ...(out[key] as object), ...chosen } : chosen;
        out[key] = merged;
      }
    }
    return out;
  }
  if (query.excludedAttributes) {
    const selectors = parseSelectors(query.excludedAttributes, type);
    const out: ScimResource = { ...resource };
    for (const s of selectors) {
      const key = Object.keys(out).find((k) => k.toLowerCase() === s.top);
      if (!key || ALWAYS.has(s.top)) continue;
      if (s.inner === undefined) {
        delete out[key];
        continue;
      }
      const value = out[key];
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        out[key] = Object.fromEntries(Object.entries(value).filter(([k]) => k.toLowerCase() !== s.inner));
      }
    }
    return out;
  }
  return resource;
}
