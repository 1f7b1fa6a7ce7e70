import { html, type Html } from './html';

/** Seed 004: the SCIM JSON Template OneLogin's "SCIM Provisioner with SAML (SCIM v2 Enterprise)" needs. */
export const ONELOGIN_JSON_TEMPLATE = `{
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
    "department": "{$parameters.department}",
    "manager": {
      "managerId": "{$parameters.external_manager_id}",
      "displayName": "{$user.manager_firstname} {$user.manager_lastname}"
    }
  },
  "active": "{$user.active}",
  "emails": [
    {
      "value": "{$user.email}",
      "type": "work",
      "primary": true
    }
  ],
  "meta": {
    "resourceType": "User"
  },
  "name": {
    "familyName": "{$user.lastname}",
    "givenName": "{$user.firstname}",
    "formatted": "{$user.display_name}"
  },
  "userName": "{$parameters.scimusername}",
  "id": null,
  "schemas": [
    "urn:ietf:params:scim:schemas:core:2.0:User"
  ]
}`;

const copyable = (id: string, value: string) =>
  html`<div class="secret"><input type="text" id="${id}" value="${value}" readonly><button type="button" class="btn secondary" data-copy="${id}">Copy</button></div>`;

/**
 * The customer's IdP guides (seeds 001–004) with this deployment's Tenant URL filled in, plus
 * what the IdP notes say admins trip over.
 */
export function setupHelpBody(tenantUrl: string): Html {
  const token = html`the <strong>secret token</strong> shown when you saved the SCIM setting (lost it? use <em>Rotate token</em> on the setting)`;
  return html`
<p>First create a SCIM setting under <a href="/admin/resources/ScimSetting">SCIM Settings</a> and copy its token. Then follow the steps for your identity provider.</p>
<div class="card"><label for="help-tenant-url">Tenant URL of this deployment</label>${copyable('help-tenant-url', tenantUrl)}</div>
<p class="tabs"><a href="#entra-id">Microsoft Entra ID</a><a href="#okta">Okta</a><a href="#onelogin">OneLogin</a><a href="#jumpcloud">JumpCloud</a></p>

<div class="card" id="entra-id"><h2>Microsoft Entra ID (Azure AD)</h2><ol>
<li>In the Microsoft Entra admin center open <strong>Enterprise applications</strong> &gt; <strong>New application</strong> &gt; <strong>Create your own application</strong>, enter a name such as <em>My SCIM Integration</em> and choose <em>Integrate any other application you don't find in the gallery</em>.</li>
<li>Open <strong>Provisioning</strong>, set <strong>Provisioning Mode</strong> to <em>Automatic</em>.</li>
<li>Under <strong>Admin Credentials</strong> enter <strong>Tenant URL</strong> <code>${tenantUrl}</code> and, as <strong>Secret Token</strong>, ${token}. Click <strong>Test Connection</strong>, then <strong>Save</strong>.</li>
<li>Under <strong>Mappings</strong> keep <em>Provision Microsoft Entra ID Users</em> on; department already maps to the enterprise <code>department</code>. For a custom field, map the Entra attribute to the SCIM attribute chosen in the setting's Map Fields (for example <em>city</em> to <code>addresses[type eq "work"].locality</code>).</li>
<li>Keep <em>Provision Microsoft Entra ID Groups</em> on if the setting mirrors groups from the identity provider.</li>
<li>Assign users and groups under <strong>Users and groups</strong>, set <strong>Provisioning Status</strong> to <em>On</em> and save. Entra ID then synchronises about every 40 minutes.</li>
</ol><p class="hint">Adding <code>?aadOptscim062020</code> to the Tenant URL (Microsoft's newer PATCH behaviour) is supported but not needed.</p></div>

<div class="card" id="okta"><h2>Okta</h2><ol>
<li>Sign in to Okta as an admin and open <strong>Applications</strong> &gt; <strong>Applications</strong>.</li>
<li>Click <strong>Browse App Catalog</strong>, search <em>SCIM 2.0 Test App (OAuth Bearer Token)</em> and click <strong>Add</strong>.</li>
<li>Enter a name such as <em>My SCIM Integration</em>, click <strong>Next</strong>, choose <strong>SAML 2.0</strong> with the default settings and click <strong>Done</strong>.</li>
<li>On the <strong>Provisioning</strong> tab click <strong>Configure API Integration</strong> and enable <strong>API Integration</strong>: <strong>Tenant URL</strong> <code>${tenantUrl}</code>; <strong>Secret Token</strong>: ${token}. Click <strong>Test API Credentials</strong>, then <strong>Save</strong>.</li>
<li>Under <strong>To App</strong> click <strong>Edit</strong> and enable <em>Create Users</em>, <em>Update User Attributes</em> and <em>Deactivate Users</em>; save.</li>
<li>On <strong>Assignments</strong> assign the users or groups to synchronise. Use <strong>Push Groups</strong> if the setting mirrors groups.</li>
</ol><p class="hint">Okta deactivates users instead of deleting them; they stay as inactive target users.</p></div>

<div class="card" id="onelogin"><h2>OneLogin</h2><ol>
<li>Sign in to OneLogin as an admin, open <strong>Applications</strong> and click <strong>Add App</strong>.</li>
<li>Search <em>SCIM Provisioner with SAML (SCIM v2 Enterprise)</em>, add it, name it (for example <em>My SCIM Integration</em>) and save.</li>
<li>On <strong>Configuration</strong> enable <strong>API Connection</strong>: <strong>SCIM Base URL</strong> <code>${tenantUrl}</code>; <strong>SCIM Bearer Token</strong>: ${token}; and as <strong>SCIM JSON Template</strong> paste:</li>
</ol>
<pre id="onelogin-template">${ONELOGIN_JSON_TEMPLATE}</pre><button type="button" class="btn secondary" data-copy="onelogin-template">Copy</button>
<ol start="4"><li>Save, then on <strong>Provisioning</strong> enable <em>Enable provisioning</em>, <em>Create user</em>, <em>Delete user</em> and <em>Update user</em>.</li>
<li>Assign users to the app; groups are provisioned separately (OneLogin: <em>Provisioning Users into Groups</em>).</li></ol></div>

<div class="card" id="jumpcloud"><h2>JumpCloud</h2><ol>
<li>In the JumpCloud Admin Portal open <strong>SSO Applications</strong>, click <strong>+ Add New Application</strong> and choose a custom application with <strong>Identity Management</strong> (SCIM) enabled.</li>
<li>On the <strong>Identity Management</strong> tab choose SCIM 2.0 and enter <strong>Base URL</strong> <code>${tenantUrl}</code> and, as <strong>Token Key</strong>, ${token}.</li>
<li>Click <strong>Test Connection</strong>: JumpCloud creates a test user and a test group and deletes them again. Then <strong>Activate</strong>.</li>
<li>Bind the user groups to synchronise on the <strong>User Groups</strong> tab and save.</li>
</ol></div>`;
}
