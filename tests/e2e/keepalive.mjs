// TCP keep-alive and middleboxes (issue 9, item 8) in the app: the nat
// presets live in the full build (src/full_build.rs, FULL_BUILD_PRESETS),
// so picking one in the first-load build opens it there. Expected figures
// come from how the presets are built (crates/reuse-sim/src/presets.rs:
// five calls 400 s apart, a NAT that forgets a connection idle for 350 s,
// probes 300 s after the last packet), never from a previous run.

import { builds } from './hol.mjs';

const CALLS = 5;

const ladderLabels = (page) => page.$$eval('[data-testid=ladder] .pkt', (pkts) => pkts.map((p) => p.getAttribute('aria-label') ?? ''));

export async function keepalivePresets({ browser, base, check, watch, totals, shots, path }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  watch(page, 'nat presets');
  const fetched = builds(page);
  await page.goto(`${base}/?v=1&p=textbook`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=lanes] .lane-row', { timeout: 30000 });
  check('the textbook link loads the first-load build only', fetched.firstLoad() && !fetched.h3(), fetched.names());

  // Picking a keep-alive preset moves to the full build at its link.
  await Promise.all([page.waitForURL(/p=nat-idle/, { timeout: 30000 }), page.locator('[data-testid=preset]').selectOption('nat-idle')]);
  await page.waitForSelector('[data-testid=lanes] .proto-group[data-protocol="http/1.1"] .lane-row', { timeout: 30000 });
  check('picking nat-idle opens the full build', fetched.h3(), fetched.names());
  check('the picker shows nat-idle after the move', (await page.locator('[data-testid=preset]').inputValue()) === 'nat-idle');

  // Without probes the NAT forgets the kept connection before every later
  // call: each meets its RST and is retried on a new connection. HTTP/1.0
  // opens a connection per call and never reuses one.
  const reused = CALLS - 1;
  const retried = await totals(page, 'retried_requests');
  const opened = await totals(page, 'connections_opened');
  check(`nat-idle: calls 2–${CALLS} are retried after the NAT's RST (HTTP/1.1, HTTP/2), none under HTTP/1.0`,
    JSON.stringify(retried) === JSON.stringify({ 'http/1.0': 0, 'http/1.1': reused, h2: reused }), JSON.stringify(retried));
  check(`nat-idle: a connection per call under every protocol (${CALLS})`,
    Object.values(opened).length === 3 && Object.values(opened).every((n) => n === CALLS), JSON.stringify(opened));
  await page.screenshot({ path: path.join(shots, 'nat-idle-1280.png'), fullPage: true });

  // The ladder of HTTP/1.1's first connection shows the NAT's reset.
  await page.goto(`${base}/?v=1&p=nat-idle&c=11-1`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=ladder] .pkt', { timeout: 30000 });
  const idleLabels = await ladderLabels(page);
  check('nat-idle: the ladder shows the RST from the NAT', idleLabels.some((l) => l.includes('RST from the NAT')), idleLabels.slice(-6).join(' | '));

  // With probes every 300 s the NAT never sees 350 s of silence: every
  // call reuses the first connection, one probe in each 400 s gap.
  await page.goto(`${base}/?v=1&p=nat-keepalive&c=11-1`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=ladder] .pkt', { timeout: 30000 });
  const kept = await totals(page, 'connections_opened');
  const keptRetried = await totals(page, 'retried_requests');
  check('nat-keepalive: one connection for HTTP/1.1 and HTTP/2, one per call for HTTP/1.0, nothing retried',
    JSON.stringify(kept) === JSON.stringify({ 'http/1.0': CALLS, 'http/1.1': 1, h2: 1 }) && Object.values(keptRetried).every((n) => n === 0),
    `${JSON.stringify(kept)} ${JSON.stringify(keptRetried)}`);
  const probes = (await ladderLabels(page)).filter((l) => l.includes('keep-alive probe')).length;
  check(`nat-keepalive: the ladder shows a keep-alive probe in each of the ${CALLS - 1} gaps`, probes >= CALLS - 1, `${probes} probes`);
  await page.screenshot({ path: path.join(shots, 'nat-keepalive-ladder-1280.png'), fullPage: true });
  await context.close();
}
