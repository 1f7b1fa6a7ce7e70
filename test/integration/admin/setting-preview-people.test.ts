import type { Types } from 'mongoose';
import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { makeCustomField, makeScimSetting, makeTargetGroup } from '../../factories';
import { ConsoleClient } from './support/console-client';
import { ConsoleProcesses } from './support/console-processes';
import { COMPANY_ADMIN, createUsers, eventually } from './support/console-flows';

const LOCALITY = 'addresses[type eq "work"].locality';
const SHOWN = ['userName', 'externalId', 'email', 'firstName', 'lastName', 'department', 'phoneNumber', 'title', 'manager'] as const;

interface Shown {
  email: string;
  /** Field name (the preview's: sync log names, `managedBy`) → value. */
  values: Record<string, string>;
  groups: Set<string>;
}

/** Which fields of a target user differ, under the preview's names. */
function changedFields(before: Shown, after: Shown): string[] {
  const names = new Set([...Object.keys(before.values), ...Object.keys(after.values)]);
  const changed = [...names].filter((name) => before.values[name] !== after.values[name]);
  if (before.groups.size !== after.groups.size || [...before.groups].some((g) => !after.groups.has(g))) changed.push('groups');
  return changed.sort();
}

const attributes = (body: string, pattern: RegExp) => [...body.matchAll(pattern)];
const table = (body: string, id: string) => new RegExp(`<table id="${id}">([^]*?)</table>`).exec(body)?.[1] ?? '';

/**
 * "Preview changes" where take-over and field precedence change, on a company whose people
 * two SCIM settings send: a person both send, and a person added in the console that one of them
 * does not take over (a conflict). What the preview announces, person by person, is what the
 * re-sync after Save then does to the target users; and nothing is written until Save.
 */
describe('admin console: the preview of take-over and precedence agrees with the re-sync', () => {
  let system: ConsoleProcesses;
  let admin: ConsoleClient;
  let companyId: Types.ObjectId;
  let oktaId: string;
  let officeId: string;
  let everyoneId: string;
  let carolId: string;

  beforeAll(async () => {
    system = await ConsoleProcesses.start('console_preview_people', { worker: true });
    const { models } = system;
    companyId = (await models.Company.create({ name: 'Globex' }))._id;
    await saveAdmin(models, { ...COMPANY_ADMIN, role: 'companyAdmin', companyId });
    officeId = (await makeCustomField(models, companyId, 'office', 'Office'))._id.toHexString();
    const finance = (await makeTargetGroup(models, companyId, 'Finance'))._id.toHexString();
    everyoneId = (await makeTargetGroup(models, companyId, 'Everyone'))._id.toHexString();
    admin = new ConsoleClient(system.baseUrl);
    expect((await admin.login(COMPANY_ADMIN.email, COMPANY_ADMIN.password)).status).toBe(303);

    // Entra first in the company's order; Okta second and not taking over people added by hand.
    const entra = await makeScimSetting(models, companyId, { name: 'Entra ID', groupingCriteria: 'department', precedence: 1 });
    const okta = await makeScimSetting(models, companyId, { name: 'Okta', groupingCriteria: 'department', precedence: 2, takeOverExisting: false });
    oktaId = okta.id.toHexString();
    const added = await admin.post('/admin/api/resources/TargetUser/actions/new', { email: 'carol@globex.example', firstName: 'Typed', 'manualGroupIds.0': finance });
    carolId = added.json<{ record: { id: string } }>().record.id;

    const tenantUrl = `${system.baseUrl}/scim`;
    await createUsers(tenantUrl, entra.token, [
      { userName: 'alice@globex.example', first: 'Alice', last: 'Smith', department: 'Sales', city: 'Berlin' },
      { userName: 'erin@globex.example', first: 'Erin', last: 'Jones', department: 'Sales' },
    ]);
    await eventually('Entra projected', system, async () => (await models.TargetUser.countDocuments({ companyId, sourceSettingIds: entra.id })) === 2, 90_000);
    await createUsers(tenantUrl, okta.token, [
      { userName: 'alice@globex.example', first: 'Alicia', last: 'Smith', department: 'Sales', city: 'Paris' },
      { userName: 'oscar@globex.example', first: 'Oscar', last: 'Brown', department: 'Marketing' },
      { userName: 'carol@globex.example', first: 'Carol', last: 'White', department: 'Support', active: false },
    ]);
    await eventually('Okta projected, its SCIM user of Carol in conflict', system, async () => {
      const [shared, conflicts] = await Promise.all([models.TargetUser.countDocuments({ companyId, sourceSettingIds: okta.id }), models.TargetUserConflict.countDocuments({ scimSettingId: okta.id })]);
      return shared === 2 && conflicts === 1;
    }, 90_000);
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
  });

  async function snapshot(): Promise<Map<string, Shown>> {
    const [people, groups, settings] = await Promise.all([
      system.models.TargetUser.find({ companyId }).lean(),
      system.models.TargetGroup.find({ companyId }, { name: 1 }).lean(),
      system.models.ScimSetting.find({ companyId }, { name: 1 }).lean(),
    ]);
    const groupName = new Map(groups.map((g) => [String(g._id), g.name]));
    const settingName = new Map(settings.map((s) => [String(s._id), s.name]));
    return new Map(
      people.map((p) => {
        const values: Record<string, string> = { status: p.status, managedBy: p.scimSettingId ? settingName.get(String(p.scimSettingId))! : 'Console' };
        for (const field of SHOWN) if (p[field] !== null) values[field] = p[field]!;
        for (const [key, value] of Object.entries((p.customFields ?? {}) as Record<string, string>)) values[`customFields.${key}`] = value;
        return [String(p._id), { email: p.email!, values, groups: new Set(p.groupIds.map((id) => groupName.get(String(id))!)) }];
      }),
    );
  }

  /** Okta moves ahead of Entra, takes people over, puts everyone in "Everyone" instead of department groups, and maps the office. */
  const newRules = async () => ({
    _csrf: await admin.formToken(`/admin/x/scim-settings/${oktaId}/edit`),
    name: 'Okta',
    scimPath: LOCALITY,
    customFieldId: officeId,
    targetGroupId: everyoneId,
    groupingCriteria: 'none',
    deletePolicy: 'markDeleted',
    takeOverExisting: ['false', 'true'],
    precedence: '0',
  });

  it('announces the target users that change and how, the take-over and the resolved conflict; the re-sync after Save does exactly that', async () => {
    const before = await snapshot();
    const conflicts = () => system.models.TargetUserConflict.find({ scimSettingId: oktaId }, { email: 1 }).lean();
    expect((await conflicts()).map((c) => c.email)).toEqual(['carol@globex.example']);

    const answer = await admin.post(`/admin/x/scim-settings/${oktaId}/preview`, await newRules());
    expect(answer.status).toBe(200);
    const body = answer.body;
    expect(body).not.toContain('preview-left-out');
    const figure = (name: string) => Number(new RegExp(`data-preview="${name}">([\\d,]+)<`).exec(body)?.[1]?.replace(/,/g, ''));
    const examples = Object.fromEntries(attributes(body, /data-example="([^"]+)" data-kind="([^"]+)" data-fields="([^"]*)" data-masked="([^"]*)"/g).map((m) => [m[1]!, { kind: m[2]!, fields: m[3]!.split(' ').filter(Boolean).sort() }]));
    const groups = Object.fromEntries(attributes(body, /data-group="([^"]+)" data-gains="(\d+)" data-losses="(\d+)" data-kept="(\d+)"/g).map((m) => [m[1]!, { gains: Number(m[2]), losses: Number(m[3]), kept: Number(m[4]) }]));
    const fromTo = (id: string) => attributes(table(body, id), /data-from="([^"]+)" data-to="([^"]+)" data-users="(\d+)"/g).map((m) => `${m[1]} → ${m[2]}: ${m[3]}`);

    // What it announces: Alice shows Okta's fields now (kept in Sales through Entra), Carol is taken over, Erin does not change.
    expect(figure('changed')).toBe(3);
    expect([figure('created'), figure('removed'), figure('took-over'), figure('conflicts-appear'), figure('conflicts-resolved')]).toEqual([0, 0, 1, 0, 1]);
    expect(examples['alice@globex.example']).toEqual({ kind: 'changed', fields: ['customFields.office', 'firstName', 'groups', 'managedBy'] });
    expect(examples['carol@globex.example']?.kind).toBe('tookOver');
    expect(examples['erin@globex.example']).toBeUndefined();
    expect(groups).toEqual({ Everyone: { gains: 3, losses: 0, kept: 0 }, Marketing: { gains: 0, losses: 1, kept: 0 }, Sales: { gains: 0, losses: 0, kept: 1 } });
    expect(fromTo('preview-managed-by').sort()).toEqual(['Console → Okta: 1', 'Entra ID → Okta: 1']);
    expect(fromTo('preview-statuses')).toEqual(['active → inactive: 1']);
    expect(body).toContain('data-take-over="carol@globex.example"');
    expect(body).toContain('data-conflict="resolved" data-email="carol@globex.example"');

    // Nothing is written until Save.
    expect(await snapshot()).toEqual(before);
    expect(await system.models.ScimSetting.findById(oktaId, { precedence: 1, takeOverExisting: 1 }).lean()).toMatchObject({ precedence: 2, takeOverExisting: false });

    const saved = await admin.post(`/admin/x/scim-settings/${oktaId}/edit`, await newRules());
    expect(saved.status).toBe(303);
    const rulesVersion = (await system.models.ScimSetting.findById(oktaId).lean())!.rulesVersion;
    await eventually('the re-sync to finish', system, () => system.models.SettingResync.findOne({ scimSettingId: oktaId, rulesVersion, finishedAt: { $ne: null } }).lean(), 90_000);
    const after = await snapshot();

    // What the re-sync did, person by person, against what the preview announced.
    const changed = [...after].filter(([id, now]) => changedFields(before.get(id)!, now).length > 0);
    expect(after.size).toBe(before.size);
    expect(changed.length).toBe(figure('changed'));
    for (const [id, now] of changed) expect([now.email, changedFields(before.get(id)!, now)]).toEqual([now.email, examples[now.email]?.fields]);
    const moved: Record<string, { gains: number; losses: number }> = {};
    for (const [id, now] of after) {
      const was = before.get(id)!;
      for (const g of now.groups) if (!was.groups.has(g)) (moved[g] ??= { gains: 0, losses: 0 }).gains += 1;
      for (const g of was.groups) if (!now.groups.has(g)) (moved[g] ??= { gains: 0, losses: 0 }).losses += 1;
    }
    expect(moved).toEqual(Object.fromEntries(Object.entries(groups).filter(([, g]) => g.gains + g.losses > 0).map(([name, g]) => [name, { gains: g.gains, losses: g.losses }])));
    expect(after.get(carolId)).toMatchObject({ values: { managedBy: 'Okta', firstName: 'Carol', status: 'inactive' }, groups: new Set(['Everyone', 'Finance']) });
    expect([...after.values()].find((p) => p.email === 'alice@globex.example')?.groups).toEqual(new Set(['Everyone', 'Sales']));
    expect(await conflicts()).toEqual([]);
  }, 240_000);
});
