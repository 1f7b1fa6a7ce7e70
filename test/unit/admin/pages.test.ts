import { CLIENT_STYLE } from '../../../admin/pages/client-assets';
import { html, trusted } from '../../../admin/pages/html';
import { ONELOGIN_JSON_TEMPLATE, setupHelpBody } from '../../../admin/pages/setup-help-page';
import { tokenPageBody } from '../../../admin/pages/token-page';
import { customFieldKey } from '../../../admin/resources/custom-field-key';
import { sourceOf } from '../../../admin/resources/target-group-names';
import { percentDone } from '../../../admin/scim-settings/resync-status';
import { jobDataForDisplay } from '../../../admin/queues/queue-dashboard';

describe('console pages', () => {
  it('escapes every interpolated value unless it is markup the console wrote', () => {
    const name = '<img src=x onerror=alert(1)> "quoted" & \'single\'';
    expect(html`<p title="${name}">${name}</p>`.value).toBe('<p title="&#60;img src=x onerror=alert(1)&#62; &#34;quoted&#34; &#38; &#39;single&#39;">&#60;img src=x onerror=alert(1)&#62; &#34;quoted&#34; &#38; &#39;single&#39;</p>');
    expect(html`${[html`<b>${'<'}</b>`, trusted('<i>ok</i>'), null, false]}`.value).toBe('<b>&#60;</b><i>ok</i>');
  });

  it('shows the token and the Tenant URL, escaped, with copy buttons', () => {
    const page = tokenPageBody({ settingName: '<Entra>', settingId: 'abc', token: 'scim_0123456789ab_secret', tenantUrl: 'https://scim.example.com/scim/v2', reason: 'created' }).value;
    expect(page).toContain('id="secret-token" value="scim_0123456789ab_secret"');
    expect(page).toContain('data-copy="secret-token"');
    expect(page).toContain('value="https://scim.example.com/scim/v2"');
    expect(page).toContain('&#60;Entra&#62;');
    expect(page).toContain('shown only once');
  });

  it('draws the token in a monospace field sized by line-height and padding, which keeps its underscores (the browser test looks)', () => {
    const rules = [...CLIENT_STYLE.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{([^}]*)\}/g)].map(([, selector = '', body = '']) => ({ selector: selector.trim(), body }));
    const forInputs = rules.filter(({ selector }) => /\binput\b/.test(selector));
    // 24px of line, 4px of padding and 1px of border above and below: AdminJS's 34px.
    const textInput = forInputs.find(({ selector }) => selector.includes('input[type=text]'))?.body;
    expect([textInput?.includes('line-height: 24px;'), textInput?.includes('padding: 4px 8px;'), textInput?.includes('border: 1px solid')]).toEqual([true, true, true]);
    expect(forInputs.filter(({ body }) => /(^|[\s;])height:/.test(body))).toEqual([]);
    expect(forInputs.find(({ selector }) => selector === '.console-page input[readonly]')?.body).toMatch(/font-family: [^;]*\bmonospace;/);
  });

  it('fills this deployment’s Tenant URL into every IdP guide and carries seed 004’s OneLogin template', () => {
    const page = setupHelpBody('https://scim.example.com/scim/v2').value;
    for (const idp of ['entra-id', 'okta', 'onelogin', 'jumpcloud']) expect(page).toContain(`id="${idp}"`);
    expect(page.split('https://scim.example.com/scim/v2').length - 1).toBeGreaterThanOrEqual(5);
    const template = JSON.parse(ONELOGIN_JSON_TEMPLATE) as Record<string, unknown>;
    expect(template).toMatchObject({
      userName: '{$parameters.scimusername}',
      active: '{$user.active}',
      id: null,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: '{$parameters.department}', manager: { managerId: '{$parameters.external_manager_id}' } },
    });
  });
});

describe('console helpers', () => {
  it('derives stable custom field keys in the model’s pattern', () => {
    expect(customFieldKey('Office Location', new Set())).toBe('office_location');
    expect(customFieldKey('Büro (Standort)', new Set())).toBe('buro_standort');
    expect(customFieldKey('2nd phone', new Set())).toBe('field_2nd_phone');
    expect(customFieldKey('!!!', new Set())).toBe('field');
    expect(customFieldKey('Office', new Set(['office', 'office_2']))).toBe('office_3');
    expect(customFieldKey('x'.repeat(200), new Set())).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
  });

  it('badges a target group by what made it, and adds the SCIM settings that chose it as their Group Name', () => {
    expect(sourceOf({ source: 'manual' }, [])).toEqual({ kind: 'manual', label: 'Manual' });
    expect(sourceOf({ source: 'manual' }, ['Entra ID'])).toEqual({ kind: 'manual', label: 'Manual · Group Name of Entra ID' });
    expect(sourceOf({ source: 'manual' }, ['Entra ID', 'Okta'])).toEqual({ kind: 'manual', label: 'Manual · Group Name of Entra ID, Okta' });
    expect(sourceOf({ source: 'groupBy', settingName: 'Entra ID' }, ['Okta'])).toEqual({ kind: 'groupBy', label: 'Group by · Entra ID · Group Name of Okta' });
    expect(sourceOf({ source: 'idp', settingName: 'OneLogin' }, [])).toEqual({ kind: 'idp', label: 'Mirrored from OneLogin' });
    expect(sourceOf({ source: 'idp' }, [])).toEqual({ kind: 'idp', label: 'Mirrored from the IdP' });
  });

  it('computes re-sync progress, an empty setting being done', () => {
    expect(percentDone(0, 0)).toBe(100);
    expect(percentDone(1, 3)).toBe(33);
    expect(percentDone(3, 3)).toBe(100);
  });

  it('shows only contract ids in the queue dashboard', () => {
    expect(jobDataForDisplay({ companyId: 'c', scimSettingId: 's', resourceId: 'r', version: 2, operation: 'patch', userName: 'ada@example.com' })).toEqual({
      companyId: 'c',
      scimSettingId: 's',
      resourceId: 'r',
      version: 2,
      operation: 'patch',
    });
    expect(jobDataForDisplay('text')).toEqual({});
  });
});
