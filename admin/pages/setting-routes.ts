import express, { Router, type Request, type Response } from 'express';
import { Types } from 'mongoose';
import { companies, companiesForPlatformAdmin } from '../../src/store/companies';
import { scimSettings } from '../../src/store/scim-settings';
import { previewSettingRules } from '../../src/store/setting-preview';
import { rotateScimToken } from '../../src/settings/scim-settings';
import { tenantUrl } from '../../src/settings/tenant-url';
import { companyScope, storeScope, type ConsoleAdmin } from '../auth/console-admin';
import type { AdminContext } from '../context';
import { formToken, requireFormToken } from '../security/form-token';
import { readSettingForm, rulesChanged, validateSettingForm, type SettingFormErrors, type SettingFormValues } from '../scim-settings/setting-form';
import { settingOverview } from '../scim-settings/setting-overview';
import { resyncStatus } from '../scim-settings/resync-status';
import { createSettingFromForm, formChoices, previewRules, startResync, tenantOf, toRulesInput, updateSettingFromForm, type FormChoices } from '../scim-settings/settings-service';
import { html } from './html';
import { notFoundPage, renderPage } from './layout';
import { companyPickerBody, enabledConfirmBody, rotateConfirmBody, resyncBody } from './setting-action-pages';
import { settingFormBody } from './setting-form-page';
import { settingOverviewBody } from './setting-overview-page';
import { previewSection } from './setting-preview-section';
import { handOffToken, takeToken, type TokenReason } from '../scim-settings/token-handoff';
import { tokenPageBody, tokenShownBody } from './token-page';
import { requestIdOf } from '../../src/http/request-id';

const adminOf = (res: Response) => res.locals.admin as ConsoleAdmin;
const send = (res: Response, status: number, page: string) => res.status(status).type('html').send(page);
const recordUrl = (id: string, action: string) => `/admin/resources/ScimSetting/records/${id}/${action}`;

/** Post → redirect → get: the page that shows a new token once; reloading it creates or rotates nothing. */
const tokenUrl = async (req: Request, id: string, token: string, reason: TokenReason) => `/admin/x/scim-settings/${id}/token?key=${await handOffToken(req, id, token, reason)}`;

/** This deployment's Tenant URL (src/settings/tenant-url.ts), from PUBLIC_BASE_URL or else the address the admin reached the console at. */
export function consoleTenantUrl(ctx: AdminContext, req: Request): string {
  return tenantUrl(ctx.config.publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`);
}

const EMPTY_FORM: SettingFormValues = { name: '', mappings: [], targetGroupId: '', groupingCriteria: 'none', groupByCustomFieldId: '', deletePolicy: 'markDeleted', takeOverExisting: true, precedence: '1' };

interface FormPage {
  companyId: Types.ObjectId;
  companyName: string;
  values: SettingFormValues;
  errors: SettingFormErrors;
  editing?: { id: string; name: string };
  preview?: ReturnType<typeof previewSection>;
  choices?: FormChoices;
}

/**
 * The SCIM setting pages AdminJS shows through its ConsolePage component: a setting's page, the
 * form (new and edit) with its preview, the once-only token, rotate, disable/enable and
 * re-sync. A form that changes something is answered with a redirect, so reloading the page
 * after it never repeats the change. Every record is looked up within the admin's company;
 * another company's id answers 404 like a missing one.
 */
export function settingRoutes(ctx: AdminContext): Router {
  const { models, producer } = ctx;
  const router = Router();
  const form = [express.urlencoded({ extended: false, limit: '64kb' }), requireFormToken];

  async function loadSetting(req: Request, res: Response) {
    const id = String(req.params.id);
    if (!Types.ObjectId.isValid(id)) return null;
    return scimSettings.findInScope(models, storeScope(adminOf(res)), id);
  }

  /** The company a new setting is for: the admin's own, or (platform admins) the one picked. */
  async function targetCompany(req: Request, res: Response) {
    const scope = companyScope(adminOf(res));
    const id = scope ?? (typeof req.query.companyId === 'string' && Types.ObjectId.isValid(req.query.companyId) ? new Types.ObjectId(req.query.companyId) : null);
    return id ? companies.byId(models, id) : null;
  }

  async function renderForm(req: Request, res: Response, status: number, p: FormPage) {
    const choices = p.choices ?? (await formChoices(models, p.companyId, p.editing && new Types.ObjectId(p.editing.id)));
    const base = p.editing ? `/admin/x/scim-settings/${p.editing.id}` : null;
    const action = base ? `${base}/edit` : `/admin/x/scim-settings/new?companyId=${p.companyId.toHexString()}`;
    const body = settingFormBody({
      action,
      previewAction: base ? `${base}/preview` : undefined,
      csrf: formToken(req),
      values: p.values,
      errors: p.errors,
      choices,
      companyName: p.companyName,
      isEdit: Boolean(p.editing),
      preview: p.preview,
    });
    send(res, status, renderPage({ title: p.editing ? `Edit SCIM setting: ${p.editing.name}` : 'New SCIM setting', admin: adminOf(res), body }));
  }

  async function validate(choices: FormChoices, body: Record<string, unknown>) {
    return validateSettingForm(readSettingForm(body), {
      customFieldIds: new Set(choices.customFields.map((f) => f.id)),
      targetGroupIds: new Set(choices.targetGroups.map((g) => g.id)),
    });
  }

  async function companyNameOf(companyId: Types.ObjectId) {
    return (await companies.nameOf(models, companyId)) ?? '';
  }

  router.get('/new', async (req, res) => {
    const company = await targetCompany(req, res);
    if (!company) {
      const all = await companiesForPlatformAdmin(models);
      const body = companyPickerBody(all.map((c) => ({ id: c._id.toHexString(), name: c.name })));
      return send(res, 200, renderPage({ title: 'New SCIM setting', admin: adminOf(res), body }));
    }
    await renderForm(req, res, 200, { companyId: company._id, companyName: company.name, values: EMPTY_FORM, errors: {} });
  });

  router.post('/new', ...form, async (req, res) => {
    const company = await targetCompany(req, res);
    if (!company) return send(res, 404, notFoundPage(adminOf(res)));
    const result = await validate(await formChoices(models, company._id), req.body as Record<string, unknown>);
    if (!result.ok) return renderForm(req, res, 422, { companyId: company._id, companyName: company.name, values: result.values, errors: result.errors });
    const { id, token } = await createSettingFromForm(models, company._id, result.setting);
    res.redirect(303, await tokenUrl(req, id.toHexString(), token, 'created'));
  });

  router.get('/:id', async (req, res) => {
    const setting = await loadSetting(req, res);
    if (!setting) return send(res, 404, notFoundPage(adminOf(res)));
    const [overview, resync] = await Promise.all([settingOverview(models, setting), resyncStatus(models, producer.queues.maintenance, setting)]);
    send(res, 200, renderPage({ title: setting.name, admin: adminOf(res), body: settingOverviewBody(overview, consoleTenantUrl(ctx, req), resync) }));
  });

  router.get('/:id/edit', async (req, res) => {
    const setting = await loadSetting(req, res);
    if (!setting) return send(res, 404, notFoundPage(adminOf(res)));
    const rules = toRulesInput(setting);
    const values: SettingFormValues = {
      name: rules.name,
      mappings: rules.fieldMappings,
      targetGroupId: rules.targetGroupId ?? '',
      groupingCriteria: rules.groupingCriteria,
      groupByCustomFieldId: rules.groupByCustomFieldId ?? '',
      deletePolicy: rules.deletePolicy,
      takeOverExisting: rules.takeOverExisting,
      precedence: String(rules.precedence),
    };
    await renderForm(req, res, 200, { companyId: setting.companyId, companyName: await companyNameOf(setting.companyId), values, errors: {}, editing: { id: setting._id.toHexString(), name: setting.name } });
  });

  router.post('/:id/edit', ...form, async (req, res) => {
    const setting = await loadSetting(req, res);
    if (!setting) return send(res, 404, notFoundPage(adminOf(res)));
    const result = await validate(await formChoices(models, setting.companyId), req.body as Record<string, unknown>);
    const editing = { id: setting._id.toHexString(), name: setting.name };
    if (!result.ok) return renderForm(req, res, 422, { companyId: setting.companyId, companyName: await companyNameOf(setting.companyId), values: result.values, errors: result.errors, editing });
    const changed = rulesChanged(toRulesInput(setting), result.setting);
    await updateSettingFromForm(models, producer, setting, result.setting, changed, requestIdOf(req));
    res.redirect(303, recordUrl(editing.id, changed ? 'resync' : 'show'));
  });

  /**
   * The dry run of the form, take-over and field precedence included: the form comes back as it
   * was, with the preview above Save. Nothing is written.
   */
  router.post('/:id/preview', ...form, async (req, res) => {
    const setting = await loadSetting(req, res);
    if (!setting) return send(res, 404, notFoundPage(adminOf(res)));
    const choices = await formChoices(models, setting.companyId, setting._id);
    const body = req.body as Record<string, unknown>;
    const result = await validate(choices, body);
    const page = { companyId: setting.companyId, companyName: await companyNameOf(setting.companyId), editing: { id: setting._id.toHexString(), name: setting.name }, choices };
    if (!result.ok) return renderForm(req, res, 422, { ...page, values: result.values, errors: result.errors });
    const posted = { takeOverExisting: result.setting.takeOverExisting, precedence: result.setting.precedence };
    const { preview, settingNames } = await previewSettingRules(models, setting, previewRules(result.setting, choices, setting.rulesVersion + 1), posted);
    const fieldName = new Map(choices.customFields.map((f) => [f.key, f.name]));
    const names = { customField: (key: string) => fieldName.get(key), setting: (id: string | null) => (id === null ? 'Console' : (settingNames.get(id) ?? id)) };
    await renderForm(req, res, 200, { ...page, values: readSettingForm(body), errors: {}, preview: previewSection(preview, names) });
  });

  router.get('/:id/rotate', async (req, res) => {
    const setting = await loadSetting(req, res);
    if (!setting) return send(res, 404, notFoundPage(adminOf(res)));
    send(res, 200, renderPage({ title: 'Rotate token', admin: adminOf(res), body: rotateConfirmBody({ id: setting._id.toHexString(), name: setting.name }, formToken(req)) }));
  });

  router.post('/:id/rotate', ...form, async (req, res) => {
    const setting = await loadSetting(req, res);
    if (!setting) return send(res, 404, notFoundPage(adminOf(res)));
    const token = await rotateScimToken(models, tenantOf(setting));
    res.redirect(303, await tokenUrl(req, setting._id.toHexString(), token, 'rotated'));
  });

  router.get('/:id/token', async (req, res) => {
    const setting = await loadSetting(req, res);
    if (!setting) return send(res, 404, notFoundPage(adminOf(res)));
    const page = { settingName: setting.name, settingId: setting._id.toHexString(), tenantUrl: consoleTenantUrl(ctx, req) };
    const handoff = takeToken(req, page.settingId, req.query.key);
    if (!handoff) return send(res, 200, renderPage({ title: 'Secret token', admin: adminOf(res), body: tokenShownBody(page) }));
    const title = handoff.reason === 'created' ? 'Copy your secret token' : 'Copy your new secret token';
    send(res, 200, renderPage({ title, admin: adminOf(res), body: tokenPageBody({ ...page, ...handoff }) }));
  });

  router.get('/:id/enabled', async (req, res) => {
    const setting = await loadSetting(req, res);
    if (!setting) return send(res, 404, notFoundPage(adminOf(res)));
    const body = enabledConfirmBody({ id: setting._id.toHexString(), name: setting.name, enabled: setting.enabled }, formToken(req));
    send(res, 200, renderPage({ title: setting.enabled ? 'Disable SCIM setting' : 'Enable SCIM setting', admin: adminOf(res), body }));
  });

  router.post('/:id/enabled', ...form, async (req, res) => {
    const setting = await loadSetting(req, res);
    if (!setting) return send(res, 404, notFoundPage(adminOf(res)));
    const enabled = (req.body as Record<string, unknown>).enabled === 'true';
    await scimSettings.setEnabled(models, tenantOf(setting), enabled);
    res.redirect(303, recordUrl(setting._id.toHexString(), 'show'));
  });

  router.get('/:id/resync', async (req, res) => {
    const setting = await loadSetting(req, res);
    if (!setting) return send(res, 404, notFoundPage(adminOf(res)));
    const status = await resyncStatus(models, producer.queues.maintenance, setting);
    const body = resyncBody({ id: setting._id.toHexString(), name: setting.name }, setting.rulesVersion, status, formToken(req));
    send(res, 200, renderPage({ title: 'Re-sync', admin: adminOf(res), body }));
  });

  /**
   * Answered with the re-sync page (shown in place by ConsolePage), which tells from the store
   * how far the re-sync is: no notice travels in its address, so none outlives the re-sync.
   */
  router.post('/:id/resync', ...form, async (req, res) => {
    const setting = await loadSetting(req, res);
    if (!setting) return send(res, 404, notFoundPage(adminOf(res)));
    await startResync(models, producer, setting, requestIdOf(req));
    res.redirect(303, `/admin/x/scim-settings/${setting._id.toHexString()}/resync`);
  });

  router.use((_req, res) => send(res, 404, renderPage({ title: 'Not found', admin: adminOf(res), body: html`<div class="card">No such page.</div>` })));
  return router;
}
