// Tests for src/Twin.Functions/wwwroot/twin-chat.js: `node --test tests/widget/`.
// Most run against a stub server on 127.0.0.1 that records what the client sends;
// the last one runs against a real app when TWIN_BASE_URL is set (see README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const require = createRequire(import.meta.url);
const clientPath = new URL('../../src/Twin.Functions/wwwroot/twin-chat.js', import.meta.url);
const TwinChat = require(clientPath.pathname);
const { createClient, TwinChatError, newTraceparent, isValidTraceparent, VISITOR_ID_STORAGE_KEY } = TwinChat;

const HEX32 = /^[0-9a-f]{32}$/;

// ------------------------------------------------------------------ stub server

/** The chat service's default answer: continues the caller's trace, keeps or starts a conversation. */
function chatAnswer(req, body) {
  const traceId = isValidTraceparent(req.headers.traceparent) ? req.headers.traceparent.split('-')[1] : 'f'.repeat(32);
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json', 'X-Trace-Id': traceId },
    body: {
      traceId,
      conversationId: body.conversationId ?? `conv-${Math.random().toString(16).slice(2)}`,
      reply: `echo: ${body.message}`,
      model: 'twin-offline',
      usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
      costUsd: 0,
      latencyMs: 1
    }
  };
}

/**
 * Starts a stub on 127.0.0.1:0. `respond(req, body)` returns {status, headers, body};
 * every request is recorded as {method, url, headers, body}.
 */
async function startStub(t, respond = chatAnswer) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : null;
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      const answer = respond(req, body);
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return { baseUrl: `http://127.0.0.1:${server.address().port}`, requests };
}

function problem(status, fields, extraHeaders = {}) {
  return () => ({
    status,
    headers: { 'Content-Type': 'application/problem+json', 'X-Trace-Id': 'a'.repeat(32), ...extraHeaders },
    body: { type: 'about:blank', status, ...fields }
  });
}

/** A Storage-like map, as localStorage would be. */
function memoryStorage() {
  const map = new Map();
  return { getItem: (k) => (map.has(k) ? map.get(k) : null), setItem: (k, v) => map.set(k, String(v)), map };
}

// ------------------------------------------------------------------ trace ids

test('newTraceparent makes valid, sampled, unique W3C trace contexts', () => {
  const seen = new Set();
  for (let i = 0; i < 500; i++) {
    const { traceparent, traceId, spanId } = newTraceparent();
    assert.match(traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.equal(traceparent, `00-${traceId}-${spanId}-01`);
    assert.ok(isValidTraceparent(traceparent));
    assert.ok(!seen.has(traceId), 'trace ids repeat');
    seen.add(traceId);
  }
});

test('isValidTraceparent follows W3C Trace Context', () => {
  const id = '4bf92f3577b34da6a3ce929d0e0e4736', span = '00f067aa0ba902b7';
  assert.ok(isValidTraceparent(`00-${id}-${span}-01`));
  assert.ok(isValidTraceparent(`00-${id}-${span}-00`));
  assert.ok(isValidTraceparent(`01-${id}-${span}-01-future`), 'higher versions may append fields');
  for (const bad of [
    `00-${'0'.repeat(32)}-${span}-01`, // all-zero trace id
    `00-${id}-${'0'.repeat(16)}-01`, // all-zero span id
    `00-${id.toUpperCase()}-${span}-01`, // upper case
    `ff-${id}-${span}-01`, // forbidden version
    `00-${id}-${span}-01-extra`, // version 00 has exactly four fields
    `00-${id.slice(1)}-${span}-01`,
    '', null, undefined, 42
  ]) {
    assert.equal(isValidTraceparent(bad), false, String(bad));
  }
});

// ------------------------------------------------------------------ modes: path, headers, body

test('widget mode posts message and a stable visitorId to /api/chat-widget/{twinId}', async (t) => {
  const stub = await startStub(t);
  const storage = memoryStorage();
  const client = createClient({ baseUrl: stub.baseUrl, twinId: 'demo', mode: 'widget', storage });
  const result = await client.send('Hello');

  const [req] = stub.requests;
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/api/chat-widget/demo');
  assert.match(req.headers['content-type'], /^application\/json/);
  assert.ok(isValidTraceparent(req.headers.traceparent));
  assert.equal(req.headers.authorization, undefined);
  assert.equal(req.headers['x-api-key'], undefined);
  assert.deepEqual(Object.keys(req.body).sort(), ['message', 'visitorId']);
  assert.equal(req.body.message, 'Hello');
  assert.match(req.body.visitorId, HEX32);
  assert.equal(client.visitorId, req.body.visitorId);
  assert.equal(result.reply, 'echo: Hello');

  // Stable per browser: stored under the documented key and reused by the next page load.
  assert.equal(storage.getItem(VISITOR_ID_STORAGE_KEY), req.body.visitorId);
  const again = createClient({ baseUrl: stub.baseUrl, twinId: 'demo', storage });
  assert.equal(again.mode, 'widget', 'widget is the default mode');
  await again.send('Hi again');
  assert.equal(stub.requests[1].body.visitorId, req.body.visitorId);
});

test('widget visitorId: explicit option wins; without usable storage it is random per client', async (t) => {
  const stub = await startStub(t);
  const explicit = createClient({ baseUrl: stub.baseUrl, twinId: 'demo', visitorId: 'visitor-7', storage: memoryStorage() });
  await explicit.send('a');
  assert.equal(stub.requests[0].body.visitorId, 'visitor-7');

  const a = createClient({ baseUrl: stub.baseUrl, twinId: 'demo', storage: null });
  const b = createClient({ baseUrl: stub.baseUrl, twinId: 'demo', storage: null });
  assert.match(a.visitorId, HEX32);
  assert.notEqual(a.visitorId, b.visitorId);

  // Blocked storage (sandboxed iframe, private mode) throws on access: the client still works.
  const throwing = { getItem() { throw new Error('SecurityError'); }, setItem() { throw new Error('SecurityError'); } };
  const c = createClient({ baseUrl: stub.baseUrl, twinId: 'demo', storage: throwing });
  await c.send('b');
  assert.equal(stub.requests[1].body.visitorId, c.visitorId);
  assert.match(c.visitorId, HEX32);
});

test('user mode with apiKey sends X-Api-Key to /api/chat/{twinId}, no visitorId', async (t) => {
  const stub = await startStub(t);
  const client = createClient({ baseUrl: stub.baseUrl + '/', twinId: 'demo', mode: 'user', apiKey: 'user-key-1' });
  await client.send('Hello', { metadata: { page: '/pricing' } });
  const [req] = stub.requests;
  assert.equal(req.url, '/api/chat/demo');
  assert.equal(req.headers['x-api-key'], 'user-key-1');
  assert.equal(req.headers.authorization, undefined);
  assert.deepEqual(req.body, { message: 'Hello', metadata: { page: '/pricing' } });
  assert.equal(client.visitorId, null);
});

test('user mode with getAccessToken sends a Bearer token, fetched for every message', async (t) => {
  const stub = await startStub(t);
  let calls = 0;
  const client = createClient({
    baseUrl: stub.baseUrl, twinId: 'demo', mode: 'user',
    getAccessToken: async () => `jwt-${++calls}`
  });
  await client.send('one');
  await client.send('two');
  assert.equal(stub.requests[0].headers.authorization, 'Bearer jwt-1');
  assert.equal(stub.requests[1].headers.authorization, 'Bearer jwt-2');
  assert.equal(stub.requests[0].headers['x-api-key'], undefined);

  const sync = createClient({ baseUrl: stub.baseUrl, twinId: 'demo', mode: 'user', getAccessToken: () => 'plain' });
  await sync.send('three');
  assert.equal(stub.requests[2].headers.authorization, 'Bearer plain');

  const empty = createClient({ baseUrl: stub.baseUrl, twinId: 'demo', mode: 'user', getAccessToken: () => '' });
  await assert.rejects(empty.send('four'), { name: 'TypeError', message: /getAccessToken returned no token/ });
  assert.equal(stub.requests.length, 3, 'nothing is sent without a token');
});

test('public mode puts the share token in the path; path segments are URL-encoded', async (t) => {
  const stub = await startStub(t);
  const client = createClient({ baseUrl: stub.baseUrl, twinId: 'ada lovelace/1', mode: 'public', shareToken: 'tok+en/?#' });
  await client.send('Hello');
  const [req] = stub.requests;
  assert.equal(req.url, '/api/public/chat/ada%20lovelace%2F1/tok%2Ben%2F%3F%23');
  assert.equal(client.url, `${stub.baseUrl}${req.url}`);
  assert.equal(req.headers.authorization, undefined);
  assert.equal(req.headers['x-api-key'], undefined);
  assert.deepEqual(req.body, { message: 'Hello' });

  const user = createClient({ baseUrl: stub.baseUrl, twinId: 'a/b?c', mode: 'user', apiKey: 'k' });
  await user.send('x');
  assert.equal(stub.requests[1].url, '/api/chat/a%2Fb%3Fc');
});

test('baseUrl keeps its path (app behind a gateway prefix)', async (t) => {
  const stub = await startStub(t);
  const client = createClient({ baseUrl: `${stub.baseUrl}/twins/`, twinId: 'demo' });
  await client.send('x');
  assert.equal(stub.requests[0].url, '/twins/api/chat-widget/demo');
});

// ------------------------------------------------------------------ trace propagation

test('each message gets a new traceparent; the echoed X-Trace-Id equals the generated id', async (t) => {
  const stub = await startStub(t);
  const traces = [];
  const client = createClient({ baseUrl: stub.baseUrl, twinId: 'demo', mode: 'user', apiKey: 'k', onTrace: (i) => traces.push(i) });
  const results = [];
  for (const m of ['one', 'two', 'three']) results.push(await client.send(m));

  const sent = stub.requests.map((r) => r.headers.traceparent);
  assert.equal(new Set(sent).size, 3, 'traceparent repeats across messages');
  assert.equal(new Set(sent.map((s) => s.split('-')[1])).size, 3, 'trace id repeats across messages');
  sent.forEach((tp, i) => {
    assert.ok(isValidTraceparent(tp), tp);
    assert.match(tp, /-01$/, 'sampled');
    const generated = tp.split('-')[1];
    assert.equal(results[i].traceId, generated);
    assert.equal(traces[i].traceId, generated);
    assert.equal(traces[i].traceparent, tp);
    assert.equal(traces[i].status, 200);
    assert.ok(Number.isFinite(traces[i].durationMs) && traces[i].durationMs >= 0);
  });
  assert.equal(client.lastTraceId, results[2].traceId);
});

test('the trace id the server returns wins: header, else body, else the generated one', async (t) => {
  let mode = 'new-trace';
  const stub = await startStub(t, (req, body) => {
    const answer = chatAnswer(req, body);
    if (mode === 'new-trace') answer.headers['X-Trace-Id'] = answer.body.traceId = 'b'.repeat(32);
    if (mode === 'body-only') { delete answer.headers['X-Trace-Id']; answer.body.traceId = 'c'.repeat(32); }
    if (mode === 'none') { delete answer.headers['X-Trace-Id']; delete answer.body.traceId; }
    return answer;
  });
  const client = createClient({ baseUrl: stub.baseUrl, twinId: 'demo' });

  assert.equal((await client.send('x')).traceId, 'b'.repeat(32), 'server started its own trace');
  mode = 'body-only'; // e.g. a cross-origin page where X-Trace-Id is not exposed
  assert.equal((await client.send('x')).traceId, 'c'.repeat(32));
  mode = 'none';
  const r = await client.send('x');
  assert.equal(r.traceId, stub.requests[2].headers.traceparent.split('-')[1]);
  assert.equal(client.lastTraceId, r.traceId);
});

// ------------------------------------------------------------------ conversations

test('the conversation id from the server is carried to the next message', async (t) => {
  const stub = await startStub(t);
  const client = createClient({ baseUrl: stub.baseUrl, twinId: 'demo' });
  assert.equal(client.conversationId, null);

  const first = await client.send('one');
  assert.equal(stub.requests[0].body.conversationId, undefined, 'first message starts a conversation');
  assert.ok(first.conversationId);
  assert.equal(client.conversationId, first.conversationId);

  const second = await client.send('two');
  assert.equal(stub.requests[1].body.conversationId, first.conversationId);
  assert.equal(second.conversationId, first.conversationId);

  await client.send('three', { conversationId: 'other-conv' });
  assert.equal(stub.requests[2].body.conversationId, 'other-conv', 'an explicit id wins');
  assert.equal(client.conversationId, 'other-conv', 'and the server answer becomes the current one');

  await client.send('four', { conversationId: null });
  assert.equal(stub.requests[3].body.conversationId, undefined, 'null starts a new conversation');

  client.reset();
  assert.equal(client.conversationId, null);
  await client.send('five');
  assert.equal(stub.requests[4].body.conversationId, undefined, 'reset starts a new conversation');
});

// ------------------------------------------------------------------ errors

test('problem+json becomes a TwinChatError with its fields, and onTrace still runs', async (t) => {
  const stub = await startStub(t, problem(400, {
    title: 'Validation failed', detail: 'message is too long', errors: { message: ['At most 4000 characters.'] }, traceId: 'a'.repeat(32)
  }));
  const traces = [];
  const client = createClient({ baseUrl: stub.baseUrl, twinId: 'demo', onTrace: (i) => traces.push(i) });
  const err = await client.send('x').catch((e) => e);

  assert.ok(err instanceof TwinChatError);
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'TwinChatError');
  assert.equal(err.status, 400);
  assert.equal(err.title, 'Validation failed');
  assert.equal(err.detail, 'message is too long');
  assert.equal(err.message, 'message is too long');
  assert.equal(err.type, 'about:blank');
  assert.deepEqual(err.errors, { message: ['At most 4000 characters.'] });
  assert.equal(err.traceId, 'a'.repeat(32));
  assert.equal(err.retryAfterSeconds, null);
  assert.equal(err.problem.status, 400);
  assert.equal(client.lastTraceId, 'a'.repeat(32));
  assert.deepEqual(traces.map((i) => [i.status, i.traceId, i.traceparent]), [[400, 'a'.repeat(32), stub.requests[0].headers.traceparent]]);
  assert.equal(client.conversationId, null);
});

test('429 carries Retry-After as seconds (delta or HTTP date)', async (t) => {
  let retryAfter = '17';
  const stub = await startStub(t, (req, body) => problem(429, { title: 'Too Many Requests', detail: 'Slow down.' }, { 'Retry-After': retryAfter })(req, body));
  const client = createClient({ baseUrl: stub.baseUrl, twinId: 'demo' });

  let err = await client.send('x').catch((e) => e);
  assert.equal(err.status, 429);
  assert.equal(err.retryAfterSeconds, 17);
  assert.equal(err.title, 'Too Many Requests');

  retryAfter = new Date(Date.now() + 120_000).toUTCString();
  err = await client.send('x').catch((e) => e);
  assert.ok(err.retryAfterSeconds > 100 && err.retryAfterSeconds <= 121, String(err.retryAfterSeconds));

  retryAfter = 'soon';
  err = await client.send('x').catch((e) => e);
  assert.equal(err.retryAfterSeconds, null);
});

test('an error without a problem body uses the status text and the sent trace id', async (t) => {
  const stub = await startStub(t, () => ({ status: 502, headers: { 'Content-Type': 'text/html' }, body: '<h1>Bad gateway</h1>' }));
  const client = createClient({ baseUrl: stub.baseUrl, twinId: 'demo' });
  const err = await client.send('x').catch((e) => e);
  assert.ok(err instanceof TwinChatError);
  assert.equal(err.status, 502);
  assert.equal(err.title, 'Bad Gateway');
  assert.equal(err.detail, null);
  assert.equal(err.problem, null);
  assert.equal(err.traceId, stub.requests[0].headers.traceparent.split('-')[1]);
});

test('a 2xx that is not a JSON object is an error, not a reply', async (t) => {
  const stub = await startStub(t, () => ({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'ok' }));
  const client = createClient({ baseUrl: stub.baseUrl, twinId: 'demo' });
  await assert.rejects(client.send('x'), (e) => e instanceof TwinChatError && e.status === 200 && e.title === 'Invalid response');
});

test('a network failure (closed port) is TwinChatError status 0 with the trace id that was sent', async () => {
  const closed = http.createServer();
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = closed.address().port;
  await new Promise((resolve) => closed.close(resolve));

  const traces = [];
  const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, twinId: 'demo', onTrace: (i) => traces.push(i) });
  const err = await client.send('x').catch((e) => e);
  assert.ok(err instanceof TwinChatError);
  assert.equal(err.status, 0);
  assert.equal(err.aborted, false);
  assert.equal(traces.length, 1);
  assert.equal(traces[0].status, 0);
  assert.equal(err.traceId, traces[0].traceparent.split('-')[1]);
  assert.equal(client.lastTraceId, err.traceId);
  assert.ok(err.cause, 'the underlying error is kept');
});

test('aborting through the signal is TwinChatError status 0 with aborted=true', async (t) => {
  const stub = await startStub(t);
  const client = createClient({ baseUrl: stub.baseUrl, twinId: 'demo' });
  const controller = new AbortController();
  controller.abort();
  const err = await client.send('x', { signal: controller.signal }).catch((e) => e);
  assert.ok(err instanceof TwinChatError);
  assert.equal(err.status, 0);
  assert.equal(err.aborted, true);
  assert.match(err.traceId, HEX32);
});

test('a throwing onTrace callback does not fail the chat', async (t) => {
  const stub = await startStub(t);
  const reported = [];
  const originalError = console.error;
  console.error = (...args) => reported.push(args);
  t.after(() => { console.error = originalError; });
  const client = createClient({ baseUrl: stub.baseUrl, twinId: 'demo', onTrace: () => { throw new Error('boom'); } });
  const r = await client.send('x');
  assert.equal(r.reply, 'echo: x');
  assert.equal(reported.length, 1, 'the callback error is reported, not swallowed silently');
});

// ------------------------------------------------------------------ validation

test('createClient validates its options with clear TypeErrors', () => {
  const ok = { baseUrl: 'http://127.0.0.1:1', twinId: 'demo' };
  const cases = [
    [undefined, /options object is required/],
    [{ twinId: 'demo' }, /baseUrl is required/],
    [{ ...ok, baseUrl: '  ' }, /baseUrl is required/],
    [{ ...ok, baseUrl: 'not a url' }, /baseUrl is not a valid URL/],
    [{ ...ok, baseUrl: 'ftp://host' }, /baseUrl must be http or https/],
    [{ baseUrl: ok.baseUrl }, /twinId is required/],
    [{ ...ok, twinId: '' }, /twinId is required/],
    [{ ...ok, mode: 'admin' }, /mode must be "widget", "public" or "user"/],
    [{ ...ok, mode: 'public' }, /shareToken is required in public mode/],
    [{ ...ok, shareToken: 't' }, /shareToken is only used in public mode/],
    [{ ...ok, mode: 'user' }, /user mode needs apiKey or getAccessToken/],
    [{ ...ok, mode: 'user', apiKey: 'k', getAccessToken: () => 't' }, /either apiKey or getAccessToken, not both/],
    [{ ...ok, mode: 'user', apiKey: '' }, /apiKey must be a non-empty string/],
    [{ ...ok, mode: 'user', getAccessToken: 'token' }, /getAccessToken must be a function/],
    [{ ...ok, apiKey: 'k' }, /only used in user mode/],
    [{ ...ok, mode: 'public', shareToken: 't', getAccessToken: () => 't' }, /only used in user mode/],
    [{ ...ok, visitorId: 'has spaces' }, /visitorId must be/],
    [{ ...ok, fetch: 'nope' }, /fetch must be a function/],
    [{ ...ok, onTrace: 1 }, /onTrace must be a function/],
    [{ ...ok, storage: {} }, /storage must have getItem and setItem/]
  ];
  for (const [options, message] of cases) {
    assert.throws(() => createClient(options), (e) => e instanceof TypeError && message.test(e.message), JSON.stringify(options));
  }
});

test('send validates its arguments before calling the server', async (t) => {
  const stub = await startStub(t);
  const client = createClient({ baseUrl: stub.baseUrl, twinId: 'demo' });
  await assert.rejects(client.send(''), { name: 'TypeError', message: /message must be a non-empty string/ });
  await assert.rejects(client.send(42), { name: 'TypeError', message: /message must be a non-empty string/ });
  await assert.rejects(client.send('x', { conversationId: 5 }), { name: 'TypeError', message: /conversationId/ });
  await assert.rejects(client.send('x', { metadata: [1] }), { name: 'TypeError', message: /metadata must be an object/ });
  assert.equal(stub.requests.length, 0);
});

test('an injected fetch is used instead of the global one', async () => {
  const calls = [];
  const fakeFetch = async (url, init) => {
    calls.push({ url, init });
    return new Response(JSON.stringify({ conversationId: 'c1', reply: 'hi', traceId: 'd'.repeat(32) }), {
      status: 200, headers: { 'Content-Type': 'application/json' }
    });
  };
  const client = createClient({ baseUrl: 'https://twin.example.com', twinId: 'demo', fetch: fakeFetch, storage: null });
  const r = await client.send('x');
  assert.equal(calls[0].url, 'https://twin.example.com/api/chat-widget/demo');
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(r.traceId, 'd'.repeat(32));
});

// ------------------------------------------------------------------ loading as a classic script

test('as a classic <script> it sets window.TwinChat and uses the window\'s crypto, fetch and localStorage', async () => {
  const storage = memoryStorage();
  const fetched = [];
  const window = {
    crypto: globalThis.crypto,
    URL, // a vm context has only the language built-ins; a browser window has URL
    localStorage: storage,
    location: { href: 'https://site.example/page' },
    fetch: async (url) => { fetched.push(url); return new Response('{"reply":"ok","conversationId":"c"}', { status: 200 }); }
  };
  window.window = window;
  const context = vm.createContext(window);
  vm.runInContext(readFileSync(clientPath, 'utf8'), context, { filename: 'twin-chat.js' });

  assert.equal(typeof window.TwinChat.createClient, 'function');
  // A relative baseUrl resolves against the page (same-origin embedding).
  const client = window.TwinChat.createClient({ baseUrl: '/', twinId: 'demo' });
  assert.equal(client.url, 'https://site.example/api/chat-widget/demo');
  assert.equal(storage.getItem(VISITOR_ID_STORAGE_KEY), client.visitorId);
  await client.send('x');
  assert.deepEqual(fetched, ['https://site.example/api/chat-widget/demo']);

  // The UI helpers build their elements with the window's document.
  window.document = fakeDocument();
  const group = window.TwinChat.feedbackButtons(client, { traceId: 'e'.repeat(32) });
  assert.equal(group.ownerDocument, window.document);
  group.one('twin-chat-feedback-up').click();
  await settle();
  assert.deepEqual(fetched.at(-1), 'https://site.example/api/chat-widget/demo/feedback');
});

// ------------------------------------------------------------------ feedback

test('sendFeedback posts {traceId, observationId, value, comment, visitorId} to the chat endpoint + /feedback', async (t) => {
  const answer = { id: 'score-1', name: 'user_feedback', value: 1, traceId: 'e'.repeat(32), observationId: 'f'.repeat(16) };
  const stub = await startStub(t, () => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: answer }));
  const traces = [];
  const client = createClient({ baseUrl: stub.baseUrl, twinId: 'ada/1', storage: memoryStorage(), onTrace: (i) => traces.push(i) });
  assert.equal(client.feedbackUrl, `${stub.baseUrl}/api/chat-widget/ada%2F1/feedback`);

  const result = await client.sendFeedback('e'.repeat(32), 1, 'Spot on', 'f'.repeat(16));
  assert.deepEqual(result, answer, 'resolves with the server\'s JSON');
  const [req] = stub.requests;
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/api/chat-widget/ada%2F1/feedback');
  assert.match(req.headers['content-type'], /^application\/json/);
  assert.match(req.headers.accept, /application\/problem\+json/);
  assert.equal(req.headers.authorization, undefined);
  assert.deepEqual(req.body, { traceId: 'e'.repeat(32), observationId: 'f'.repeat(16), value: 1, comment: 'Spot on', visitorId: client.visitorId });
  assert.match(client.visitorId, HEX32);
  assert.deepEqual(traces, [], 'feedback is not a chat trace');
  assert.equal(client.lastTraceId, null);

  // The documented 3-argument form, an options object, and every allowed value.
  await client.sendFeedback('e'.repeat(32), -1);
  assert.deepEqual(stub.requests[1].body, { traceId: 'e'.repeat(32), value: -1, visitorId: client.visitorId });
  await client.sendFeedback('e'.repeat(32), 0, null, { observationId: 'a'.repeat(16) });
  assert.deepEqual(stub.requests[2].body, { traceId: 'e'.repeat(32), observationId: 'a'.repeat(16), value: 0, visitorId: client.visitorId });
  for (const value of [2, 3, 4, 5]) await client.sendFeedback('e'.repeat(32), value, 'x'.repeat(1000));
  assert.deepEqual(stub.requests.slice(3).map((r) => [r.body.value, r.body.comment.length]), [[2, 1000], [3, 1000], [4, 1000], [5, 1000]]);
});

test('sendFeedback uses each mode\'s credentials and path; no visitorId outside the widget', async (t) => {
  const stub = await startStub(t, () => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: { id: 's' } }));
  const user = createClient({ baseUrl: stub.baseUrl, twinId: 'demo', mode: 'user', getAccessToken: () => 'jwt-1' });
  await user.sendFeedback('e'.repeat(32), 5, 'Great');
  const pub = createClient({ baseUrl: `${stub.baseUrl}/twins`, twinId: 'demo', mode: 'public', shareToken: 'to/ken' });
  await pub.sendFeedback('e'.repeat(32), -1);

  assert.equal(stub.requests[0].url, '/api/chat/demo/feedback');
  assert.equal(stub.requests[0].headers.authorization, 'Bearer jwt-1');
  assert.deepEqual(stub.requests[0].body, { traceId: 'e'.repeat(32), value: 5, comment: 'Great' });
  assert.equal(stub.requests[1].url, '/twins/api/public/chat/demo/to%2Fken/feedback');
  assert.equal(stub.requests[1].headers.authorization, undefined);
  assert.deepEqual(stub.requests[1].body, { traceId: 'e'.repeat(32), value: -1 });
});

test('sendFeedback rejects bad values, a too-long comment and a missing traceId without calling fetch', async () => {
  const calls = [];
  const client = createClient({ baseUrl: 'https://twin.example.com', twinId: 'demo', storage: null, fetch: async (...a) => { calls.push(a); return new Response('{}'); } });
  const trace = 'e'.repeat(32);
  for (const value of [2.5, 6, -2, 10, '1', true, null, undefined, NaN]) {
    await assert.rejects(client.sendFeedback(trace, value), { name: 'TypeError', message: /value must be 1, -1, 0 or an integer 1-5/ }, String(value));
  }
  await assert.rejects(client.sendFeedback(trace, 1, 'x'.repeat(1001)), { name: 'TypeError', message: /at most 1000 characters \(got 1001\)/ });
  await assert.rejects(client.sendFeedback(trace, 1, 42), { name: 'TypeError', message: /comment must be a string/ });
  await assert.rejects(client.sendFeedback('', 1), { name: 'TypeError', message: /traceId must be a non-empty string/ });
  await assert.rejects(client.sendFeedback(undefined, 1), { name: 'TypeError', message: /traceId/ });
  await assert.rejects(client.sendFeedback(trace, 1, null, ''), { name: 'TypeError', message: /observationId/ });
  await assert.rejects(client.sendFeedback(trace, 1, null, 7), { name: 'TypeError', message: /observationId or an options object/ });
  assert.equal(calls.length, 0);
});

test('sendFeedback surfaces a 404 problem+json as a TwinChatError with status and detail', async (t) => {
  const stub = await startStub(t, problem(404, { title: 'Not Found', detail: 'No chat eeee of this visitor.' }));
  const client = createClient({ baseUrl: stub.baseUrl, twinId: 'demo', storage: null });
  const err = await client.sendFeedback('e'.repeat(32), -1).catch((e) => e);
  assert.ok(err instanceof TwinChatError);
  assert.equal(err.status, 404);
  assert.equal(err.title, 'Not Found');
  assert.equal(err.detail, 'No chat eeee of this visitor.');
  assert.equal(err.message, 'Feedback failed (HTTP 404): No chat eeee of this visitor.');
  assert.equal(err.traceId, 'a'.repeat(32), 'the X-Trace-Id of the answer');

  const bad = await startStub(t, problem(400, { title: 'Validation failed', errors: { value: ['Must be 1, -1, 0 or 1-5.'] } }));
  const e400 = await createClient({ baseUrl: bad.baseUrl, twinId: 'demo', storage: null }).sendFeedback('e'.repeat(32), 1).catch((e) => e);
  assert.equal(e400.status, 400);
  assert.deepEqual(e400.errors, { value: ['Must be 1, -1, 0 or 1-5.'] });
  assert.equal(e400.message, 'Feedback failed (HTTP 400): Validation failed');

  const limited = await startStub(t, problem(429, { title: 'Too Many Requests' }, { 'Retry-After': '9' }));
  const e429 = await createClient({ baseUrl: limited.baseUrl, twinId: 'demo', storage: null }).sendFeedback('e'.repeat(32), 1).catch((e) => e);
  assert.equal(e429.status, 429);
  assert.equal(e429.retryAfterSeconds, 9);

  const controller = new AbortController();
  controller.abort();
  const aborted = await client.sendFeedback('e'.repeat(32), 1, null, { signal: controller.signal }).catch((e) => e);
  assert.ok(aborted instanceof TwinChatError);
  assert.deepEqual([aborted.status, aborted.aborted, aborted.traceId], [0, true, 'e'.repeat(32)]);
});

// ------------------------------------------------------------------ UI (fake DOM)

/** Just enough DOM for the widget UI: elements with attributes, children, text and click/submit listeners. */
class FakeElement {
  constructor(tagName, ownerDocument) {
    Object.assign(this, { tagName: tagName.toUpperCase(), ownerDocument, children: [], attributes: new Map(), listeners: {}, className: '', textContent: '', value: '', disabled: false, type: '', title: '' });
  }
  setAttribute(name, value) { this.attributes.set(name, String(value)); }
  getAttribute(name) { return this.attributes.has(name) ? this.attributes.get(name) : null; }
  hasAttribute(name) { return this.attributes.has(name); }
  appendChild(child) { this.children.push(child); return child; }
  addEventListener(type, fn) { (this.listeners[type] ??= []).push(fn); }
  dispatch(type) { const event = { type, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } }; for (const fn of this.listeners[type] ?? []) fn(event); return event; }
  click() { return this.dispatch('click'); }
  /** Depth-first search by class name. */
  all(className) { return this.children.flatMap((c) => [...(c.className.split(' ').includes(className) ? [c] : []), ...c.all(className)]); }
  one(className) { return this.all(className)[0]; }
}
const fakeDocument = () => ({ createElement(tag) { return new FakeElement(tag, this); } });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A fetch that answers chats like the stub and records feedback; `feedbackStatus` can fail it. */
function fakeChatFetch() {
  const calls = [];
  let n = 0;
  const f = async (url, init) => {
    const body = JSON.parse(init.body);
    calls.push({ url, init, body });
    if (url.endsWith('/feedback')) {
      if (f.feedbackStatus !== 200) {
        return new Response(JSON.stringify({ status: f.feedbackStatus, title: 'Not Found', detail: 'No such chat.' }), { status: f.feedbackStatus, headers: { 'Content-Type': 'application/problem+json' } });
      }
      return new Response(JSON.stringify({ id: 'score', name: 'user_feedback', value: body.value, traceId: body.traceId }), { status: 200 });
    }
    n++;
    return new Response(JSON.stringify({ traceId: String(n).repeat(32), observationId: String(n).repeat(16), conversationId: 'c', reply: `echo: ${body.message}` }), { status: 200 });
  };
  f.calls = calls;
  f.feedbackStatus = 200;
  return f;
}

test('mount renders thumbs under each reply; a click sends that reply\'s feedback and sets aria-pressed', async () => {
  const document = fakeDocument();
  const fetch = fakeChatFetch();
  const client = createClient({ baseUrl: 'https://twin.example.com', twinId: 'demo', storage: null, fetch });
  const container = document.createElement('div');
  const chat = createWidget(container, client, document);

  const form = chat.element.one('twin-chat-form');
  const input = chat.element.one('twin-chat-input');
  assert.equal(input.getAttribute('aria-label'), 'Message');
  input.value = '  first  ';
  assert.equal(form.dispatch('submit').defaultPrevented, true, 'the page does not navigate');
  await settle();
  await chat.send('second');

  const log = chat.element.one('twin-chat-log');
  assert.equal(log.getAttribute('role'), 'log');
  const replies = log.all('twin-chat-assistant');
  assert.deepEqual(log.all('twin-chat-user').map((m) => m.children[0].textContent), ['first', 'second']);
  assert.deepEqual(replies.map((m) => m.children[0].textContent), ['echo: first', 'echo: second']);
  assert.equal(replies[1].getAttribute('data-trace-id'), '2'.repeat(32));

  const groups = replies.map((m) => m.one('twin-chat-feedback'));
  assert.ok(groups.every(Boolean), 'thumbs under every reply');
  assert.equal(groups[0].getAttribute('role'), 'group');
  const [up, down] = [groups[1].one('twin-chat-feedback-up'), groups[1].one('twin-chat-feedback-down')];
  assert.equal(up.tagName, 'BUTTON');
  assert.equal(up.type, 'button', 'not a submit button');
  assert.equal(up.getAttribute('aria-label'), 'Good reply');
  assert.equal(down.getAttribute('aria-label'), 'Bad reply');
  assert.deepEqual([up.getAttribute('aria-pressed'), down.getAttribute('aria-pressed')], ['false', 'false']);

  // Thumbs up on the second reply: its own trace and observation.
  up.click();
  assert.equal(up.getAttribute('aria-pressed'), 'true', 'marked at once');
  await settle();
  const feedback = fetch.calls.filter((c) => c.url.endsWith('/feedback'));
  assert.equal(feedback.length, 1);
  assert.equal(feedback[0].url, 'https://twin.example.com/api/chat-widget/demo/feedback');
  assert.equal(feedback[0].init.method, 'POST');
  assert.deepEqual(feedback[0].body, { traceId: '2'.repeat(32), observationId: '2'.repeat(16), value: 1, visitorId: client.visitorId });
  assert.equal(groups[1].getAttribute('data-state'), 'sent');
  assert.deepEqual([up.getAttribute('aria-pressed'), down.getAttribute('aria-pressed')], ['true', 'false']);
  assert.equal(groups[0].one('twin-chat-feedback-up').getAttribute('aria-pressed'), 'false', 'other replies unchanged');

  // Same choice again sends nothing; changing it sends the new value (the server replaces the first).
  up.click();
  await settle();
  assert.equal(fetch.calls.filter((c) => c.url.endsWith('/feedback')).length, 1);
  down.click();
  await settle();
  const last = fetch.calls.at(-1);
  assert.deepEqual([last.body.traceId, last.body.value], ['2'.repeat(32), -1]);
  assert.deepEqual([up.getAttribute('aria-pressed'), down.getAttribute('aria-pressed')], ['false', 'true']);

  // Thumbs down on the first reply uses the first reply's ids.
  groups[0].one('twin-chat-feedback-down').click();
  await settle();
  assert.deepEqual([fetch.calls.at(-1).body.traceId, fetch.calls.at(-1).body.observationId], ['1'.repeat(32), '1'.repeat(16)]);
});

test('a failed feedback restores the previous choice and shows a short error; a retry can succeed', async () => {
  const document = fakeDocument();
  const fetch = fakeChatFetch();
  const client = createClient({ baseUrl: 'https://twin.example.com', twinId: 'demo', storage: null, fetch });
  const reply = await client.send('hi');
  const group = TwinChat.feedbackButtons(client, reply, { document });
  const up = group.one('twin-chat-feedback-up');
  const down = group.one('twin-chat-feedback-down');
  const status = group.one('twin-chat-feedback-status');
  assert.equal(status.getAttribute('role'), 'status');

  up.click();
  await settle();
  fetch.feedbackStatus = 404;
  down.click();
  await settle();
  assert.equal(group.getAttribute('data-state'), 'error');
  assert.match(status.textContent, /not sent/i);
  assert.match(status.title, /HTTP 404.*No such chat/);
  assert.deepEqual([up.getAttribute('aria-pressed'), down.getAttribute('aria-pressed')], ['true', 'false'], 'back to the confirmed choice');

  fetch.feedbackStatus = 200;
  down.click();
  await settle();
  assert.equal(group.getAttribute('data-state'), 'sent');
  assert.equal(status.title, '', 'the error is gone');
  assert.deepEqual([up.getAttribute('aria-pressed'), down.getAttribute('aria-pressed')], ['false', 'true']);
  assert.deepEqual(fetch.calls.filter((c) => c.url.endsWith('/feedback')).map((c) => c.body.value), [1, -1, -1]);
});

test('a failed chat shows an error with its trace id in the log, without thumbs', async () => {
  const document = fakeDocument();
  const fetch = async () => new Response(JSON.stringify({ status: 429, title: 'Too Many Requests', detail: 'Slow down.', traceId: 'b'.repeat(32) }), { status: 429 });
  const client = createClient({ baseUrl: 'https://twin.example.com', twinId: 'demo', storage: null, fetch });
  const chat = createWidget(document.createElement('div'), client, document);
  await chat.send('hi');
  const [error] = chat.element.all('twin-chat-error');
  assert.equal(error.children[0].textContent, `Slow down. (trace id ${'b'.repeat(32)})`);
  assert.equal(chat.element.all('twin-chat-feedback').length, 0);
  assert.equal(chat.element.one('twin-chat-send').disabled, false, 'sending is possible again');
});

test('the example page docs/widget-example.html loads the served script and mounts the chat box with thumbs', () => {
  const page = readFileSync(new URL('../../docs/widget-example.html', import.meta.url), 'utf8');
  assert.match(page, /\/api\/widget\/twin-chat\.js/);
  assert.match(page, /TwinChat\.createClient\(\{[^}]*mode: 'widget'/);
  assert.match(page, /TwinChat\.mount\(/);
  assert.match(page, /\.twin-chat-feedback button\[aria-pressed="true"\]/);
});

function createWidget(container, client, document) {
  const chat = TwinChat.mount(container, client, { document });
  assert.equal(container.children[0], chat.element);
  return chat;
}

// ------------------------------------------------------------------ real server

test('real server: two messages in user mode keep one conversation and return the client\'s trace ids', async (t) => {
  const baseUrl = process.env.TWIN_BASE_URL;
  if (!baseUrl) {
    t.skip('TWIN_BASE_URL not set: the .NET end-to-end test runs this against the local host');
    return;
  }
  const apiKey = process.env.TWIN_API_KEY;
  assert.ok(apiKey, 'TWIN_API_KEY (a user API key) must be set with TWIN_BASE_URL');
  const twinId = process.env.TWIN_TWIN_ID || 'demo';

  const traces = [];
  const client = createClient({ baseUrl, twinId, mode: 'user', apiKey, onTrace: (i) => traces.push(i) });
  const first = await client.send('Hello! Who are you?');
  const second = await client.send('Tell me one more thing about yourself.');

  for (const [i, r] of [first, second].entries()) {
    assert.equal(typeof r.reply, 'string');
    assert.ok(r.reply.trim().length > 0, 'reply is empty');
    assert.match(r.traceId, HEX32);
    assert.equal(r.traceId, traces[i].traceparent.split('-')[1], 'server did not continue the client trace');
    assert.equal(traces[i].status, 200);
  }
  assert.notEqual(first.traceId, second.traceId, 'each message is its own trace');
  assert.ok(first.conversationId, 'no conversationId');
  assert.equal(second.conversationId, first.conversationId);
  t.diagnostic(`traceIds ${first.traceId} ${second.traceId}; conversation ${first.conversationId}`);
});
