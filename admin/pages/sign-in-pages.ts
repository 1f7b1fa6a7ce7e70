import { html } from './html';
import { renderSignedOutPage } from './layout';

/**
 * The sign-in form, rendered here rather than by AdminJS: AdminJS's login page runs inline
 * scripts (which the console's Content-Security-Policy refuses) and loads Google Fonts.
 * `action` carries where to go after signing in, so nothing is kept for a signed-out visitor.
 */
export function signInPage(action: string, message?: string): string {
  const body = html`${message ? html`<div class="banner error" role="alert">${message}</div>` : ''}
<form method="post" action="${action}" class="card">
<p>Sign in to manage SCIM settings, target users and target groups.</p>
<label for="email">E-mail</label><input type="email" id="email" name="email" autocomplete="username" required autofocus>
<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<div class="actions"><button class="btn" type="submit">Sign in</button></div></form>`;
  return renderSignedOutPage({ title: 'Sign in', body });
}

/** Signing out is a change, so a link (AdminJS's menu has one) only asks; the button posts. */
export function signOutPage(email: string): string {
  const body = html`<form method="post" action="/admin/logout" class="card"><p>Signed in as <strong>${email}</strong>.</p>
<div class="actions"><button class="btn" type="submit">Sign out</button><a href="/admin">Stay signed in</a></div></form>`;
  return renderSignedOutPage({ title: 'Sign out', body });
}
