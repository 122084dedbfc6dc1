// Downloads for the export buttons, loaded by src/export.js on the first
// export (not part of the first load). The files are made by a web worker
// holding a second wasm module (src/bin/reuse-export.rs, src/export.rs).
// The worker's files sit beside index.html, so they are found under any
// --public-url.

let ready = null;
let nextId = 0;
const pending = new Map();

function worker() {
  if (!ready) {
    ready = new Promise((resolve, reject) => {
      const w = new Worker(new URL('reuse-export_loader.js', document.baseURI));
      w.onmessage = (event) => {
        const m = event.data;
        if (m.ready) return resolve(w);
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (p) m.error ? p.reject(new Error(m.error)) : p.resolve(m);
      };
      w.onerror = (event) => {
        ready = null;
        reject(new Error(`the export worker failed: ${event.message || 'it could not be loaded'}`));
      };
    });
  }
  return ready;
}

async function make(kind, view, query) {
  const w = await worker();
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, kind, view, query });
  });
}

// Draws an SVG onto a canvas at `scale` times its size, as a PNG blob.
async function rasterize(svgText, scale) {
  const svg = new DOMParser().parseFromString(svgText, 'image/svg+xml').documentElement;
  const width = parseFloat(svg.getAttribute('width'));
  const height = parseFloat(svg.getAttribute('height'));
  // Browsers refuse canvases much beyond 16384 px a side.
  const s = Math.min(scale, 16384 / width, 16384 / height);
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * s);
    canvas.height = Math.round(height * s);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(s, s);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// Makes the file in the worker and downloads it; resolves with its name.
// Kinds 'formula' and 'crowd' are no download: they resolve with HTML the
// page shows, the closed forms under the totals (src/receipts.rs) and the
// server's figures for many clients (src/crowd.rs).
export async function exportFile(kind, view, query) {
  const file = await make(kind === 'png' ? 'svg' : kind, view, query);
  if (kind === 'formula' || kind === 'crowd') return file.text;
  if (kind === 'png') {
    const name = file.name.replace(/\.svg$/, '@2x.png');
    download(await rasterize(file.text, 2), name);
    return name;
  }
  download(new Blob([file.text], { type: file.mime }), file.name);
  return file.name;
}

// Downloads a file made in the page (the curve view's SVG and CSV); a PNG
// is drawn from the SVG text at twice its size. Resolves with its name.
export async function saveText(name, mime, text, png) {
  if (png) {
    const pngName = name.replace(/\.svg$/, '@2x.png');
    download(await rasterize(text, 2), pngName);
    return pngName;
  }
  download(new Blob([text], { type: mime }), name);
  return name;
}
