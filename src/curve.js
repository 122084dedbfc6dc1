// The curve view's worker pool (src/components/curve.rs, src/curve.rs): as
// many export workers (src/bin/reuse-export.rs, which also answers the sweep
// jobs) as the machine has cores, at most 8, started on the first curve. The
// full build only: the first load never calls it.
//
// sweepJobs(kind, query, bodies, onAnswer) queues one job per body and calls
// onAnswer(index, text, error) as each comes back, in any order; a new call
// or sweepCancel() drops the jobs still queued and ignores the answers of
// jobs already running (they take milliseconds), so the workers stay warm.

let workers = null;
let queue = [];
let next = 0;
let generation = 0;
let answer = null;

function give(w) {
  if (next >= queue.length) {
    w.busy = false;
    return;
  }
  const job = queue[next++];
  w.busy = true;
  w.postMessage({ id: [generation, job.index], kind: job.kind, view: job.body, query: job.query });
}

function start() {
  if (workers) return workers;
  const size = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 8));
  // Built apart and kept only whole: a worker that cannot be made (a
  // content policy, a file:// page) throws, and the next sweep tries again.
  const pool = [];
  for (let i = 0; i < size; i++) {
    const w = new Worker(new URL('reuse-export_loader.js', document.baseURI));
    w.busy = true; // until its module is ready
    w.onmessage = (event) => {
      const m = event.data;
      if (!m.ready && Array.isArray(m.id) && m.id[0] === generation && answer) {
        answer(m.id[1], m.text ?? '', m.error ?? '');
      }
      give(w);
    };
    w.onerror = (event) => {
      const report = answer;
      workers?.forEach((x) => x.terminate());
      workers = null;
      sweepCancel();
      report?.(-1, '', `a sweep worker failed: ${event.message || 'it could not be loaded'}`);
    };
    pool.push(w);
  }
  workers = pool;
  return workers;
}

export function sweepJobs(kind, query, bodies, onAnswer) {
  generation++;
  answer = onAnswer;
  queue = bodies.map((body, index) => ({ index, kind, query, body }));
  next = 0;
  let pool;
  try {
    pool = start();
  } catch (e) {
    sweepCancel();
    onAnswer(-1, '', `the sweep workers could not start: ${e.message}`);
    return 0;
  }
  pool.filter((w) => !w.busy).forEach(give);
  return pool.length;
}

// Also forgets the answer callback: nothing reaches a view that is gone.
export function sweepCancel() {
  generation++;
  answer = null;
  queue = [];
  next = 0;
}

let files = null;

// Downloads a file the curve view made (SVG, CSV; PNG drawn from the SVG).
export async function saveText(name, mime, text, png, statusId) {
  const status = document.getElementById(statusId);
  try {
    files ??= import(new URL('export-files.js', document.baseURI).href);
    const saved = await (await files).saveText(name, mime, text, png);
    if (status) status.textContent = `Downloaded ${saved}`;
  } catch (e) {
    files = null;
    if (status) status.textContent = `Export failed: ${e.message}`;
  }
}
