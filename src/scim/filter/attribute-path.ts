import type { AttributePath } from './ast';

/**
 * RFC 7644 ATTRNAME (ALPHA *(ALPHA / DIGIT / "-" / "_")), plus exactly the `$ref` of RFC 7643
 * references: any other `$` name (`$where`) is no attribute, and must not read as a query operator.
 */
const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/i;
/** `urn:` then colon-separated segments; segments may contain dots, as in `2.0`. */
const SCHEMA_URN = /^urn(?::[A-Za-z0-9._-]+)+$/i;

export const isAttributeName = (name: string) => ATTRIBUTE_NAME.test(name);

/**
 * Reads `attr`, `attr.sub`, `urn:…:attr` or `urn:…:attr.sub`. The schema URN is everything up
 * to the last colon, because the URN itself contains dots (`2.0`) but the attribute never has a colon.
 * Returns a reason instead of throwing so the caller can report it with the token's position.
 */
export function readAttributePath(text: string): AttributePath | { problem: string } {
  let schema: string | undefined;
  let rest = text;
  if (/^urn:/i.test(text)) {
    const colon = text.lastIndexOf(':');
    schema = text.slice(0, colon);
    rest = text.slice(colon + 1);
    if (!SCHEMA_URN.test(schema)) {
      return { problem: `"${text}" does not start with a valid schema URN` };
    }
    if (rest === '') return { problem: `"${text}" names a schema but no attribute after it` };
  }
  const parts = rest.split('.');
  if (parts.length > 2) {
    return { problem: `"${text}" has more than one sub-attribute; SCIM paths are attribute or attribute.subAttribute` };
  }
  const [attribute = '', subAttribute] = parts;
  if (!isAttributeName(attribute)) return { problem: `"${attribute}" is not a valid attribute name` };
  if (subAttribute !== undefined && !isAttributeName(subAttribute)) {
    return { problem: `"${subAttribute}" is not a valid sub-attribute name` };
  }
  return {
    ...(schema !== undefined ? { schema } : {}),
    attribute,
    ...(subAttribute !== undefined ? { subAttribute } : {}),
  };
}
