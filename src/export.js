function say(statusId, text) {
  const el = document.getElementById(statusId);
  if (el) el.textContent = text;
}

let files = null;

const VARIANTS = ['non-persistent:protocol=1.0,cl=1', 'non-persistent ×5:protocol=1.0,cl=5', 'persistent:protocol=1.1,cl=1', 'pipelined:protocol=1.1,cl=1,pl=1'];

export async function exportFile(kind, view, query, statusId) {
  const opens = { curve: 'sweep=rtt', server: 'server=1', variants: VARIANTS.map((v) => `var=${encodeURIComponent(v)}`).join('&') }[kind];
  if (opens) {
    if (!query.includes(`&${opens.split('=')[0]}=`)) location.assign(`${query}&${opens}`);
    else document.getElementById(`h-${kind}`)?.scrollIntoView();
    return;
  }
  const formula = kind === 'formula' || kind === 'crowd';
  if (!formula) say(statusId, `Preparing ${kind.toUpperCase()}…`);
  else if (kind === 'crowd') say(statusId, 'Simulating the clients…');
  try {
    files ??= import(new URL('export-files.js', document.baseURI).href);
    const made = await (await files).exportFile(kind, view, query);
    const el = document.getElementById(statusId);
    if (!formula) say(statusId, `Downloaded ${made}`);
    else if (el) el.innerHTML = made;
  } catch (e) {
    files = null;
    say(statusId, `Export failed: ${e.message}`);
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
