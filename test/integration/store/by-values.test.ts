import { Types } from 'mongoose';
import { readByValues } from '../../../src/store/by-values';
import { testMongoKind, useFreshDatabase } from '../../support/database';

/**
 * How a batch reads many documents of one tenant by a list of values (src/store/by-values.ts):
 * the same documents whichever way the server is asked, never another tenant's.
 */
describe('readByValues', () => {
  const db = useFreshDatabase('by_values');
  const [acme, globex, initech] = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()];
  const collection = () => db().models.TargetUser.collection;
  const read = (values: string[], companyId = acme) => readByValues(db().connection, collection(), { companyId }, 'sourceKeys', values);
  const ids = (docs: Array<Record<string, unknown>>) => docs.map((d) => String(d._id)).sort();

  beforeAll(async () => {
    // Acme and Initech: 60 people with two source keys each; Globex: 10 people holding the same keys.
    // Each test has its own company: a process remembers which tenants are large.
    const people = (companyId: Types.ObjectId, n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => ({ _id: `${tag}-${i}`, companyId, emailKey: `p${i}@${tag}.test`, sourceKeys: [`s:u${i}`, `t:u${i}`] }));
    await collection().insertMany([...people(acme, 60, 'acme'), ...people(globex, 10, 'globex'), ...people(initech, 60, 'initech')] as never[]);
  });
  afterEach(() => jest.restoreAllMocks());

  it('finds the documents holding the values, in an array field too, and none of another tenant', async () => {
    const wanted = ['s:u1', 't:u2', 's:u59', 's:nobody'];
    expect(ids(await read(wanted))).toEqual(['acme-1', 'acme-2', 'acme-59']);
    expect(ids(await read(wanted, globex))).toEqual(['globex-1', 'globex-2']);
  });

  (testMongoKind() === 'ferretdb' ? it : it.skip)('on FerretDB reads a tenant whole when it holds at most three documents per value, else one equality per value, remembering how large it is', async () => {
    const readInitech = (values: string[]) => read(values, initech);
    const expected = (n: number[]) => n.map((i) => `initech-${i}`).sort();
    const find = jest.spyOn(collection(), 'find');
    // 30 values: a tenant of up to 90 documents is read whole (Initech has 60): one query.
    const many = Array.from({ length: 30 }, (_, i) => `s:u${i * 2}`);
    expect(ids(await readInitech(many))).toEqual(expected(Array.from({ length: 30 }, (_, i) => i * 2)));
    expect(find).toHaveBeenCalledTimes(1);

    // 5 values: Initech is more than 15 documents, so one read that stops at 16, then 5 equalities.
    find.mockClear();
    const few = ['s:u3', 't:u4', 's:u5', 's:u6', 's:none'];
    expect(ids(await readInitech(few))).toEqual(expected([3, 4, 5, 6]));
    expect(find).toHaveBeenCalledTimes(1 + few.length);

    // Remembered to hold at least 16: 5 values again go to equalities alone.
    find.mockClear();
    expect(ids(await readInitech(few))).toEqual(expected([3, 4, 5, 6]));
    expect(find).toHaveBeenCalledTimes(few.length);

    // 30 values allow a tenant of 90, more than the 16 it is known to hold: read whole again, one query.
    find.mockClear();
    expect(ids(await readInitech(many))).toEqual(expected(Array.from({ length: 30 }, (_, i) => i * 2)));
    expect(find).toHaveBeenCalledTimes(1);
  });
});
