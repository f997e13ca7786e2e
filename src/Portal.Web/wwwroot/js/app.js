/* DaPortal: quick exit and history hygiene. One small file, no framework, no storage, no network.
   Without JavaScript the exit links are ordinary links and every page still works. */
(function () {
  'use strict';

  var doc = document;
  var root = doc.documentElement;
  var bar = doc.querySelector('[data-app-exit-bar]');
  if (!bar || !window.location || typeof window.location.replace !== 'function') { return; }

  var neutral = bar.querySelector('a[data-app-exit]').href;
  var status = bar.querySelector('[data-app-exit-status]');
  var counter = bar.querySelector('[data-app-exit-count]');
  var WINDOW_MS = 5000;
  var exited = false;

  function text(name) { return bar.getAttribute('data-' + name) || ''; }

  // Hide everything, show a plain full-screen notice and a neutral title, then replace this page
  // in the tab's history. All in the same task: nothing may run between the gesture and leaving.
  function blank() {
    root.classList.add('app-exiting');
    if (!doc.querySelector('.app-exit-overlay')) {
      var overlay = doc.createElement('div');
      overlay.className = 'app-exit-overlay';
      overlay.setAttribute('role', 'alert');
      overlay.textContent = text('msg-leaving');
      doc.body.appendChild(overlay);
    }
    doc.title = text('neutral-title');
  }

  function exit(event) {
    if (event) { event.preventDefault(); event.stopImmediatePropagation(); }
    exited = true;
    blank();
    window.location.replace(neutral);
  }

  // Shift pressed three times on its own exits. Any other key in between starts again, so typing
  // capitals never exits; the count runs for five seconds from the first press.
  var presses = 0;
  var firstAt = 0;
  var expiry = null;

  function show(message, count) {
    status.textContent = message;
    counter.textContent = count ? ' ' + count + '/3' : '';
  }

  function reset(message) {
    presses = 0;
    if (expiry) { clearTimeout(expiry); expiry = null; }
    show(message || '', 0);
  }

  doc.addEventListener('keydown', function (event) {
    if (exited) { return; }
    if (event.key !== 'Shift') {
      if (presses) { reset(); }
      return;
    }
    if (event.repeat) { return; }
    var now = Date.now();
    if (presses === 0 || now - firstAt > WINDOW_MS) {
      reset();
      firstAt = now;
    }
    presses += 1;
    if (presses >= 3) {
      reset();
      exit(null);
      return;
    }
    show(text(presses === 1 ? 'msg-two' : 'msg-one'), presses);
    if (!expiry) {
      expiry = setTimeout(function () { expiry = null; reset(text('msg-expired')); }, WINDOW_MS - (now - firstAt));
    }
  }, true);

  // Links: the exit links leave at once; links within the site replace the current history
  // entry, so a whole visit adds a single entry to the tab's history.
  doc.addEventListener('click', function (event) {
    var target = event.target;
    var link = target && target.closest ? target.closest('a[href]') : null;
    if (!link) { return; }
    if (link.hasAttribute('data-app-exit')) { exit(event); return; }
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    if (link.origin !== window.location.origin || link.target || link.hasAttribute('download')) { return; }
    if (!/^https?:$/.test(link.protocol)) { return; }
    event.preventDefault();
    window.location.replace(link.href);
  }, true);

  // A page that began an exit and is shown again from the back/forward cache leaves again at once.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted && (exited || root.classList.contains('app-exiting'))) {
      blank();
      window.location.replace(neutral);
    }
  });

  // Forms: conditional questions open under the answer that needs them (all shown without
  // JavaScript), the error summary takes focus, and the proof of work runs in a worker while
  // the person fills the form in.
  root.classList.add('app-js');
  var summary = doc.querySelector('[data-app-error-summary]');
  if (summary) { summary.focus(); }

  var form = doc.querySelector('[data-app-contact-form]');
  if (!form) { return; }

  function syncReveals() {
    var inputs = form.querySelectorAll('[data-app-reveal]');
    for (var i = 0; i < inputs.length; i++) {
      var target = doc.getElementById(inputs[i].getAttribute('data-app-reveal'));
      if (target) { target.classList.toggle('app-conditional--hidden', !inputs[i].checked); }
    }
    var phone = form.querySelector('[data-app-phone-block]');
    if (phone) { phone.classList.toggle('app-conditional--hidden', !form.querySelector('[data-app-needs-phone]:checked')); }
  }
  form.addEventListener('change', syncReveals);
  syncReveals();

  var numberInput = form.querySelector('[data-app-pow-number]');
  var challengeInput = form.querySelector('[data-app-pow-challenge]');
  var solved = null;
  if (window.Worker && numberInput && challengeInput) {
    solved = new Promise(function (resolve) {
      try {
        var worker = new Worker('/js/pow-worker.js');
        worker.onmessage = function (message) {
          if (message.data && typeof message.data.number === 'number') {
            numberInput.value = String(message.data.number);
            // When it was solved, counted from the start of the page load (read by the performance test).
            numberInput.setAttribute('data-app-solved-at', String(Math.round(performance.now())));
          }
          worker.terminate();
          resolve();
        };
        worker.onerror = function () { resolve(); };
        worker.postMessage(JSON.parse(challengeInput.value));
      } catch (e) { resolve(); }
    });
  }

  var siteKey = form.getAttribute('data-recaptcha-sitekey');
  function recaptcha() {
    var tokenInput = form.querySelector('[data-app-recaptcha-token]');
    if (!siteKey || !tokenInput || !window.grecaptcha) { return Promise.resolve(); }
    return new Promise(function (resolve) {
      window.grecaptcha.ready(function () {
        window.grecaptcha.execute(siteKey, { action: 'contact' }).then(function (token) { tokenInput.value = token; resolve(); }, resolve);
      });
    });
  }

  function within(promise, ms) {
    return Promise.race([promise, new Promise(function (resolve) { setTimeout(resolve, ms); })]);
  }

  // Sending never waits long: an unsolved check still sends, and is marked unverified.
  var sending = false;
  form.addEventListener('submit', function (event) {
    if (sending) { event.preventDefault(); return; }
    if (numberInput.value && !siteKey) { sending = true; return; }
    event.preventDefault();
    sending = true;
    within(Promise.all([solved || Promise.resolve(), recaptcha()]), 4000).then(function () { form.submit(); });
  });
}());
