/* load-balancer-service console: utilization per assistant by group (live from /system/load/stream), the
 * hottest codices, the decentralization tasks by status, and a dry run of a group's rebalance. */
(function () {
  'use strict';
  var C = window.Console, el = C.el;
  var STATUSES = ['pending', 'claimed', 'done', 'failed'];
  var MAY_REBALANCE = ['operator', 'service'];

  C.start(function (main) {
    var metrics = el('div', { 'class': 'cards', id: 'metrics' });
    var live = el('span', { 'class': 'live', id: 'live' }, 'connecting…');
    var groups = C.panel('Utilization per assistant, by group', 'groups');
    var dry = C.panel('Dry run of a rebalance', 'dry-run');
    var hot = C.panel('Hottest codices', 'hottest');
    var tasks = C.panel('Decentralization tasks', 'tasks');
    main.appendChild(el('h1', null, 'Load map ', live));
    main.appendChild(metrics);
    main.appendChild(groups.node);
    main.appendChild(el('div', { 'class': 'grid' }, hot.node, tasks.node));
    main.appendChild(dry.node);

    var charts = {}; // group -> {node, chart, table}
    var groupSelect = el('select', { id: 'dry-run-group', 'aria-label': 'group' });
    var mayRebalance = C.hasAnyRole(MAY_REBALANCE);
    var button = el('button', { id: 'dry-run-button', type: 'button', disabled: !mayRebalance }, 'Dry run');
    var roleNote = el('span', { id: 'dry-run-note', 'class': 'note warn' });
    var planBox = el('div', { id: 'plan' });
    function noteRoles() {
      mayRebalance = C.hasAnyRole(MAY_REBALANCE);
      button.disabled = !mayRebalance;
      roleNote.textContent = mayRebalance ? ''
        : 'Your token (' + (C.roles().join(', ') || 'no roles') + ') may not rebalance: a dry run needs the operator or service role.';
    }
    noteRoles();
    C.replace(dry.body, [el('div', { 'class': 'toolbar' }, el('label', null, 'Group '), groupSelect, button, roleNote),
      el('p', { 'class': 'note' }, 'Shows the plan the balancer would carry out for the group: nothing is applied.'), planBox]);
    button.addEventListener('click', function () {
      var g = groupSelect.value;
      if (!g) return;
      button.disabled = true;
      C.replace(planBox, el('p', { 'class': 'muted' }, 'computing…'));
      C.api('/system/load/rebalance', { method: 'POST', body: { group: g, dry_run: true } })
        .then(function (plan) { C.replace(planBox, planView(plan)); })
        .catch(function (e) {
          C.replace(planBox, el('p', { 'class': 'error', id: 'plan-error' }, e.status === 403
            ? 'Your token may not rebalance (403): a dry run needs the operator or service role.'
            : 'The dry run failed: ' + e.message));
        })
        .then(noteRoles);
    });

    function planView(p) {
      function fig(label, f) {
        return el('tr', null, el('td', null, label), el('td', { 'class': 'num' }, C.num(f.max_utilization, 3)),
          el('td', { 'class': 'num' }, C.num(f.mean_utilization, 3)), el('td', { 'class': 'num' }, C.num(f.imbalance, 3)));
      }
      var moves = p.redistribution || [], ts = p.decentralization_tasks || [], spread = p.ritual_spread || [];
      return el('div', { 'class': 'plan', 'data-plan-id': p.plan_id },
        el('p', null, 'Plan ', el('code', null, p.plan_id), p.applied ? ' (applied)' : ' (dry run: not applied)',
          ' · pressure reduction ' + C.num(p.pressure_reduction * 100, 1) + ' % · moved pressure ' + C.num(p.moved_pressure) +
          ' · computed in ' + C.num(p.computed_in_ms, 1) + ' ms'),
        C.table(['', { label: 'max utilization', cls: 'num' }, { label: 'mean', cls: 'num' }, { label: 'imbalance', cls: 'num' }],
          [fig('before', p.before), fig('after', p.after)], { id: 'plan-figures' }),
        el('h3', null, 'Codex moves (' + moves.length + ')'),
        moves.length ? C.table(['codex', 'from', 'to', { label: 'pressure', cls: 'num' }], moves.map(function (m) {
          return el('tr', { 'class': 'move' }, el('td', null, m.codex_id), el('td', null, m.from_assistant),
            el('td', null, m.to_assistant), el('td', { 'class': 'num' }, C.num(m.pressure)));
        })) : el('p', { 'class': 'muted' }, 'none'),
        el('h3', null, 'Decentralization tasks (' + ts.length + ')'),
        ts.length ? C.table(['codex', 'action', { label: 'shards', cls: 'num' }], ts.map(function (t) {
          return el('tr', { 'class': 'plan-task' }, el('td', null, t.codex_id), el('td', null, t.action), el('td', { 'class': 'num' }, t.shards));
        })) : el('p', { 'class': 'muted' }, 'none'),
        el('h3', null, 'Ritual spread (' + spread.length + ')'),
        spread.length ? C.table(['ritual', 'action', 'from', 'to', 'share / defer'], spread.map(function (r) {
          return el('tr', { 'class': 'spread' }, el('td', null, r.ritual_id), el('td', null, r.action), el('td', null, r.from_assistant),
            el('td', null, r.to_assistant || '–'),
            el('td', null, r.share !== undefined && r.share !== null ? C.num(r.share) : (r.defer_seconds ? r.defer_seconds + ' s' : '–')));
        })) : el('p', { 'class': 'muted' }, 'none'));
    }

    function card(label, value, id) {
      return el('div', { 'class': 'card', id: id }, el('div', { 'class': 'label' }, label), el('div', { 'class': 'value' }, value));
    }

    function groupOption(g, members, maxU) {
      var names = members.map(function (a) { return a.assistant_id; });
      return {
        animation: false,
        grid: { left: 130, right: 50, top: 8, bottom: 28 },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'value', min: 0, max: Math.max(1.2, Math.ceil(maxU * 11) / 10), name: 'utilization', nameLocation: 'middle', nameGap: 20 },
        yAxis: { type: 'category', data: names, inverse: true, axisLabel: { width: 120, overflow: 'truncate' } },
        series: [{
          type: 'bar', barMaxWidth: 16,
          data: members.map(function (a) {
            return { value: Number(a.utilization.toFixed(4)), itemStyle: { color: a.utilization > 1 ? '#c53030' : '#3658d6' } };
          }),
          label: { show: true, position: 'right', formatter: function (p) { return p.value.toFixed(2); } },
          markLine: { symbol: 'none', silent: true, lineStyle: { color: '#c53030', type: 'dashed', width: 2 },
            label: { formatter: '1.0', position: 'end' }, data: [{ xAxis: 1 }] }
        }]
      };
    }

    function renderGroups(view) {
      var byGroup = {};
      view.assistants.forEach(function (a) { (byGroup[a.group] = byGroup[a.group] || []).push(a); });
      var names = view.groups.map(function (g) { return g.group; });
      if (!names.length) {
        Object.keys(charts).forEach(function (g) { charts[g].chart.dispose(); delete charts[g]; });
        C.replace(groups.body, C.empty('The load map is empty. Report assistants, codices and rituals with POST /system/load/pressure.'));
        return;
      }
      if (groups.body.querySelector('.empty')) C.replace(groups.body, []);
      Object.keys(charts).forEach(function (g) {
        if (names.indexOf(g) < 0) { charts[g].chart.dispose(); groups.body.removeChild(charts[g].node); delete charts[g]; }
      });
      view.groups.forEach(function (g) {
        var members = (byGroup[g.group] || []).slice().sort(function (a, b) { return b.utilization - a.utilization; });
        var entry = charts[g.group];
        if (!entry) {
          var head = el('h3');
          var chartNode = el('div', { 'class': 'group-chart' });
          var rows = el('tbody');
          var details = el('details', null, el('summary', { 'class': 'note' }, 'as a table'),
            el('table', null, el('thead', null, el('tr', null, el('th', null, 'assistant'), el('th', { 'class': 'num' }, 'utilization'),
              el('th', { 'class': 'num' }, 'load'), el('th', { 'class': 'num' }, 'effective capacity'), el('th', { 'class': 'num' }, 'entropy'),
              el('th', { 'class': 'num' }, 'codices'))), rows));
          var node = el('div', { 'class': 'group', 'data-group': g.group }, head, el('div', { 'class': 'scroll' }, chartNode), details);
          groups.body.appendChild(node);
          entry = charts[g.group] = { node: node, head: head, chartNode: chartNode, rows: rows, chart: null };
        }
        entry.node.setAttribute('data-max-utilization', g.max_utilization.toFixed(4));
        C.replace(entry.head, [g.group + ' · ' + g.assistants + ' assistants · max ' + C.num(g.max_utilization) +
          ' · mean ' + C.num(g.mean_utilization) + ' · imbalance ' + C.num(g.imbalance)]);
        var height = Math.max(140, 40 + 24 * members.length);
        if (entry.chartNode.style.height !== height + 'px') {
          entry.chartNode.style.height = height + 'px';
          if (entry.chart) entry.chart.resize();
        }
        if (!entry.chart) entry.chart = C.chart(entry.chartNode);
        entry.chart.update(groupOption(g.group, members, g.max_utilization));
        C.replace(entry.rows, members.map(function (a) {
          return el('tr', { 'class': 'assistant', 'data-assistant': a.assistant_id, 'data-utilization': a.utilization.toFixed(4) },
            el('td', null, a.assistant_id), el('td', { 'class': 'num' }, C.num(a.utilization, 3)), el('td', { 'class': 'num' }, C.num(a.load)),
            el('td', { 'class': 'num' }, C.num(a.effective_capacity)), el('td', { 'class': 'num' }, C.num(a.memory_entropy)),
            el('td', { 'class': 'num' }, a.codex_count));
        }));
      });
      var current = groupSelect.value;
      C.replace(groupSelect, names.map(function (n) { return el('option', { value: n, selected: n === current }, n); }));
    }

    var refreshes = 0;
    function refresh() {
      return C.api('/system/load').then(function (view) {
        C.showError(null);
        var m = view.metrics;
        C.replace(metrics, [card('total pressure', C.num(m.total_pressure), 'total-pressure'),
          card('mean utilization', C.num(m.mean_utilization), 'mean-utilization'),
          card('max utilization', C.num(m.max_utilization), 'max-utilization'),
          card('imbalance', C.num(m.imbalance), 'imbalance'), card('lower bound', C.num(m.lower_bound), 'lower-bound')]);
        renderGroups(view);
        var hc = view.hottest_codices || [];
        C.replace(hot.body, hc.length ? el('div', { 'class': 'scroll' }, C.table(['codex', 'owner', { label: 'pressure', cls: 'num' }], hc.map(function (c) {
          return el('tr', { 'class': 'codex' }, el('td', null, c.codex_id), el('td', null, c.assistant_id), el('td', { 'class': 'num' }, C.num(c.pressure)));
        }))) : C.empty('No codices.'));
        refreshes++;
        document.body.setAttribute('data-refreshes', String(refreshes));
      });
    }

    function refreshTasks() {
      return Promise.all(STATUSES.map(function (s) { return C.api('/system/load/tasks?status=' + s + '&limit=20'); })).then(function (r) {
        var total = r.reduce(function (n, x) { return n + x.total; }, 0);
        var counts = el('div', { 'class': 'cards' }, STATUSES.map(function (s, i) {
          return el('div', { 'class': 'card', 'data-task-status': s }, el('div', { 'class': 'label' }, s), el('div', { 'class': 'value' }, r[i].total));
        }));
        var open = r[0].tasks.concat(r[1].tasks, r[3].tasks);
        C.replace(tasks.body, [counts, total === 0 ? C.empty('No decentralization tasks: a codex too heavy to move gets one when a plan is applied.')
          : (open.length ? el('div', { 'class': 'scroll' }, C.table(['status', 'codex', 'action', { label: 'shards', cls: 'num' }], open.map(function (t) {
            return el('tr', { 'class': 'task' }, el('td', null, C.badge(t.status)), el('td', null, t.codex_id), el('td', null, t.action), el('td', { 'class': 'num' }, t.shards));
          }))) : el('p', { 'class': 'muted' }, 'Every task is done.'))]);
      });
    }

    // live: each change of the map is an event on the stream; one refresh per burst of events
    var pending = null;
    function soon() {
      if (pending) return;
      pending = setTimeout(function () {
        pending = null;
        refresh().catch(C.showError);
        refreshTasks().catch(C.showError);
      }, 150);
    }
    C.stream('/system/load/stream', soon, function (up) {
      live.className = 'live ' + (up ? 'on' : 'off');
      live.textContent = up ? 'live' : 'reconnecting…';
      if (up) soon();
    });
    // and a slow poll, for what the stream does not announce (task claims) and in case it drops
    C.poll(function () { return Promise.all([refresh(), refreshTasks()]); }, 10000);
  });
})();
