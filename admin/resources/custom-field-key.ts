/** The model's pattern for keys: a lower-case letter, then lower-case letters, digits and underscores. */
const MAX_KEY = 64;

/** A stable key for a new custom field from its name ("Office Location" → office_location), unique in the company. */
export function customFieldKey(name: string, taken: ReadonlySet<string>): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const base = (/^[a-z]/.test(slug) ? slug : `field_${slug}`).replace(/_+$/, '').slice(0, MAX_KEY - 4) || 'field';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const candidate = `${base}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
