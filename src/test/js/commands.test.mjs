// Run with: node --test src/test/js/   (Node 20, no npm packages)
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { parsePrivateCommand, privateCommand, sameName } from '../../../frontend/commands.js';

test('text that is not /msg is no command', () => {
  for (const text of ['hello', '/me waves', '/msgbob hi', ' /msg bob hi', 'say /msg bob hi']) {
    assert.equal(parsePrivateCommand(text, ['bob']), null, text);
  }
});

test('/msg name text: the first word is the name when nobody listed fits', () => {
  assert.deepEqual(parsePrivateCommand('/msg bob hello there', []), { target: 'bob', text: 'hello there' });
  assert.deepEqual(parsePrivateCommand('/msg   bob   spaced', []), { target: 'bob', text: 'spaced' });
});

test('the text after the name is kept as typed, trailing spaces and markup included', () => {
  assert.deepEqual(parsePrivateCommand('/msg bob 1 < 2  ', []), { target: 'bob', text: '1 < 2  ' });
  assert.deepEqual(parsePrivateCommand('/msg bob e\u0301', []), { target: 'bob', text: 'e\u0301' });
});

test('the longest listed name wins, ignoring case, written as listed', () => {
  const listed = ['Ana', 'ana maria', 'bob'];
  assert.deepEqual(parsePrivateCommand('/msg ANA MARIA hola', listed), { target: 'ana maria', text: 'hola' });
  assert.deepEqual(parsePrivateCommand('/msg ana hola', listed), { target: 'Ana', text: 'hola' });
  assert.deepEqual(parsePrivateCommand('/msg ana mariana hola', listed), { target: 'Ana', text: 'mariana hola' });
});

test('a quoted name is taken as it is, listed or not', () => {
  assert.deepEqual(parsePrivateCommand('/msg "dr who" hi', []), { target: 'dr who', text: 'hi' });
  assert.deepEqual(parsePrivateCommand('/msg "ana" maria hi', ['ana maria']), { target: 'ana', text: 'maria hi' });
});

test('/msg with a name and no text only addresses the name', () => {
  assert.deepEqual(parsePrivateCommand('/msg bob', []), { target: 'bob', text: '' });
  assert.deepEqual(parsePrivateCommand('/msg ana maria', ['ana maria']), { target: 'ana maria', text: '' });
});

test('commands that cannot be read say why', () => {
  for (const text of ['/msg', '/msg ', '/msg "bob hi', '/msg "" hi', '/msg "bob"hi']) {
    assert.ok(parsePrivateCommand(text, []).error, text);
  }
});

test('a refused draft comes back as a command that parses to the same message', () => {
  for (const [target, text] of [['bob', 'hi'], ['ana maria', 'hola  '], ['o"neil x', 'hey']]) {
    const command = privateCommand(target, text);
    assert.deepEqual(parsePrivateCommand(command, [target]), { target, text }, command);
  }
  assert.equal(privateCommand('ana maria', 'hi'), '/msg "ana maria" hi');
});

test('names compare ignoring case; nothing matches null', () => {
  assert.ok(sameName('Bob', 'bOB'));
  assert.ok(!sameName(null, 'bob'));
  assert.ok(!sameName(null, null));
});
