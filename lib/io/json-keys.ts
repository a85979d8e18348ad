/**
 * JSON.parse keeps the last of two equal keys without a word; a safetensors header with a name
 * twice is ambiguous (which offsets are right?), so the reader looks for repeats itself.
 */

/** An open object (its keys so far) or an open array (null). */
type Frame = { keys: Set<string>; path: string; expectKey: boolean; lastKey: string } | null;

/**
 * The first key that appears twice in one object of `text`, which must be valid JSON (parse it
 * first), after the keys of the objects around it ('a > b'); null when there is none.
 */
export function findDuplicateKey(text: string): string | null {
  const open: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = open.length > 0 ? open[open.length - 1] : null;
    if (c === '"') {
      const end = stringEnd(text, i);
      if (top?.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return within(top, key);
        top.keys.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === '{') {
      open.push({ keys: new Set(), path: top ? within(top, top.lastKey) : '', expectKey: true, lastKey: '' });
    } else if (c === '[') {
      open.push(null);
    } else if (c === '}' || c === ']') {
      open.pop();
    } else if (c === ',' && top) {
      top.expectKey = true;
    }
  }
  return null;
}

function within(frame: NonNullable<Frame>, key: string): string {
  return frame.path ? `${frame.path} > ${key}` : key;
}

/** The index of the quote that closes the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i;
}
