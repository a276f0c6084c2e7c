// The comment queue and a comment's page in the Wagtail admin. Everything here
// is an enhancement: the pages work without it.
(() => {
  'use strict';

  // Wagtail's bulk action bar counts "snippets"; it reads its words from
  // wagtailConfig.STRINGS.BULK_ACTIONS[<the footer's type>], so give it ours.
  const strings = document.getElementById('moderation-bulk-action-strings');
  if (strings && window.wagtailConfig && window.wagtailConfig.STRINGS) {
    window.wagtailConfig.STRINGS.BULK_ACTIONS.COMMENT = JSON.parse(
      strings.textContent,
    );
  }
})();
