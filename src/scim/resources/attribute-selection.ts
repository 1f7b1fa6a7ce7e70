import type { ResourceTypeDefinition } from '../schema/resource-types';
import type { ScimResource } from './canonicalize';
import { parseAttributeList } from './attribute-list';

/** `id`, `schemas` and `meta` are returned whatever the client asks (RFC 7643 §7 `returned: always`). */
const ALWAYS = new Set(['id', 'schemas', 'meta']);

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

export interface AttributeQuery {
  attributes?: string;
  excludedAttributes?: string;
}

/** Whether a top-level attribute (lower-cased name) is in the response at all, so its reading can be skipped when it is not. */
export function returnsAttribute(type: ResourceTypeDefinition, query: AttributeQuery, name: string): boolean {
  if (query.attributes) return parseAttributeList(query.attributes, type).some((s) => s.top === name);
  if (query.excludedAttributes) return !parseAttributeList(query.excludedAttributes, type).some((s) => s.top === name && s.inner === undefined);
  return true;
}

/** RFC 7644 §3.4.2.5 `attributes` and `excludedAttributes`, names case-insensitive. */
export function selectAttributes(
  resource: ScimResource,
  type: ResourceTypeDefinition,
  query: AttributeQuery,
): ScimResource {
  if (query.attributes) {
    const selectors = parseAttributeList(query.attributes, type);
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
    const selectors = parseAttributeList(query.excludedAttributes, type);
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
