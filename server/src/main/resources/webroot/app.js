// Tollgate status page: reads /api/summary and draws it. Plain DOM, no framework, no build step.
// Every value from the API is put in the page as text (textContent, setAttribute), never as markup: user names and
// addresses come from attackers.
'use strict';

(function () {
  const REFRESH_MS = 10000;
  const SVG = 'http://www.w3.org/2000/svg';
  const TOKEN_KEY = 'tollgate-token';
  const PAGE_SIZE = 25;

  // What the ban table shows: kept across refreshes.
  const view = {bans: [], sort: 'start', dir: 'desc', page: 0, jail: null, pending: null};

  function el(name, attrs, text) {
    const node = document.createElement(name);
    for (const [key, value] of Object.entries(attrs || {})) {
      node.setAttribute(key, value);
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function svg(name, attrs, text) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attrs || {})) {
      node.setAttribute(key, String(value));
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  // ISO 8601 in UTC, to the second, whatever the browser's locale: 2026-11-21 08:32:07Z.
  function time(iso) {
    if (!iso) {
      return 'never';
    }
    const date = new Date(iso);
    return isNaN(date) ? String(iso) : date.toISOString().slice(0, 19).replace('T', ' ') + 'Z';
  }

  function clockTime(date) {
    return date.toISOString().slice(11, 16);
  }

  function fillRows(table, rows) {
    const body = document.querySelector(table + ' tbody');
    body.replaceChildren(...rows);
  }

  function emptyRow(columns, text) {
    const row = el('tr');
    row.append(el('td', {colspan: String(columns), class: 'muted'}, text));
    return row;
  }

  function showCounts(summary) {
    const pipeline = summary.pipeline || {};
    const firewall = summary.firewall || {};
    const counts = [
      ['bans in force', summary.bans.length],
      ['lines read', pipeline.lines_read],
      ['security events', pipeline.security_events],
      ['firewall failures', firewall.failed],
      ['jail queue', (pipeline.queue_depths || {}).jails],
    ];
    document.getElementById('counts').replaceChildren(...counts.map(([label, value]) => {
      const box = el('div', {class: 'count'});
      box.append(el('strong', {}, value === undefined ? '-' : value), el('span', {}, label));
      return box;
    }));
  }

  function showBans(bans) {
    view.bans = bans;
    document.getElementById('ban-count').textContent = '(' + bans.length + ')';
    showJailCounts();
    drawBans();
  }

  // Bans per jail, as buttons that show only that jail's bans.
  function showJailCounts() {
    const perJail = new Map();
    view.bans.forEach((ban) => perJail.set(ban.jail, (perJail.get(ban.jail) || 0) + 1));
    if (view.jail !== null && !perJail.has(view.jail)) {
      view.jail = null;
    }
    const chip = (jail, label) => {
      const button = el('button', {type: 'button', class: 'jail', 'aria-pressed': String(view.jail === jail)}, label);
      if (jail !== null) {
        button.setAttribute('data-jail', jail);
      }
      button.addEventListener('click', () => {
        view.jail = jail;
        view.page = 0;
        showJailCounts();
        drawBans();
      });
      return button;
    };
    const chips = [chip(null, 'all jails ' + view.bans.length)];
    [...perJail.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .forEach(([jail, count]) => chips.push(chip(jail, jail + ' ' + count)));
    document.getElementById('jail-counts').replaceChildren(...chips);
  }

  function compareBans(a, b) {
    const key = view.sort;
    let left = a[key];
    let right = b[key];
    if (key === 'end') {
      // A permanent ban ends last.
      left = left || '9999';
      right = right || '9999';
    }
    const order = String(left).localeCompare(String(right), 'en', {numeric: true});
    return view.dir === 'asc' ? order : -order;
  }

  function drawBans() {
    const shown = view.bans.filter((ban) => view.jail === null || ban.jail === view.jail).sort(compareBans);
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    view.page = Math.min(view.page, pages - 1);
    const first = view.page * PAGE_SIZE;
    const page = shown.slice(first, first + PAGE_SIZE);
    document.querySelectorAll('#bans th button.sort').forEach((button) => {
      if (button.getAttribute('data-sort') === view.sort) {
        button.setAttribute('data-dir', view.dir);
      } else {
        button.removeAttribute('data-dir');
      }
    });
    document.getElementById('page-info').textContent = shown.length === 0 ? ''
        : (first + 1) + '\u2013' + (first + page.length) + ' of ' + shown.length;
    document.getElementById('previous-page').disabled = view.page === 0;
    document.getElementById('next-page').disabled = view.page >= pages - 1;
    fillRows('#bans', page.length === 0 ? [emptyRow(6, 'No bans in force.')] : page.map((ban) => {
      const row = el('tr', {class: 'ban'});
      row.append(el('td', {class: 'address'}, ban.ip), el('td', {}, ban.jail),
          el('td', {class: 'time'}, time(ban.start)), el('td', {class: 'time'}, ban.end ? time(ban.end) : 'permanent'));
      const actions = el('td');
      (ban.actions || []).forEach((action, i) => {
        if (i > 0) {
          actions.append(document.createTextNode(', '));
        }
        const state = el('span', {class: 'state-' + action.state}, action.action + ': ' + action.state);
        if (action.last_error) {
          state.setAttribute('title', action.last_error);
        }
        actions.append(state);
      });
      const confirming = view.pending === ban.ip;
      const unban = el('button', {type: 'button', class: 'unban' + (confirming ? ' confirm' : ''), 'data-ip': ban.ip},
          confirming ? 'Confirm unban' : 'Unban');
      unban.addEventListener('click', () => askUnban(ban.ip));
      const cell = el('td');
      cell.append(unban);
      row.append(actions, cell);
      return row;
    }));
  }

  // Lifting a ban takes two clicks (Unban, then Confirm unban) and the token; it goes through DELETE /api/bans/{ip},
  // which lifts the address's bans in every jail.
  async function askUnban(ip) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) {
      view.pending = ip;
      document.getElementById('token-why').textContent = 'Lifting a ban needs the API token (the content of '
          + 'api.token_file):';
      document.getElementById('token-form').hidden = false;
      drawBans();
      return;
    }
    if (view.pending !== ip) {
      view.pending = ip;
      drawBans();
      return;
    }
    view.pending = null;
    let response;
    try {
      response = await fetch('/api/bans/' + encodeURIComponent(ip),
          {method: 'DELETE', headers: {'Authorization': 'Bearer ' + token, 'Accept': 'application/json'}});
    } catch (e) {
      showError('The service does not answer: ' + e.message);
      return;
    }
    let body = {};
    try {
      body = await response.json();
    } catch (e) {
      // not JSON: the status says enough
    }
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      document.getElementById('token-form').hidden = false;
      showError('The token was not accepted.');
      return;
    }
    if (!response.ok) {
      showError('Unban of ' + ip + ' refused: ' + (body.error || 'HTTP ' + response.status));
      return;
    }
    const jails = (body.unbanned || []).map((ban) => ban.jail).join(', ');
    const notice = document.getElementById('notice');
    notice.textContent = ip + ' unbanned' + (jails ? ' in ' + jails : '') + '.';
    notice.hidden = false;
    refresh();
  }

  function showTop(table, entries, key, cssClass, empty) {
    fillRows(table, entries.length === 0 ? [emptyRow(2, empty)] : entries.map((entry) => {
      const row = el('tr');
      row.append(el('td', {class: cssClass}, entry[key]), el('td', {class: 'num'}, entry.count));
      return row;
    }));
  }

  // The cluster's members as this node sees them (the section stays hidden without a cluster).
  function showCluster(cluster) {
    document.getElementById('cluster').hidden = !cluster;
    if (!cluster) {
      return;
    }
    document.getElementById('cluster-name').textContent = cluster.name;
    document.getElementById('cluster-counts').textContent = cluster.size + ' nodes; ' + cluster.bans_shared
        + ' bans shared, ' + cluster.bans_received + ' received';
    fillRows('#cluster-members', (cluster.members || []).map((member) => {
      const row = el('tr');
      row.append(el('td', {class: 'address'}, member.address), el('td', {}, member.hostname || '-'),
          el('td', member.state === 'late' || member.state === 'unreachable' ? {class: 'error'} : {}, member.state),
          el('td', {}, member.last_contact ? time(member.last_contact) : 'never'));
      return row;
    }));
  }

  // Attacks per minute as an inline SVG line chart: one point per minute, oldest on the left.
  function showChart(series) {
    const counts = series.counts || [];
    const width = 720;
    const height = 200;
    const left = 40;
    const right = 10;
    const top = 10;
    const bottom = 24;
    const max = Math.max(1, ...counts);
    const stepX = counts.length > 1 ? (width - left - right) / (counts.length - 1) : 0;
    const x = (i) => left + i * stepX;
    const y = (count) => top + (height - top - bottom) * (1 - count / max);
    const start = new Date(series.start);

    const chart = svg('svg', {viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': 'Security events per minute over the last hour', id: 'attacks-chart'});
    chart.append(svg('line', {class: 'axis', x1: left, y1: y(0), x2: width - right, y2: y(0)}));
    chart.append(svg('line', {class: 'axis', x1: left, y1: top, x2: left, y2: y(0)}));
    chart.append(svg('text', {x: left - 6, y: top + 4, 'text-anchor': 'end'}, max));
    chart.append(svg('text', {x: left - 6, y: y(0) + 4, 'text-anchor': 'end'}, 0));
    if (!isNaN(start)) {
      chart.append(svg('text', {x: left, y: height - 6}, clockTime(start)));
      const last = new Date(start.getTime() + (counts.length - 1) * 60000);
      chart.append(svg('text', {x: width - right, y: height - 6, 'text-anchor': 'end'}, clockTime(last)));
    }
    const points = counts.map((count, i) => x(i).toFixed(1) + ',' + y(count).toFixed(1)).join(' ');
    chart.append(svg('polyline', {class: 'line', id: 'attacks-line', points: points}));
    counts.forEach((count, i) => {
      if (count > 0) {
        const point = svg('circle', {class: 'point', cx: x(i).toFixed(1), cy: y(count).toFixed(1), r: 3,
          'data-count': count});
        const minute = isNaN(start) ? '' : clockTime(new Date(start.getTime() + i * 60000)) + ': ';
        point.append(svg('title', {}, minute + count + (count === 1 ? ' event' : ' events')));
        chart.append(point);
      }
    });
    document.getElementById('chart').replaceChildren(chart);
  }

  function showError(message) {
    const error = document.getElementById('error');
    error.textContent = message;
    error.hidden = !message;
  }

  async function refresh() {
    const headers = {'Accept': 'application/json'};
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) {
      headers['Authorization'] = 'Bearer ' + token;
    }
    let response;
    try {
      response = await fetch('/api/summary', {headers: headers, cache: 'no-store'});
    } catch (e) {
      showError('The service does not answer: ' + e.message);
      return;
    }
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      document.getElementById('token-form').hidden = false;
      showError(token ? 'The token was not accepted.' : '');
      return;
    }
    if (!response.ok) {
      let message = 'HTTP ' + response.status;
      try {
        message = (await response.json()).error || message;
      } catch (e) {
        // not JSON: keep the status
      }
      showError(message);
      return;
    }
    const summary = await response.json();
    document.getElementById('token-form').hidden = true;
    // What keeps the service from protecting fully (a store that fails, a log directory that does not exist).
    showError((summary.problems || []).map((problem) => 'Problem: ' + problem).join('\n'));
    document.getElementById('updated').textContent = 'updated ' + time(summary.time);
    showCounts(summary);
    showChart(summary.attacks_per_minute || {counts: []});
    showBans(summary.bans || []);
    showTop('#top-sources', summary.top_sources || [], 'ip', 'address', 'No attacks seen yet.');
    showTop('#top-countries', (summary.top_countries || []).map((entry) => ({
      label: entry.name ? entry.country + ' ' + entry.name : entry.country, count: entry.count})),
    'label', 'country', 'No country known yet (enrich.geoip).');
    showTop('#top-networks', summary.top_networks || [], 'network', 'network', 'No attacks seen yet.');
    showTop('#top-users', summary.top_users || [], 'name', 'user', 'No user names seen yet.');
    showCluster(summary.cluster);
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = document.getElementById('token').value.trim();
      if (value) {
        sessionStorage.setItem(TOKEN_KEY, value);
      }
      document.getElementById('token').value = '';
      if (view.pending && value) {
        // The token was asked for to lift a ban: the next click confirms it.
        drawBans();
      }
      refresh();
    });
    document.querySelectorAll('#bans th button.sort').forEach((button) => {
      button.addEventListener('click', () => {
        const key = button.getAttribute('data-sort');
        view.dir = view.sort === key && view.dir === 'desc' ? 'asc' : key === view.sort ? 'desc'
            : (key === 'start' || key === 'end' ? 'desc' : 'asc');
        view.sort = key;
        view.page = 0;
        drawBans();
      });
    });
    document.getElementById('previous-page').addEventListener('click', () => {
      view.page = Math.max(0, view.page - 1);
      drawBans();
    });
    document.getElementById('next-page').addEventListener('click', () => {
      view.page += 1;
      drawBans();
    });
    refresh();
    setInterval(refresh, REFRESH_MS);
  });
})();
