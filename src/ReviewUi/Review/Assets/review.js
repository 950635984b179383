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

  // The signature lane: the cases come in one page; each decision is posted with fetch (the form's antiforgery token)
  // and answered in JSON, then the next case is shown in place — no page load between cases. An answer that is not
  // JSON (the session expired: the sign-in page came back) is said plainly: the action was not carried out.
  function Lane(root) {
    var data = JSON.parse(document.getElementById('lane-data').textContent);
    var form = root.querySelector('[data-lane-form]');
    var q = function (s) { return root.querySelector(s); };
    var i = 0, busy = false;
    function say(text, ok) {
      var s = q('[data-lane-status]');
      s.hidden = false; s.textContent = text; s.className = 'flash ' + (ok ? 'ok' : 'error');
    }
    function show() {
      var c = data[i];
      root.setAttribute('data-lane-case', c ? c.id : '');
      q('[data-lane-box]').hidden = !c;
      q('[data-lane-done]').hidden = !!c;
      document.querySelector('[data-lane-count]').textContent = c ? (data.length - i) + ' da decidere' : 'nessuna da decidere';
      if (!c) return;
      var link = q('[data-lane-link]');
      link.href = '/cases/' + c.id; link.textContent = c.short;
      q('[data-lane-person]').textContent = c.person;
      q('[data-lane-sentence]').textContent = c.sentence;
      q('[data-lane-four-eyes]').hidden = !c.approvalNeedsSecond;
      Array.prototype.forEach.call(root.querySelectorAll('[data-lane-img]'), function (img) {
        var src = c[img.getAttribute('data-lane-img')];
        img.hidden = !src; if (src) img.src = src;
        img.nextElementSibling.hidden = !!src;
        img.previousElementSibling.checked = false;
      });
      form.querySelector('textarea').value = '';
      var next = data[i + 1];
      if (next) [next.formCrop, next.documentCrop].forEach(function (src) { if (src) new Image().src = src; });
    }
    function act(choice) {
      var c = data[i];
      if (!c || busy) return;
      if (choice === 'contrast') {
        var pair = q('[data-lane-pair]'), on = !pair.classList.contains('high-contrast');
        pair.classList.toggle('high-contrast', on);
        q('[data-lane-act=contrast]').setAttribute('aria-pressed', String(on));
        return;
      }
      if (choice === 'skip') { i++; show(); return; }
      busy = true;
      var body = new FormData(form);
      body.append('id', c.id); body.append('choice', choice); body.append('file', String(c.file));
      fetch(form.action, { method: 'POST', body: body, credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (r) {
          if ((r.headers.get('content-type') || '').indexOf('application/json') < 0) throw new Error('not json');
          return r.json();
        })
        .then(function (res) { say(res.message, res.ok); i++; show(); document.dispatchEvent(new Event('vp:activity')); })
        .catch(function () { say('Azione non eseguita: la sessione è scaduta o il server non ha risposto. Acceda di nuovo e ripeta la decisione su questa pratica.', false); })
        .then(function () { busy = false; });
    }
    root.addEventListener('click', function (e) {
      var b = e.target.closest('[data-lane-act]');
      if (b) act(b.getAttribute('data-lane-act'));
    });
    show();
  }

  // Sessions (issue 15): a warning two minutes before the idle timeout, with "Resta collegato"; the notes typed on a case
  // kept in this tab (sessionStorage) until the action is recorded, so that an expired session loses nothing.
  function Session() {
    var idle = Number(document.body.getAttribute('data-idle-seconds'));
    var box = document.querySelector('[data-session-warning]');
    if (!idle || !box) return;
    var text = box.querySelector('[data-session-text]'), timer = null, expireAt = 0;
    function arm() {
      box.hidden = true;
      expireAt = Date.now() + idle * 1000;
      clearTimeout(timer);
      timer = setTimeout(warn, Math.max(1000, (idle - Math.min(120, idle / 4)) * 1000));
    }
    function clock(ms) { var d = new Date(ms); return ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2); }
    function warn() {
      box.hidden = false;
      text.textContent = 'La sessione scade alle ' + clock(expireAt) + ' per inattività: le note scritte restano in questa scheda.';
    }
    box.querySelector('[data-session-stay]').addEventListener('click', function () {
      fetch('/session/alive', { credentials: 'same-origin', redirect: 'manual' }).then(function (r) {
        if (r.status === 204) arm();
        else text.textContent = 'La sessione è scaduta: acceda di nuovo. Le note scritte restano in questa scheda.';
      });
    });
    document.addEventListener('vp:activity', arm);
    arm();
  }

  function KeptNotes() {
    var head = document.querySelector('[data-case]');
    if (!head) return;
    var id = head.getAttribute('data-case'), state = head.getAttribute('data-state');
    var key = function (form) { return 'vp-note:' + id + ':' + (form.getAttribute('id') || form.getAttribute('action')); };
    var flash = document.querySelector('[data-testid=flash]');
    try {
      var sent = window.sessionStorage.getItem('vp-submitted');
      // The action was recorded (an "ok" flash after it) or the case is closed: its notes are no longer needed.
      if (sent && flash && flash.classList.contains('ok')) { window.sessionStorage.removeItem(sent); window.sessionStorage.removeItem('vp-submitted'); }
      Array.prototype.forEach.call(document.querySelectorAll('form textarea[name=note]'), function (t) {
        var k = key(t.form);
        if (state === 'Approved' || state === 'Rejected') { window.sessionStorage.removeItem(k); return; }
        var kept = window.sessionStorage.getItem(k);
        if (kept && !t.value) {
          t.value = kept; t.setAttribute('data-restored', '');
          var panel = t.closest('details'); if (panel) panel.open = true;
        }
        t.addEventListener('input', function () { window.sessionStorage.setItem(k, t.value); });
        t.form.addEventListener('submit', function () { window.sessionStorage.setItem('vp-submitted', k); });
      });
    } catch (x) { /* storage unavailable: nothing kept */ }
  }

  // Single-key shortcuts can be turned off (WCAG 2.1.4 Character Key Shortcuts): the choice is kept in this browser.
  var SHORTCUTS = 'vp-shortcuts';
  function shortcutsOn() { try { return window.localStorage.getItem(SHORTCUTS) !== 'off'; } catch (x) { return true; } }

  document.addEventListener('DOMContentLoaded', function () {
    var toggle = document.querySelector('[data-shortcuts-toggle]');
    if (toggle) {
      toggle.checked = shortcutsOn();
      document.body.classList.toggle('no-shortcuts', !toggle.checked);
      toggle.addEventListener('change', function () {
        try { window.localStorage.setItem(SHORTCUTS, toggle.checked ? 'on' : 'off'); } catch (x) { /* private mode: this page only */ }
        document.body.classList.toggle('no-shortcuts', !toggle.checked);
      });
    }
    Session();
    KeptNotes();
    var laneRoot = document.querySelector('[data-lane]');
    if (laneRoot) Lane(laneRoot);
    var root = document.querySelector('[data-viewer]');
    var viewer = root ? Viewer(root) : null;
    // Buttons elsewhere on the page (e.g. "p. 2" beside an extracted field) jump to a page.
    document.addEventListener('click', function (e) {
      var g = e.target.closest('[data-goto]');
      if (g && viewer && !root.contains(g)) viewer.go(Number(g.getAttribute('data-goto')));
    });

    document.addEventListener('keydown', function (e) {
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (toggle ? !toggle.checked : !shortcutsOn()) return;
      var k = e.key;
      var byKey = function (key) { return document.querySelector('[data-key="' + key + '"]'); };
      if (viewer) {
        var map = { '+': 'zoom-in', '=': 'zoom-in', '-': 'zoom-out', '0': 'fit', '1': 'actual', '[': 'rotate-left', ']': 'rotate-right', 'j': 'next', 'k': 'prev', 'PageDown': 'next', 'PageUp': 'prev' };
        if (map[k]) { e.preventDefault(); viewer.act(map[k]); return; }
      }
      if (k === 'r' || k === 'R') {
        var panel = document.getElementById('reject-panel');
        if (panel) {
          e.preventDefault(); panel.open = true;
          // The machine's reasons come pre-ticked: then Enter rejects (R, Enter); otherwise the first reason takes the focus.
          var target = panel.querySelector('input[type=checkbox]:checked') ? panel.querySelector('[data-testid=reject]') : panel.querySelector('input[type=checkbox]');
          if (target) target.focus();
        }
        return;
      }
      // Any other letter a button declares (data-key): N next, A approve; in the signature lane D, S, C.
      if (k.length === 1) { var b = byKey(k.toLowerCase()); if (b && !b.disabled) { e.preventDefault(); b.click(); } }
    });
  });
})();
