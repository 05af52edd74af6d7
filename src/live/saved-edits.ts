/**
 * The learner's edits, kept in the browser (localStorage) per page, mode and cell, under the keys
 * `micrograd-ts:{lesson|exercise}:<notebook>:<cell>` (the site reads them too). Each edit carries
 * `base`, the hash of the cell's code it was made on, so an edit made on an older version of the
 * lesson is offered back, never applied silently.
 *
 * Part of the notebook state: no DOM here, and the storage is passed in (tests give a Map).
 */
export interface SavedEdit {
  base: string;
  text: string;
}

export type Mode = "lesson" | "exercise";

/** The part of the Web Storage API used here. */
export type EditStorage = Pick<Storage, "getItem" | "setItem" | "removeItem" | "key" | "length">;

export class SavedEdits {
  constructor(
    private readonly storage: EditStorage | undefined,
    readonly notebook: string,
    readonly mode: Mode,
  ) {}

  key(cell: number, mode: Mode = this.mode): string {
    return `micrograd-ts:${mode}:${this.notebook}:${cell}`;
  }

  /** The cell a storage key is about, in this page and mode; undefined for any other key. */
  cellOf(key: string | null): number | undefined {
    const prefix = this.key(0).replace(/0$/, "");
    if (!key?.startsWith(prefix)) return undefined;
    const rest = key.slice(prefix.length);
    return /^\d+$/.test(rest) ? Number(rest) : undefined;
  }

  get(cell: number, mode: Mode = this.mode): SavedEdit | undefined {
    return parseEdit(this.read(this.key(cell, mode)));
  }

  /** The saved text when it was made on this version of the cell (`base` is the cell's code now). */
  textFor(cell: number, base: string): string | undefined {
    const saved = this.get(cell);
    return saved && saved.base === hash(base) ? saved.text : undefined;
  }

  /** Keep `text` (or forget the edit when it is the cell's own code). False when the browser refused. */
  save(cell: number, base: string, text: string): boolean {
    try {
      if (text === base) this.storage?.removeItem(this.key(cell));
      else this.storage?.setItem(this.key(cell), JSON.stringify({ base: hash(base), text } satisfies SavedEdit));
      return this.storage !== undefined;
    } catch {
      return false;
    }
  }

  remove(cell: number): void {
    try {
      this.storage?.removeItem(this.key(cell));
    } catch {
      // storage disabled: nothing was saved
    }
  }

  /** The cells of this page and mode that have a saved edit. */
  cells(mode: Mode = this.mode): number[] {
    const other = new SavedEdits(this.storage, this.notebook, mode);
    const found: number[] = [];
    try {
      for (let i = 0; i < (this.storage?.length ?? 0); i++) {
        const cell = other.cellOf(this.storage!.key(i));
        if (cell !== undefined) found.push(cell);
      }
    } catch {
      // storage disabled: nothing saved
    }
    return found.sort((a, b) => a - b);
  }

  private read(key: string): string | null {
    try {
      return this.storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }
}

/** A stored value as an edit, or undefined when it is not one. */
export function parseEdit(raw: string | null | undefined): SavedEdit | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<SavedEdit>;
    return typeof value?.text === "string" && typeof value.base === "string" ? { base: value.base, text: value.text } : undefined;
  } catch {
    return undefined;
  }
}

/** A short hash of a cell's source (cyrb53): says whether a saved edit was made on this version of the cell. */
export function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
