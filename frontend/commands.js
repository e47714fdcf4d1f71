// The one command the composer understands: `/msg NAME TEXT`, a private message.
// Pure: no DOM, so `node --test` can check it without a browser.
//
// Names may contain spaces, so where NAME ends is decided like this, first rule that fits:
// 1. `/msg "ana maria" hello`: a name in double quotes is taken as it is (it may name
//    someone not in the list: the server is the judge of who is here).
// 2. `/msg ana maria hello`: the longest name in the room's list (compared ignoring case,
//    as the server compares names) that the rest starts with, followed by a space or the
//    end; with "ana" and "ana maria" both listed this picks "ana maria". Written as listed.
// 3. Otherwise the first word: `/msg bob hello` addresses bob even when the list does not
//    show him (yet, or any more).
// Only `/msg` followed by a space (or alone) is a command; any other text starting with
// "/" is said to the room as typed.

const COMMAND = /^\/msg(?:\s+|$)/;

/** The key the server uses to compare names: case does not matter. */
export function nameKey(name) {
  return String(name ?? '').toLowerCase();
}

export function sameName(a, b) {
  return a != null && b != null && nameKey(a) === nameKey(b);
}

/**
 * `null` when `input` is no command; else `{ target, text }` (text may be empty: the
 * composer then just addresses `target`) or `{ error }` for a command it cannot read.
 */
export function parsePrivateCommand(input, listedNames = []) {
  const match = COMMAND.exec(input);
  if (!match) {
    return null;
  }
  const rest = input.slice(match[0].length);
  if (rest === '') {
    return { error: 'Write /msg, a name, then your message (put a name with spaces in "double quotes").' };
  }
  if (rest.startsWith('"')) {
    const end = rest.indexOf('"', 1);
    if (end < 0) {
      return { error: 'The name after /msg has an opening " but no closing one.' };
    }
    const target = rest.slice(1, end).trim();
    if (target === '') {
      return { error: 'The name between the quotes is empty.' };
    }
    return afterName(rest.slice(end + 1), target, true);
  }
  let best = null;
  for (const name of listedNames) {
    const n = name.length;
    const fits = n > 0 && nameKey(rest.slice(0, n)) === nameKey(name) && (rest.length === n || /\s/.test(rest[n]));
    if (fits && (best === null || n > best.length)) {
      best = name;
    }
  }
  if (best !== null) {
    return afterName(rest.slice(best.length), best, false);
  }
  const word = /^\S+/.exec(rest)[0];
  return afterName(rest.slice(word.length), word, false);
}

function afterName(remainder, target, quoted) {
  if (remainder !== '' && !/^\s/.test(remainder)) {
    return quoted
      ? { error: 'Leave a space between the closing " and your message.' }
      : { error: 'Could not tell where the name ends.' };
  }
  // The spaces between name and text separate them; the text itself is kept as typed.
  return { target, text: remainder.replace(/^\s+/, '') };
}

/** The command that would send `text` to `target` again: what a refused draft is given back as. */
export function privateCommand(target, text) {
  const needsQuotes = /\s/.test(target) && !target.includes('"');
  return `/msg ${needsQuotes ? `"${target}"` : target} ${text}`;
}
