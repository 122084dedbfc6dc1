export function attachGestures(el, zoom, pan) {
  const plot = (target, clientX) => {
    const svg = target?.closest?.('.timeline-wrap')?.querySelector('svg[data-plot]');
    if (!svg) return null;
    const [x0, x1] = svg.dataset.plot.split(' ').map(Number);
    const left = svg.getBoundingClientRect().left;
    return { share: (clientX - left - x0) / (x1 - x0), width: x1 - x0 };
  };
  const onWheel = (e) => {
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
    const dx = e.deltaX * unit;
    const dy = e.deltaY * unit;
    if (!e.target.closest?.('.timeline-wrap')) return;
    const at = plot(e.target, e.clientX);
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      zoom(2 ** (-Math.max(-200, Math.min(200, dy)) / 200), at ? Math.max(0, Math.min(1, at.share)) : -1);
    } else if (at && (e.shiftKey || Math.abs(dx) > Math.abs(dy))) {
      e.preventDefault();
      pan((e.shiftKey && !dx ? dy : dx) / at.width);
    }
  };
  const down = new Map();
  let travelled = 0;
  let target = null;
  const onDown = (e) => {
    if (e.button !== 0 || !plot(e.target, e.clientX)) return;
    if (!down.size) target = e.target;
    down.set(e.pointerId, e.clientX);
    travelled = 0;
  };
  const onMove = (e) => {
    if (!down.has(e.pointerId)) return;
    const before = down.get(e.pointerId);
    const at = plot(target, e.clientX);
    if (!at) return;
    if (down.size === 2) {
      const other = [...down].find(([id]) => id !== e.pointerId)[1];
      const spread = Math.abs(before - other);
      const now = Math.abs(e.clientX - other);
      if (spread > 8 && now > 8) zoom(now / spread, plot(target, (e.clientX + other) / 2).share);
    } else if (down.size === 1) {
      pan((before - e.clientX) / at.width);
    }
    travelled += Math.abs(e.clientX - before);
    down.set(e.pointerId, e.clientX);
  };
  const onUp = (e) => down.delete(e.pointerId);
  const onClick = (e) => {
    if (travelled > 4) {
      e.stopPropagation();
      e.preventDefault();
    }
    travelled = 0;
  };
  const listeners = [
    ['wheel', onWheel, { passive: false }],
    ['pointerdown', onDown],
    ['pointermove', onMove],
    ['pointerup', onUp],
    ['pointercancel', onUp],
    ['pointerleave', onUp],
    ['click', onClick, true],
  ];
  for (const [type, fn, options] of listeners) el.addEventListener(type, fn, options);
  return () => {
    for (const [type, fn, options] of listeners) el.removeEventListener(type, fn, options);
  };
}
