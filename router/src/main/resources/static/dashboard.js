// wafleet dashboard: the fleet table, pools, live events (server-sent events read with fetch, so a bearer token can
// be sent), account lookup with its QR code, a selection tester and, in demo mode, fault injection.
'use strict';

const $ = (selector) => document.querySelector(selector);
const state = { servers: [], history: {}, demo: false };

// A token given as #token=... in the URL is kept for this tab and taken out of the address bar.
(function takeToken() {
  const match = location.hash.match(/token=([^&]+)/);
  if (match) {
    sessionStorage.setItem('wafleet.token', decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname);
  }
  $('#token').value = sessionStorage.getItem('wafleet.token') || '';
  $('#token').addEventListener('change', (e) => sessionStorage.setItem('wafleet.token', e.target.value));
})();

function headers(json) {
  const h = {};
  const token = $('#token').value;
  if (token) h['Authorization'] = 'Bearer ' + token;
  if (json) h['Content-Type'] = 'application/json';
  return h;
}

async function api(method, path, body) {
  const response = await fetch(path, { method, headers: headers(body !== undefined), body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = { detail: text }; }
  return { status: response.status, data };
}

function text(value) {
  return value === null || value === undefined ? '' : String(value);
}

function ms(value) {
  return value === null || value === undefined ? '–' : value.toFixed(1) + ' ms';
}

function element(tag, attributes, children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([key, value]) => {
    if (key === 'text') node.textContent = value;
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value);
  });
  (children || []).forEach((child) => node.appendChild(child));
  return node;
}

function sparkline(windows) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', '120');
  svg.setAttribute('height', '24');
  const points = (windows || []).slice().reverse();
  if (points.length < 1) return svg;
  const max = Math.max(1, ...points.map((w) => w.p99Ms || 0));
  [['p95Ms', '#4a7bd0'], ['p99Ms', '#d0594a']].forEach(([key, colour]) => {
    const line = document.createElementNS(ns, 'polyline');
    const step = points.length > 1 ? 118 / (points.length - 1) : 0;
    line.setAttribute('points', points.map((w, i) => (1 + i * step) + ',' + (23 - 22 * (w[key] || 0) / max)).join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', colour);
    line.setAttribute('stroke-width', '1.5');
    svg.appendChild(line);
  });
  return svg;
}

function renderFleet() {
  const body = $('#fleet tbody');
  body.replaceChildren(...state.servers.map((s) => {
    const utilization = Math.min(1, s.utilization || 0);
    const bar = element('span', { class: 'bar', title: (utilization * 100).toFixed(1) + ' %' }, [element('span')]);
    bar.firstChild.style.width = (utilization * 100).toFixed(1) + '%';
    const m = s.metrics1m || {};
    const fault = element('td', { class: 'demo-only' }, [
      element('button', { 'data-fault': 'down', 'data-server': s.id, text: 'Down' }),
      element('button', { 'data-recover': s.id, text: 'Recover' }),
    ]);
    return element('tr', { 'data-server-id': s.id, 'data-server-name': s.name, 'data-status': s.status }, [
      element('td', { text: s.name, title: s.baseUrl }),
      element('td', { text: s.environment + (s.location ? ' / ' + s.location : '') }),
      element('td', { text: [s.dialect, s.tier && s.tier.toLowerCase(), s.version].filter(Boolean).join(' ') }),
      element('td', {}, [element('span', { class: 'badge status status-' + s.status, text: s.status, title: text(s.reason) })]),
      element('td', {}, [bar, element('span', { text: ' ' + (utilization * 100).toFixed(0) + ' %' })]),
      element('td', { text: s.connectedAccounts + (s.pendingAccounts ? ' +' + s.pendingAccounts : '') + ' / ' + s.capacity }),
      element('td', { text: ms(m.p95Ms) }),
      element('td', { text: ms(m.p99Ms) }),
      element('td', {}, [sparkline(state.history[s.id])]),
      fault,
    ]);
  }));
}

function renderPools() {
  const pools = new Map();
  const add = (key, s) => {
    const pool = pools.get(key) || { servers: 0, healthy: 0, load: 0, capacity: 0 };
    pool.servers += 1;
    pool.healthy += s.status === 'HEALTHY' ? 1 : 0;
    pool.load += s.connectedAccounts + (s.pendingAccounts || 0);
    pool.capacity += s.capacity;
    pools.set(key, pool);
  };
  state.servers.forEach((s) => {
    add(s.environment, s);
    if (s.location) add(s.environment + ' / ' + s.location, s);
  });
  const rows = [...pools.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, p]) => {
    const utilization = p.capacity ? p.load / p.capacity : 0;
    return element('tr', { 'data-pool': key }, [
      element('td', { text: key }),
      element('td', { text: p.servers }),
      element('td', { text: p.healthy, class: p.healthy < p.servers / 2 ? 'badge status-UNHEALTHY' : '' }),
      element('td', { text: p.load + ' / ' + p.capacity }),
      element('td', { text: (utilization * 100).toFixed(1) + ' %' }),
    ]);
  });
  $('#pools tbody').replaceChildren(...rows);
}

function onServers(table) {
  state.servers = table.servers || [];
  const healthy = state.servers.filter((s) => s.status === 'HEALTHY').length;
  $('#summary').textContent = state.servers.length + ' servers, ' + healthy + ' healthy, ' + table.accounts + ' accounts';
  renderFleet();
  renderPools();
}

function onEvent(event) {
  const line = element('li', { class: event.level }, [
    element('span', { text: event.at.substring(11, 19) + ' ' }),
    element('b', { text: event.type + ' ' }),
    element('span', { text: [event.accountId, event.serverId ? serverName(event.serverId) : event.poolId, event.message].filter(Boolean).join(' · ') }),
  ]);
  const list = $('#events');
  list.insertBefore(line, list.firstChild);
  while (list.children.length > 200) list.removeChild(list.lastChild);
  const shown = $('#account-id').value.trim();
  if (event.kind === 'account' && shown && event.accountId === shown) lookUp(shown);
}

function serverName(id) {
  const server = state.servers.find((s) => s.id === id);
  return server ? server.name : id;
}

// Server-sent events over fetch: EventSource cannot send an Authorization header.
async function stream() {
  for (;;) {
    try {
      const response = await fetch('/api/v1/stream', { headers: headers(false) });
      if (response.status === 401 || response.status === 403) {
        // Reads need a token (reader or more): say so, and try again once one is typed in.
        $('#live').textContent = 'needs a token';
        $('#live').classList.remove('on');
        await new Promise((resolve) => setTimeout(resolve, 2000));
        continue;
      }
      if (!response.ok) throw new Error('HTTP ' + response.status);
      $('#live').textContent = 'live';
      $('#live').classList.add('on');
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.substring(0, end);
          buffer = buffer.substring(end + 2);
          let name = 'message';
          let data = '';
          block.split('\n').forEach((l) => {
            if (l.startsWith('event:')) name = l.substring(6).trim();
            else if (l.startsWith('data:')) data += l.substring(5);
          });
          if (!data) continue;
          const parsed = JSON.parse(data);
          if (name === 'servers') onServers(parsed);
          else if (name === 'event') onEvent(parsed);
        }
      }
    } catch (e) {
      // Reconnects below.
    }
    $('#live').textContent = 'offline';
    $('#live').classList.remove('on');
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function loadHistory() {
  for (const s of state.servers) {
    const { status, data } = await api('GET', '/api/v1/servers/' + encodeURIComponent(s.id) + '/metrics?window=1m');
    if (status === 200) state.history[s.id] = data.windows.slice(0, 30);
  }
  renderFleet();
}

function showAccount(status, data) {
  const result = $('#account-result');
  const qr = $('#account-qr');
  if (!data || status >= 400) {
    result.textContent = (data && (data.detail || data.title)) || ('HTTP ' + status);
    result.setAttribute('data-state', 'ERROR');
    qr.hidden = true;
    return;
  }
  if (status === 202) {
    result.textContent = 'request ' + data.requestId + ' posted; waiting for its answer';
    return;
  }
  result.setAttribute('data-state', data.state);
  result.textContent = data.accountId + ': ' + data.state + (data.serverId ? ' on ' + serverName(data.serverId) : '')
      + (data.reason ? ' (' + data.reason + ')' : '');
  if (data.qrCode && data.state === 'QR_REQUIRED') {
    qr.src = data.qrCode;
    qr.hidden = false;
  } else {
    qr.hidden = true;
  }
}

async function lookUp(id) {
  const { status, data } = await api('GET', '/api/v1/accounts/' + encodeURIComponent(id));
  showAccount(status, data);
  showMessages(id);
}

/** The account's latest messages, from the audit. */
async function showMessages(id) {
  const table = $('#account-messages');
  const { status, data } = await api('GET', '/api/v1/accounts/' + encodeURIComponent(id) + '/messages?limit=10');
  const body = table.querySelector('tbody');
  body.replaceChildren();
  if (status !== 200 || data.messages.length === 0) {
    table.hidden = true;
    return;
  }
  for (const m of data.messages) {
    body.append(element('tr', { 'data-status': m.status }, [
      element('td', { text: m.messageId }),
      element('td', { text: text(m.recipient) }),
      element('td', { title: m.reason || '', text: m.status + (m.failure ? ' (' + m.failure + ')' : '') }),
      element('td', { text: m.serverId ? serverName(m.serverId) : '–' }),
      element('td', { text: m.postedAt.substring(11, 19) }),
      element('td', { text: m.msToSent == null ? '–' : m.msToSent + ' ms' }),
    ]));
  }
  table.hidden = false;
}

/** The fleet's messages of the last hour, per server, and its failures by class. */
async function loadMessages() {
  const { status, data } = await api('GET', '/api/v1/messages/summary');
  if (status !== 200) return;
  const body = $('#messages tbody');
  body.replaceChildren();
  for (const s of data.servers) {
    body.append(element('tr', {}, [
      element('td', { text: s.serverId ? serverName(s.serverId) : '(no server)' }),
      element('td', { text: String(s.sentLastMinute) }),
      element('td', { text: String(s.queued) }),
      element('td', { text: String(s.sent) }),
      element('td', { text: String(s.delivered) }),
      element('td', { text: String(s.read) }),
      element('td', { text: String(s.failed) }),
    ]));
  }
  $('#message-failures').textContent = data.failures.length === 0
      ? 'no failures'
      : 'failures: ' + data.failures.map((f) => f.failure + ' ' + f.count).join(' · ');
}

$('#account-form').addEventListener('submit', (e) => {
  e.preventDefault();
  lookUp($('#account-id').value.trim());
});
$('#account-connect').addEventListener('click', async () => {
  const environment = $('#account-environment').value.trim();
  const { status, data } = await api('POST', '/api/v1/accounts/' + encodeURIComponent($('#account-id').value.trim()) + '/connect',
      environment ? { environment } : {});
  showAccount(status, data);
});
$('#account-disconnect').addEventListener('click', async () => {
  const { status, data } = await api('POST', '/api/v1/accounts/' + encodeURIComponent($('#account-id').value.trim()) + '/disconnect', {});
  showAccount(status, data);
});

$('#select-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const query = new URLSearchParams();
  [['environment', '#select-environment'], ['location', '#select-location'], ['tags', '#select-tags'],
    ['minCapacity', '#select-min'], ['algorithm', '#select-algorithm']].forEach(([key, selector]) => {
    const value = $(selector).value.trim();
    if (value) query.set(key, value);
  });
  const { status, data } = await api('GET', '/api/v1/servers/select?' + query);
  $('#select-result').textContent = status === 200
      ? data.name + ' (' + data.status + ', ' + data.freeCapacity + ' free, ' + (data.algorithm || 'sticky') + (data.panic ? ', pool in panic' : '') + ')'
      : (data && data.detail) || ('HTTP ' + status);
});

$('#fleet').addEventListener('click', async (e) => {
  const target = e.target;
  if (target.dataset.fault) {
    await api('POST', '/api/v1/demo/servers/' + encodeURIComponent(target.dataset.server) + '/fault', { mode: target.dataset.fault });
  } else if (target.dataset.recover) {
    await api('POST', '/api/v1/demo/servers/' + encodeURIComponent(target.dataset.recover) + '/recover');
  }
});

(async function start() {
  const { status, data } = await api('GET', '/api/v1/demo');
  if (status === 200 && data.faultInjection) {
    state.demo = true;
    document.body.classList.add('demo');
  }
  stream();
  setTimeout(loadHistory, 1500);
  setInterval(loadHistory, 30000);
  setTimeout(loadMessages, 1000);
  setInterval(loadMessages, 10000);
})();
