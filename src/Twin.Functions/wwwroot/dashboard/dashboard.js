// Twin Observability dashboard: asks for the admin key once (kept in sessionStorage, sent as X-Api-Key), reads the
// admin JSON routes (dashboard/overview, dashboard/traces/recent, dashboard/alerts/active, metrics/dashboard,
// metrics/quality) and draws them with Chart.js, then keeps the headline numbers, recent traces and alerts current from
// dashboard/stream (Server-Sent Events read with fetch: EventSource cannot send the X-Api-Key header, and the key must
// never go into a URL). Served from /api/dashboard/assets/ under a CSP without inline script;
// every text goes into the page through textContent, never as HTML.
(function () {
  'use strict';

  const KEY_STORAGE = 'twin-dashboard.admin-key';
  const RANGES = {
    '1h': { hours: 1, interval: 'minute' },
    '24h': { hours: 24, interval: 'hour' },
    '7d': { hours: 24 * 7, interval: 'hour' },
    '30d': { hours: 24 * 30, interval: 'day' },
  };
  const COLORS = ['#3b5bdb', '#e8590c', '#2b8a3e', '#ae3ec9', '#1098ad', '#f08c00', '#c2255c'];
  const RED = '#c92a2a';

  // How each headline number is shown, and which way is better (1 higher, -1 lower, 0 neither).
  const HEADLINES = [
    { field: 'requests', title: 'Requests', format: integer, delta: integer, better: 0 },
    { field: 'errors', title: 'Errors', format: integer, delta: integer, better: -1 },
    { field: 'errorRate', title: 'Error rate', format: percent, delta: points, better: -1 },
    { field: 'latencyP50Ms', title: 'Latency p50', format: milliseconds, delta: milliseconds, better: -1 },
    { field: 'latencyP95Ms', title: 'Latency p95', format: milliseconds, delta: milliseconds, better: -1 },
    { field: 'costUsd', title: 'Cost', format: dollars, delta: dollars, better: -1 },
    { field: 'tokens', title: 'Tokens', format: integer, delta: integer, better: 0 },
  ];

  const TRACE_ROWS = 20;
  const RETRY_MIN_MS = 1000;
  const RETRY_MAX_MS = 30000;

  const charts = {};
  let apiKey = null;
  let live = null;
  let twinsLoaded = false;

  const $ = (id) => document.getElementById(id);

  class HttpError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  // --- formatting -------------------------------------------------------------------------------------------------

  function integer(v) { return Math.round(v).toLocaleString('en-US'); }
  function percent(v) { return (v * 100).toFixed(1) + ' %'; }
  function points(v) { return (v * 100).toFixed(1) + ' pp'; }
  function milliseconds(v) { return Math.round(v).toLocaleString('en-US') + ' ms'; }
  function dollars(v) { return '$' + (Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(4)); }
  function score(v) { return v.toFixed(3); }
  function show(value, format) { return value === null || value === undefined ? '—' : format(value); }
  function signed(value, format) { return (value > 0 ? '+' : value < 0 ? '−' : '±') + format(Math.abs(value)); }

  function utc(iso, withSeconds) {
    const d = new Date(iso);
    const pad = (n) => String(n).padStart(2, '0');
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` + (withSeconds ? `:${pad(d.getUTCSeconds())}` : '');
    return `${date} ${time}`;
  }

  function bucketLabel(iso, interval, hours) {
    const full = utc(iso, false);
    if (interval === 'day') return full.slice(0, 10);
    return hours <= 24 ? full.slice(11) : full.slice(5);
  }

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, value);
    }
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // --- API --------------------------------------------------------------------------------------------------------

  async function api(path, params) {
    // Relative to the page (/api/dashboard): "metrics/dashboard" is /api/metrics/dashboard, also behind a gateway.
    const url = apiUrl(path, params);
    const response = await fetch(url, {
      headers: { 'X-Api-Key': apiKey, Accept: 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
    });
    await ensureOk(path, response);
    return response.json();
  }

  function apiUrl(path, params) {
    const url = new URL(path, document.baseURI);
    for (const [name, value] of Object.entries(params || {})) {
      if (value !== null && value !== undefined && value !== '') url.searchParams.set(name, value);
    }
    return url;
  }

  async function ensureOk(path, response) {
    if (response.ok) return;
    let detail = response.statusText;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
    } catch (ignored) { /* not a problem body */ }
    throw new HttpError(response.status, `${path}: ${response.status} ${detail}`);
  }

  function currentQuery() {
    const range = RANGES[$('range').value] || RANGES['24h'];
    const minute = 60 * 1000;
    const to = new Date(Math.ceil(Date.now() / minute) * minute);
    const from = new Date(to.getTime() - range.hours * 3600 * 1000);
    return { from: from.toISOString(), to: to.toISOString(), interval: range.interval, twinId: $('twin').value, hours: range.hours };
  }

  // --- states -----------------------------------------------------------------------------------------------------

  function setState(state) { document.body.dataset.state = state; }

  function askForKey(message) {
    stopLive();
    apiKey = null;
    sessionStorage.removeItem(KEY_STORAGE);
    $('dashboard').hidden = true;
    $('filters').hidden = true;
    $('key-panel').hidden = false;
    const error = $('key-error');
    error.textContent = message || '';
    error.hidden = !message;
    $('key-input').value = '';
    $('key-input').focus();
    setState(message ? 'key-refused' : 'signed-out');
  }

  function refusal(error) {
    if (error.status === 401) return 'The admin key was refused (401 Unauthorized). Check it and enter it again.';
    if (error.status === 403) return 'This key is valid but does not have the admin role (403 Forbidden). Enter an admin key.';
    return null;
  }

  async function load() {
    const query = currentQuery();
    const common = { from: query.from, to: query.to, interval: query.interval, twinId: query.twinId };
    setState('loading');
    $('refresh').disabled = true;
    try {
      const [overview, metrics, quality, traces, alerts] = await Promise.all([
        api('dashboard/overview', common),
        api('metrics/dashboard', common),
        api('metrics/quality', common),
        api('dashboard/traces/recent', { limit: TRACE_ROWS, twinId: query.twinId }),
        api('dashboard/alerts/active'),
      ]);
      sessionStorage.setItem(KEY_STORAGE, apiKey);
      $('key-panel').hidden = true;
      $('key-error').hidden = true;
      $('filters').hidden = false;
      $('dashboard').hidden = false;
      $('load-error').hidden = true;
      renderRange(overview, query);
      renderHeadlines(overview);
      renderCharts(metrics, quality, query);
      renderAlerts(alerts);
      renderTraces(traces);
      setState('ready');
      startLive(query);
      if (!twinsLoaded) loadTwins();
    } catch (error) {
      const refused = refusal(error);
      if (refused) {
        askForKey(refused);
      } else if (!$('dashboard').hidden) {
        $('load-error').textContent = `Could not load the dashboard: ${error.message}`;
        $('load-error').hidden = false;
        setState('error');
      } else {
        $('key-error').textContent = `Could not load the dashboard: ${error.message}`;
        $('key-error').hidden = false;
        setState('error');
      }
    } finally {
      $('refresh').disabled = false;
    }
  }

  async function loadTwins() {
    try {
      const page = await api('manage/twins', { limit: 500 });
      const select = $('twin');
      const chosen = select.value;
      for (const twin of page.items || []) {
        select.append(element('option', { value: twin.id }, twin.name ? `${twin.name} (${twin.id})` : twin.id));
      }
      select.value = chosen;
      twinsLoaded = true;
    } catch (ignored) {
      // The filter then offers all twins only; the dashboard itself has loaded.
    }
  }

  // --- rendering --------------------------------------------------------------------------------------------------

  function renderRange(overview, query) {
    const info = $('range-info');
    info.dataset.from = query.from;
    info.dataset.to = query.to;
    info.dataset.twinId = query.twinId;
    const q = overview.query;
    const p = overview.previousQuery;
    info.textContent = `${utc(q.from)} – ${utc(q.to)} UTC, per ${q.interval}` + (q.twinId ? `, twin ${q.twinId}` : ', all twins') +
      `; previous period ${utc(p.from)} – ${utc(p.to)}.`;
  }

  function headlineCard(id, title, headline, format, delta, better) {
    const card = element('div', { class: 'card', id, 'data-value': headline.value === null ? '' : String(headline.value) });
    card.append(element('h3', {}, title));
    card.append(element('p', { class: 'value' }, show(headline.value, format)));
    let change = 'no previous value';
    let direction = '';
    if (headline.change !== null && headline.change !== undefined) {
      change = signed(headline.change, delta) +
        (headline.changePercent === null || headline.changePercent === undefined ? '' : ` (${headline.changePercent > 0 ? '+' : ''}${headline.changePercent.toFixed(1)} %)`);
      if (better !== 0 && headline.change !== 0) direction = Math.sign(headline.change) === better ? 'better' : 'worse';
    }
    card.append(element('p', { class: `change ${direction}`.trim() }, change));
    card.append(element('p', { class: 'previous' }, `previous: ${show(headline.previous, format)}`));
    return card;
  }

  function renderHeadlines(overview) {
    const cards = [];
    for (const h of HEADLINES) {
      cards.push(headlineCard(`headline-${h.field}`, h.title, overview[h.field], h.format, h.delta, h.better));
    }
    for (const [name, headline] of Object.entries(overview.scores || {})) {
      cards.push(headlineCard(`headline-score-${name}`, `Score: ${name}`, headline, score, score, 1));
    }
    $('headlines').replaceChildren(...cards);
  }

  // Draws "No data in this range" over a chart whose datasets hold no value.
  const emptyMessage = {
    id: 'emptyMessage',
    afterDraw(chart) {
      const hasData = chart.data.datasets.some((d) => d.data.some((v) => v !== null && v !== undefined));
      if (hasData) return;
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.fillStyle = '#667085';
      ctx.font = '13px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText('No data in this range', (chartArea.left + chartArea.right) / 2, (chartArea.top + chartArea.bottom) / 2);
      ctx.restore();
    },
  };

  function draw(id, type, labels, datasets, y) {
    if (charts[id]) charts[id].destroy();
    charts[id] = new window.Chart($(id), {
      type,
      data: { labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        spanGaps: true,
        plugins: { legend: { display: datasets.length > 1, position: 'bottom', labels: { boxWidth: 12 } } },
        scales: {
          x: { ticks: { autoSkip: true, maxTicksLimit: 12, maxRotation: 0 } },
          y: Object.assign({ beginAtZero: true }, y || {}),
        },
      },
      plugins: [emptyMessage],
    });
  }

  function line(label, data, color) {
    return { label, data, borderColor: color, backgroundColor: color, pointRadius: data.length > 60 ? 0 : 2, borderWidth: 2, tension: 0 };
  }

  function bar(label, data, color) {
    return { label, data, backgroundColor: color, borderColor: color };
  }

  function renderCharts(metrics, quality, query) {
    const series = metrics.series || [];
    const labels = series.map((p) => bucketLabel(p.start, metrics.query.interval, query.hours));
    draw('chart-volume', 'bar', labels, [
      bar('Requests', series.map((p) => p.requests), COLORS[0]),
      bar('Errors', series.map((p) => p.errors), RED),
    ]);
    draw('chart-latency', 'line', labels, [
      line('p50', series.map((p) => p.latencyP50), COLORS[0]),
      line('p95', series.map((p) => p.latencyP95), COLORS[1]),
    ]);
    draw('chart-errors', 'line', labels, [
      line('Error rate', series.map((p) => (p.requests > 0 ? p.errorRate * 100 : null)), RED),
    ]);
    const scores = Object.entries(quality.scores || {});
    draw('chart-scores', 'line', labels, scores.map(([name, report], i) =>
      line(name, (report.series || []).map((p) => p.mean), COLORS[(i + 2) % COLORS.length])), { max: 1 });
    draw('chart-cost', 'bar', labels, [bar('Cost USD', series.map((p) => p.costUsd), COLORS[2])]);
  }

  function renderAlerts(alerts) {
    const box = $('alerts');
    const items = alerts.data || [];
    if (items.length === 0) {
      const empty = element('div', { class: 'alerts-empty', id: 'alerts-empty' });
      empty.append(element('p', {}, 'No active alerts.'));
      if (alerts.note) empty.append(element('p', { class: 'muted small' }, alerts.note));
      box.replaceChildren(empty);
      return;
    }
    const list = element('ul', { class: 'alerts' });
    for (const a of items) {
      list.append(element('li', {}, `${a.severity || 'alert'}: ${a.name} — ${a.metric} ${a.value ?? '—'} (threshold ${a.threshold}) since ${utc(a.since)}` + (a.twinId ? `, twin ${a.twinId}` : '')));
    }
    box.replaceChildren(list);
  }

  function traceRow(t) {
    const row = element('tr', { 'data-trace-id': t.traceId, 'data-observation-id': t.observationId });
    row.append(element('td', {}, utc(t.timestamp, true)));
    const trace = element('td');
    if (t.langfuseUrl) {
      const link = element('a', { href: t.langfuseUrl, target: '_blank', rel: 'noopener noreferrer', title: 'Open in Langfuse' });
      link.append(element('code', {}, t.traceId));
      trace.append(link);
    } else {
      trace.append(element('code', {}, t.traceId));
    }
    row.append(trace);
    row.append(element('td', {}, t.twinId));
    row.append(element('td', {}, t.endpoint));
    row.append(element('td', { class: t.status === 'ok' ? 'status-ok' : 'status-error' }, t.status === 'ok' ? 'ok' : `${t.errorType || 'error'} (${t.httpStatus})`));
    row.append(element('td', { class: 'num' }, integer(t.latencyMs)));
    row.append(element('td', {}, t.model || '—'));
    row.append(element('td', { class: 'num' }, integer(t.tokens.total)));
    row.append(element('td', { class: 'num' }, show(t.costUsd, (v) => v.toFixed(6))));
    row.append(element('td', { class: 'scores' }, Object.entries(t.scores || {}).map(([n, v]) => `${n} ${v.toFixed(2)}`).join('\n') || '—'));
    return row;
  }

  function renderTraces(traces) {
    const rows = (traces.data || []).map(traceRow);
    if (rows.length === 0) {
      const empty = element('tr', { class: 'traces-empty' });
      empty.append(element('td', { colspan: '10', class: 'muted' }, 'No chats in the hours read.'));
      rows.push(empty);
    }
    $('traces').tBodies[0].replaceChildren(...rows);
    const s = traces.scanned;
    if (!s) return;
    $('traces-scan').textContent = `Newest ${traces.query.limit} at most; read the ledger from ${utc(s.from)} to ${utc(s.to)} UTC ` +
      `(${s.hours} of at most ${s.maxHours} hours).`;
  }

  // --- live updates -----------------------------------------------------------------------------------------------

  function setLive(state, detail) {
    const badge = $('live');
    badge.dataset.state = state;
    badge.textContent = state === 'on' ? 'Live' : state === 'waiting' ? 'Reconnecting…' : 'Not live';
    badge.title = detail || '';
  }

  function stopLive() {
    if (live) {
      live.stopped = true;
      live.controller.abort();
      live = null;
    }
    setLive('off');
  }

  function startLive(query) {
    stopLive();
    live = { stopped: false, controller: new AbortController(), lastId: null, failures: 0, query };
    runLive(live);
  }

  function pause(ms, signal) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
    });
  }

  // Reads the stream again and again: at the server's retry hint after a stream that ran its course, with a doubling
  // back-off (and jitter, so many tabs do not return together) after a failure; a refused key asks for the key again.
  async function runLive(session) {
    while (!session.stopped) {
      let wait;
      let detail = 'The stream ended; reconnecting.';
      try {
        wait = await readStream(session);
        session.failures = 0;
      } catch (error) {
        if (session.stopped) return;
        const refused = refusal(error);
        if (refused) {
          askForKey(refused);
          return;
        }
        session.failures += 1;
        wait = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** session.failures) * (0.75 + Math.random() / 2);
        detail = `Live updates failed: ${error.message}`;
      }
      if (session.stopped) return;
      setLive('waiting', detail);
      await pause(wait, session.controller.signal);
    }
  }

  // Server-Sent Events as the HTML standard parses them (event, data, id, retry; ':' comments), over fetch so the
  // key travels in a header. Resolves with the retry hint (ms) when the server ends the stream.
  async function readStream(session) {
    const headers = { 'X-Api-Key': apiKey, Accept: 'text/event-stream' };
    if (session.lastId) headers['Last-Event-ID'] = session.lastId;
    const response = await fetch(apiUrl('dashboard/stream', { hours: session.query.hours, twinId: session.query.twinId }), {
      headers,
      cache: 'no-store',
      credentials: 'omit',
      signal: session.controller.signal,
    });
    await ensureOk('dashboard/stream', response);
    setLive('on', 'Receiving live updates.');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let retry = RETRY_MIN_MS;
    let buffer = '';
    let event = { type: 'message', data: [] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return retry;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end).replace(/\r$/, '');
        buffer = buffer.slice(end + 1);
        if (line === '') {
          if (event.data.length > 0 && !session.stopped) onLiveEvent(event.type, JSON.parse(event.data.join('\n')));
          event = { type: 'message', data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event.type = text;
        else if (field === 'data') event.data.push(text);
        else if (field === 'id') session.lastId = text;
        else if (field === 'retry' && /^\d+$/.test(text)) retry = Number(text);
      }
    }
  }

  function onLiveEvent(type, data) {
    if (type === 'snapshot' || type === 'update') {
      if (data.overview) renderHeadlines(data.overview);
      if (type === 'snapshot') {
        renderTraceRows(data.traces || []);
      } else {
        addTraceRows(data.traces || []);
      }
      if (data.alerts) renderAlerts(data.alerts);
      $('live').dataset.updated = data.at;
      setLive('on', `Updated ${utc(data.at, true)} UTC.`);
    }
  }

  function renderTraceRows(traces) {
    renderTraces({ data: traces, scanned: null, query: null });
  }

  // New traces go on top, newest first; a row already shown is not added twice; the table keeps its usual length.
  function addTraceRows(traces) {
    const body = $('traces').tBodies[0];
    for (const t of traces.slice().reverse()) {
      const shown = Array.from(body.rows).some((r) => r.dataset.traceId === t.traceId && r.dataset.observationId === t.observationId);
      if (shown) continue;
      for (const empty of body.querySelectorAll('tr.traces-empty')) empty.remove();
      const row = traceRow(t);
      row.classList.add('fresh');
      body.prepend(row);
    }
    while (body.rows.length > TRACE_ROWS) body.deleteRow(body.rows.length - 1);
  }

  // --- wiring -----------------------------------------------------------------------------------------------------

  function start() {
    if (!window.Chart) {
      $('key-error').textContent = 'Chart.js did not load (dashboard/assets/chart.umd.min.js).';
      $('key-error').hidden = false;
      setState('error');
      return;
    }
    window.Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;

    $('key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const entered = $('key-input').value.trim();
      if (!entered) return;
      apiKey = entered;
      load();
    });
    $('filters').addEventListener('submit', (event) => {
      event.preventDefault();
      load();
    });
    $('range').addEventListener('change', () => load());
    $('twin').addEventListener('change', () => load());
    $('sign-out').addEventListener('click', () => askForKey(null));

    apiKey = sessionStorage.getItem(KEY_STORAGE);
    if (apiKey) {
      load();
    } else {
      askForKey(null);
    }
  }

  start();
})();
