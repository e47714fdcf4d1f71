// Tertulia's browser client: MDN's WebSocket chat client, kept small and safe.
// Every name and text from the wire is rendered as text (textContent), never as HTML.

const TYPING_SEND_EVERY_MS = 2000; // the server relays at most one notice per 2 s anyway
const TYPING_SHOWN_FOR_MS = 3500;
const LOG_LIMIT = 1000; // oldest entries are dropped past this, so a long session stays light
const STICK_TO_BOTTOM_PX = 48;

const ui = {
  status: byId('status'),
  reconnect: byId('reconnect'),
  signinForm: byId('signin-form'),
  name: byId('name'),
  signin: byId('signin'),
  me: byId('me'),
  users: byId('users'),
  userCount: byId('user-count'),
  log: byId('log'),
  typing: byId('typing'),
  sendForm: byId('send-form'),
  text: byId('text'),
  send: byId('send'),
};

const state = {
  socket: null,
  clientId: null,
  myName: null,        // the name the server gave us, once signed in
  requestedName: null, // the last name we asked for, to explain a rename
  rejoinAs: null,      // after a reconnect, sign in again under this name
  namesById: new Map(),
  users: [],
  renamedAway: new Set(),
  lastTypingSent: 0,
  lastSentText: '',
  typers: new Map(),   // name -> timer that hides the notice
  inHistory: false,
};

/** The chat endpoint of the server that served this page: wss: for an https: page. */
export function chatUrl(loc = window.location) {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/chat`;
}

function byId(id) {
  return document.getElementById(id);
}

/** An element with a class and, optionally, text; the only way data reaches the page. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function asText(value) {
  return typeof value === 'string' ? value : String(value ?? '');
}

// ---- connection -----------------------------------------------------------------

function connect() {
  setStatus('connecting', 'Connecting…');
  setEnabled(false);
  ui.reconnect.hidden = true;

  let socket;
  try {
    socket = new WebSocket(chatUrl(), 'json');
  } catch (e) {
    setStatus('error', `Cannot connect: ${e.message}`);
    ui.reconnect.hidden = false;
    return;
  }
  state.socket = socket;
  let failed = false;

  socket.onopen = () => {
    setStatus('connected', 'Connected');
    setEnabled(true);
  };

  socket.onmessage = (event) => {
    let msg;
    try {
      msg = JSON.parse(event.data);
    } catch {
      notice('error', 'The server sent something that is not JSON; ignored.');
      return;
    }
    if (msg && typeof msg === 'object') {
      handle(msg);
    }
  };

  socket.onerror = () => {
    failed = true;
    setStatus('error', 'Connection error');
  };

  socket.onclose = (event) => {
    if (state.socket !== socket) {
      return;
    }
    state.socket = null;
    state.clientId = null;
    state.rejoinAs = state.myName ?? state.rejoinAs;
    state.myName = null;
    setEnabled(false);
    clearTypers();
    renderUsers([]);
    showMe();
    const why = event.reason ? `${event.code}: ${event.reason}` : `${event.code}`;
    setStatus(failed ? 'error' : 'closed', `${failed ? 'Connection error; closed' : 'Closed'} (${why})`);
    notice('closed', `Disconnected (${why})`);
    ui.reconnect.hidden = false;
  };
}

function send(frame) {
  const socket = state.socket;
  if (!socket || socket.readyState !== WebSocket.OPEN) {
    return false;
  }
  socket.send(JSON.stringify(frame));
  return true;
}

function signIn(name) {
  state.requestedName = name;
  send({ type: 'username', id: state.clientId, name, date: Date.now() });
}

// ---- frames from the server -------------------------------------------------------

function handle(msg) {
  switch (msg.type) {
    case 'id':
      state.clientId = msg.id;
      if (state.rejoinAs) {
        const name = state.rejoinAs;
        state.rejoinAs = null;
        signIn(name);
      }
      break;
    case 'username':
      onUsername(msg);
      break;
    case 'rejectusername':
      onRejectUsername(msg);
      break;
    case 'userlist':
      onUserlist(Array.isArray(msg.users) ? msg.users.map(asText) : []);
      break;
    case 'message':
      onMessage(msg);
      break;
    case 'typing':
      onTyping(asText(msg.name));
      break;
    case 'error':
      notice('error', `Refused (${asText(msg.code)}): ${asText(msg.text)}`);
      // The limits live on the server; give back a refused text rather than lose it.
      if (msg.code === 'text-too-long' && ui.text.value === '' && state.lastSentText) {
        ui.text.value = state.lastSentText;
      }
      break;
    default:
      // Unknown types come from a newer server; ignoring them keeps us compatible.
      break;
  }
}

function onUsername(msg) {
  const name = asText(msg.name);
  const previous = state.namesById.get(msg.id);
  state.namesById.set(msg.id, name);
  if (msg.id === state.clientId) {
    state.myName = name;
    showMe();
  }
  if (previous && previous !== name) {
    state.renamedAway.add(previous);
    notice('join', `${previous} is now ${name}`);
  } else if (!previous) {
    notice('join', `${name} signed in`);
  }
}

function onRejectUsername(msg) {
  const given = asText(msg.name);
  const asked = (state.requestedName ?? '').trim();
  state.myName = given;
  showMe();
  // "reason" is this server's extension; for a server without it, guess from the suffix.
  const suffix = given.slice(asked.length);
  const taken = msg.reason !== undefined
    ? msg.reason === 'taken'
    : asked !== '' && given.toLowerCase().startsWith(asked.toLowerCase()) && /^\d+$/.test(suffix);
  notice('rename', taken
    ? `Your name was taken; you are now ${given}`
    : `Your name was not accepted as typed; you are now ${given}`);
}

function onUserlist(users) {
  const before = new Set(state.users);
  const now = new Set(users);
  for (const name of before) {
    if (!now.has(name) && !state.renamedAway.delete(name) && name !== state.myName) {
      notice('leave', `${name} left`);
    }
  }
  state.renamedAway.clear();
  renderUsers(users);
}

function onMessage(msg) {
  const name = asText(msg.name);
  const text = asText(msg.text);
  const history = msg.history === true;
  const mine = state.myName !== null && name === state.myName;
  hideTyper(name);

  if (history && !state.inHistory) {
    append(el('li', 'divider', 'Earlier messages'));
  }

  const item = el('li', 'entry message');
  item.dataset.kind = 'message';
  item.classList.toggle('mine', mine);
  item.classList.toggle('history', history);
  item.classList.toggle('direct', Boolean(msg.target));

  const meta = el('div', 'meta');
  meta.append(el('span', 'sender', name));
  if (mine) {
    meta.append(el('span', 'badge badge-mine', 'you'));
  }
  if (msg.target) {
    meta.append(el('span', 'badge badge-direct', `private to ${asText(msg.target)}`));
  }
  if (history) {
    meta.append(el('span', 'badge badge-history', 'earlier'));
  }
  meta.append(timeOf(msg.date, history));

  item.append(meta, el('p', 'text', text));
  append(item, mine && !history);
}

function onTyping(name) {
  if (!name || name === state.myName) {
    return;
  }
  clearTimeout(state.typers.get(name));
  state.typers.set(name, setTimeout(() => hideTyper(name), TYPING_SHOWN_FOR_MS));
  showTypers();
}

// ---- rendering ------------------------------------------------------------------

function timeOf(date, withDay) {
  const when = new Date(typeof date === 'number' ? date : Date.now());
  const time = el('time', 'time');
  time.dateTime = when.toISOString();
  time.title = when.toLocaleString();
  const today = new Date().toDateString() === when.toDateString();
  time.textContent = withDay && !today
    ? when.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
    : when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return time;
}

function notice(kind, text) {
  const item = el('li', `entry notice notice-${kind}`, text);
  item.dataset.kind = kind;
  append(item);
}

/** Adds a log entry; keeps the view at the bottom if the reader was already there. */
function append(item, forceScroll = false) {
  const log = ui.log;
  // A run of replayed messages gets one "Earlier messages" divider; anything else ends the run.
  state.inHistory = item.classList.contains('history') || item.classList.contains('divider');
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < STICK_TO_BOTTOM_PX;
  log.append(item);
  while (log.childElementCount > LOG_LIMIT) {
    log.firstElementChild.remove();
  }
  if (atBottom || forceScroll) {
    log.scrollTop = log.scrollHeight;
  }
}

function renderUsers(users) {
  state.users = users;
  const items = users.map((name) => {
    const item = el('li', 'user');
    item.append(el('span', 'user-name', name));
    if (name === state.myName) {
      item.classList.add('is-me');
      item.append(el('span', 'badge badge-mine', 'you'));
    }
    return item;
  });
  ui.users.replaceChildren(...items);
  ui.userCount.textContent = String(users.length);
}

function showMe() {
  if (state.myName) {
    ui.me.textContent = `You are ${state.myName}`;
    ui.me.dataset.name = state.myName;
    ui.signin.textContent = 'Change name';
    ui.text.placeholder = 'Say something…';
    ui.name.value = state.myName;
  } else {
    ui.me.textContent = 'Not signed in';
    delete ui.me.dataset.name;
    ui.signin.textContent = 'Sign in';
    ui.text.placeholder = 'Sign in, then say something…';
  }
  // The list marks "you"; re-render it when our name changes.
  renderUsers(state.users);
}

function showTypers() {
  const names = [...state.typers.keys()];
  if (names.length === 0) {
    ui.typing.textContent = '';
  } else if (names.length === 1) {
    ui.typing.textContent = `${names[0]} is typing…`;
  } else if (names.length <= 3) {
    ui.typing.textContent = `${names.join(', ')} are typing…`;
  } else {
    ui.typing.textContent = 'Several people are typing…';
  }
}

function hideTyper(name) {
  if (state.typers.has(name)) {
    clearTimeout(state.typers.get(name));
    state.typers.delete(name);
    showTypers();
  }
}

function clearTypers() {
  for (const timer of state.typers.values()) {
    clearTimeout(timer);
  }
  state.typers.clear();
  showTypers();
}

function setStatus(stateName, text) {
  ui.status.dataset.state = stateName;
  ui.status.textContent = text;
}

function setEnabled(open) {
  for (const control of [ui.name, ui.signin, ui.text, ui.send]) {
    control.disabled = !open;
  }
}

// ---- user input -----------------------------------------------------------------

ui.signinForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = ui.name.value.trim();
  if (name === '' || name === state.myName) {
    ui.name.focus();
    return;
  }
  signIn(name);
  ui.text.focus();
});

// A form submit is what Enter in the text field does, so Enter sends.
ui.sendForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = ui.text.value;
  if (text.trim() === '') {
    return;
  }
  if (send({ type: 'message', id: state.clientId, text, date: Date.now() })) {
    state.lastSentText = text;
    ui.text.value = '';
  }
  ui.text.focus();
});

ui.text.addEventListener('input', () => {
  const now = Date.now();
  if (state.myName && ui.text.value !== '' && now - state.lastTypingSent >= TYPING_SEND_EVERY_MS) {
    state.lastTypingSent = now;
    send({ type: 'typing', id: state.clientId });
  }
});

ui.reconnect.addEventListener('click', connect);

connect();
