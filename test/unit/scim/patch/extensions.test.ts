import { isKeptExtension } from '../../../../src/scim/patch';
import { USER_SCHEMA, userResourceType } from '../../../../src/scim/schema/resource-types';
import { ENTERPRISE, patch } from './support';

const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';

describe('extensions we have no schema for', () => {
  const listed = { schemas: [USER_SCHEMA, CUSTOM], id: 'u-3', userName: 'ann' };
  const unlisted = { schemas: [USER_SCHEMA], id: 'u-3', userName: 'ann' };

  it('are kept only when the resource lists them in schemas', () => {
    expect(isKeptExtension(listed, CUSTOM.toLowerCase(), userResourceType)).toBe(true);
    expect(isKeptExtension(unlisted, CUSTOM, userResourceType)).toBe(false);
    expect(isKeptExtension(listed, USER_SCHEMA, userResourceType)).toBe(false);
    expect(isKeptExtension({ ...listed, schemas: [ENTERPRISE] }, ENTERPRISE, userResourceType)).toBe(false);
  });

  it('store their attributes as sent, by path and in a path-less value', () => {
    const { resource } = patch(listed, [
      { op: 'add', path: `${CUSTOM}:costCode`, value: 42 },
      { op: 'add', path: `${CUSTOM}:badge.color`, value: 'red' },
      { op: 'replace', value: { [CUSTOM]: { site: 'Oslo' }, [`${CUSTOM}:floor`]: 3 } },
    ]);
    expect(resource[CUSTOM]).toEqual({ costCode: 42, badge: { color: 'red' }, site: 'Oslo', floor: 3 });
  });

  it('match existing keys case-insensitively and remove them', () => {
    const start = { ...listed, [CUSTOM]: { costCode: 1, site: 'Oslo' } };
    const { resource } = patch(start, [
      { op: 'replace', path: `${CUSTOM}:COSTCODE`, value: 2 },
      { op: 'remove', path: `${CUSTOM}:site` },
    ]);
    expect(resource[CUSTOM]).toEqual({ costCode: 2 });
  });

  it('are ignored when the resource does not list them', () => {
    const result = patch(unlisted, [
      { op: 'add', path: `${CUSTOM}:costCode`, value: 42 },
      { op: 'replace', value: { [CUSTOM]: { site: 'Oslo' } } },
    ]);
    expect(result.changed).toBe(false);
  });
});
