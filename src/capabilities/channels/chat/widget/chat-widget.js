// Bluelamp live chat widget. A force embeds it with one tag:
//   <script src="https://<bluelamp>/chat/widget.js" data-widget-key="<key>" async></script>
// No dependencies and nothing inline in the host page: the launcher and panel live in a shadow
// root whose styles are a constructed stylesheet (not subject to the page's style-src), and every
// text, including anything typed by the public or an operator, is set with textContent.
// Served by chat.routes.ts, which fills in the en/cy strings, the styles and the server's text test.
(function () {
  'use strict';

  var MESSAGES = __BLUELAMP_CHAT_MESSAGES__;
  var script = document.currentScript;
  if (!script || !script.src) return;
  var widgetKey = script.getAttribute('data-widget-key');
  if (!widgetKey || document.querySelector('[data-bluelamp-chat]')) return;

  var source = new URL(script.src, location.href);
  var httpBase = source.origin;
  var socketUrl = (source.protocol === 'https:' ? 'wss://' : 'ws://') + source.host + '/chat/socket?widgetKey=' + encodeURIComponent(widgetKey);
  var lang = (script.getAttribute('data-lang') || document.documentElement.lang || 'en').toLowerCase().indexOf('cy') === 0 ? 'cy' : 'en';
  var t = MESSAGES[lang];
  var STORAGE_KEY = 'bluelamp-chat:' + httpBase + ':' + widgetKey;
  var MAX_FRAME_BYTES = 16000;
  var MAX_IN_FLIGHT = 5;
  // The server closes a socket that sends more than 20 frames in 10 seconds; stay well under.
  var PACE_FRAMES = 15;
  var PACE_WINDOW_MS = 10000;

  // Filled in by the server like the messages: the panel's styles (chat-widget.css), what keeps the quick exit
  // clear of it (keep-exit-clear.js), the server's test of visible text (visible-text.ts), how a time is written (message-time.js).
  var CSS = __BLUELAMP_CHAT_STYLES__;
  var createExitKeeper = __BLUELAMP_CHAT_EXIT_KEEPER__;
  var VISIBLE = __BLUELAMP_CHAT_VISIBLE__;
  var timeOf = __BLUELAMP_CHAT_TIME__(t.dateTime, t.months, t.dayHalves);

  // ---- State kept for this tab: the session and the messages not yet acknowledged ----------

  function loadStored() {
    try {
      var stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || 'null');
      var session = stored && stored.session;
      var validSession = session && typeof session.sessionId === 'string' && typeof session.visitorToken === 'string' ? session : null;
      var pending = stored && Array.isArray(stored.pending) ? stored.pending.filter(function (item) {
        return item && typeof item.clientId === 'string' && typeof item.text === 'string';
      }) : [];
      return { session: validSession, pending: pending };
    } catch (error) {
      return { session: null, pending: [] };
    }
  }

  var stored = loadStored();
  var session = stored.session;
  var pending = stored.pending;
  var inFlight = {};
  var rendered = {};
  var socket = null;
  var connected = false;
  var connecting = false;
  var stopped = false;
  var attempt = 0;
  var reconnectTimer = null;
  var sentAt = [];
  var paceTimer = null;

  function save() {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ session: session, pending: pending }));
    } catch (error) {
      // Storage can be unavailable (private modes): the chat still works until the tab closes.
    }
  }

  function newClientId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  // ---- The interface ------------------------------------------------------------------------

  /** A new element with its class, its text, its properties (id, type, hidden…) and its attributes (role, aria-…). */
  function element(tag, className, text, properties, attributes) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    Object.keys(properties || {}).forEach(function (name) { node[name] = properties[name]; });
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  var host = element('div', '', undefined, {}, { 'data-bluelamp-chat': '' });
  var root = host.attachShadow({ mode: 'open' });
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } catch (error) {
    // Older browsers: a style element inside the shadow root (a strict page CSP may block it).
    root.appendChild(element('style', '', CSS));
  }

  var launcher = element('button', 'launcher', t.launcher, { type: 'button' }, { 'aria-expanded': 'false', 'aria-controls': 'bluelamp-chat-panel' });
  var panel = element('div', 'panel', undefined, { id: 'bluelamp-chat-panel', hidden: true }, { role: 'dialog', 'aria-labelledby': 'bluelamp-chat-title' });
  var header = element('div', 'header');
  var title = element('h2', 'title', t.title, { id: 'bluelamp-chat-title' });
  var closeButton = element('button', 'close', t.close, { type: 'button' });
  [title, closeButton].forEach(function (node) { header.appendChild(node); });

  var notice = element('p', 'notice', t.emergency);
  var log = element('div', 'log', undefined, { tabIndex: 0 }, { role: 'log', 'aria-live': 'polite', 'aria-label': t.logLabel });

  var form = element('form', 'form', undefined, { noValidate: true });
  var label = element('label', 'label', t.messageLabel, { htmlFor: 'bluelamp-chat-input' });
  var input = element('textarea', 'input', undefined, { id: 'bluelamp-chat-input', name: 'message', rows: 3, maxLength: 5000 });
  var sendButton = element('button', 'send', t.send, { type: 'submit' });
  var status = element('p', 'status', undefined, {}, { role: 'status' });
  [label, input, sendButton, status].forEach(function (node) { form.appendChild(node); });

  [header, notice, log, form].forEach(function (node) { panel.appendChild(node); });
  root.appendChild(launcher);
  root.appendChild(panel);

  function setStatus(text) { status.textContent = text; }

  /** Adds one line to the conversation once (keyed by the message's id), with its time once known (history, reply or ack); returns its state line. */
  function addEntry(key, who, text, stateText, at) {
    var state = rendered[key];
    if (!state) {
      var entry = element('div', 'entry ' + who);
      entry.appendChild(element('span', 'speaker', who === 'visitor' ? t.you : t.staff));
      entry.appendChild(element('p', 'body', text));
      entry.appendChild((state = element('p', 'state', stateText || '')));
      log.appendChild(entry);
      log.scrollTop = log.scrollHeight;
      rendered[key] = state;
    }
    var when = !state.parentNode.querySelector('time') && timeOf(at);
    if (when) state.parentNode.insertBefore(when, state.previousSibling);
    return state;
  }

  function isOpen() { return !panel.hidden; }

  var keepExitClear = createExitKeeper(panel, isOpen);

  function openPanel() {
    panel.hidden = false;
    keepExitClear();
    launcher.setAttribute('aria-expanded', 'true');
    launcher.classList.remove('unread');
    launcher.textContent = t.launcher;
    input.focus();
    connect();
  }

  function closePanel() {
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.focus();
  }

  launcher.addEventListener('click', function () {
    if (isOpen()) closePanel();
    else openPanel();
  });
  closeButton.addEventListener('click', closePanel);
  panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') {
      event.preventDefault();
      closePanel();
    }
  });
  input.addEventListener('keydown', function (event) {
    // Enter sends, Shift+Enter starts a new line (and nothing fires mid-composition).
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    submit();
  });

  function submit() {
    var text = input.value.trim();
    if (!VISIBLE.test(text)) {
      input.focus();
      return setStatus(t.empty);
    }
    // The chat was closed by the force: the text stays in the box, and the visitor is told again.
    if (stopped) return setStatus(t.unavailable);
    var item = { clientId: newClientId(), text: text };
    pending.push(item);
    save();
    addEntry('visitor:' + item.clientId, 'visitor', text, t.sending);
    input.value = '';
    sendPending();
    connect();
  }

  // ---- The connection -----------------------------------------------------------------------

  /** Sends unacknowledged messages, a few at a time, in order, with their original ids. */
  function sendPending() {
    if (!socket || !connected || socket.readyState !== WebSocket.OPEN) return;
    var count = Object.keys(inFlight).length;
    for (var i = 0; i < pending.length && count < MAX_IN_FLIGHT; i += 1) {
      var item = pending[i];
      if (inFlight[item.clientId]) continue;
      var frame = JSON.stringify({ type: 'message', clientId: item.clientId, text: item.text });
      if (new TextEncoder().encode(frame).length > MAX_FRAME_BYTES) {
        // The server would close the socket on it, every time: it goes back in the box to shorten.
        addEntry('visitor:' + item.clientId, 'visitor', item.text).textContent = t.tooLong;
        if (!input.value) input.value = item.text;
        pending.splice(i, 1);
        i -= 1;
        save();
        continue;
      }
      var now = Date.now();
      sentAt = sentAt.filter(function (at) { return now - at < PACE_WINDOW_MS; });
      if (sentAt.length >= PACE_FRAMES) {
        if (!paceTimer) {
          paceTimer = setTimeout(function () {
            paceTimer = null;
            sendPending();
          }, PACE_WINDOW_MS - (now - sentAt[0]));
        }
        return;
      }
      sentAt.push(now);
      inFlight[item.clientId] = true;
      count += 1;
      socket.send(frame);
    }
  }

  function showReply(frame) {
    if (typeof frame.id !== 'string' || typeof frame.body !== 'string' || rendered['force:' + frame.id]) return;
    addEntry('force:' + frame.id, 'force', frame.body, '', frame.at);
    if (!isOpen()) {
      launcher.classList.add('unread');
      launcher.textContent = t.launcherUnread;
    }
  }

  function onFrame(frame) {
    if (!frame || typeof frame.type !== 'string') return;
    if (frame.type === 'history') {
      connected = true;
      attempt = 0;
      setStatus(t.connected);
      if (typeof frame.welcomeMessage === 'string' && frame.welcomeMessage) addEntry('welcome', 'force', frame.welcomeMessage);
      var stored = {};
      (Array.isArray(frame.messages) ? frame.messages : []).forEach(function (item) {
        if (!item || typeof item.body !== 'string') return;
        if (item.from === 'visitor' && typeof item.clientId === 'string') {
          stored[item.clientId] = true;
          addEntry('visitor:' + item.clientId, 'visitor', item.body, '', item.at);
        } else if (item.from === 'force') {
          showReply(item);
        }
      });
      // What the server already holds was stored before the connection dropped: no resend.
      pending = pending.filter(function (item) {
        if (!stored[item.clientId]) return true;
        addEntry('visitor:' + item.clientId, 'visitor', item.text).textContent = '';
        return false;
      });
      save();
      pending.forEach(function (item) {
        addEntry('visitor:' + item.clientId, 'visitor', item.text, t.sending);
      });
      sendPending();
    } else if (frame.type === 'ack' && typeof frame.clientId === 'string') {
      delete inFlight[frame.clientId];
      pending = pending.filter(function (item) { return item.clientId !== frame.clientId; });
      save();
      var state = rendered['visitor:' + frame.clientId] && addEntry('visitor:' + frame.clientId, 'visitor', '', '', frame.at);
      if (state) state.textContent = t.sent.replace('{reference}', String(frame.reference || ''));
      sendPending();
    } else if (frame.type === 'reply') {
      showReply(frame);
    } else if (frame.type === 'error' && typeof frame.clientId === 'string') {
      // Not stored: the text goes back in the box to send again (or change), and the rest go on.
      delete inFlight[frame.clientId];
      pending = pending.filter(function (item) {
        if (item.clientId === frame.clientId && !input.value) input.value = item.text;
        return item.clientId !== frame.clientId;
      });
      save();
      var failed = rendered['visitor:' + frame.clientId];
      if (failed) failed.textContent = t.sendAgain;
      sendPending();
    }
  }

  function stop() { stopped = true; setStatus(t.unavailable); }

  function scheduleReconnect() {
    if (stopped || reconnectTimer) return;
    setStatus(t.reconnecting);
    var delay = Math.min(30000, 1000 * Math.pow(2, attempt)) * (0.5 + Math.random() / 2);
    attempt += 1;
    reconnectTimer = setTimeout(function () {
      reconnectTimer = null;
      connect();
    }, delay);
  }

  function openSession() {
    return fetch(httpBase + '/chat/sessions', {
      method: 'POST',
      mode: 'cors',
      credentials: 'omit',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ widgetKey: widgetKey }),
    }).then(function (response) {
      if (response.status === 403 || response.status === 404) return 'refused';
      if (!response.ok) throw new Error('session request failed: ' + response.status);
      return response.json().then(function (body) {
        if (!body || typeof body.sessionId !== 'string' || typeof body.visitorToken !== 'string') throw new Error('bad session');
        session = { sessionId: body.sessionId, visitorToken: body.visitorToken };
        save();
        return 'opened';
      });
    });
  }

  function connect() {
    if (stopped || socket || connecting || reconnectTimer) return;
    connecting = true;
    if (!connected) setStatus(t.connecting);
    var ready = session ? Promise.resolve('opened') : openSession();
    ready.then(
      function (outcome) {
        connecting = false;
        if (outcome === 'refused') return stop();
        openSocket();
      },
      function () {
        connecting = false;
        scheduleReconnect();
      },
    );
  }

  function openSocket() {
    var ws = new WebSocket(socketUrl);
    socket = ws;
    inFlight = {};
    ws.addEventListener('open', function () {
      // The token goes in the first frame, never in the URL (URLs are logged).
      ws.send(JSON.stringify({ type: 'auth', sessionId: session.sessionId, token: session.visitorToken }));
    });
    ws.addEventListener('message', function (event) {
      var frame;
      try {
        frame = JSON.parse(String(event.data));
      } catch (error) {
        return;
      }
      onFrame(frame);
    });
    ws.addEventListener('close', function (event) {
      if (socket === ws) socket = null;
      connected = false;
      inFlight = {};
      if (event.code === 4401) {
        // The session is unknown or expired: start a new one; unsent messages go with it.
        session = null;
        save();
      }
      // Another window of this chat took over: no reconnecting back and forth; sending reconnects.
      if (event.code === 4409) return setStatus(t.replaced);
      if (event.code === 4403) return stop();
      scheduleReconnect();
    });
  }

  // ---- Start --------------------------------------------------------------------------------

  function mount() {
    document.body.appendChild(host);
    // A page may offer its own "start a chat" button (the portal does); it appears only now.
    Array.prototype.forEach.call(document.querySelectorAll('[data-bluelamp-chat-start]'), function (node) {
      node.hidden = false;
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-bluelamp-chat-open]'), function (node) {
      node.addEventListener('click', openPanel);
    });
    // A conversation already under way in this tab reconnects at once, so replies keep arriving.
    if (session) connect();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
  else mount();
})();
