// The comment queue and a comment's page in the Wagtail admin. Everything here
// is an enhancement: the pages work without it. The comment page's own keys
// (a, r, s, j, k) are Wagtail's w-kbd controller on its buttons.
(() => {
  'use strict';

  const config = window.wagtailConfig || {};
  const data = (id) => {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  };

  // Wagtail's bulk action bar counts "snippets"; it reads its words from
  // wagtailConfig.STRINGS.BULK_ACTIONS[<the footer's type>], so give it ours.
  const bulkStrings = data('moderation-bulk-action-strings');
  if (bulkStrings && config.STRINGS) {
    config.STRINGS.BULK_ACTIONS.COMMENT = bulkStrings;
  }

  // List our shortcuts in Wagtail's keyboard shortcuts dialog ("?").
  const shortcuts = data('moderation-keyboard-shortcuts');
  // The dialog may still be in the <template> Wagtail teleports it from.
  const table = [
    document,
    ...[...document.querySelectorAll('template')].map((t) => t.content),
  ]
    .map((root) => root.querySelector('#keyboard-shortcuts-dialog table'))
    .find(Boolean);
  if (shortcuts && table) {
    const group = document.createElement('tbody');
    group.className = 'w-w-full';
    const heading = group.insertRow();
    heading.className = 'w-keyboard-shortcuts__category';
    const title = document.createElement('th');
    title.scope = 'rowgroup';
    title.colSpan = 2;
    title.textContent = shortcuts.title;
    heading.appendChild(title);
    shortcuts.shortcuts.forEach(([label, key]) => {
      const row = group.insertRow();
      row.className = 'w-keyboard_shortcuts__key';
      const name = document.createElement('th');
      name.scope = 'row';
      name.textContent = label;
      const kbd = document.createElement('kbd');
      kbd.textContent = key;
      row.appendChild(name);
      row.insertCell().appendChild(kbd);
    });
    table.appendChild(group);
  }

  // On the queue, j and k move between the comments' links; Enter opens one.
  if (!document.getElementById('moderation-bulk-action-strings')) return;
  if (config.KEYBOARD_SHORTCUTS_ENABLED === false) return;
  const typing = (target) =>
    target.closest('input, textarea, select, [contenteditable]');
  document.addEventListener('keydown', (event) => {
    const step = { j: 1, k: -1 }[event.key];
    if (!step || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    const links = [
      ...document.querySelectorAll('table.listing tbody td.title a[href]'),
    ].filter((link) => link.href.includes('/inspect/'));
    if (!links.length) return;
    event.preventDefault();
    const current = links.indexOf(document.activeElement);
    const next = current === -1 ? (step > 0 ? 0 : links.length - 1) : current + step;
    links[Math.max(0, Math.min(links.length - 1, next))].focus();
  });
})();
