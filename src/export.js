function say(statusId, text) {
  const el = document.getElementById(statusId);
  if (el) el.textContent = text;
}

let files = null;

export async function exportFile(kind, view, query, statusId) {
  if (kind === 'curve') {
    if (!query.includes('&sweep=')) location.assign(`${query}&sweep=rtt`);
    else document.getElementById('h-curve')?.scrollIntoView();
    return;
  }
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

export async function closedForm(query, id) {
  try {
    files ??= import(new URL('export-files.js', document.baseURI).href);
    const html = await (await files).closedForm(query);
    const el = document.getElementById(id);
    if (el) el.innerHTML = html;
  } catch (e) {
    files = null;
    say(id, `The closed form could not be worked out: ${e.message}`);
  }
}

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
