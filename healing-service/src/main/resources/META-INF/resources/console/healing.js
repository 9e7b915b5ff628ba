/* healing-service console: healing events (escalated first, then active, then recent), storms, silences, repair
   effectiveness per trigger, rules and the brake (README "Healing event lifecycle"). */
(function () {
  'use strict';
  var C = window.Console, el = C.el;

  // escalated events need a person: first; then the active ones; then the rest, newest first
  function rank(e) {
    return e.status === 'escalated' ? 0 : (e.status === 'active' ? 1 : 2);
  }

  function actions(list) {
    if (!list || !list.length) return el('span', { 'class': 'muted' }, 'no repair actions');
    return el('ul', { 'class': 'actions-list' }, list.map(function (a) {
      return el('li', { 'class': 'action', 'data-type': a.type },
        C.badge(a.status), ' ', el('strong', null, a.type),
        a.target ? el('span', { 'class': 'muted' }, ' → ' + a.target) : null,
        ' · ' + a.attempts + (a.attempts === 1 ? ' attempt' : ' attempts'),
        a.reason ? el('span', { 'class': 'reason' }, ' · ' + a.reason) : null,
        a.last_error ? el('div', { 'class': 'reason' }, 'last error: ' + a.last_error) : null);
    }));
  }

  function eventRow(e) {
    var extra = [];
    if (e.effective !== undefined && e.effective !== null) {
      extra.push(el('div', { 'class': e.effective ? 'note' : 'reason' }, e.effective ? 'effective' : 'not effective'));
    }
    if (e.recurrences) extra.push(el('div', { 'class': 'note' }, e.recurrences + ' recurrence(s)'));
    if (e.reason) extra.push(el('div', { 'class': 'reason' }, e.reason));
    return el('tr', { 'class': 'event', 'data-id': e.id, 'data-node': e.node_id, 'data-status': e.status },
      el('td', null, C.badge(e.status), extra),
      el('td', null, el('div', null, e.node_id), el('div', { 'class': 'muted' }, e.assistant_id)),
      el('td', null, e.triggered_by),
      el('td', { 'class': 'num' }, e.occurrences),
      el('td', null, actions(e.repair_actions)),
      el('td', { 'class': 'num delta' }, C.num(e.symbolic_health_delta, 3)),
      el('td', { title: e.created_at }, C.ago(e.created_at), e.resolved_at ? el('div', { 'class': 'muted' }, 'resolved ' + C.ago(e.resolved_at)) : null));
  }

  function matchers(m) {
    m = m || {};
    return ['node_id', 'assistant_id', 'group', 'triggered_by'].filter(function (k) { return m[k]; })
      .map(function (k) { return k + '=' + m[k]; }).join(', ');
  }

  function pct(x) {
    return x === null || x === undefined ? '–' : Math.round(x * 100) + ' %';
  }

  C.start(function (main) {
    var s = C.settings;
    var cards = el('div', { 'class': 'cards', id: 'brake' });
    var events = C.panel('Healing events', 'events');
    var storms = C.panel('Storms (repairs held per group)', 'storms');
    var silences = C.panel('Silences', 'silences');
    var stats = C.panel('Repair effectiveness, last 24 h', 'stats');
    var rules = C.panel('Rules', 'rules');
    main.appendChild(el('h1', null, 'Healing events'));
    main.appendChild(cards);
    main.appendChild(events.node);
    main.appendChild(storms.node);
    main.appendChild(silences.node);
    main.appendChild(stats.node);
    main.appendChild(rules.node);

    function card(label, value, id) {
      return el('div', { 'class': 'card', id: id }, el('div', { 'class': 'label' }, label), el('div', { 'class': 'value' }, value));
    }

    C.poll(function () {
      return Promise.all([
        C.api('/system/health/recovery?status=active&limit=200'),
        C.api('/system/health/recovery?status=all&limit=100'),
        C.api('/system/health/rules'),
        C.api('/system/health/recovery?status=escalated&limit=100'),
        C.api('/system/health/storm'),
        C.api('/system/health/silences'),
        C.api('/system/health/stats?window_seconds=86400')
      ]).then(function (r) {
        C.showError(null);
        var seen = {}, list = [];
        r[3].events.concat(r[0].events, r[1].events).forEach(function (e) {
          if (!seen[e.id]) { seen[e.id] = true; list.push(e); }
        });
        list.sort(function (a, b) {
          return rank(a) - rank(b) || String(b.created_at).localeCompare(String(a.created_at));
        });
        var active = r[0].total;
        var repairing = list.filter(function (e) {
          return (e.repair_actions || []).some(function (a) { return a.status === 'pending'; });
        }).length;
        C.replace(cards, [
          card('active events', active, 'active-count'),
          card('events with repairs pending', repairing, 'pending-count'),
          card('brake: repairs at once', s.max_concurrent_repairs === undefined ? '–' : s.max_concurrent_repairs, 'brake-limit'),
          card('mode', s.dry_run ? 'dry run (no peer is called)' : 'repairing', 'mode')
        ]);
        C.replace(events.body, list.length
          ? el('div', { 'class': 'scroll' }, C.table(['status', 'node / assistant', 'trigger', { label: 'occurrences', cls: 'num' },
              'repair actions', { label: 'health delta', cls: 'num' }, 'opened'], list.map(eventRow), { id: 'events-table' }))
          : C.empty('No healing events yet. Signals that cross a rule\'s threshold open one (POST /system/health/signals).'));
        var st = r[4].storms || [];
        C.replace(storms.body, st.length ? C.table(['group', { label: 'share with active events', cls: 'num' },
          { label: 'actions held', cls: 'num' }, 'since'], st.map(function (x) {
            return el('tr', { 'class': 'storm', 'data-group': x.group }, el('td', null, x.group),
              el('td', { 'class': 'num' }, pct(x.fraction)), el('td', { 'class': 'num' }, x.held),
              el('td', { title: x.started_at }, C.ago(x.started_at)));
          })) : C.empty('No storm: no group has more than its share of assistants with an active event.'));
        var si = r[5].silences || [];
        C.replace(silences.body, si.length ? C.table(['state', 'matches', 'from', 'until', 'comment', 'by'], si.map(function (x) {
            return el('tr', { 'class': 'silence', 'data-id': x.id }, el('td', null, C.badge(x.state)),
              el('td', null, matchers(x.matchers)), el('td', { title: x.starts_at }, x.starts_at),
              el('td', { title: x.ends_at }, x.ends_at), el('td', null, x.comment || ''), el('td', { 'class': 'muted' }, x.created_by || ''));
          })) : C.empty('No silence: firings are repaired as usual (POST /system/health/silences for a maintenance window).'));
        var bt = r[6].by_trigger || {};
        var kinds = Object.keys(bt).filter(function (k) { return bt[k].total > 0; });
        C.replace(stats.body, kinds.length ? C.table(['trigger', { label: 'events', cls: 'num' }, { label: 'effective', cls: 'num' },
          { label: 'not effective', cls: 'num' }, { label: 'verifying', cls: 'num' }, { label: 'effectiveness', cls: 'num' }], kinds.map(function (k) {
            var x = bt[k];
            return el('tr', { 'class': 'trigger-stats', 'data-kind': k }, el('td', null, k), el('td', { 'class': 'num' }, x.total),
              el('td', { 'class': 'num' }, x.effective), el('td', { 'class': 'num' }, x.ineffective),
              el('td', { 'class': 'num' }, x.verifying), el('td', { 'class': 'num' }, pct(x.effectiveness)));
          })) : C.empty('No events in the last 24 h.'));
        var rl = (r[2].rules || []);
        C.replace(rules.body, rl.length ? C.table(['kind', { label: 'threshold', cls: 'num' }, { label: 'window', cls: 'num' },
          { label: 'min occurrences', cls: 'num' }, { label: 'cooldown', cls: 'num' }, { label: 'verify', cls: 'num' },
          { label: 'max ineffective', cls: 'num' }], rl.map(function (x) {
            return el('tr', { 'class': 'rule', 'data-kind': x.kind }, el('td', null, x.kind),
              el('td', { 'class': 'num' }, x.threshold === null || x.threshold === undefined ? '–' : x.threshold),
              el('td', { 'class': 'num' }, x.window_seconds + ' s'), el('td', { 'class': 'num' }, x.min_occurrences),
              el('td', { 'class': 'num' }, x.cooldown_seconds + ' s'), el('td', { 'class': 'num' }, x.verify_seconds + ' s'),
              el('td', { 'class': 'num' }, x.max_ineffective));
          })) : C.empty('No rules.'));
      });
    }, 3000);
  });
})();
