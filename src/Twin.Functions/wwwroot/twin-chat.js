/*!
 * twin-chat.js — dependency-free browser client for the Twin Observability chat API.
 *
 * Served by the app at GET /api/widget/twin-chat.js. Use it as a classic script
 * (it sets `window.TwinChat`) or `require` it from CommonJS (it sets `module.exports`).
 *
 *   <script src="https://<app>/api/widget/twin-chat.js"></script>
 *   <script>
 *     const chat = TwinChat.createClient({ baseUrl: 'https://<app>', twinId: 'demo', mode: 'widget' });
 *     const { reply, traceId, observationId } = await chat.send('Hello');
 *     await chat.sendFeedback(traceId, 1, 'Helpful!', observationId); // 1 up, -1 down, 0 neutral, 1-5 rating
 *     // or a ready-made chat box with thumbs under each reply:
 *     TwinChat.mount(document.getElementById('chat'), chat);
 *   </script>
 *
 * Every message starts a NEW W3C trace: the client sends
 * `traceparent: 00-<trace id>-<span id>-01`, the server continues that trace and
 * returns its id in `X-Trace-Id` (and `traceId` in the body). The client exposes
 * what the server returned (falling back to the id it generated), so a page can
 * show "trace id: …" for support and debugging.
 *
 * Cross-origin (widget) pages: `traceparent` is not a CORS-safelisted header, so the
 * server's preflight must allow it, and the server must list `X-Trace-Id` and
 * `Retry-After` in `Access-Control-Expose-Headers` for the browser to read them.
 * When it does not, the client falls back to the `traceId` in the JSON body.
 * `sendFeedback` posts JSON (no `traceparent`) to the same endpoint + `/feedback`, which the server
 * admits like its chat endpoint (same origins, same preflight).
 */
(function (root, factory) {
  'use strict';
  var api = factory(root);
  if (typeof module === 'object' && module !== null && module.exports) {
    module.exports = api;
  } else if (root) {
    root.TwinChat = api;
  }
})(typeof globalThis !== 'undefined' ? globalThis : typeof self !== 'undefined' ? self : this, function (root) {
  'use strict';

  /** localStorage key holding the widget's visitor id (one per browser and site origin). */
  var VISITOR_ID_STORAGE_KEY = 'twinChat.visitorId';

  var MODES = ['widget', 'public', 'user'];
  var TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
  var ALL_ZERO = /^0+$/;
  // Same rule as the server (8-64 letters, digits, "-", "_"), so a bad id fails here, not as a 400.
  var SAFE_VISITOR_ID = /^[A-Za-z0-9_-]{8,64}$/;
  // Feedback values the server accepts: thumbs (1, -1), neutral (0) or a 1-5 rating.
  var FEEDBACK_VALUES = [-1, 0, 1, 2, 3, 4, 5];
  var FEEDBACK_COMMENT_MAX = 1000;

  // ---------------------------------------------------------------- trace ids

  function randomHex(byteCount) {
    var cryptoApi = root && root.crypto;
    if (!cryptoApi || typeof cryptoApi.getRandomValues !== 'function') {
      throw new Error('TwinChat needs crypto.getRandomValues (Web Crypto) to create trace ids.');
    }
    var bytes = new Uint8Array(byteCount);
    cryptoApi.getRandomValues(bytes);
    var hex = '';
    for (var i = 0; i < bytes.length; i++) hex += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return hex;
  }

  // W3C Trace Context forbids all-zero ids; with 128 random bits this never loops in practice.
  function nonZeroHex(byteCount) {
    var hex;
    do { hex = randomHex(byteCount); } while (ALL_ZERO.test(hex));
    return hex;
  }

  /**
   * Creates a fresh W3C trace context (sampled).
   * @returns {{traceparent: string, traceId: string, spanId: string}}
   */
  function newTraceparent() {
    var traceId = nonZeroHex(16);
    var spanId = nonZeroHex(8);
    return { traceparent: '00-' + traceId + '-' + spanId + '-01', traceId: traceId, spanId: spanId };
  }

  /**
   * True when `value` is a valid W3C `traceparent` header value
   * (lower-case hex, non-zero ids, version not `ff`; version 00 has no extra fields).
   * @param {unknown} value
   * @returns {boolean}
   */
  function isValidTraceparent(value) {
    if (typeof value !== 'string') return false;
    var m = TRACEPARENT.exec(value);
    if (!m) return false;
    var version = m[1], traceId = m[2], spanId = m[3], rest = m[5];
    if (version === 'ff') return false;
    if (version === '00' && rest !== undefined) return false;
    return !ALL_ZERO.test(traceId) && !ALL_ZERO.test(spanId);
  }

  // ---------------------------------------------------------------- errors

  /**
   * Thrown by `send` and `sendFeedback` for a non-2xx answer (fields from the RFC 9457 problem body when
   * present) and, with `status` 0, when no answer arrived (network failure, abort).
   */
  class TwinChatError extends Error {
    /**
     * @param {string} message
     * @param {{status: number, title?: string|null, detail?: string|null, type?: string|null,
     *   errors?: object|null, traceId?: string|null, retryAfterSeconds?: number|null,
     *   problem?: object|null, aborted?: boolean, cause?: unknown}} info
     */
    constructor(message, info) {
      super(message);
      this.name = 'TwinChatError';
      /** HTTP status; 0 when no response was received. */
      this.status = info.status;
      this.title = info.title == null ? null : info.title;
      this.detail = info.detail == null ? null : info.detail;
      this.type = info.type == null ? null : info.type;
      /** Validation errors by field (problem+json `errors`), or null. */
      this.errors = info.errors == null ? null : info.errors;
      /** Trace id to quote to support: the server's, else the one the client sent. */
      this.traceId = info.traceId == null ? null : info.traceId;
      /** Seconds to wait before retrying (from `Retry-After`), or null. */
      this.retryAfterSeconds = info.retryAfterSeconds == null ? null : info.retryAfterSeconds;
      /** The parsed problem body, or null. */
      this.problem = info.problem == null ? null : info.problem;
      /** True when the request was aborted through the caller's AbortSignal. */
      this.aborted = !!info.aborted;
      if (info.cause !== undefined) this.cause = info.cause;
    }
  }

  // ---------------------------------------------------------------- helpers

  function isNonEmptyString(v) { return typeof v === 'string' && v.trim() !== ''; }
  function isPlainObject(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }

  function now() {
    return root && root.performance && typeof root.performance.now === 'function' ? root.performance.now() : Date.now();
  }

  /** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
  function parseRetryAfter(value) {
    if (!value) return null;
    var text = String(value).trim();
    if (/^\d+$/.test(text)) return parseInt(text, 10);
    var at = Date.parse(text);
    if (isNaN(at)) return null;
    return Math.max(0, Math.ceil((at - Date.now()) / 1000));
  }

  function parseJson(text) {
    if (!text) return null;
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  /** A non-2xx answer as a TwinChatError (fields from its problem+json body when present). */
  function httpError(response, parsed, traceId, label) {
    var problem = isPlainObject(parsed) ? parsed : null;
    var title = problem && isNonEmptyString(problem.title) ? problem.title : (response.statusText || null);
    var detail = problem && typeof problem.detail === 'string' ? problem.detail : null;
    var message = label
      ? label + ' failed (HTTP ' + response.status + ')' + (detail || title ? ': ' + (detail || title) : '.')
      : detail || title || 'Chat request failed with HTTP ' + response.status + '.';
    return new TwinChatError(message, {
      status: response.status,
      title: title,
      detail: detail,
      type: problem && typeof problem.type === 'string' ? problem.type : null,
      errors: problem && isPlainObject(problem.errors) ? problem.errors : null,
      traceId: traceId,
      retryAfterSeconds: parseRetryAfter(response.headers.get('Retry-After')),
      problem: problem
    });
  }

  // A callback that throws must not turn a successful chat into a failure.
  function safeCall(callback, arg) {
    try {
      callback(arg);
    } catch (e) {
      if (root && typeof root.reportError === 'function') root.reportError(e);
      else if (typeof console !== 'undefined') console.error('TwinChat onTrace callback failed', e);
    }
  }

  // localStorage can throw (blocked storage, sandboxed iframes, Safari private mode),
  // so every access is guarded and the id falls back to one per client.
  function resolveVisitorId(explicit, storage) {
    if (explicit !== undefined) return explicit;
    var store = storage;
    if (store === undefined) {
      try { store = root && root.localStorage; } catch (e) { store = null; }
    }
    if (store) {
      try {
        var saved = store.getItem(VISITOR_ID_STORAGE_KEY);
        if (typeof saved === 'string' && SAFE_VISITOR_ID.test(saved)) return saved;
      } catch (e) { /* unreadable: make a new one */ }
    }
    var id = randomHex(16);
    if (store) {
      try { store.setItem(VISITOR_ID_STORAGE_KEY, id); } catch (e) { /* full or blocked: per-client id */ }
    }
    return id;
  }

  function validateOptions(o) {
    if (!isPlainObject(o)) throw new TypeError('TwinChat.createClient: options object is required.');
    if (!isNonEmptyString(o.baseUrl)) throw new TypeError('TwinChat.createClient: baseUrl is required (the app root, e.g. "https://twin.example.com").');
    if (!isNonEmptyString(o.twinId)) throw new TypeError('TwinChat.createClient: twinId is required.');
    var mode = o.mode === undefined ? 'widget' : o.mode;
    if (MODES.indexOf(mode) < 0) throw new TypeError('TwinChat.createClient: mode must be "widget", "public" or "user" (got ' + JSON.stringify(o.mode) + ').');
    if (mode === 'public' && !isNonEmptyString(o.shareToken)) throw new TypeError('TwinChat.createClient: shareToken is required in public mode.');
    if (mode !== 'public' && o.shareToken !== undefined) throw new TypeError('TwinChat.createClient: shareToken is only used in public mode.');
    // A user credential in a page anyone can open would leak it: refuse rather than ignore.
    if (mode !== 'user' && (o.apiKey !== undefined || o.getAccessToken !== undefined)) {
      throw new TypeError('TwinChat.createClient: apiKey and getAccessToken are only used in user mode.');
    }
    if (mode === 'user') {
      if (o.apiKey !== undefined && o.getAccessToken !== undefined) throw new TypeError('TwinChat.createClient: give either apiKey or getAccessToken, not both.');
      if (o.apiKey !== undefined && !isNonEmptyString(o.apiKey)) throw new TypeError('TwinChat.createClient: apiKey must be a non-empty string.');
      if (o.getAccessToken !== undefined && typeof o.getAccessToken !== 'function') throw new TypeError('TwinChat.createClient: getAccessToken must be a function.');
      if (o.apiKey === undefined && o.getAccessToken === undefined) throw new TypeError('TwinChat.createClient: user mode needs apiKey or getAccessToken.');
    }
    if (o.visitorId !== undefined && !(typeof o.visitorId === 'string' && SAFE_VISITOR_ID.test(o.visitorId))) {
      throw new TypeError('TwinChat.createClient: visitorId must be 8-64 letters, digits, "_" or "-".');
    }
    if (o.fetch !== undefined && typeof o.fetch !== 'function') throw new TypeError('TwinChat.createClient: fetch must be a function.');
    if (o.onTrace !== undefined && typeof o.onTrace !== 'function') throw new TypeError('TwinChat.createClient: onTrace must be a function.');
    if (o.storage !== undefined && o.storage !== null &&
        !(typeof o.storage.getItem === 'function' && typeof o.storage.setItem === 'function')) {
      throw new TypeError('TwinChat.createClient: storage must have getItem and setItem (like localStorage), or be null.');
    }
    var base;
    try {
      // Relative base URLs resolve against the page (same-origin use); in Node they must be absolute.
      base = new URL(o.baseUrl, root && root.location ? root.location.href : undefined);
    } catch (e) {
      throw new TypeError('TwinChat.createClient: baseUrl is not a valid URL: ' + o.baseUrl);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError('TwinChat.createClient: baseUrl must be http or https.');
    var fetchFn = o.fetch || (root && typeof root.fetch === 'function' ? root.fetch.bind(root) : null);
    if (!fetchFn) throw new TypeError('TwinChat.createClient: no fetch available; pass options.fetch.');
    return { mode: mode, base: base.href.replace(/\/+$/, ''), fetch: fetchFn };
  }

  // ---------------------------------------------------------------- client

  /**
   * @typedef {object} ClientOptions
   * @property {string} baseUrl  App root without `/api` (e.g. "https://twin.example.com"); relative allowed in a browser.
   * @property {string} twinId
   * @property {'widget'|'public'|'user'} [mode='widget']
   * @property {string} [shareToken]  Required in public mode (share link token).
   * @property {string} [apiKey]  User mode: sent as `X-Api-Key`.
   * @property {() => (string|Promise<string>)} [getAccessToken]  User mode: called per message, sent as `Authorization: Bearer`.
   * @property {string} [visitorId]  Widget mode: overrides the stored visitor id.
   * @property {typeof fetch} [fetch]  Defaults to the global fetch.
   * @property {(info: TraceInfo) => void} [onTrace]  Called after every HTTP call, success or failure.
   * @property {{getItem(k: string): string|null, setItem(k: string, v: string): void}|null} [storage]
   *   Where the widget keeps its visitor id (key `twinChat.visitorId`); defaults to localStorage, null for none.
   */

  /**
   * @typedef {object} TraceInfo
   * @property {string} traceId  The server's trace id (X-Trace-Id, else body), else the one sent.
   * @property {string} traceparent  The header value that was sent.
   * @property {number} status  HTTP status, 0 when no response arrived.
   * @property {number} durationMs
   */

  /**
   * @typedef {object} ChatReply
   * @property {string} traceId
   * @property {string} observationId  The chat's root observation; with traceId it names the chat (for feedback).
   * @property {string} conversationId
   * @property {string} reply
   * @property {string} model
   * @property {{inputTokens: number, outputTokens: number, totalTokens: number}} usage
   * @property {number} costUsd
   * @property {number} latencyMs
   * @property {string} [promptVersion]
   * @property {{id: string, variant: string}} [experiment]
   */

  /**
   * Creates a chat client for one twin.
   * @param {ClientOptions} options
   */
  function createClient(options) {
    var cfg = validateOptions(options);
    var mode = cfg.mode;
    var twinId = options.twinId;
    var path = mode === 'user' ? '/api/chat/' + encodeURIComponent(twinId)
      : mode === 'widget' ? '/api/chat-widget/' + encodeURIComponent(twinId)
      : '/api/public/chat/' + encodeURIComponent(twinId) + '/' + encodeURIComponent(options.shareToken);
    var url = cfg.base + path;
    var feedbackUrl = url + '/feedback';
    var visitorId = mode === 'widget' ? resolveVisitorId(options.visitorId, options.storage) : null;
    var conversationId = null;
    var lastTraceId = null;

    async function authHeaders() {
      if (mode !== 'user') return {};
      if (options.apiKey !== undefined) return { 'X-Api-Key': options.apiKey };
      var token = await options.getAccessToken();
      if (!isNonEmptyString(token)) throw new TypeError('TwinChat: getAccessToken returned no token.');
      return { Authorization: 'Bearer ' + token };
    }

    async function jsonHeaders() {
      return Object.assign({
        'Content-Type': 'application/json',
        Accept: 'application/json, application/problem+json'
      }, await authHeaders());
    }

    /**
     * Sends one message. Continues the current conversation unless `conversationId` is
     * given (a string to join that one, null to start a new one).
     * @param {string} message
     * @param {{conversationId?: string|null, metadata?: object, signal?: AbortSignal}} [sendOptions]
     * @returns {Promise<ChatReply>}
     */
    async function send(message, sendOptions) {
      var so = sendOptions || {};
      if (!isNonEmptyString(message)) throw new TypeError('TwinChat: message must be a non-empty string.');
      if (so.conversationId !== undefined && so.conversationId !== null && !isNonEmptyString(so.conversationId)) {
        throw new TypeError('TwinChat: conversationId must be a non-empty string or null.');
      }
      if (so.metadata !== undefined && !isPlainObject(so.metadata)) throw new TypeError('TwinChat: metadata must be an object.');

      var conv = so.conversationId !== undefined ? so.conversationId : conversationId;
      var body = { message: message };
      if (conv) body.conversationId = conv;
      if (so.metadata !== undefined) body.metadata = so.metadata;
      if (visitorId) body.visitorId = visitorId;

      var headers = await jsonHeaders();
      var trace = newTraceparent();
      headers.traceparent = trace.traceparent;

      var started = now();
      var response;
      try {
        response = await cfg.fetch(url, { method: 'POST', headers: headers, body: JSON.stringify(body), signal: so.signal });
      } catch (cause) {
        var aborted = !!(cause && cause.name === 'AbortError');
        finish(trace, trace.traceId, 0, started);
        throw new TwinChatError(aborted ? 'Chat request aborted.' : 'Chat request failed: no response from ' + url + '.', {
          status: 0, title: aborted ? 'Aborted' : 'Network error', traceId: trace.traceId, aborted: aborted, cause: cause
        });
      }

      var text = '';
      try { text = await response.text(); } catch (e) { /* body lost: handled as unparseable below */ }
      var parsed = parseJson(text);
      var headerTraceId = response.headers.get('X-Trace-Id');
      var traceId = isNonEmptyString(headerTraceId) ? headerTraceId.trim()
        : parsed && isNonEmptyString(parsed.traceId) ? parsed.traceId
        : trace.traceId;
      finish(trace, traceId, response.status, started);

      if (!response.ok) throw httpError(response, parsed, traceId, null);
      if (!isPlainObject(parsed)) {
        throw new TwinChatError('Chat response was not a JSON object.', {
          status: response.status, title: 'Invalid response', traceId: traceId
        });
      }
      if (isNonEmptyString(parsed.conversationId)) conversationId = parsed.conversationId;
      return Object.assign({}, parsed, { traceId: traceId });
    }

    /**
     * Rates a reply: POSTs `{traceId, observationId?, value, comment?, visitorId?}` to the chat
     * endpoint + `/feedback` with the same credentials as `send`. A second rating of the same
     * chat replaces the first on the server.
     * @param {string} traceId  The reply's traceId.
     * @param {number} value  1 (thumbs up), -1 (thumbs down), 0 (neutral) or a 1-5 rating.
     * @param {string|null} [comment]  At most 1,000 characters.
     * @param {string|{observationId?: string, signal?: AbortSignal}} [more]  The reply's observationId, or options.
     * @returns {Promise<object>} The server's answer, e.g. `{id, name: "user_feedback", value, traceId, observationId}`.
     */
    async function sendFeedback(traceId, value, comment, more) {
      var fo = typeof more === 'string' ? { observationId: more } : more == null ? {} : more;
      if (!isPlainObject(fo)) throw new TypeError('TwinChat: the 4th argument of sendFeedback is an observationId or an options object.');
      if (!isNonEmptyString(traceId)) throw new TypeError('TwinChat: traceId must be a non-empty string.');
      if (typeof value !== 'number' || FEEDBACK_VALUES.indexOf(value) < 0) {
        throw new TypeError('TwinChat: feedback value must be 1, -1, 0 or an integer 1-5 (got ' + JSON.stringify(value) + ').');
      }
      if (comment != null && typeof comment !== 'string') throw new TypeError('TwinChat: comment must be a string.');
      if (comment && comment.length > FEEDBACK_COMMENT_MAX) {
        throw new TypeError('TwinChat: comment must be at most ' + FEEDBACK_COMMENT_MAX + ' characters (got ' + comment.length + ').');
      }
      if (fo.observationId != null && !isNonEmptyString(fo.observationId)) throw new TypeError('TwinChat: observationId must be a non-empty string.');

      var body = { traceId: traceId };
      if (fo.observationId != null) body.observationId = fo.observationId;
      body.value = value;
      if (comment) body.comment = comment;
      if (visitorId) body.visitorId = visitorId;
      var headers = await jsonHeaders();

      var response;
      try {
        response = await cfg.fetch(feedbackUrl, { method: 'POST', headers: headers, body: JSON.stringify(body), signal: fo.signal });
      } catch (cause) {
        var aborted = !!(cause && cause.name === 'AbortError');
        throw new TwinChatError(aborted ? 'Feedback request aborted.' : 'Feedback request failed: no response from ' + feedbackUrl + '.', {
          status: 0, title: aborted ? 'Aborted' : 'Network error', traceId: traceId, aborted: aborted, cause: cause
        });
      }
      var text = '';
      try { text = await response.text(); } catch (e) { /* body lost */ }
      var parsed = parseJson(text);
      if (!response.ok) {
        var headerTraceId = response.headers.get('X-Trace-Id');
        throw httpError(response, parsed, isNonEmptyString(headerTraceId) ? headerTraceId.trim() : traceId, 'Feedback');
      }
      return parsed;
    }

    function finish(trace, traceId, status, started) {
      lastTraceId = traceId;
      if (options.onTrace) {
        safeCall(options.onTrace, {
          traceId: traceId, traceparent: trace.traceparent, status: status, durationMs: Math.round(now() - started)
        });
      }
    }

    return {
      send: send,
      sendFeedback: sendFeedback,
      /** Forgets the conversation: the next message starts a new one. */
      reset: function () { conversationId = null; },
      /** @type {string|null} Conversation the next message continues. */
      get conversationId() { return conversationId; },
      /** @type {string|null} Trace id of the last call (to show to users for support). */
      get lastTraceId() { return lastTraceId; },
      /** @type {string|null} Widget mode only: the visitor id sent with every message. */
      get visitorId() { return visitorId; },
      get mode() { return mode; },
      get twinId() { return twinId; },
      /** The endpoint this client posts to. */
      get url() { return url; },
      /** Where sendFeedback posts (the chat endpoint + `/feedback`). */
      get feedbackUrl() { return feedbackUrl; }
    };
  }

  // ---------------------------------------------------------------- UI (optional, needs a DOM)

  function el(doc, tag, className, text) {
    var e = doc.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
  }

  function documentOf(ui, container) {
    var doc = (ui && ui.document) || (container && container.ownerDocument) || (root && root.document);
    if (!doc) throw new TypeError('TwinChat: no DOM document; pass { document }.');
    return doc;
  }

  /**
   * Thumbs up / down for one reply of `client.send`. A click sends that reply's feedback and marks
   * the choice (aria-pressed); the choice can be changed (the server keeps the last one). When
   * sending fails the previous choice comes back and the group shows a short error
   * (`data-state="error"`).
   * @param {ReturnType<typeof createClient>} client
   * @param {{traceId: string, observationId?: string}} reply
   * @param {{document?: Document}} [ui]
   * @returns {HTMLElement}
   */
  function feedbackButtons(client, reply, ui) {
    var doc = documentOf(ui);
    var group = el(doc, 'div', 'twin-chat-feedback');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', 'Rate this reply');
    var status = el(doc, 'span', 'twin-chat-feedback-status');
    status.setAttribute('role', 'status');
    var confirmed = null, shown = null, seq = 0;
    var buttons = [[1, 'up', '\uD83D\uDC4D', 'Good reply'], [-1, 'down', '\uD83D\uDC4E', 'Bad reply']].map(function (b) {
      var button = el(doc, 'button', 'twin-chat-feedback-' + b[1], b[2]);
      button.type = 'button';
      button.setAttribute('aria-label', b[3]);
      button.setAttribute('aria-pressed', 'false');
      button.addEventListener('click', function () { choose(b[0]); });
      group.appendChild(button);
      return { value: b[0], button: button };
    });
    group.appendChild(status);

    function show(value, state, text) {
      shown = value;
      buttons.forEach(function (b) { b.button.setAttribute('aria-pressed', String(b.value === value)); });
      group.setAttribute('data-state', state);
      status.textContent = text;
      status.title = '';
    }

    function choose(value) {
      if (value === shown && group.getAttribute('data-state') !== 'error') return;
      var mine = ++seq;
      show(value, 'sending', '');
      client.sendFeedback(reply.traceId, value, null, reply.observationId ? { observationId: reply.observationId } : null)
        .then(function () {
          if (mine !== seq) return;
          confirmed = value;
          show(value, 'sent', 'Thanks!');
        }, function (err) {
          if (mine !== seq) return;
          show(confirmed, 'error', 'Feedback not sent, try again.');
          status.title = err && err.message ? err.message : String(err);
        });
    }
    return group;
  }

  /**
   * A minimal chat box in `container`: a log of messages (replies with thumbs under them) and a
   * message field. Unstyled: use the `twin-chat*` class names.
   * @param {HTMLElement} container
   * @param {ReturnType<typeof createClient>} client
   * @param {{document?: Document}} [ui]
   * @returns {{element: HTMLElement, send: (message: string) => Promise<void>}}
   */
  function mount(container, client, ui) {
    var doc = documentOf(ui, container);
    var box = el(doc, 'div', 'twin-chat');
    var log = el(doc, 'div', 'twin-chat-log');
    log.setAttribute('role', 'log');
    log.setAttribute('aria-live', 'polite');
    var form = el(doc, 'form', 'twin-chat-form');
    var input = el(doc, 'input', 'twin-chat-input');
    input.type = 'text';
    input.setAttribute('aria-label', 'Message');
    var button = el(doc, 'button', 'twin-chat-send', 'Send');
    button.type = 'submit';
    form.appendChild(input);
    form.appendChild(button);
    box.appendChild(log);
    box.appendChild(form);
    container.appendChild(box);

    function add(who, text) {
      var message = el(doc, 'div', 'twin-chat-message twin-chat-' + who);
      message.appendChild(el(doc, 'p', null, text));
      log.appendChild(message);
      return message;
    }

    function send(text) {
      add('user', text);
      button.disabled = true;
      return client.send(text).then(function (reply) {
        var message = add('assistant', reply.reply);
        message.setAttribute('data-trace-id', reply.traceId);
        message.appendChild(feedbackButtons(client, reply, { document: doc }));
      }, function (err) {
        add('error', err.message + (err.traceId ? ' (trace id ' + err.traceId + ')' : ''));
      }).then(function () { button.disabled = false; });
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var text = String(input.value || '').trim();
      if (!text || button.disabled) return;
      input.value = '';
      send(text);
    });
    return { element: box, send: send };
  }

  return {
    createClient: createClient,
    feedbackButtons: feedbackButtons,
    mount: mount,
    TwinChatError: TwinChatError,
    newTraceparent: newTraceparent,
    isValidTraceparent: isValidTraceparent,
    VISITOR_ID_STORAGE_KEY: VISITOR_ID_STORAGE_KEY
  };
});
