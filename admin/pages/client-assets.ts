/**
 * The script and style sheet of the console's own pages (served, not bundled), loaded by
 * AdminJS's pages as assets and by the pages' own documents. The script only adds behaviour to
 * the pages' markup, by event delegation, so it works whether a page sits in AdminJS's layout
 * (admin/components/console-page.js) or stands alone:
 * - `data-copy="<id>"`: copies the text of that field;
 * - `data-add-row="<template id>"`: appends the template's content to `data-rows="<list id>"`;
 * - `data-remove-row`: removes the row the button is in;
 * - `data-step-to="<n>"`: shows the form's step n (`data-step="n"`) and hides the others; going
 *   to a later step first checks the fields of the steps before it;
 * - `data-choices-from="<name>"` on a select: after its empty first option, it offers only what the
 *   form's selects named `<name>` have chosen, in their options' order, whenever one changes or
 *   a row is removed or the form goes to another step; `data-none-note="<id>"` is shown while
 *   they have chosen nothing.
 */
export const CLIENT_SCRIPT = `(function () {
  'use strict';
  function closest(event, selector) {
    return event.target && event.target.closest ? event.target.closest(selector) : null;
  }
  function copy(button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) return;
    var text = field.value !== undefined ? field.value : field.textContent;
    var label = button.textContent;
    var done = function () { button.textContent = 'Copied'; setTimeout(function () { button.textContent = label; }, 2000); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { if (field.select) field.select(); });
    } else if (field.select) {
      field.select();
      try { document.execCommand('copy'); done(); } catch (e) { /* the text stays selected for Ctrl+C */ }
    }
  }
  function syncChoices(form) {
    var targets = form.querySelectorAll('select[data-choices-from]');
    for (var i = 0; i < targets.length; i++) {
      var target = targets[i];
      var sources = form.querySelectorAll('select[name="' + target.getAttribute('data-choices-from') + '"]');
      var chosen = {};
      for (var j = 0; j < sources.length; j++) if (sources[j].value !== '') chosen[sources[j].value] = true;
      var current = target.value;
      var offered = 0;
      while (target.options.length > 1) target.remove(1);
      var all = sources.length > 0 ? sources[0].options : [];
      for (var k = 0; k < all.length; k++) {
        if (!chosen[all[k].value]) continue;
        target.add(new Option(all[k].text, all[k].value, false, all[k].value === current));
        offered++;
      }
      var note = document.getElementById(target.getAttribute('data-none-note'));
      if (note) note.hidden = offered > 0;
    }
  }
  function goToStep(button) {
    var form = button.form;
    var target = Number(button.getAttribute('data-step-to'));
    var steps = form ? form.querySelectorAll('[data-step]') : [];
    for (var i = 0; i < steps.length; i++) {
      var step = Number(steps[i].getAttribute('data-step'));
      if (step >= target) continue;
      var fields = steps[i].querySelectorAll('input, select, textarea');
      for (var j = 0; j < fields.length; j++) {
        if (!fields[j].checkValidity()) { fields[j].reportValidity(); return; }
      }
    }
    syncChoices(form);
    for (var k = 0; k < steps.length; k++) steps[k].hidden = Number(steps[k].getAttribute('data-step')) !== target;
    var marks = form.querySelectorAll('[data-step-mark]');
    for (var m = 0; m < marks.length; m++) marks[m].classList.toggle('current', Number(marks[m].getAttribute('data-step-mark')) === target);
  }
  document.addEventListener('click', function (event) {
    var button = closest(event, '[data-copy]');
    if (button) return copy(button);
    button = closest(event, '[data-step-to]');
    if (button) { event.preventDefault(); return goToStep(button); }
    button = closest(event, '[data-add-row]');
    if (button) {
      var template = document.getElementById(button.getAttribute('data-add-row'));
      var rows = document.getElementById(button.getAttribute('data-rows'));
      if (template && rows) rows.appendChild(template.content.cloneNode(true));
      return;
    }
    button = closest(event, '[data-remove-row]');
    var row = button ? button.closest('[data-row]') : null;
    var form = row ? row.closest('form') : null;
    if (row) row.remove();
    if (form) syncChoices(form);
  });
  document.addEventListener('change', function (event) {
    if (event.target && event.target.form) syncChoices(event.target.form);
  });
})();
`;

/**
 * The look of AdminJS's design system (7.x theme: colours, type sizes, spacing, inputs and
 * buttons as its components draw them) for the console's own pages, so moving between AdminJS's
 * pages and these shows one console. All rules but the standalone document's are scoped to
 * `.console-page`, so nothing leaks into AdminJS's own components.
 */
export const CLIENT_STYLE = `
/* AdminJS 7.8's tables break words anywhere ("Engineerin|g") once a list has a few columns; whole words read better. */
table td, table th { word-break: normal !important; overflow-wrap: break-word !important; }

body.standalone { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 14px; color: #0c1e29; background: #f8f9f9; line-height: 1.5; }
body.standalone header { background: #fff; border-bottom: 1px solid #eeeeef; height: 64px; padding: 0 32px; display: flex; align-items: center; justify-content: space-between; }
body.standalone .brand { font-size: 18px; font-weight: 700; color: #454655; text-decoration: none; }
body.standalone .who { color: #898a9a; }
body.standalone main { max-width: 1100px; margin: 0 auto; padding: 32px; }
body.signed-out main { max-width: 460px; }
body.standalone h1 { font-size: 32px; line-height: 40px; font-weight: 400; margin: 4px 0 32px; }

.console-page { font-size: 14px; line-height: 24px; color: #0c1e29; }
.console-page *, .console-page *::before, .console-page *::after { box-sizing: border-box; }
.console-page p { margin: 0 0 16px; }
.console-page a { color: #3040d6; text-decoration: none; }
.console-page a:hover { text-decoration: underline; }
.console-page dl { margin: 0; }
.console-page .card { background: #fff; padding: 32px; margin-bottom: 24px; border-radius: 8px; }
/* AdminJS's reset (page-assets.ts) sets every element's font to inherit, which takes bold and italics away. */
.console-page strong, .console-page b { font-weight: 700; }
.console-page em { font-style: italic; }
.console-page .card > :first-child { margin-top: 0; }
.console-page .card > :last-child { margin-bottom: 0; }
.console-page h2 { font-size: 18px; line-height: 24px; font-weight: 500; margin: 32px 0 16px; }
.console-page h3 { font-size: 16px; line-height: 24px; font-weight: 500; margin: 24px 0 8px; }
.console-page label, .console-page .label { display: block; font-size: 12px; line-height: 16px; font-weight: 400; color: #0c1e29; margin: 24px 0 8px; }
.console-page .required::before { content: '* '; color: #3040d6; }
.console-page .hint { color: #898a9a; font-size: 12px; line-height: 16px; margin: 8px 0 0; }
.console-page .error { color: #c20012; font-size: 12px; line-height: 16px; margin: 8px 0 0; }
.console-page input[type=text], .console-page input[type=email], .console-page input[type=password], .console-page input[type=number], .console-page select {
  width: 100%; padding: 4px 8px; font: inherit; font-size: 14px; line-height: 24px; color: #0c1e29;
  background: transparent; border: 1px solid #bbc3cb; border-radius: 2px; }
/* 34px tall, as AdminJS draws them. An input gets there from its line-height and padding, not a fixed height: Chromium cuts
   the text of a fixed-height input off below, which hid the underscores of a token (scim_…_…) in DejaVu Sans Mono at 14px. */
.console-page select { height: 34px; background: #fff; }
.console-page input[type=number] { max-width: 160px; }
.console-page input:focus, .console-page select:focus { outline: none; border-color: #3040d6; }
.console-page input[aria-invalid=true], .console-page select[aria-invalid=true] { border-color: #c20012; }
.console-page input[readonly] { background: #f2f2f2; font-family: ui-monospace, Menlo, Consolas, monospace; }
.console-page .radio { display: flex; gap: 8px; align-items: flex-start; font-size: 14px; line-height: 24px; margin: 8px 0; cursor: pointer; }
.console-page .radio input { margin-top: 6px; accent-color: #3040d6; }
.console-page .indented { margin-left: 24px; }
.console-page .spaced { margin-top: 24px; }
.console-page .btn { display: inline-flex; align-items: center; height: 34px; padding: 4px 32px; border: 1px solid #3040d6; border-radius: 4px;
  background: #3040d6; color: #fff; font: inherit; font-size: 14px; line-height: 24px; cursor: pointer; text-decoration: none; white-space: nowrap; }
.console-page .btn:hover { background: #6483f8; border-color: #6483f8; }
.console-page .btn.secondary { background: transparent; color: #3040d6; }
.console-page .btn.secondary:hover { background: #dde2f9; }
.console-page .btn.danger { background: #c20012; border-color: #c20012; color: #fff; }
.console-page .btn.small { height: 28px; padding: 2px 16px; font-size: 12px; }
.console-page .btn.icon { padding: 4px 12px; }
.console-page .actions { display: flex; gap: 16px; align-items: center; margin-top: 32px; flex-wrap: wrap; }
.console-page .actions .spacer { flex: 1; }
.console-page .banner { padding: 16px 24px; margin-bottom: 24px; border-left: 4px solid; }
.console-page .banner.error { background: #f9e5e7; border-color: #c20012; color: #9d0616; font-size: 14px; margin-top: 0; }
.console-page .banner.warn { background: #f6ede8; border-color: #a14f17; color: #0c1e29; }
.console-page .banner.ok { background: #e5f2f2; border-color: #007d7f; color: #0c1e29; }
.console-page .banner.info { background: #dde2f9; border-color: #3040d6; color: #0c1e29; }
.console-page .secret { display: flex; gap: 8px; }
.console-page .secret input { flex: 1; }
.console-page .mapping { display: grid; grid-template-columns: 3fr 2fr 40px; gap: 16px; margin-bottom: 8px; align-items: start; }
.console-page .mapping.head { font-size: 12px; line-height: 16px; color: #898a9a; margin: 16px 0 8px; }
.console-page .steps { display: flex; gap: 32px; margin: 0 0 8px; padding: 0; list-style: none; font-size: 14px; color: #898a9a; }
.console-page .steps li { padding-bottom: 8px; border-bottom: 2px solid transparent; }
.console-page .steps li.current { color: #0c1e29; border-color: #3040d6; }
.console-page [hidden] { display: none !important; }
.console-page .progress { height: 8px; background: #eeeeef; overflow: hidden; margin: 16px 0; }
.console-page .progress > div { height: 100%; background: #3040d6; }
.console-page table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
.console-page th { text-align: left; font-size: 12px; font-weight: 700; line-height: 16px; padding: 12px 16px; border-bottom: 1px solid #eeeeef; background: #fbfbfb; }
.console-page td { text-align: left; padding: 12px 16px; border-bottom: 1px solid #eeeeef; vertical-align: top; line-height: 16px; }
.console-page td.number, .console-page th.number { text-align: right; font-variant-numeric: tabular-nums; }
.console-page dl.values { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 24px 32px; }
.console-page dl.values dt { font-size: 12px; line-height: 16px; color: #898a9a; margin-bottom: 4px; }
.console-page dl.values dd { margin: 0; word-break: break-word; }
.console-page .badge { display: inline-block; padding: 0 8px; border-radius: 12px; font-size: 12px; line-height: 20px; background: #bbc3cb; color: #fff; }
.console-page .badge.success { background: #007d7f; }
.console-page .badge.danger { background: #c20012; }
.console-page .badge.primary { background: #3040d6; }
.console-page .preview { border-top: 1px solid #eeeeef; margin-top: 32px; padding-top: 8px; }
.console-page .gain { color: #007d7f; }
.console-page .loss { color: #c20012; }
.console-page code, .console-page pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }
.console-page pre { background: #f2f2f2; padding: 16px; overflow: auto; line-height: 20px; }
.console-page ol, .console-page ul { margin: 0 0 16px; padding-left: 24px; }
.console-page ol li, .console-page ul li { margin: 4px 0; }
.console-page .tabs { display: flex; gap: 24px; margin: 0 0 24px; }
.console-page[aria-busy=true] { opacity: .6; pointer-events: none; }
`;
