/* recovery-daemon-service console: zones by status with divergence and replicas; for the chosen zone the belief
 * path as a line chart with the threshold and epsilon lines, and its latest recovery records with their scripts. */
(function () {
  'use strict';
  var C = window.Console, el = C.el;
  var ORDER = { stalled: 0, diverged: 1, recovering: 2, converged: 3 };
  var ZONE_KEY = 'mythos.console.zone';

  C.start(function (main) {
    var threshold = Number(C.settings.divergence_threshold), epsilon = Number(C.settings.epsilon);
    var counts = el('div', { 'class': 'cards', id: 'zone-counts' });
    var zones = C.panel('Belief zones', 'zones');
    var path = C.panel('Belief path', 'path');
    var records = C.panel('Latest recovery records', 'records');
    var chartNode = el('div', { 'class': 'chart', id: 'path-chart' });
    var pathTitle = el('p', { 'class': 'note', id: 'path-title' });
    main.appendChild(el('h1', null, 'Belief zones'));
    main.appendChild(counts);
    main.appendChild(zones.node);
    main.appendChild(path.node);
    main.appendChild(records.node);
    C.replace(path.body, [pathTitle, chartNode]);
    var chart = null;
    var selected = sessionStorage.getItem(ZONE_KEY);

    function select(zone) {
      selected = zone;
      sessionStorage.setItem(ZONE_KEY, zone);
      Array.prototype.forEach.call(zones.body.querySelectorAll('tr.zone'), function (tr) {
        tr.classList.toggle('selected', tr.getAttribute('data-zone') === zone);
      });
      return refreshZone();
    }

    function refreshZones() {
      return C.api('/system/daemon').then(function (d) {
        C.showError(null);
        var list = d.zones.slice().sort(function (a, b) {
          return (ORDER[a.status] === undefined ? 9 : ORDER[a.status]) - (ORDER[b.status] === undefined ? 9 : ORDER[b.status])
            || b.divergence - a.divergence || a.zone.localeCompare(b.zone);
        });
        var byStatus = {};
        list.forEach(function (z) { byStatus[z.status] = (byStatus[z.status] || 0) + 1; });
        C.replace(counts, ['stalled', 'diverged', 'recovering', 'converged'].map(function (s) {
          return el('div', { 'class': 'card', 'data-zone-status': s }, el('div', { 'class': 'label' }, s), el('div', { 'class': 'value' }, byStatus[s] || 0));
        }));
        if (!list.length) {
          C.replace(zones.body, C.empty('No belief zones yet. Replicas report with POST /system/daemon/zones/{zone}/beliefs.'));
          return;
        }
        if (!selected || !list.some(function (z) { return z.zone === selected; })) selected = list[0].zone;
        C.replace(zones.body, el('div', { 'class': 'scroll' }, C.table(['zone', 'status', { label: 'divergence', cls: 'num' },
          { label: 'replicas', cls: 'num' }, { label: 'stale replicas', cls: 'num' }, { label: 'cycles', cls: 'num' },
          { label: 'last recovery score', cls: 'num' }], list.map(function (z) {
            return el('tr', { 'class': 'zone clickable' + (z.zone === selected ? ' selected' : ''), 'data-zone': z.zone, 'data-status': z.status,
              onclick: function () { select(z.zone).catch(C.showError); } },
              el('td', null, z.zone), el('td', null, C.badge(z.status)), el('td', { 'class': 'num' }, C.num(z.divergence, 3)),
              el('td', { 'class': 'num' }, z.replicas), el('td', { 'class': 'num' + (z.stale_replicas ? ' reason' : '') }, z.stale_replicas),
              el('td', { 'class': 'num' }, z.cycles), el('td', { 'class': 'num' }, C.num(z.last_recovery_score, 3)));
          }), { id: 'zones-table' })));
      });
    }

    function refreshZone() {
      if (!selected) {
        pathTitle.textContent = 'No zone to show.';
        C.replace(records.body, C.empty('No recovery records yet.'));
        return Promise.resolve();
      }
      var zone = selected, enc = encodeURIComponent(zone);
      return Promise.all([C.api('/system/daemon/zones/' + enc), C.api('/system/daemon/zones/' + enc + '/events?limit=5')]).then(function (r) {
        if (zone !== selected) return;
        var z = r[0], pts = z.convergence || [];
        pathTitle.textContent = 'Zone ' + z.zone + ' · ' + z.status + ' · divergence ' + C.num(z.divergence, 3) + ' · ' + pts.length +
          ' points on its path (the divergence after each cycle)';
        path.body.setAttribute('data-zone', z.zone);
        path.body.setAttribute('data-points', String(pts.length));
        if (!chart) chart = C.chart(chartNode);
        var lines = [];
        if (isFinite(threshold)) {
          lines.push({ yAxis: threshold, name: 'threshold', lineStyle: { color: '#c53030' }, label: { formatter: 'threshold ' + threshold } });
        }
        if (isFinite(epsilon)) {
          lines.push({ yAxis: epsilon, name: 'epsilon', lineStyle: { color: '#1f8a4c' }, label: { formatter: 'epsilon ' + epsilon } });
        }
        chart.update({
          animation: false,
          grid: { left: 50, right: 110, top: 30, bottom: 40 },
          tooltip: { trigger: 'axis' },
          xAxis: { type: 'time' },
          yAxis: { type: 'value', min: 0, name: 'divergence' },
          series: [{
            type: 'line', name: 'divergence', showSymbol: pts.length < 60,
            data: pts.map(function (p) { return [p.at, p.divergence]; }),
            markLine: { symbol: 'none', silent: true, lineStyle: { type: 'dashed' }, label: { position: 'end' }, data: lines }
          }]
        });
        var recs = r[1].events || [];
        C.replace(records.body, recs.length ? recs.map(function (rec) {
          var f = rec.detected_failure || {};
          return el('div', { 'class': 'record', 'data-id': rec.id },
            el('h3', null, C.ago(rec.created_at) + ' · divergence ' + C.num(f.zone_divergence, 3) + ' (threshold ' + C.num(f.threshold, 2) +
              ') · recovery score ' + C.num(rec.recovery_score, 3)),
            el('ul', { 'class': 'actions-list' }, (rec.memory_resync_attempts || []).map(function (a) {
              return el('li', null, C.badge(a.status), ' ' + a.assistant_id + ' v' + a.version + ': ' + C.num(a.divergence_before, 3) +
                ' → ' + C.num(a.divergence_after, 3));
            })),
            el('pre', { 'class': 'script' }, rec.assistant_reflection_scripts || '(no corrections)'));
        }) : C.empty('No recovery records for ' + zone + ' yet.'));
      });
    }

    C.poll(function () { return refreshZones().then(refreshZone); }, 4000);
  });
})();
