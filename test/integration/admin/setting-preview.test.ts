import type { Types } from 'mongoose';
import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { makeCustomField, makeScimSetting, makeTargetGroup } from '../../factories';
import { ConsoleClient } from './support/console-client';
import { ConsoleProcesses } from './support/console-processes';
import { COMPANY_ADMIN, createUsers, eventually, type Person } from './support/console-flows';

const LOCALITY = 'addresses[type eq "work"].locality';

interface Snapshot {
  users: Map<string, { state: string; groups: Set<string> }>;
  groupNames: Map<string, string>;
}

/**
 * "Preview changes" on a live setting: what it announces is what the re-sync after Save then
 * does, counted from the target users before and after; and nothing is written until Save.
 */
describe('admin console: the preview of new rules agrees with the re-sync', () => {
  let system: ConsoleProcesses;
  let admin: ConsoleClient;
  let settingId: string;
  let officeId: string;
  let jobId: string;
  let everyoneId: string;

  const people: Person[] = [];
  const departments = ['Engineering', 'Sales', 'Support', undefined];
  const cities = ['Berlin', 'London', 'Paris', undefined];
  for (let i = 0; i < 24; i += 1) {
    people.push({ userName: `user${i}@acme.example`, first: `First${i}`, last: `Last${i}`, department: departments[i % 4], city: cities[Math.floor(i / 4) % 4], title: i % 3 === 0 ? 'Engineer' : undefined, active: i % 7 !== 3 });
  }

  beforeAll(async () => {
    system = await ConsoleProcesses.start('console_preview', { worker: true });
    const { models } = system;
    const companyId: Types.ObjectId = (await models.Company.create({ name: 'Acme Ltd' }))._id;
    await saveAdmin(models, { ...COMPANY_ADMIN, role: 'companyAdmin', companyId });
    officeId = (await makeCustomField(models, companyId, 'office', 'Office'))._id.toHexString();
    jobId = (await makeCustomField(models, companyId, 'job', 'Job'))._id.toHexString();
    await makeTargetGroup(models, companyId, 'Berlin');
    everyoneId = (await makeTargetGroup(models, companyId, 'Everyone'))._id.toHexString();

    // Projected by department with the office mapped; another setting's user shares the Sales group.
    const mappings = [{ scimPath: LOCALITY, customFieldId: (await models.CustomField.findById(officeId))!._id }];
    const setting = await makeScimSetting(models, companyId, { name: 'Entra ID', groupingCriteria: 'department', fieldMappings: mappings });
    const other = await makeScimSetting(models, companyId, { name: 'Okta', groupingCriteria: 'department' });
    settingId = setting.id.toHexString();
    await createUsers(`${system.baseUrl}/scim`, setting.token, people);
    await createUsers(`${system.baseUrl}/scim`, other.token, [{ userName: 'okta.user@acme.example', first: 'Okta', last: 'User', department: 'Sales' }]);
    await eventually('every user projected', system, async () => (await models.TargetUser.countDocuments({ companyId })) === people.length + 1, 90_000);

    admin = new ConsoleClient(system.baseUrl);
    expect((await admin.login(COMPANY_ADMIN.email, COMPANY_ADMIN.password)).status).toBe(303);
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
  });

  async function snapshot(): Promise<Snapshot> {
    const [users, groups] = await Promise.all([
      system.models.TargetUser.find({ scimSettingId: settingId }).lean(),
      system.models.TargetGroup.find({}, { name: 1 }).lean(),
    ]);
    return {
      users: new Map(
        users.map((u) => [
          String(u.scimUserId),
          {
            state: JSON.stringify([u.userName, u.externalId, u.email, u.firstName, u.lastName, u.department, u.phoneNumber, u.title, u.manager, u.customFields, u.status]),
            groups: new Set(u.groupIds.map(String)),
          },
        ]),
      ),
      groupNames: new Map(groups.map((g) => [String(g._id), g.name])),
    };
  }

  /** The new rules: a second mapping, group by the mapped office, and everyone without an office to "Everyone". */
  const newRules = async () => ({
    _csrf: await admin.formToken(`/admin/x/scim-settings/${settingId}/edit`),
    name: 'Entra ID',
    scimPath: [LOCALITY, 'title'],
    customFieldId: [officeId, jobId],
    targetGroupId: everyoneId,
    groupingCriteria: 'customField',
    groupByCustomFieldId: officeId,
    deletePolicy: 'markDeleted',
  });

  it('announces what saving does, writes nothing, and the re-sync after Save does exactly that', async () => {
    const before = await snapshot();
    const setting = async () => (await system.models.ScimSetting.findById(settingId).lean())!;
    const rulesVersion = (await setting()).rulesVersion;

    const answer = await admin.post(`/admin/x/scim-settings/${settingId}/preview`, await newRules());
    expect(answer.status).toBe(200);
    const number = (name: string) => Number(new RegExp(`data-preview="${name}">([\\d,]+)<`).exec(answer.body)?.[1]?.replace(/,/g, ''));
    const announced = {
      changed: number('changed'),
      created: number('created'),
      groups: Object.fromEntries(
        [...answer.body.matchAll(/data-group="([^"]+)" data-gains="(\d+)" data-losses="(\d+)" data-kept="\d+" data-created="(true|false)" data-emptied="(true|false)"/g)].map((m) => [
          m[1]!,
          { gains: Number(m[2]), losses: Number(m[3]), created: m[4] === 'true', emptied: m[5] === 'true' },
        ]),
      ),
      fields: Object.fromEntries([...answer.body.matchAll(/data-field="([^"]+)" data-users="(\d+)"/g)].map((m) => [m[1]!, Number(m[2])])),
    };
    // The form comes back as it was posted, with the preview above Save.
    expect(answer.body).toContain('id="preview"');
    expect(answer.body).toContain(`value="title"`);

    // Nothing is written until Save.
    expect((await setting()).rulesVersion).toBe(rulesVersion);
    expect(await snapshot()).toEqual(before);

    const saved = await admin.post(`/admin/x/scim-settings/${settingId}/edit`, await newRules());
    expect(saved.status).toBe(303);
    const next = (await setting()).rulesVersion;
    expect(next).toBe(rulesVersion + 1);
    // Waits for the re-sync's finish stamp, not on the target users: on FerretDB the projection
    // rewrites changed ones as a delete then an insert, and a count between the two finds none behind.
    await eventually('the re-sync to finish', system, () => system.models.SettingResync.findOne({ scimSettingId: settingId, rulesVersion: next, finishedAt: { $ne: null } }).lean(), 90_000);
    const after = await snapshot();

    // What the re-sync did, counted from the target users before and after.
    let changed = 0;
    const moved: Record<string, { gains: number; losses: number }> = {};
    const tally = (id: string, key: 'gains' | 'losses') => {
      const name = after.groupNames.get(id) ?? before.groupNames.get(id) ?? id;
      moved[name] ??= { gains: 0, losses: 0 };
      moved[name][key] += 1;
    };
    for (const [id, now] of after.users) {
      const was = before.users.get(id)!;
      const groupsChanged = was.groups.size !== now.groups.size || [...was.groups].some((g) => !now.groups.has(g));
      if (was.state !== now.state || groupsChanged) changed += 1;
      for (const g of now.groups) if (!was.groups.has(g)) tally(g, 'gains');
      for (const g of was.groups) if (!now.groups.has(g)) tally(g, 'losses');
    }

    expect(announced.created).toBe(0);
    expect(announced.changed).toBe(changed);
    expect(Object.fromEntries(Object.entries(announced.groups).map(([name, g]) => [name, { gains: g.gains, losses: g.losses }]))).toEqual(moved);
    // Groups the preview said saving makes now exist; those it said empty are empty, Sales keeps Okta's user.
    const members = async (name: string) => system.models.TargetUser.countDocuments({ groupIds: (await system.models.TargetGroup.findOne({ name }))?._id });
    for (const [name, g] of Object.entries(announced.groups)) {
      if (g.created) expect([name, await system.models.TargetGroup.exists({ name })]).toEqual([name, expect.anything()]);
      if (g.emptied) expect([name, await members(name)]).toEqual([name, 0]);
    }
    expect(announced.groups).toMatchObject({ London: { created: true }, Berlin: { created: false }, Engineering: { emptied: true }, Sales: { emptied: false } });
    expect(await members('Sales')).toBe(1);
    expect(announced.fields).toMatchObject({ 'customFields.job': people.filter((p) => p.title).length, groups: expect.any(Number) });
  }, 180_000);
});
