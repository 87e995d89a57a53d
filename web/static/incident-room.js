// The incident room, live. The page works without this script; with it:
// - countdowns ([data-countdown]) stay current: "next update in 12 min", "OVERDUE by 3 min";
// - when the server says the incident changed (server-sent events from [data-incident-events]), every live region
//   ([data-live], a URL serving its fresh HTML) is fetched again and swapped in — except while someone is typing in
//   it: then the swap waits until they are done, so nobody loses what they typed.
(function () {
  'use strict';

  // The same wording as the server's describe_distance().
  function distance(ms) {
    var total = Math.floor(ms / 60000);
    if (total < 1) return 'less than a minute';
    if (total < 60) return total + ' min';
    var hours = Math.floor(total / 60);
    if (hours < 10 && total % 60) return hours + ' h ' + (total % 60) + ' min';
    if (hours < 48) return hours + ' h';
    return Math.floor(hours / 24) + ' days';
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll('[data-countdown]').forEach(function (el) {
      var at = Date.parse(el.getAttribute('data-countdown'));
      if (isNaN(at)) return;
      var left = at - now;
      var overdue = left < 0;
      el.textContent = overdue ? 'OVERDUE by ' + distance(-left) : el.getAttribute('data-ahead') + ' ' + distance(left);
      el.classList.toggle('countdown--overdue', overdue);
      el.classList.toggle('countdown--soon', !overdue && left < 5 * 60000);
      el.classList.toggle('countdown--ok', !overdue && left >= 5 * 60000);
    });
  }
  tick();
  setInterval(tick, 15000);

  var room = document.querySelector('[data-incident-events]');
  if (!room || !window.EventSource || !window.fetch) return;
  var regions = Array.prototype.slice.call(room.querySelectorAll('[data-live]'));
  var status = document.getElementById('live-status');

  // Someone is typing in the region: a field has focus, or differs from what the server rendered.
  function busy(region) {
    var active = document.activeElement;
    if (active && active !== document.body && region.contains(active) && active.matches('input, textarea, select')) {
      return true;
    }
    return Array.prototype.some.call(region.querySelectorAll('input, textarea, select'), function (field) {
      if (field.type === 'hidden') return false;
      if (field.tagName === 'SELECT') {
        return Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; });
      }
      if (field.type === 'checkbox' || field.type === 'radio') return field.checked !== field.defaultChecked;
      return field.value !== field.defaultValue;
    });
  }

  function swap(region) {
    if (region.pendingHtml === undefined) return;
    if (busy(region)) {
      clearTimeout(region.retry);
      region.retry = setTimeout(function () { swap(region); }, 2000);
      return;
    }
    region.innerHTML = region.pendingHtml;
    region.pendingHtml = undefined;
    if (window.htmx) window.htmx.process(region);
    tick();
  }

  function refresh(region) {
    fetch(region.getAttribute('data-live'), { credentials: 'same-origin', headers: { 'HX-Request': 'true' } })
      .then(function (response) {
        var redirect = response.headers.get('HX-Redirect');
        if (redirect) {
          window.location.href = redirect;
          return null;
        }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null) return;
        region.pendingHtml = html;
        swap(region);
      })
      .catch(function () { /* the next event, or the reconnect, tries again */ });
  }

  function refreshAll() { regions.forEach(refresh); }

  // The browser reconnects by itself after a dropped connection, but not after an error answer (a 503 when the
  // server is at its stream limit, or while it restarts): then open a new stream after a pause, and catch up.
  function connect(catchUp) {
    var source = new EventSource(room.getAttribute('data-incident-events'));
    source.addEventListener('changed', refreshAll);
    // The events since the page was rendered could not be replayed: fetch everything.
    source.addEventListener('reset', refreshAll);
    source.addEventListener('open', function () {
      room.setAttribute('data-live-state', 'connected');
      if (status) status.textContent = 'Live: this page shows what others post as they post it.';
      if (catchUp) refreshAll();
    });
    source.addEventListener('error', function () {
      room.setAttribute('data-live-state', 'reconnecting');
      if (status) status.textContent = 'Reconnecting to live updates…';
      if (source.readyState === EventSource.CLOSED)
        setTimeout(function () { connect(true); }, 5000 + Math.random() * 10000);
    });
  }
  connect(false);
})();
