import type { ResourceTypeDefinition } from '../schema/resource-types';
import { badRequest } from '../errors';

/** One name of an `attributes` or `excludedAttributes` list, lower-cased. */
export interface Selector {
  /** A top-level attribute, or an extension URN. */
  top: string;
  /** An attribute inside an extension, or a sub-attribute; an extension attribute's own sub-attribute selects the whole attribute. */
  inner?: string;
}

const MAX_NAME_LENGTH = 300;

/**
 * The names of the list, split at commas. A value filter (`emails[type eq "work"]`, which some
 * clients send here though RFC 7644 §3.4.2.5 takes plain names) is dropped with its quoted
 * strings, commas and all, so the name reads as the attribute it filters: `emails`, and
 * `emails[type eq "work"].value` as `emails.value`.
 */
function names(list: string): string[] {
  const found: string[] = [];
  let name = '';
  let brackets = 0;
  let quoted = false;
  for (let i = 0; i < list.length; i += 1) {
    const c = list.charAt(i);
    if (quoted) {
      if (c === '\\') i += 1;
      else if (c === '"') quoted = false;
    } else if (c === '"' && brackets > 0) {
      quoted = true;
    } else if (c === '[') {
      brackets += 1;
    } else if (c === ']' && brackets > 0) {
      brackets -= 1;
    } else if (brackets === 0 && c === ',') {
      found.push(name);
      name = '';
    } else if (brackets === 0) {
      name += c;
    }
  }
  found.push(name);
  return found.map((s) => s.trim()).filter(Boolean);
}

/** RFC 7644 §3.4.2.5 `attributes` / `excludedAttributes`: names case-insensitive, with or without their schema URN. */
export function parseAttributeList(list: string, type: ResourceTypeDefinition): Selector[] {
  return names(list).map((raw) => {
    if (raw.length > MAX_NAME_LENGTH) throw badRequest('invalidValue', 'attribute name too long');
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
