// Tertulia's browser client: MDN's WebSocket chat client, kept small and safe, that comes
// back by itself after a drop and resumes its place in the room (protocol v2).
// Every name and text from the wire is rendered as text (textContent), never as HTML.

import { Backoff, closeAction } from './reconnect.js';
import { parsePrivateCommand, privateCommand, sameName } from './commands.js';

const TYPING_SEND_EVERY_MS = 2000; // the server relays at most one notice per 2 s anyway
const TYPING_SHOWN_FOR_MS = 3500;
const LOG_LIMIT = 1000; // oldest entries are dropped past this, so a long session stays light
const STICK_TO_BOTTOM_PX = 48;
// Signed in this long, a connection counts as healthy: the next drop starts the backoff
// afresh instead of where a flapping link left it.
const STABLE_AFTER_MS = 10_000;
// A handshake into a black hole can hang for minutes; give up on it and try again.
const OPEN_TIMEOUT_MS = 10_000;
// Per tab (sessionStorage, as the protocol asks): the resume token and the name it holds.
const SESSION_KEY = 'tertulia.session';

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
  addressee: byId('addressee'),
  addresseeName: byId('addressee-name'),
  toRoom: byId('to-room'),
  text: byId('text'),
  send: byId('send'),
};

const state = {
  socket: null,
  clientId: null,
  myName: null,        // the name the server gave us, once signed in
  requestedName: null, // the last name we asked for, to explain a rename
  rejoinAs: null,      // once the next socket opens, sign in again under this name
  lastPos: 0,          // the highest `pos` processed: what a resume asks to continue from
  users: [],
  usersStale: false,
  addressee: null,     // whom the composer writes to privately; null: the room
  pendingPrivate: [],  // private lines sent, not yet echoed or refused: { target, text }
  lastSent: null,      // the last line sent, { target, text }, to give back if refused
  lastTypingSent: 0,
  typers: new Map(),   // name -> timer that hides the notice
  inHistory: false,
  seenLines: new Set(),
};

// The connection's life: 'connecting', 'open', 'waiting' (a retry is due), 'offline',
// 'stopped' (only a person reconnects) or 'taken-over' (4001).
const link = {
  mode: 'connecting',
  backoff: new Backoff(),
  retryTimer: null,
  countdownTimer: null,
  retryAt: 0,
  stableTimer: null,
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

// ---- the stored session -----------------------------------------------------------

function storedSession() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
    return saved && typeof saved === 'object' ? saved : null;
  } catch {
    return null; // storage disabled or garbled: this tab just cannot resume
  }
}

function storeSession(changes) {
  try {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({ ...storedSession(), ...changes }));
  } catch {
    // Without storage a reload signs in afresh; nothing else depends on it.
  }
}

// ---- connection -----------------------------------------------------------------

function connect() {
  clearRetry();
  if (state.socket) {
    return;
  }
  link.mode = 'connecting';
  setStatus('connecting', 'Connecting…');
  showAction(null);
  setEnabled(false);

  let socket;
  try {
    socket = new WebSocket(chatUrl(), 'json');
  } catch (e) {
    // Only a malformed URL or a forbidden port throws here: trying again would not help.
    stop('error', `Cannot connect: ${e.message}`, 'Reconnect');
    return;
  }
  state.socket = socket;
  const openTimer = setTimeout(() => socket.close(), OPEN_TIMEOUT_MS);

  socket.onopen = () => {
    clearTimeout(openTimer);
    link.mode = 'open';
    setStatus('connected', 'Connected');
    setEnabled(true);
    if (!state.rejoinAs) {
      // Nobody to sign in again: being open is all this page can prove.
      startStableTimer();
    }
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

  // The close event that always follows an error says what to do.
  socket.onerror = () => {};

  socket.onclose = (event) => {
    clearTimeout(openTimer);
    if (state.socket === socket) {
      dropped(event.code);
    }
  };
}

function dropped(code) {
  state.socket = null;
  state.clientId = null;
  if (state.myName) {
    state.rejoinAs = state.myName;
  }
  state.myName = null;
  state.pendingPrivate = [];
  clearTimeout(link.stableTimer);
  setEnabled(false);
  clearTypers();
  // The list is kept, marked stale, so a person picked in it stays picked across a resume.
  state.usersStale = true;
  showMe();

  switch (closeAction(code)) {
    case 'stop':
      stop('closed', `Disconnected (${code})`, 'Reconnect');
      break;
    case 'fault':
      stop('error', `Disconnected: the server refused what this page sent (${code})`, 'Reconnect');
      break;
    case 'taken-over':
      stop('taken-over', 'The chat continued in another tab or window', 'Use the chat here');
      break;
    default:
      scheduleRetry();
  }
}

/** No automatic reconnect: the status says why, the button reconnects by hand. */
function stop(stateName, text, action) {
  clearRetry();
  link.mode = stateName === 'taken-over' ? 'taken-over' : 'stopped';
  setStatus(stateName, text);
  notice('closed', text);
  showAction(action);
}

function scheduleRetry() {
  clearRetry();
  if (navigator.onLine === false) {
    waitForNetwork();
    return;
  }
  link.mode = 'waiting';
  const delay = link.backoff.next();
  link.retryAt = Date.now() + delay;
  link.retryTimer = setTimeout(connect, delay);
  link.countdownTimer = setInterval(showCountdown, 250);
  showCountdown();
  showAction('Retry now');
}

function showCountdown() {
  const seconds = Math.max(1, Math.ceil((link.retryAt - Date.now()) / 1000));
  setStatus('waiting', `Reconnecting in ${seconds} s…`);
}

function waitForNetwork() {
  clearRetry();
  link.mode = 'offline';
  setStatus('offline', 'Offline: waiting for the network');
  showAction('Retry now');
}

function clearRetry() {
  clearTimeout(link.retryTimer);
  clearInterval(link.countdownTimer);
  link.retryTimer = null;
  link.countdownTimer = null;
}

/** A try that is only waiting for its turn goes now: the reason it failed may be gone. */
function retrySoonerIfWaiting() {
  if (link.mode === 'waiting' || link.mode === 'offline') {
    connect();
  }
}

function startStableTimer() {
  clearTimeout(link.stableTimer);
  link.stableTimer = setTimeout(() => link.backoff.reset(), STABLE_AFTER_MS);
}

function showAction(label) {
  ui.reconnect.hidden = label === null;
  if (label !== null) {
    ui.reconnect.textContent = label;
  }
}

function send(frame) {
  const socket = state.socket;
  if (!socket || socket.readyState !== WebSocket.OPEN) {
    return false;
  }
  socket.send(JSON.stringify(frame));
  return true;
}

/** Signs in as `name`; `resume` presents this tab's token, to take up where it left off. */
function signIn(name, resume = false) {
  state.requestedName = name;
  const frame = { type: 'username', id: state.clientId, name, date: Date.now() };
  const token = resume ? storedSession()?.token : undefined;
  if (typeof token === 'string') {
    frame.token = token;
    frame.since = state.lastPos;
  }
  send(frame);
}

function signedInAs(name) {
  state.myName = name;
  state.rejoinAs = null;
  storeSession({ name });
  showMe();
  startStableTimer();
}

// ---- frames from the server -------------------------------------------------------

function handle(msg) {
  if (!isNew(msg)) {
    return;
  }
  switch (msg.type) {
    case 'id':
      state.clientId = msg.id;
      if (state.rejoinAs) {
        // rejoinAs stays until the sign-in is answered: a drop before then tries again.
        signIn(state.rejoinAs, true);
      }
      break;
    case 'session':
      onSession(msg);
      break;
    case 'username':
      onUsername(msg);
      break;
    case 'leave':
      onLeave(asText(msg.name));
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
      onError(msg);
      break;
    default:
      // Unknown types come from a newer server; ignoring them keeps us compatible.
      break;
  }
}

/**
 * False for an event this page has already processed: a catch-up or history replay may
 * overlap what it saw before the drop, and nothing is ever shown twice.
 */
function isNew(msg) {
  if (typeof msg.pos === 'number' && (msg.type === 'message' || msg.type === 'username' || msg.type === 'leave')) {
    if (msg.pos <= state.lastPos) {
      return false;
    }
    state.lastPos = msg.pos;
    return true;
  }
  // A server without positions (the protocol before v2) replays history after every
  // sign-in: lines already shown are recognised by sender, time and text instead.
  if (msg.type === 'message' && msg.history === true && !msg.target) {
    return !state.seenLines.has(lineKey(msg));
  }
  return true;
}

function lineKey(msg) {
  return `${asText(msg.name)}\u0000${msg.date}\u0000${asText(msg.text)}`;
}

function onSession(msg) {
  if (typeof msg.id === 'number') {
    state.clientId = msg.id;
  }
  if (typeof msg.token === 'string') {
    storeSession({ token: msg.token });
  }
  if (msg.resumed === true) {
    // Same name, same place: the others saw nothing, so neither does this log.
    signedInAs(state.requestedName);
    if (msg.missed === true && state.lastPos > 0) {
      // The history that follows cannot close the gap; say so where the gap is. A page
      // with nothing shown yet (just reloaded) has no gap: its history is simply earlier.
      append(el('li', 'divider divider-missed', 'Some messages were missed'));
    }
  }
  // Not resumed: an ordinary sign-in; the username or rejectusername frame names us.
}

function onUsername(msg) {
  const name = asText(msg.name);
  if (msg.id === state.clientId) {
    signedInAs(name);
  }
  if (typeof msg.previous === 'string') {
    notice('join', `${msg.previous} is now ${name}`);
    if (sameName(msg.previous, state.addressee)) {
      addressTo(name, false); // the conversation follows the person, not the old name
    }
  } else {
    notice('join', `${name} signed in`);
  }
}

function onLeave(name) {
  notice('leave', `${name} left`);
  if (sameName(name, state.addressee)) {
    backToRoom(name);
  }
}

function onRejectUsername(msg) {
  const given = asText(msg.name);
  const asked = (state.requestedName ?? '').trim();
  signedInAs(given);
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
  // Who came and went is told by username and leave frames; the list is only who is here.
  state.usersStale = false;
  renderUsers(users);
  if (state.addressee && !users.some((name) => sameName(name, state.addressee))) {
    backToRoom(state.addressee);
  }
}

function onMessage(msg) {
  const name = asText(msg.name);
  const text = asText(msg.text);
  const target = msg.target == null ? null : asText(msg.target);
  const history = msg.history === true;
  const mine = state.myName !== null && name === state.myName;
  hideTyper(name);
  if (target === null && typeof msg.pos !== 'number') {
    remember(lineKey(msg));
  }
  if (mine && target !== null) {
    const i = state.pendingPrivate.findIndex((sent) => sameName(sent.target, target));
    if (i >= 0) {
      state.pendingPrivate.splice(i, 1);
    }
  }

  if (history && !state.inHistory) {
    append(el('li', 'divider', 'Earlier messages'));
  }

  const item = el('li', 'entry message');
  item.dataset.kind = 'message';
  item.classList.toggle('mine', mine);
  item.classList.toggle('history', history);
  item.classList.toggle('direct', target !== null);

  const meta = el('div', 'meta');
  meta.append(el('span', 'sender', name));
  if (mine) {
    meta.append(el('span', 'badge badge-mine', 'you'));
  }
  if (target !== null) {
    meta.append(el('span', 'badge badge-direct', mine ? `private to ${target}` : `private from ${name}`));
  }
  if (history) {
    meta.append(el('span', 'badge badge-history', 'earlier'));
  }
  meta.append(timeOf(msg.date, history));

  item.append(meta, el('p', 'text', text));
  append(item, mine && !history);
}

function remember(key) {
  state.seenLines.add(key);
  if (state.seenLines.size > LOG_LIMIT) {
    state.seenLines.delete(state.seenLines.values().next().value);
  }
}

function onTyping(name) {
  if (!name || name === state.myName) {
    return;
  }
  clearTimeout(state.typers.get(name));
  state.typers.set(name, setTimeout(() => hideTyper(name), TYPING_SHOWN_FOR_MS));
  showTypers();
}

function onError(msg) {
  const code = asText(msg.code);
  if (state.rejoinAs && !state.myName) {
    // Signing in again was refused (rate-limited, the room unavailable): it is the
    // person's turn now, with the name field ready.
    state.rejoinAs = null;
    showMe();
  }
  if (code === 'unknown-target') {
    // Errors carry no reference to the frame they refuse: the oldest private line still
    // waiting for its echo is the one refused (the server answers in the order it reads).
    const refused = state.pendingPrivate.shift() ?? state.lastSent;
    const target = refused?.target ?? 'That person';
    if (sameName(target, state.addressee)) {
      backToRoom(null);
    }
    const givenBack = refused ? giveBack(refused) : true;
    notice('error', `${target} is not here any more; your message was not sent`
      + (givenBack ? '' : `: ${refused.text}`));
    return;
  }
  notice('error', `Refused (${code}): ${asText(msg.text)}`);
  // The limits live on the server; give back a refused text rather than lose it.
  if (code === 'text-too-long' && state.lastSent) {
    const refused = state.lastSent;
    if (refused.target) {
      state.pendingPrivate = state.pendingPrivate.filter((sent) => sent !== refused);
    }
    giveBack(refused);
  }
}

/**
 * Puts a refused line back in the field, unless the person has started another. A
 * private line whose addressee the composer no longer shows comes back as a /msg
 * command: pressing Enter again must not say it to the whole room.
 */
function giveBack(sent) {
  if (ui.text.value !== '') {
    return false;
  }
  ui.text.value = sent.target && !sameName(sent.target, state.addressee)
    ? privateCommand(sent.target, sent.text)
    : sent.text;
  return true;
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
  // A run of replayed messages gets one divider ("Earlier messages", or "Some messages
  // were missed" after a gap); anything else ends the run.
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
  // Re-rendering replaces the buttons: keep keyboard focus on the same person.
  const focused = document.activeElement?.closest?.('#users .user-pick')?.dataset.name;
  let refocus = null;
  const items = users.map((name) => {
    const item = el('li', 'user');
    if (name === state.myName) {
      item.classList.add('is-me');
      item.append(el('span', 'user-name', name), el('span', 'badge badge-mine', 'you'));
      return item;
    }
    const addressed = sameName(name, state.addressee);
    const pick = el('button', 'user-pick');
    pick.type = 'button';
    pick.dataset.name = name;
    pick.setAttribute('aria-pressed', String(addressed));
    pick.title = addressed ? 'Back to the room' : `Write to ${name} privately`;
    pick.append(el('span', 'user-name', name));
    pick.addEventListener('click', () => {
      if (sameName(name, state.addressee)) {
        backToRoom(null);
      } else {
        addressTo(name);
      }
    });
    item.classList.toggle('is-addressed', addressed);
    item.append(pick);
    if (name === focused) {
      refocus = pick;
    }
    return item;
  });
  ui.users.replaceChildren(...items);
  ui.users.classList.toggle('stale', state.usersStale);
  ui.userCount.textContent = String(users.length);
  refocus?.focus();
}

function showMe() {
  if (state.myName) {
    ui.me.textContent = `You are ${state.myName}`;
    ui.me.dataset.name = state.myName;
    ui.signin.textContent = 'Change name';
    ui.name.value = state.myName;
  } else {
    ui.me.textContent = state.rejoinAs ? `Signing in again as ${state.rejoinAs}…` : 'Not signed in';
    delete ui.me.dataset.name;
    ui.signin.textContent = 'Sign in';
  }
  showComposer();
  // The list marks "you"; re-render it when our name changes.
  renderUsers(state.users);
}

function showComposer() {
  const to = state.addressee;
  ui.addressee.hidden = to === null;
  ui.addresseeName.textContent = to === null ? '' : `To ${to}`;
  ui.sendForm.classList.toggle('private', to !== null);
  if (to === null) {
    ui.text.removeAttribute('aria-describedby');
  } else {
    ui.text.setAttribute('aria-describedby', 'addressee-name');
  }
  ui.text.placeholder = !state.myName
    ? (state.rejoinAs ? 'Back in a moment…' : 'Sign in, then say something…')
    : to === null ? 'Say something…' : `Say something to ${to} only…`;
}

/** Points the composer at one person: what is sent next goes to them alone. */
function addressTo(name, focus = true) {
  state.addressee = name;
  showComposer();
  renderUsers(state.users);
  if (focus) {
    ui.text.focus();
  }
}

/** Points the composer back at the room; `gone` names an addressee who is not here any more. */
function backToRoom(gone) {
  if (state.addressee === null) {
    return;
  }
  state.addressee = null;
  showComposer();
  renderUsers(state.users);
  if (gone !== null) {
    // A draft meant for one person must not go to the whole room on the next Enter: it
    // stays addressed, in words the person can see and edit.
    if (ui.text.value.trim() !== '' && !ui.text.value.startsWith('/msg')) {
      ui.text.value = privateCommand(gone, ui.text.value);
    }
    notice('info', `${gone} is not here any more; you are writing to the room again`);
  }
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
  // The status is a live region: rewriting the same words would announce them again.
  if (ui.status.textContent !== text) {
    ui.status.textContent = text;
  }
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
  const draft = ui.text.value;
  if (draft.trim() === '') {
    return;
  }
  let text = draft;
  let target = state.addressee;
  const command = parsePrivateCommand(draft, state.users);
  if (command?.error) {
    notice('error', command.error);
    return;
  }
  if (command) {
    target = command.target;
    text = command.text;
    if (text.trim() === '') {
      addressTo(target);
      ui.text.value = '';
      return;
    }
  }
  const frame = { type: 'message', id: state.clientId, text, date: Date.now() };
  if (target !== null) {
    frame.target = target;
  }
  if (send(frame)) {
    state.lastSent = { target, text };
    if (target !== null) {
      state.pendingPrivate.push(state.lastSent);
    }
    ui.text.value = '';
  }
  ui.text.focus();
});

ui.text.addEventListener('input', () => {
  const now = Date.now();
  // Typing notices go to everyone: none while writing to one person.
  const toRoom = state.addressee === null && !ui.text.value.startsWith('/msg');
  if (state.myName && toRoom && ui.text.value !== '' && now - state.lastTypingSent >= TYPING_SEND_EVERY_MS) {
    state.lastTypingSent = now;
    send({ type: 'typing', id: state.clientId });
  }
});

ui.text.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && state.addressee !== null) {
    event.preventDefault();
    backToRoom(null);
  }
});

ui.toRoom.addEventListener('click', () => {
  backToRoom(null);
  ui.text.focus();
});

// Retry now, reconnect after a deliberate close, or take the session back after 4001:
// the token this tab holds resumes the session here.
ui.reconnect.addEventListener('click', connect);

window.addEventListener('online', retrySoonerIfWaiting);
window.addEventListener('offline', () => {
  if (link.mode === 'waiting') {
    waitForNetwork();
  }
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') {
    retrySoonerIfWaiting();
  }
});

// A reload (or a duplicated tab) finds this tab's session: sign in again, resuming it.
state.rejoinAs = typeof storedSession()?.name === 'string' ? storedSession().name : null;
showMe();
connect();
