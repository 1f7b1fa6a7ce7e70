/**
 * The script and style sheet the console adds to AdminJS's pages and its own (served, not bundled).
 * AdminJS navigates inside its single-page app, so a redirect from an AdminJS action to one
 * of the console's server-rendered pages (/admin/x/…) or to the root (which the server sends
 * to SCIM settings instead of AdminJS's marketing dashboard) needs a real page load.
 * It also drives the copy buttons of the token page.
 */
export const CLIENT_SCRIPT = `(function () {
  'use strict';
  function serverPage(url) {
    var target;
    try { target = new URL(url, window.location.href); } catch (e) { return null; }
    if (target.origin !== window.location.origin) return null;
    var path = target.pathname;
    return path === '/admin' || path === '/admin/' || path.indexOf('/admin/x/') === 0 ? target : null;
  }
  ['pushState', 'replaceState'].forEach(function (name) {
    var original = window.history[name];
    window.history[name] = function (state, title, url) {
      var target = url === undefined || url === null ? null : serverPage(String(url));
      if (target) {
        target.searchParams.delete('refresh');
        window.location.assign(target.pathname + target.search);
        return;
      }
      return original.apply(this, arguments);
    };
  });
  document.addEventListener('click', function (event) {
    var button = event.target && event.target.closest ? event.target.closest('[data-copy]') : null;
    if (!button) return;
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) return;
    var text = field.value !== undefined ? field.value : field.textContent;
    var done = function () { button.textContent = 'Copied'; setTimeout(function () { button.textContent = 'Copy'; }, 2000); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { field.select && field.select(); });
    } else if (field.select) {
      field.select();
      try { document.execCommand('copy'); done(); } catch (e) { /* the text stays selected for Ctrl+C */ }
    }
  });
  document.addEventListener('click', function (event) {
    var add = event.target && event.target.closest ? event.target.closest('[data-add-mapping]') : null;
    if (!add) return;
    var rows = document.getElementById('mapping-rows');
    var template = document.getElementById('mapping-row-template');
    if (rows && template) rows.appendChild(template.content.cloneNode(true));
  });
})();
`;

/**
 * AdminJS's tables break words anywhere ("Engineerin|g") once a list has a few columns;
 * whole words read better, and the page is wide enough for the console's lists.
 */
export const CLIENT_STYLE = `table td, table th { word-break: normal !important; overflow-wrap: break-word !important; }
`;
