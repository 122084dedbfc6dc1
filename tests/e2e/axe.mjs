// axe-core on a page: its violations, each as "rule (nodes): first targets".
// `axe` is the path of axe.min.js (e2e.mjs's AXE).
export async function axeViolations(page, axe) {
  await page.addScriptTag({ path: axe });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}
