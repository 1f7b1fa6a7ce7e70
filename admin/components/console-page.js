/* global window, fetch, DOMParser, URL, URLSearchParams, FormData */
/**
 * One of the console's server-rendered pages (SCIM setting form, token, confirmations, setup
 * help) inside AdminJS's layout. The server writes every value escaped and the pages carry no
 * scripts, so their markup is shown as it is. Forms post with fetch; what the server answers
 * with is shown in place (the token page, a form with its errors, a preview), and a redirect to
 * one of AdminJS's pages navigates there inside the app. A page shown in place keeps the
 * address: reloading shows the page the action starts with, so nothing is posted again. A page
 * holding `data-refresh-seconds` loads itself again after that long (a re-sync's progress).
 */
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { Box, H2, Loader, MessageBox } from '@adminjs/design-system';

const h = React.createElement;

/** The element of a console page (admin/pages/layout.ts) that holds its content. */
const PAGE_ROOT = 'console-page';

const sameOrigin = (url) => url.origin === window.location.origin;
/** The console's server-rendered pages; everything else under /admin but the queues and signing out is AdminJS's app. */
const isServerPage = (url) => sameOrigin(url) && url.pathname.startsWith('/admin/x/');
const isAppPage = (url) => sameOrigin(url) && /^\/admin(\/|$)/.test(url.pathname) && !isServerPage(url) && !/^\/admin\/(queues|logout|login)(\/|$)/.test(url.pathname);

/** The page an action shows: its `custom.consolePage` with the record's id, and the query the app was opened with. */
function actionPageSource(action, record, search) {
  const template = (action && action.custom && action.custom.consolePage) || '';
  return template.replace('{recordId}', record ? encodeURIComponent(record.id) : '') + (search || '');
}

/** The page's content, or the sentence the console answered instead (a refused form, an error: plain text). */
async function readPage(response) {
  const text = await response.text();
  if (!(response.headers.get('content-type') || '').startsWith('text/html')) return { problem: text.trim() || `The console answered ${response.status}.` };
  const doc = new DOMParser().parseFromString(text, 'text/html');
  const root = doc.getElementById(PAGE_ROOT);
  const heading = doc.querySelector('h1');
  return root ? { html: root.innerHTML, title: heading ? heading.textContent : '' } : { problem: `The console answered ${response.status} without a page. Reload and try again.` };
}

export function ConsolePageView({ src, withTitle }) {
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const root = useRef(null);
  // Only the answer to the latest request is shown: an earlier one arriving late (a page left, a refresh) is dropped.
  const latest = useRef(0);
  // A form posts once: a second click while the first post is on its way must not save twice.
  const posting = useRef(false);
  // The router's navigate changes with the location; the page must not load again because of it.
  const navigateRef = useRef(null);
  navigateRef.current = useNavigate();

  const show = useCallback(
    async (response, quiet) => {
      const url = new URL(response.url);
      if (response.status === 401) {
        window.location.assign(`/admin/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
        return;
      }
      if (!isServerPage(url)) {
        navigateRef.current(url.pathname + url.search);
        return;
      }
      const read = await readPage(response);
      if (read.problem) {
        setError(read.problem);
        return;
      }
      setError(null);
      setPage({ url: response.url, ...read });
      if (!quiet && root.current) root.current.scrollIntoView({ block: 'nearest' });
    },
    [],
  );

  const request = useCallback(
    (url, init, quiet) => {
      const ticket = ++latest.current;
      const current = () => ticket === latest.current;
      if (!quiet) setBusy(true);
      return fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' }, ...init })
        .then((response) => (current() ? show(response, quiet) : undefined))
        .catch(() => current() && setError('The console could not be reached. Check your connection and try again.'))
        .finally(() => current() && setBusy(false));
    },
    [show],
  );

  useEffect(() => {
    setPage(null);
    request(src);
    return () => {
      latest.current += 1;
    };
  }, [src, request]);

  useEffect(() => {
    const element = root.current;
    if (!element || !page) return undefined;
    const onSubmit = (event) => {
      const form = event.target;
      if (!form || form.method !== 'post') return;
      event.preventDefault();
      if (posting.current) return;
      posting.current = true;
      const submitter = event.submitter || null;
      const target = new URL((submitter && submitter.getAttribute('formaction')) || form.getAttribute('action') || '', page.url);
      request(target, { method: 'POST', body: new URLSearchParams(new FormData(form, submitter)) }).finally(() => {
        posting.current = false;
      });
    };
    const onClick = (event) => {
      const link = event.target.closest ? event.target.closest('a[href]') : null;
      if (!link || link.target || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      const url = new URL(link.href);
      if (url.hash && url.pathname === window.location.pathname) return;
      if (isAppPage(url)) {
        event.preventDefault();
        navigateRef.current(url.pathname + url.search + url.hash);
      } else if (isServerPage(url)) {
        event.preventDefault();
        request(url);
      }
    };
    element.addEventListener('submit', onSubmit);
    element.addEventListener('click', onClick);
    const refresh = element.querySelector('[data-refresh-seconds]');
    const timer = refresh ? window.setTimeout(() => request(page.url, undefined, true), Number(refresh.getAttribute('data-refresh-seconds')) * 1000) : null;
    return () => {
      element.removeEventListener('submit', onSubmit);
      element.removeEventListener('click', onClick);
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [page, request]);

  if (error) return h(MessageBox, { variant: 'danger', message: error, mb: 'xl' });
  if (!page) return h(Loader);
  const content = h('div', { ref: root, className: 'console-page', 'aria-busy': busy ? 'true' : 'false', dangerouslySetInnerHTML: { __html: page.html } });
  // An action's page sits in AdminJS's route wrapper under its header; a custom page gets the same spacing and a heading here.
  return withTitle ? h(Box, { px: ['default', 'xxl'], py: 'xxl' }, h(H2, { mt: 'lg', mb: 'xl' }, page.title), content) : content;
}

/** An AdminJS action whose page is one of the console's own (`custom.consolePage`). */
export default function ConsolePage({ action, record }) {
  const location = useLocation();
  return h(ConsolePageView, { src: actionPageSource(action, record, location.search) });
}
