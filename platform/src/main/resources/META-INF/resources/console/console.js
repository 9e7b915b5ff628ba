/*
 * The MythOS console's small script library, shared by the three services' pages (DESIGN.md "Console").
 * The token: taken from the URL fragment (#token=..., which the browser never sends) or asked for once,
 * kept in sessionStorage (this tab only), sent as a bearer token with every data request; a 401 asks again.
 * Everything shown is built with textContent (never innerHTML), so that no datum can become markup.
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'mythos.console.token';
  var config = JSON.parse(document.getElementById('console-config').textContent);
  var SERVICES = [
    { key: 'healing', label: 'Healing' },
    { key: 'load-balancer', label: 'Load' },
    { key: 'recovery-daemon', label: 'Belief zones' }
  ];
  var asking = null; // the pending token question, shared by every request that met a 401

  function takeTokenFromFragment() {
    var hash = window.location.hash || '';
    var m = /(?:^#|&)token=([^&]+)/.exec(hash);
    if (m) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]).trim());
      history.replaceState(null, '', window.location.pathname + window.location.search);
    }
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  /** The roles of the token (its groups claim), read for the UI only: the services decide. */
  function roles() {
    var t = token();
    if (!t) return [];
    try {
      var part = t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      while (part.length % 4) part += '=';
      var claims = JSON.parse(atob(part));
      return Array.isArray(claims.groups) ? claims.groups : [];
    } catch (e) {
      return [];
    }
  }

  function subject() {
    var t = token();
    if (!t) return null;
    try {
      var part = t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      while (part.length % 4) part += '=';
      return JSON.parse(atob(part)).sub || null;
    } catch (e) {
      return null;
    }
  }

  function hasAnyRole(wanted) {
    var mine = roles();
    return wanted.some(function (r) { return mine.indexOf(r) >= 0; });
  }

  function showWho() {
    var who = document.getElementById('who');
    if (!who) return;
    var r = roles();
    who.textContent = token() ? ((subject() || 'token') + ' · ' + (r.length ? r.join(', ') : 'no roles')) : 'no token';
  }

  /** Asks for a token (once for all waiting requests); resolves when the user gave one. */
  function askToken(message) {
    if (asking) return asking;
    var dialog = document.getElementById('token-dialog');
    var form = document.getElementById('token-form');
    var input = document.getElementById('token-input');
    document.getElementById('token-message').textContent = message ||
      'Paste a token for this system (bin/mythos token --role viewer). It is kept for this browser tab only.';
    input.value = '';
    asking = new Promise(function (resolve) {
      function done(ev) {
        var value = input.value.trim();
        if (!value) {
          ev.preventDefault();
          return;
        }
        form.removeEventListener('submit', done);
        sessionStorage.setItem(TOKEN_KEY, value);
        asking = null;
        showWho();
        resolve(value);
      }
      form.addEventListener('submit', done);
    });
    if (!dialog.open) dialog.showModal();
    dialog.addEventListener('cancel', function (e) { e.preventDefault(); }, { once: true });
    return asking;
  }

  function ApiError(status, problem) {
    this.status = status;
    this.problem = problem || {};
    this.message = (problem && (problem.detail || problem.title)) || ('HTTP ' + status);
  }

  /**
   * A data request with the tab's token. 401: asks for a token again and retries; other errors reject with an
   * ApiError carrying the problem+json body.
   */
  function api(path, options) {
    options = options || {};
    function attempt() {
      var t = token();
      if (!t) return askToken().then(attempt);
      var headers = { 'Accept': 'application/json', 'Authorization': 'Bearer ' + t };
      var init = { method: options.method || 'GET', headers: headers, cache: 'no-store' };
      if (options.body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(options.body);
      }
      return fetch(path, init).then(function (res) {
        if (res.status === 401) {
          sessionStorage.removeItem(TOKEN_KEY);
          showWho();
          return askToken('The service refused this token (expired, malformed or not signed by this system\'s key). Paste another.')
            .then(attempt);
        }
        var type = res.headers.get('Content-Type') || '';
        var body = (res.status === 204) ? Promise.resolve(null)
          : (type.indexOf('json') >= 0 ? res.json() : res.text().then(function () { return null; }));
        return body.then(function (b) {
          if (!res.ok) throw new ApiError(res.status, b);
          return b;
        });
      });
    }
    return attempt();
  }

  /**
   * Server-sent events with the token (EventSource cannot send a header): a streaming fetch, parsed here.
   * Calls onEvent(data) for each event and onState(true|false) as the stream opens and drops; reconnects.
   */
  function stream(path, onEvent, onState) {
    var stopped = false;
    function connect() {
      if (stopped) return;
      var t = token();
      if (!t) {
        askToken().then(connect);
        return;
      }
      fetch(path, { headers: { 'Accept': 'text/event-stream', 'Authorization': 'Bearer ' + t }, cache: 'no-store' })
        .then(function (res) {
          if (res.status === 401) {
            sessionStorage.removeItem(TOKEN_KEY);
            showWho();
            return askToken('The service refused this token. Paste another.').then(connect);
          }
          if (!res.ok || !res.body) throw new Error('stream ' + res.status);
          onState && onState(true);
          var reader = res.body.getReader();
          var decoder = new TextDecoder();
          var buffer = '';
          function pump() {
            return reader.read().then(function (r) {
              if (r.done) throw new Error('stream closed');
              buffer += decoder.decode(r.value, { stream: true }).replace(/\r\n/g, '\n');
              var i;
              while ((i = buffer.indexOf('\n\n')) >= 0) {
                var block = buffer.slice(0, i);
                buffer = buffer.slice(i + 2);
                var data = block.split('\n').filter(function (l) { return l.indexOf('data:') === 0; })
                  .map(function (l) { return l.slice(5).replace(/^ /, ''); }).join('\n');
                if (data) {
                  var parsed = data;
                  try { parsed = JSON.parse(data); } catch (e) { /* plain text event */ }
                  onEvent(parsed);
                }
              }
              return pump();
            });
          }
          return pump();
        })
        .catch(function () {
          onState && onState(false);
          setTimeout(connect, 1000);
        });
    }
    connect();
    return { stop: function () { stopped = true; } };
  }

  /** Runs fn now and then every ms milliseconds (a failed run shows its error and is tried again). */
  function poll(fn, ms) {
    var timer = null;
    function run() {
      clearTimeout(timer);
      Promise.resolve().then(fn).catch(function (e) { showError(e); })
        .then(function () { timer = setTimeout(run, ms); });
    }
    run();
    return { now: run };
  }

  /** el('td', {class: 'num'}, 'text', child, ...): DOM built with text nodes only. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'onclick' || k === 'onchange') node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(node, c); });
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }

  function replace(node, children) {
    while (node.firstChild) node.removeChild(node.firstChild);
    append(node, children);
    return node;
  }

  /** A status shown as it comes, whatever the string; its class only from safe characters. */
  function badge(status) {
    var s = String(status === null || status === undefined ? 'unknown' : status);
    return el('span', { 'class': 'badge s-' + s.replace(/[^a-z0-9_-]/gi, '_'), 'data-status': s }, s);
  }

  function num(v, digits) {
    if (v === null || v === undefined || v === '') return '–';
    var n = Number(v);
    if (!isFinite(n)) return String(v);
    return n.toFixed(digits === undefined ? 2 : digits);
  }

  function ago(iso) {
    if (!iso) return '–';
    var t = Date.parse(iso);
    if (isNaN(t)) return String(iso);
    var s = Math.round((Date.now() - t) / 1000);
    if (s < 0) s = 0;
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.round(s / 60) + ' min ago';
    if (s < 86400) return Math.round(s / 3600) + ' h ago';
    return new Date(t).toISOString().slice(0, 16).replace('T', ' ');
  }

  function empty(text) {
    return el('div', { 'class': 'empty' }, text);
  }

  function table(headers, rows, attrs) {
    return el('table', attrs || null,
      el('thead', null, el('tr', null, headers.map(function (h) {
        return typeof h === 'string' ? el('th', null, h) : el('th', { 'class': h.cls }, h.label);
      }))),
      el('tbody', null, rows));
  }

  function panel(title, id) {
    var body = el('div', { id: id });
    return { node: el('section', { 'class': 'panel' }, el('h2', null, title), body), body: body };
  }

  var errorBox = null;
  function showError(e) {
    if (!errorBox) return;
    if (!e) {
      replace(errorBox, []);
      return;
    }
    var text = e instanceof ApiError
      ? (e.status === 403 ? 'Your token may not read this (' + e.message + ').' : e.message)
      : 'Could not reach the service (' + (e.message || e) + ').';
    replace(errorBox, el('div', { 'class': 'panel error', id: 'error' }, text));
  }

  /** An ECharts chart in a node, resized with the window; update(option) redraws it. */
  function chart(node) {
    if (!window.echarts) {
      replace(node, el('div', { 'class': 'empty' }, 'The chart library did not load.'));
      return { update: function () {}, dispose: function () {} };
    }
    var c = window.echarts.init(node, null, { renderer: 'canvas' });
    var onResize = function () { c.resize(); };
    window.addEventListener('resize', onResize);
    return {
      instance: c,
      update: function (option) { c.setOption(option, true); },
      resize: function () { c.resize(); },
      dispose: function () { window.removeEventListener('resize', onResize); c.dispose(); }
    };
  }

  /** The nav: this page and its two peers, each marked up or down (a peer by an opaque probe, no data read). */
  function nav() {
    var node = document.getElementById('nav');
    var links = config.links || {};
    SERVICES.forEach(function (s) {
      var self = s.key === config.service;
      var dot = el('span', { 'class': 'dot', 'data-service': s.key });
      var a = el('a', { href: self ? '/' : (links[s.key] + '/'), 'class': self ? 'current' : null, id: 'nav-' + s.key }, dot, s.label);
      if (!self) {
        // the token goes along in the fragment at the moment of the click: never left in the page's markup
        a.addEventListener('click', function () {
          var t = token();
          a.setAttribute('href', links[s.key] + '/' + (t ? '#token=' + encodeURIComponent(t) : ''));
          setTimeout(function () { a.setAttribute('href', links[s.key] + '/'); }, 0);
        });
      }
      node.appendChild(a);
    });
    function probe() {
      SERVICES.forEach(function (s) {
        var self = s.key === config.service;
        var url = self ? '/q/health/live' : links[s.key] + '/q/health/live';
        var p = self ? fetch(url, { cache: 'no-store' }).then(function (r) { if (!r.ok) throw new Error(); })
          : fetch(url, { mode: 'no-cors', cache: 'no-store' });
        var timeout = new Promise(function (_, reject) { setTimeout(function () { reject(new Error('timeout')); }, 4000); });
        Promise.race([p, timeout]).then(function () { mark(s.key, true); }, function () { mark(s.key, false); });
      });
    }
    function mark(key, up) {
      var a = document.getElementById('nav-' + key);
      a.classList.toggle('down', !up);
      a.classList.toggle('up', up);
      a.title = up ? 'up' : 'down: not answering';
      a.querySelector('.dot').className = 'dot ' + (up ? 'up' : 'down');
    }
    probe();
    setInterval(probe, 10000);
  }

  function start(render) {
    takeTokenFromFragment();
    nav();
    showWho();
    document.getElementById('change-token').addEventListener('click', function () {
      askToken('Paste another token for this system. It is kept for this browser tab only.');
    });
    var main = document.getElementById('main');
    replace(main, []);
    errorBox = el('div', { id: 'errors' });
    main.appendChild(errorBox);
    var go = function () { render(main); };
    if (!token()) askToken().then(go);
    else go();
  }

  window.Console = {
    config: config,
    settings: config.settings || {},
    api: api,
    stream: stream,
    poll: poll,
    el: el,
    replace: replace,
    badge: badge,
    num: num,
    ago: ago,
    empty: empty,
    table: table,
    panel: panel,
    chart: chart,
    showError: showError,
    hasAnyRole: hasAnyRole,
    roles: roles,
    ApiError: ApiError,
    start: function (render) {
      if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { start(render); });
      else start(render);
    }
  };
})();
