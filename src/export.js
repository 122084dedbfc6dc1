// The share bar's JavaScript, imported by the app's wasm (src/components/share.rs).
// Copy link is here; the export code loads on the first export
// (assets/export-files.js, copied beside index.html), so neither it nor the
// export worker weighs on the first load.

function say(statusId, text) {
  const el = document.getElementById(statusId);
  if (el) el.textContent = text;
}

let files = null;

// kind: 'svg' | 'png' | 'json' | 'har'; view: 'totals' | 'lanes' | 'waterfall' | 'ladder'
// (for svg and png); query: the page's permalink. Progress, the file's name
// or the reason it failed go to the element `statusId`.
export async function exportFile(kind, view, query, statusId) {
  say(statusId, `Preparing ${kind.toUpperCase()}…`);
  try {
    files ??= import(new URL('export-files.js', document.baseURI).href);
    const name = await (await files).exportFile(kind, view, query);
    say(statusId, `Downloaded ${name}`);
  } catch (e) {
    files = null;
    say(statusId, `Export failed: ${e.message}`);
  }
}

// Copies the page's address with `query` to the clipboard. Where the browser
// refuses (no secure context, no permission) the link appears in a field to
// copy by hand.
export async function copyLink(query, statusId) {
  const url = `${location.origin}${location.pathname}${query}`;
  try {
    await navigator.clipboard.writeText(url);
    say(statusId, `Link copied (${url.length} characters)`);
  } catch {
    say(statusId, 'Copy this link:');
    const status = document.getElementById(statusId);
    let field = status?.parentElement?.querySelector('input.share-url');
    if (status && !field) {
      field = document.createElement('input');
      field.className = 'share-url';
      field.readOnly = true;
      field.setAttribute('aria-label', 'Link to this view');
      status.after(field);
    }
    if (field) {
      field.value = url;
      field.select();
    }
  }
}
