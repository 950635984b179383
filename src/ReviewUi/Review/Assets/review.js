// Review UI helpers: the page viewer (zoom, rotate, fit, page switch), keyboard shortcuts and confirmations.
// Everything works without it except zoom/rotate; no data leaves the page.
(function () {
  'use strict';

  function typing(e) {
    var t = e.target;
    return t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
  }

  // Forms that change something final ask first.
  document.addEventListener('submit', function (e) {
    var msg = e.target.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) e.preventDefault();
  });

  function Viewer(root) {
    var stage = root.querySelector('[data-stage]');
    var frame = root.querySelector('[data-frame]');
    var img = root.querySelector('[data-page-image]');
    var zoomLabel = root.querySelector('[data-zoom-label]');
    var pageLabel = root.querySelector('[data-page-label]');
    var thumbs = Array.prototype.slice.call(root.querySelectorAll('[data-goto][data-src]'));
    var scale = 1, rotation = 0, fit = true, current = 1;
    if (!img) return null;

    function natural() { return { w: img.naturalWidth || 1, h: img.naturalHeight || 1 }; }
    function rotated() { return rotation % 180 !== 0; }
    function fitScale() {
      var n = natural(), w = rotated() ? n.h : n.w, h = rotated() ? n.w : n.h;
      return Math.max(0.05, Math.min((stage.clientWidth - 16) / w, (stage.clientHeight - 16) / h));
    }
    function apply() {
      if (fit) scale = fitScale();
      var n = natural(), w = n.w * scale, h = n.h * scale;
      frame.style.width = (rotated() ? h : w) + 'px';
      frame.style.height = (rotated() ? w : h) + 'px';
      img.style.width = w + 'px';
      img.style.height = h + 'px';
      img.style.transform = 'translate(-50%, -50%) rotate(' + rotation + 'deg)';
      var pct = Math.round(scale * 100);
      zoomLabel.textContent = pct + '%';
      root.setAttribute('data-zoom', String(pct));
      root.setAttribute('data-rotation', String(rotation));
    }
    function zoom(f) { fit = false; scale = Math.min(8, Math.max(0.05, scale * f)); apply(); }
    function go(i) {
      var t = thumbs.filter(function (b) { return Number(b.getAttribute('data-goto')) === i; })[0];
      if (!t) return;
      current = i; rotation = 0; fit = true;
      img.src = t.getAttribute('data-src');
      img.alt = 'Pagina ' + i;
      pageLabel.textContent = 'pagina ' + i + ' di ' + thumbs.length;
      thumbs.forEach(function (b) { b.classList.toggle('current', b === t); });
      root.setAttribute('data-page', String(i));
    }
    var actions = {
      'zoom-in': function () { zoom(1.25); }, 'zoom-out': function () { zoom(0.8); },
      'fit': function () { fit = true; apply(); }, 'actual': function () { fit = false; scale = 1; apply(); },
      'rotate-left': function () { rotation = (rotation + 270) % 360; apply(); },
      'rotate-right': function () { rotation = (rotation + 90) % 360; apply(); },
      'next': function () { go(Math.min(thumbs.length, current + 1)); }, 'prev': function () { go(Math.max(1, current - 1)); }
    };
    root.addEventListener('click', function (e) {
      var b = e.target.closest('[data-act]');
      if (b) { actions[b.getAttribute('data-act')](); return; }
      var g = e.target.closest('[data-goto]');
      if (g) go(Number(g.getAttribute('data-goto')));
    });
    stage.addEventListener('wheel', function (e) { if (e.ctrlKey) { e.preventDefault(); zoom(e.deltaY < 0 ? 1.1 : 0.9); } }, { passive: false });
    img.addEventListener('load', apply);
    window.addEventListener('resize', function () { if (fit) apply(); });
    if (img.complete) apply();
    go(1);
    return { act: function (name) { actions[name](); }, go: go };
  }

  document.addEventListener('DOMContentLoaded', function () {
    var root = document.querySelector('[data-viewer]');
    var viewer = root ? Viewer(root) : null;
    // Buttons elsewhere on the page (e.g. "p. 2" beside an extracted field) jump to a page.
    document.addEventListener('click', function (e) {
      var g = e.target.closest('[data-goto]');
      if (g && viewer && !root.contains(g)) viewer.go(Number(g.getAttribute('data-goto')));
    });

    document.addEventListener('keydown', function (e) {
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      var k = e.key;
      var byKey = function (key) { return document.querySelector('[data-key="' + key + '"]'); };
      if (viewer) {
        var map = { '+': 'zoom-in', '=': 'zoom-in', '-': 'zoom-out', '0': 'fit', '1': 'actual', '[': 'rotate-left', ']': 'rotate-right', 'j': 'next', 'k': 'prev', 'PageDown': 'next', 'PageUp': 'prev' };
        if (map[k]) { e.preventDefault(); viewer.act(map[k]); return; }
      }
      if (k === 'n' || k === 'N') { var n = byKey('n'); if (n) { e.preventDefault(); n.click(); } return; }
      if (k === 'a' || k === 'A') { var a = byKey('a'); if (a) { e.preventDefault(); a.click(); } return; }
      if (k === 'r' || k === 'R') {
        var panel = document.getElementById('reject-panel');
        if (panel) { e.preventDefault(); panel.open = true; var first = panel.querySelector('input[type=checkbox]'); if (first) first.focus(); }
      }
    });
  });
})();
